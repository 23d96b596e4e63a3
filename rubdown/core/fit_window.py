"""Fitting a layout to its window: repetitions solved by weight, the pauses flexed to end on
the second, and a clear refusal when the steps cannot fill or fit the time."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from rubdown.core import caps
from rubdown.core.fitting import Slot, capacity, solve_reps
from rubdown.core.guidance import slot_for
from rubdown.core.layout import Chunk, Cursor, Row, lay_out
from rubdown.core.models import PlanError, Segment
from rubdown.core.pauses import (
    CHECKIN_EVERY_S,
    CHECKIN_FLEX,
    CHECKIN_S,
    CLOSING_FLEX,
    CLOSING_S,
    HOLD_S,
    OIL_EVERY_S,
    OIL_S,
    checkin_slot,
    fixed_pauses,
    opening_slot,
    opening_words,
    step_order,
    timed_pauses,
)
from rubdown.core.stepspec import ANNOUNCE_S, StepSpec

FIT_TOLERANCE_S = 10.0


def full_minutes(seconds: float) -> int:
    """The whole minutes a length fills, rounded down: so "fills at most N minutes" holds."""
    return int(seconds // 60)


def _total(rows: Sequence[Row]) -> float:
    return sum(r[0] for r in rows)


class TooLittleWork(PlanError):
    """The steps cannot fill the time, even at their most repetitions."""


class TooMuchWork(PlanError):
    """The steps do not fit in the time, even at their fewest repetitions."""


Flex = tuple[float, float]


def _bounds(row: Row, closing: Flex) -> tuple[float, float] | None:
    """How short and long a flexible pause may be: never shorter than its words."""
    _, kind, payload = row
    if kind not in ("check-in", "closing") or isinstance(payload, Chunk):
        return None
    say: str
    doing: float
    say, _, doing = payload  # type: ignore[misc]
    if kind == "closing":
        low, high = closing
        floor = slot_for(say, low)
    else:
        low, high = CHECKIN_FLEX
        floor = checkin_slot(say, low, doing)
    return floor, max(high, floor + (high - low) / 2)


def _flex_range(rows: Sequence[Row], closing: Flex) -> tuple[float, float]:
    """How many seconds the pauses can give up and take on."""
    down = up = 0.0
    for row in rows:
        bounds = _bounds(row, closing)
        if bounds is not None:
            down += max(0.0, row[0] - bounds[0])
            up += max(0.0, bounds[1] - row[0])
    return down, up


def _miss(rows: Sequence[Row], window: float, closing: Flex) -> float:
    """Seconds the pauses cannot absorb: zero when the layout fits exactly after flexing."""
    gap = window - _total(rows)
    down, up = _flex_range(rows, closing)
    return max(0.0, -gap - down, gap - up)


def _flex(rows: list[Row], gap: float, start: float, closing: Flex) -> list[Segment]:
    """Absorb the last seconds of rounding in the closing and check-in pauses, then build."""
    durations = [r[0] for r in rows]
    order = [len(rows) - 1, *(i for i, r in enumerate(rows) if r[1] == "check-in")]
    for i in order:
        bounds = _bounds(rows[i], closing)
        if abs(gap) < 1e-9 or bounds is None:
            continue
        new = min(max(durations[i] + gap, bounds[0]), bounds[1])
        gap -= new - durations[i]
        durations[i] = new
    out = []
    for (_, kind, payload), duration in zip(rows, durations, strict=True):
        say: str
        fields: dict[str, object]
        if isinstance(payload, Chunk):
            say, fields = payload.fields()
        else:
            say, fields, _ = payload  # type: ignore[misc]
        out.append(Segment.build(round(start, 3), round(duration, 3), kind, say, fields))
        start += duration
    return out


def estimate_overhead(window: float, moves: int, opening: bool = True) -> float:
    """Seconds of pauses a layout will need: closing, oil, announcements and check-ins."""
    return (
        CLOSING_S
        + HOLD_S
        + (OIL_S if opening else 0.0)
        + moves * ANNOUNCE_S
        + (window // CHECKIN_EVERY_S) * CHECKIN_S
        + (window // OIL_EVERY_S) * OIL_S
    )


def _check_capacity(
    specs: Sequence[StepSpec],
    window: float,
    layout: Callable[[Sequence[int]], list[Row]],
    closing: Flex,
) -> None:
    """Refuse, clearly, steps that cannot fill the window or cannot fit in it."""
    # The longest layout holds at least the steps at their most: when they alone fill the
    # window (a second to spare for rounding), there is no need to lay it out.
    steps_most = sum(s.max_reps * s.technique.seconds_per_rep * s.sides for s in specs)
    if steps_most < window - FIT_TOLERANCE_S + 1.0:
        most = layout([s.max_reps for s in specs])
        _, up = _flex_range(most, closing)
        if _total(most) + up < window - FIT_TOLERANCE_S:
            raise TooLittleWork(
                f"not enough to do for {window / 60:.0f} minutes here: these steps fill "
                f"at most {full_minutes(_total(most) + up)} minutes; ask for fewer minutes, "
                f"another position, or fewer avoided areas"
            )
    least = layout([s.min_reps for s in specs])
    down, _ = _flex_range(least, closing)
    if _total(least) - down > window + FIT_TOLERANCE_S:
        need = -(-(_total(least) - down) // 60)
        raise TooMuchWork(
            f"these steps need at least {need:.0f} minutes, "
            f"more than the {window / 60:.0f} available; ask for more minutes"
        )


def _closest_layout(
    specs: Sequence[StepSpec],
    slots: Sequence[Slot],
    budget: float,
    window: float,
    layout: Callable[[Sequence[int]], list[Row]],
    closing: Flex,
) -> list[Row]:
    """The layout nearest the window, moving the steps' budget by what each try missed."""
    best = rows = layout(solve_reps(slots, budget))
    best_miss = (math.inf, math.inf)  # the first try is the best so far: measured once, below
    for attempt in range(8):
        gap = window - _total(rows)
        miss = (_miss(rows, window, closing), abs(gap))
        if miss < best_miss:
            best, best_miss = rows, miss
        # Within the pauses' give is a fit; the first try, counted from an estimate of the
        # pauses, is kept only when it leaves the closing and check-ins near their lengths.
        if miss[0] == 0 and (attempt > 0 or miss[1] <= 2 * FIT_TOLERANCE_S):
            break
        if attempt == 1:
            # Two tries that miss: check the steps can fill the window at all (and fit in it)
            # before trying on; the two extreme layouts say clearly why not.
            _check_capacity(specs, window, layout, closing)
        # Check-ins come and go as the budget moves; halve the steps once it starts to swing.
        budget += gap if attempt < 2 else gap / 2
        rows = layout(solve_reps(slots, budget))
    return best


