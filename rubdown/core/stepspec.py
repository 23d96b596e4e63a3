"""A step before its repetitions are known, and what it remembers about what it says."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import MISSING, dataclass, fields
from functools import cached_property
from typing import Any

from rubdown.core import wording
from rubdown.core.fitting import Slot
from rubdown.core.guidance import (
    INTRO_SHARE,
    TOWEL_MOVE_S,
    slot_for,
    speech_seconds,
    time_to_act,
)
from rubdown.core.models import FRAMES, Catalogue, Position, Profile, Region, Technique
from rubdown.core.safety import Limits

ROOM_TRIES = 3  # a count's words settle at the second try: "once", then "N times"
ANNOUNCE_S = 6.0  # the shortest announcement before a step
FOCUS_WEIGHT = 3.0
FAVOURITE_WEIGHT = 1.5
FOCUS_TECHNIQUES = 3
FOCUS_REPS_FACTOR = 2
# Side-lying starts on the left side, so the right side (facing up) is worked first.
TURN_SIDES = ("right", "left")


@dataclass(frozen=True)
class StepSpec:
    """A step before its repetitions are known."""

    technique: Technique
    region: Region
    position: Position
    pressure: int
    max_pressure: int
    min_reps: int
    max_reps: int
    default_reps: int
    weight: float = 1.0
    only_side: str | None = None  # in a turning position: the one side still to do
    role: str = "work"
    before: str = ""  # said before the step: towel moves, cautions, warnings
    cautions: tuple[str, ...] = ()  # the cautions and warnings within `before`
    towel_moves: int = 0  # the towel moves within `before`: the hands need time for each
    explain_pressure: bool = False  # the first time this pressure number is used
    areas: tuple[str, ...] = ()  # for the opening and finish: the areas they cover, as said
    covers: tuple[str, ...] = ()  # ... and as area names, for the towels
    rests_on: str = ""  # for the finish: where the still hold after it rests, as said
    # The step just before does the same technique, explained in the same words: its pressure.
    repeats: int | None = None
    # A live re-fit lying on the side, before the turn: what is said before this step's pass on
    # the second side (`before`, `cautions`), when it is not what its first pass says.
    second_lead: tuple[str, tuple[str, ...], int] | None = None

    @cached_property  # make_spec and respec set it: a first read here takes a lock
    def sides(self) -> int:
        """Two for techniques done on each side in turn, or in a position worked side by side."""
        return _sides(self.technique, self.position, self.only_side)

    def slot(self) -> Slot:
        """The step as the solver sees it."""
        return Slot(
            self.technique.seconds_per_rep * self.sides,
            self.min_reps,
            self.max_reps,
            self.default_reps,
            self.weight,
        )

    def led_on(self, side: str) -> StepSpec:
        """The spec as its pass on `side` is led in (after the turn, its second lead)."""
        if self.second_lead is None or side != TURN_SIDES[1]:
            return self
        before, cautions, moves = self.second_lead
        return respec(self, before=before, cautions=cautions, towel_moves=moves, second_lead=None)

    @property
    def doing_s(self) -> float:
        """Seconds past the words before the step that the towel moves they ask for still need
        (the cautions said after the moves leave the hands time)."""
        if not self.towel_moves:
            return 0.0
        return time_to_act(self.towel_moves * TOWEL_MOVE_S, " ".join(self.cautions))

    def first_side_finish(self, side: str) -> bool:
        """Whether this is the finish of the first side lying on it: the session is then only
        half done."""
        return self.role == "finish" and self.position.turns and side == TURN_SIDES[0]

    def first_side(self) -> str:
        """The side done first, whose introduction is said in full."""
        return TURN_SIDES[0] if self.position.turns else "left"

    def second_side(self, side: str) -> bool:
        """Whether `side` mirrors one already done: straight after it, or after turning over."""
        return side == (TURN_SIDES[1] if self.position.turns else "right")

    def intro(self, reps: int, side: str) -> str:
        """The words that introduce the step (on one side)."""
        t = self.technique
        # The mirrored side needs no new instructions, nor the feel of its pressure again:
        # after turning over, the giver heard the same steps a few minutes before.
        again = self.second_side(side)
        explain = self.explain_pressure and not again
        if self.role in FRAMES:
            if again:
                late = self.role == "finish" and self.position.turns
                return wording.frame_again(reps, self.pressure, side, late)
            if self.repeats is not None:
                return wording.frame_repeat(t, self.areas, reps, self.pressure, self.role)
            return wording.frame_intro(t, self.areas, reps, self.pressure, self.role, explain)
        # Turned over, the steps come again in the same order: a repeat still says its change.
        if self.repeats is not None and (self.position.turns or not again):
            return wording.step_repeat(
                t, self.region, reps, self.pressure, side, self.repeats, explain
            )
        return wording.step_intro(t, self.region, reps, self.pressure, side, explain, again)

    def least_first_reps(self, side: str) -> int:
        """Repetitions the first part of a side needs so its introduction leaves most of it."""
        # Asked for on every layout and estimate: remembered on the spec (respec forgets it).
        # Typed by annotation, not typing.cast: a function call (and a generic alias) each time.
        least: int | None = self.__dict__.get("_memo", _NO_MEMO).get(side)
        if least is None:
            least = self.memo()[side] = self._least_first_reps(side)
        return least

    def memo(self) -> dict[object, Any]:
        """What the layout works out from this spec alone, again and again (respec forgets)."""
        memo: dict[object, Any] | None = self.__dict__.get("_memo")
        if memo is None:
            memo = self.__dict__["_memo"] = {}
        return memo

    def before_without(self, said: Collection[str]) -> tuple[str, tuple[str, ...]]:
        """What is said before the step less the cautions in `said` (the towel moves stay),
        and the cautions those words still say."""
        kept = tuple(c for c in self.cautions if c not in said)
        spoken = " ".join(self.cautions)
        if len(kept) == len(self.cautions) or not self.before.endswith(spoken):
            return self.before, self.cautions  # words and cautions stay as one
        return " ".join(w for w in (self.before[: -len(spoken)].strip(), *kept) if w), kept

    def lead(self, changed: bool, side: str = "both") -> tuple[str, float]:
        """What is said before the step's pass on `side` (naming its region when it changes),
        and its slot."""
        key = (changed, self.first_side_finish(side))
        known: tuple[str, float] | None = self.__dict__.get("_memo", _NO_MEMO).get(key)
        if known is None:
            finish = self.role == "finish"
            region = self.region if changed else None
            lead = wording.lead_in(region, self.before, finish, key[1])
            known = self.memo()[key] = (lead, slot_for(lead, ANNOUNCE_S, self.doing_s))
        return known

    def _least_first_reps(self, side: str) -> int:
        # Pure in what the introduction says: shared by specs that say the same.
        again = self.second_side(side)
        key: tuple[object, ...] = (id(self.technique), id(self.region), self.default_reps)
        key += (self.pressure, side, again, self.explain_pressure, self.role, self.areas)
        key += (self.repeats,)
        known = _FIRST_REPS.get(key)
        if known is None or known[0] is not self.technique or known[1] is not self.region:
            if len(_FIRST_REPS) > 8192:  # catalogues loaded again and again (tests)
                _FIRST_REPS.clear()
            seconds = speech_seconds(self.intro(self.default_reps, side)) / INTRO_SHARE
            least = max(1, -int(-seconds // self.technique.seconds_per_rep))
            known = _FIRST_REPS[key] = (self.technique, self.region, least)
        return known[2]


def _sides(technique: Technique, position: Position, only_side: str | None) -> int:
    if only_side is not None:
        return 1
    return 2 if technique.per_side or position.turns else 1


_NO_MEMO: dict[object, Any] = {}  # read, never written: a spec that remembers nothing yet
_FIRST_REPS: dict[tuple[object, ...], tuple[Technique, Region, int]] = {}
_SPEC_FIELDS = frozenset(f.name for f in fields(StepSpec))
_SPEC_DEFAULTS = {f.name: f.default for f in fields(StepSpec) if f.default is not MISSING}
_SIDES_FROM = frozenset(("technique", "position", "only_side"))  # what `sides` depends on


def respec(spec: StepSpec, **changes: Any) -> StepSpec:
    """dataclasses.replace for a step spec, without the frozen __init__'s per-field cost."""
    if not _SPEC_FIELDS.issuperset(changes):  # no set built on the way: this runs very often
        raise TypeError(f"StepSpec has no field {sorted(changes.keys() - _SPEC_FIELDS)[0]!r}")
    new = object.__new__(StepSpec)
    values = new.__dict__
    values.update(spec.__dict__, **changes)
    values.pop("_memo", None)  # what it remembered may depend on the changes
    if "sides" not in values or not _SIDES_FROM.isdisjoint(changes):
        values["sides"] = _sides(values["technique"], values["position"], values["only_side"])
    return new


