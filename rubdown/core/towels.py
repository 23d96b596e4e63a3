"""Where the towels are: what a position's drapes cover, and which move bares an area next."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rubdown.core.models import FRAMES, Catalogue, Drape, Position, Segment, Technique
from rubdown.core.safety import Limits


@dataclass
class Towels:
    """The areas the towels cover now, in one position (everything its drapes bare, at first)."""

    position: Position
    covered: set[str] = field(default_factory=set)
    avoid: frozenset[str] = frozenset()  # regions the hands keep off: a towel may stay on them

    @classmethod
    def start(cls, position: Position, avoid: Iterable[str] = ()) -> Towels:
        """As the receiver settles: every area a drape of the position bares is covered."""
        return cls(position, {a for d in position.drapes for a in d.bared}, frozenset(avoid))

    @property
    def moves(self) -> list[Drape]:
        """The towel moves to choose from: one that keeps regions covered only when they are
        all avoided, and then rather than the same move baring them."""
        return [d for d in self.position.drapes if self.avoid.issuperset(d.keeps)]

    def apply(self, drape: Drape) -> None:
        """One towel move."""
        self.covered = (self.covered | set(drape.covers)) - set(drape.bared)

    def hear(self, text: str) -> None:
        """The towel moves a cue tells the giver to make, in the order it says them."""
        said = [(text.find(d.say), n, d) for n, d in enumerate(self.position.drapes)]
        for _, _, drape in sorted(s for s in said if s[0] >= 0):
            self.apply(drape)

    def uncover(self, areas: Iterable[str]) -> list[Drape]:
        """The moves that bare these areas, each made: the fewest, keeping the most covered."""
        needed = list(dict.fromkeys(areas))
        if not self.covered.intersection(needed):
            return []
        moves: list[Drape] = []
        for _ in self.position.drapes:
            if not any(a in self.covered for a in needed):
                break
            options = [d for d in self.moves if self.covered & set(d.bared) & {*needed}]
            if not options:
                break
            drape = min(options, key=lambda d: (*self._cost(d, needed), -len(d.keeps)))
            self.apply(drape)
            moves.append(drape)
        return moves

    def _cost(self, drape: Drape, needed: list[str]) -> tuple[int, int]:
        after = (self.covered | set(drape.covers)) - set(drape.bared)
        # First what is still under a towel; then what lies bare that is not being worked.
        bare = {a for d in self.position.drapes for a in d.bared} - after - set(needed)
        return sum(a in after for a in needed), len(bare)


def covered_areas(
    cat: Catalogue, t: Technique, limits: Limits, position: Position | None = None
) -> tuple[str, ...]:
    """The areas a technique's regions belong to, head to toe, leaving out avoided regions
    (and, given a position, those it does not reach)."""
    regions = sorted(
        (
            r
            for r in t.regions
            if r in cat.regions
            and r not in limits.avoid
            and (position is None or r in position.reaches)
        ),
        key=cat.region_order,
    )
    return tuple(dict.fromkeys(cat.regions[r].area_name for r in regions))


def worked_areas(cat: Catalogue, seg: Segment, position: Position, limits: Limits) -> list[str]:
    """The areas a step's hands pass over: its region's, and for the opening and finish every
    area their glide reaches."""
    areas = [cat.regions[seg.region or ""].area_name]
    if seg.role in FRAMES and seg.technique in cat.techniques:
        areas += covered_areas(cat, cat.techniques[seg.technique or ""], limits, position)
    return list(dict.fromkeys(areas))