def fit_steps(
    specs: Sequence[StepSpec],
    cursor: Cursor,
    end_s: float,
    warnings: Sequence[str] = (),
    opening: bool = True,
    closing: Flex = CLOSING_FLEX,
    calibrate: bool = False,
    oil: str = "",
) -> list[Segment]:
    """Lay the steps out so the session ends at end_s, solving repetitions by weight."""
    window = end_s - cursor.t
    if opening:
        say, _ = opening_words(specs, warnings, oil)
        specs = caps.first_step_before_checkin(specs, CHECKIN_EVERY_S - opening_slot(say, specs))
    slots = [s.slot() for s in specs]
    start = (cursor.region, cursor.position)
    order = step_order(specs, None if opening else cursor.side)
    overhead = fixed_pauses(specs, order, start, warnings, opening, calibrate, oil, cursor.rising)
    overhead += timed_pauses(window)
    laid: dict[tuple[int, ...], list[Row]] = {}

    def layout(reps: Sequence[int]) -> list[Row]:
        key = tuple(reps)
        if key not in laid:  # the extreme layouts are often among those tried
            laid[key] = lay_out(specs, reps, cursor, warnings, opening, calibrate, oil)
        return laid[key]

    least, most = capacity(slots)
    if least + overhead > window or most + overhead + CLOSING_FLEX[1] - CLOSING_S < window:
        _check_capacity(specs, window, layout, closing)  # likely too much or too little: say so
    best = _closest_layout(specs, slots, window - overhead, window, layout, closing)
    fitted = _flex(best, window - _total(best), cursor.t, closing)
    if abs(fitted[-1].end_s - end_s) > FIT_TOLERANCE_S:
        raise PlanError(f"could not fit the steps to {window / 60:.1f} minutes")
    return fitted