def _pressure(
    cat: Catalogue,
    t: Technique,
    region: str,
    profile: Profile,
    limits: Limits,
    wanted: int | None = None,
) -> tuple[int, int]:
    """The step's pressure and its ceiling: learned or wanted, nudged by preference, capped."""
    cap = min(limits.cap_for(region, cat.regions[region].no_press), t.pressure.max)
    learned = dict(profile.learned_pressure).get(region)
    value = learned if learned is not None else (wanted or t.pressure.default)
    if profile.pressure == "firm" and learned is None and wanted is None:
        value += 1
    return max(min(value, cap), t.pressure.min), cap


def make_spec(
    cat: Catalogue,
    t: Technique,
    region: str,
    position: Position,
    profile: Profile,
    limits: Limits,
    reps: int | None = None,
    wanted: int | None = None,
) -> StepSpec:
    """A step spec with safe pressure, bounds and weight."""
    pressure, cap = _pressure(cat, t, region, profile, limits, wanted)
    focus = region in profile.focus
    weight = FOCUS_WEIGHT if focus else 1.0
    if t.id in profile.favourites:
        weight *= FAVOURITE_WEIGHT
    # A focus area may go past a technique's usual count: that is what focus asks for.
    most = t.reps.max * FOCUS_REPS_FACTOR if focus else t.reps.max
    default = min(max(reps or t.reps.default, t.reps.min), t.reps.max)
    # Built as respec builds, not by the frozen __init__ (a setattr for each of its fields).
    new = object.__new__(StepSpec)
    new.__dict__.update(
        _SPEC_DEFAULTS,
        technique=t,
        region=cat.regions[region],
        position=position,
        pressure=pressure,
        max_pressure=cap,
        min_reps=t.reps.min,
        max_reps=most,
        default_reps=default,
        weight=weight,
        sides=_sides(t, position, None),
    )
    return new


def room_to_speak(spec: StepSpec) -> StepSpec:
    """At least enough repetitions that the step's introduction leaves most of it for the work."""
    # Asked again once more: the new count can lengthen the words ("once" becomes "3 times").
    for _ in range(ROOM_TRIES):
        least = max(spec.least_first_reps(spec.first_side()), spec.least_first_reps("both"))
        if least <= spec.min_reps:
            break
        spec = respec(
            spec,
            min_reps=least,
            default_reps=max(spec.default_reps, least),
            max_reps=max(spec.max_reps, least),
        )
    return spec
