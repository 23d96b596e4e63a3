"""The steps still to come in a live re-fit, grouped per step in the order they will be done.

The layout works a turning position (side-lying) one side, then the turn, then the other, each
side in list order. A plan changed live leaves steps in three kinds: both sides still to do, the
first side only (done again), and the second side only (the first already done). Listed by first
appearance, a step done on the first side lands after the finish on the second; the merge here
lists them so that each side keeps the order the plan had.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rubdown.core.models import Catalogue, Segment
from rubdown.core.stepspec import TURN_SIDES

Group = list[Segment]  # the segments of one step still to come (split chunks, both sides)


def step_groups(cat: Catalogue, segments: Sequence[Segment]) -> list[Group]:
    """The step segments still to come, one group per step, in the order they will be done."""
    groups: dict[int, Group] = {}
    for seg in segments:
        if seg.kind == "step" and seg.step_index is not None:
            groups.setdefault(seg.step_index, []).append(seg)
    out: list[Group] = []
    run: list[Group] = []
    for group in groups.values():
        if run and _position(run[-1]) != _position(group):
            out += _in_side_order(cat, run, segments)
            run = []
        run.append(group)
    return out + _in_side_order(cat, run, segments)


def _position(group: Group) -> str:
    return group[0].position or ""


def _in_side_order(cat: Catalogue, run: list[Group], segments: Sequence[Segment]) -> list[Group]:
    """One position's groups; in a turning position, merged so both sides keep their order."""
    if not run or not cat.positions[_position(run[0])].turns:
        return run
    if not all(any(s.side in TURN_SIDES for s in g) for g in run):
        return run  # not worked side by side after all: as listed
    at: dict[tuple[int | None, str | None], int] = {}  # where each (step, side) first comes
    for i, seg in enumerate(segments):
        at.setdefault((seg.step_index, seg.side), i)
    first, second = (
        sorted((g for g in run if any(s.side == side for s in g)), key=_first_at(at, side))
        for side in TURN_SIDES
    )
    return _merge(first, second)


def _first_at(at: dict[tuple[int | None, str | None], int], side: str) -> Callable[[Group], int]:
    """Sort key: where the group's step first comes on this side."""
    return lambda group: at[(group[0].step_index, side)]


def _merge(first: list[Group], second: list[Group]) -> list[Group]:
    """One list whose steps on each side (a step on both is in both) come in that side's order."""
    both = {id(g) for g in first} & {id(g) for g in second}
    out: list[Group] = []
    taken: set[int] = set()
    while first or second:
        for side in (first, second):
            while side and id(side[0]) in taken:
                side.pop(0)
        # A step on one side only goes before the next step on both: it comes first there.
        heads = [s[0] for s in (first, second) if s]
        pick = next((g for g in heads if id(g) not in both), heads[0] if heads else None)
        if pick is None:
            break
        out.append(pick)
        taken.add(id(pick))
    return out
