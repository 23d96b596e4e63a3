"""The pauses between steps: the order steps are done in, and the words and slots around them.

The layout says these pauses on the clock; the fit counts them first, from the steps alone, so
its first choice of repetitions already leaves them room.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Sequence
from typing import NamedTuple

from rubdown.core import wording
from rubdown.core.guidance import TOWEL_MOVE_S, slot_for, time_to_act
from rubdown.core.stepspec import TURN_SIDES, StepSpec

CHECKIN_EVERY_S = 295.0  # the brief says every 5 minutes; 5 s of margin for rounding
CHECKIN_S, CHECKIN_FLEX = 12.0, (10.0, 24.0)
# After a check-in's words, time for the receiver to answer before the hands go on.
ANSWER_S = 4.0
CLOSING_S, CLOSING_FLEX = 30.0, (20.0, 60.0)
POSITION_S, OIL_S = 20.0, 8.0
HOLD_S, CALIBRATE_S = 20.0, 30.0
HOLD_AREA = "back"
OIL_EVERY_S = 600.0
OIL_WARM_S = 5.0  # after the words: pour a little oil and warm it between the palms
NEW_SKIN_OIL_S = 120.0  # oiled this recently, the hands go on to new skin without more
# The check-ins and oil top-ups the clock brings, against their shortest slots: a check-in
# that falls before a step says the step's lead, which the fixed pauses already count, so it
# costs less than its slot. Measured over the bench's requests: fewest layouts a fit.
TIMED_EXTRA_S = -5.0

Order = list[tuple[int, tuple[str, ...], bool]]


def _turning_block(specs: Sequence[StepSpec], block: range) -> Order:
    """A position worked one side at a time: every step on one side, a turn, then the other."""
    first, second = TURN_SIDES
    one = [k for k in block if specs[k].only_side in (None, first)]
    two = [k for k in block if specs[k].only_side in (None, second)]
    out: Order = [(k, (first,), False) for k in one]
    return out + [(k, (second,), n == 0 and bool(one)) for n, k in enumerate(two)]


def step_order(specs: Sequence[StepSpec], last_side: str | None = None) -> Order:
    """(step, sides to do, whether the receiver turns over first) in the order they are done.

    `last_side`, for a live re-fit: the side the hands were on. When it was the first side of
    a turning position and only the second side is left, the receiver turns over first.
    """
    out = _order(specs)
    if out and last_side == TURN_SIDES[0] and out[0][1] == (TURN_SIDES[1],):
        out[0] = (out[0][0], out[0][1], specs[out[0][0]].position.turns)
    return out


def _order(specs: Sequence[StepSpec]) -> Order:
    out: Order = []
    i = 0
    while i < len(specs):
        position = specs[i].position
        j = i + 1
        while j < len(specs) and specs[j].position.id == position.id:
            j += 1
        if position.turns:
            out += _turning_block(specs, range(i, j))
        else:
            for k in range(i, j):
                both = specs[k].technique.per_side
                sides = ("left", "right") if both else ("both",)
                only = specs[k].only_side  # the left side already done before a live change
                out.append((k, (only,) if only and both else sides, False))
        i = j
    return out


# Below this much work in one position the head can stay turned one way (a 15-minute
# session face down has about ten minutes of it).
HALFWAY_MIN_S = 12 * 60.0


def _position_parts(specs: Sequence[StepSpec], order: Order) -> list[range]:
    """The runs of the order done in one position."""
    starts = [n for n in range(len(order)) if n == 0 or specs[order[n][0]].position.id
              != specs[order[n - 1][0]].position.id]  # fmt: skip
    return [range(a, b) for a, b in itertools.pairwise([*starts, len(order)])]


class HalfwayLead(NamedTuple):
    """For a live re-fit: where the hands are, the step seconds worked in that position so
    far, and whether its halfway words were said already."""

    position: str | None
    region: str | None
    worked_s: float
    said: bool


def halfway_marks(
    specs: Sequence[StepSpec], reps: Sequence[int], order: Order, lead: HalfwayLead | None = None
) -> set[int]:
    """The places in the order before which a position's halfway words are said: of the moves
    to a new region (a pause is said there anyway), the one nearest half the position's step
    time, when it is long (face down, where the head turns the other way). A re-fit (`lead`)
    counts the work already done there, and says the words only if they were not yet said."""
    marks: set[int] = set()
    for part in _position_parts(specs, order):
        position = specs[order[part[0]][0]].position
        going_on = lead if part.start == 0 and lead and lead.position == position.id else None
        if not position.halfway or (going_on and going_on.said):
            continue
        before = going_on.worked_s if going_on else 0.0
        times = (specs[k].technique.seconds_per_rep * reps[k] * len(s) for k, s, _ in order)
        done = [before + t for t in itertools.accumulate(list(times)[part.start : part.stop])]
        region = [specs[order[n][0]].region.id for n in part]
        moves = [
            (part[0] + 1 + i, done[i]) for i in range(len(part) - 1) if region[i] != region[i + 1]
        ]
        if going_on and going_on.region != region[0]:
            moves.insert(0, (part[0], before))  # the move from the last region worked
        if moves and done[-1] >= HALFWAY_MIN_S:
            marks.add(min(moves, key=lambda m: abs(m[1] - done[-1] / 2))[0])
    return marks


def opening_words(
    specs: Sequence[StepSpec], warnings: Sequence[str], oil: str
) -> tuple[str, tuple[str, ...]]:
    """The first words (support, towel moves, oil, warnings) and the cautions said."""
    # The receiver is settled before the oil is warmed, so it is still warm at the first touch.
    first = specs[0] if specs else None
    extra = [first.position.support, first.before] if first else []
    cautions = (*warnings, *(first.cautions if first else ()))
    said = [*(e for e in extra if e), wording.opening_oil(oil), *warnings]
    return " ".join(said), tuple(cautions)


def opening_slot(say: str, specs: Sequence[StepSpec]) -> float:
    """The opening's pause: its words, and time to move the towels they name and to warm the
    oil (while the words after the ask for oil are said, and after them)."""
    moves = specs[0].towel_moves if specs else 0
    after = say.partition(wording.OPENING_OIL_ASK)[2]
    return slot_for(say, OIL_S, time_to_act(OIL_WARM_S + moves * TOWEL_MOVE_S, after))


def oil_slot(say: str) -> float:
    """An oil top-up's pause: its words, then time to warm the oil in the hands."""
    return slot_for(say, OIL_S, OIL_WARM_S)


def position_slot(say: str, spec: StepSpec) -> float:
    """The pause to turn over or move (at least POSITION_S), with the towel moves it names."""
    return slot_for(say, POSITION_S, spec.doing_s)


def move_words(spec: StepSpec) -> str:
    """Said when the session moves to the step's position."""
    words = (wording.change_position(spec.position), spec.position.support, spec.before)
    return " ".join(w for w in words if w)


def turn_words(spec: StepSpec, just_said: Collection[str] = ()) -> tuple[str, tuple[str, ...]]:
    """Said when the receiver turns over, before the step that starts the other side (without
    the cautions `just_said`, before the first side's last steps), and the cautions it says."""
    before, cautions = spec.before_without(just_said)
    return f"{wording.turn_over(spec.position)} {before}".strip(), cautions


def hold_words(last: StepSpec) -> str:
    """The still hold: on the back (or the part of it not avoided) when the finish covers
    it, the first area otherwise."""
    areas = last.areas or (last.region.area_name,)
    on = [last.rests_on] if last.rests_on else [a for a in areas if a == HOLD_AREA]
    return wording.hold(on or areas)


def closing_words(specs: Sequence[StepSpec], earlier: Sequence[str] = ()) -> str:
    """The closing, with what the worked regions need before the receiver stands; `earlier`:
    what the regions worked before a live re-fit need."""
    rising = (*earlier, *(s.region.before_rising for s in specs))
    first = dict.fromkeys(r for r in rising if r)
    return wording.closing(specs[-1].position if specs else None, tuple(first))


def calibration_words(specs: Sequence[StepSpec], first: StepSpec) -> str:
    """The pressure check after the first step, at the first working step's pressure."""
    work = next((s.pressure for s in specs if s.role == "work"), first.pressure)
    return wording.calibration(first.region, work)


def reaches_new_skin(spec: StepSpec, area: str | None) -> bool:
    """Whether a step's hands go on to an area other than the last oiled one (the finish
    glides go over skin oiled before)."""
    return area is not None and spec.region.area_name != area and spec.role != "finish"


def fixed_pauses(
    specs: Sequence[StepSpec],
    order: Order,
    start: tuple[str | None, str | None],
    warnings: Sequence[str],
    opening: bool,
    calibrate: bool = False,
    oil: str = "",
    rising: Sequence[str] = (),
) -> float:
    """Seconds of the pauses the steps themselves bring, whatever their repetitions: the
    opening, each announcement, move and turn, the still hold and the closing words."""
    total = opening_slot(opening_words(specs, warnings, oil)[0], specs) if opening else 0.0
    region, position = start
    area = None
    for n, (k, _, turn) in enumerate(order):
        spec = specs[k]
        # The oil new skin takes (often, not always: the clock may have brought it just before).
        if spec.region.takes_oil and (turn or reaches_new_skin(spec, area)):
            total += oil_slot(wording.more_oil(oil)) * (1.0 if turn else 0.5)
        area = spec.region.area_name if spec.region.takes_oil else area
        if turn:
            total += position_slot(turn_words(spec)[0], spec)
        elif not (opening and n == 0):
            changed = region is not None and spec.region.id != region
            if position is not None and spec.position.id != position:
                total += position_slot(move_words(spec), spec)
            elif changed or spec.before:
                total += spec.lead(changed)[1]
        if calibrate and n == 0:
            total += slot_for(calibration_words(specs, spec), CALIBRATE_S)
        region, position = spec.region.id, spec.position.id
    if specs:
        total += slot_for(hold_words(specs[-1]), HOLD_S)
    return total + slot_for(closing_words(specs, rising), CLOSING_S)


def checkin_slot(say: str, least: float, doing: float = 0.0) -> float:
    """A check-in's length: its words, then room for the answer and for the towel moves they
    name (`doing` seconds); never shorter than `least`."""
    return max(least, slot_for(say, 0.0, doing) + ANSWER_S)


def timed_pauses(window: float) -> float:
    """Seconds of the check-ins and oil top-ups the clock brings over a window."""
    checkins = window // CHECKIN_EVERY_S
    return checkins * (CHECKIN_S + TIMED_EXTRA_S) + (window // OIL_EVERY_S) * OIL_S
