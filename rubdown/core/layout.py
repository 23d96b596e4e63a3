"""Laying steps out on the clock with check-ins, announcements and oil, fitted to a window."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from rubdown.core import caps, wording
from rubdown.core.fitting import Slot, capacity, solve_reps
from rubdown.core.guidance import slot_for
from rubdown.core.models import PlanError, Segment
from rubdown.core.motion import StepMotion, on_step
from rubdown.core.pauses import (
    CALIBRATE_S,
    CHECKIN_EVERY_S,
    CHECKIN_FLEX,
    CHECKIN_S,
    CLOSING_FLEX,
    CLOSING_S,
    HOLD_S,
    OIL_EVERY_S,
    OIL_S,
    POSITION_S,
    HalfwayLead,
    calibration_words,
    checkin_slot,
    closing_words,
    fixed_pauses,
    halfway_marks,
    hold_words,
    move_words,
    opening_words,
    step_order,
    timed_pauses,
    turn_words,
)
from rubdown.core.stepspec import ANNOUNCE_S, StepSpec

FIT_TOLERANCE_S = 10.0
MIN_CHUNK = 3


def full_minutes(seconds: float) -> int:
    """The whole minutes a length fills, rounded down: so "fills at most N minutes" holds."""
    return int(seconds // 60)


@dataclass
class Cursor:
    """Where the layout stands: clock, time since the last check-in and oil, last place."""

    t: float = 0.0
    since_checkin: float = 0.0
    since_oil: float = 0.0
    region: str | None = None
    position: str | None = None
    step_index: int = 0
    hands: str = "bare"  # "oily" once oiled; "wiped" for the hair or face: oil again after
    rising: tuple[str, ...] = ()  # what the regions already worked need before standing
    # For a live re-fit: step seconds already worked in this position, and whether its
    # halfway words (face down: turn the head) were said, so the rest still says them once.
    worked_s: float = 0.0
    halfway_said: bool = False
    side: str | None = None  # the side of the last step done (a re-fit may need a turn first)
    # A re-fit's first step is the one under way (given more time): its lead was said, so
    # nothing is said again before it, and no check-in cuts in ahead of its first part.
    under_way: bool = False
    # ... and its first part is the rest of a step begun before the change: it carries on.
    continues: bool = False
    # Words a re-fit owes before its first step (the first words, skipped before they were out).
    owed: str = ""


class _Chunk(NamedTuple):
    """A run of repetitions of one step, turned into a Segment only once the fit is final."""

    # A named tuple: made for every run of every layout tried, and quicker to make than a
    # frozen dataclass.

    spec: StepSpec
    reps: int
    side: str
    step_index: int
    intro_reps: int | None  # the whole step's count on its first chunk, else None

    def fields(self) -> tuple[str, dict[str, object]]:
        spec = self.spec
        say = (
            spec.intro(self.intro_reps, self.side)
            if self.intro_reps is not None
            else wording.step_continue(spec.technique, self.reps)
        )
        memo = spec.memo()
        # What every chunk of a step shares, worked out once per step.
        static: dict[str, object] | None = memo.get("fields")
        if static is None:
            static = memo["fields"] = _step_fields(spec)
        motion = memo.get(("motion", self.side), _UNKNOWN)
        if motion is _UNKNOWN:
            motion = memo[("motion", self.side)] = self.motion()
        out = dict(static)
        out.update(reps=self.reps, side=self.side, step_index=self.step_index, motion=motion)
        return say, out

    def motion(self) -> StepMotion | None:
        """How the hands move in this chunk, on its side of the body."""
        t = self.spec.technique
        found = t.motion_on(self.spec.region.id, self.spec.position.view)
        return on_step(found, self.side, t.stroke_rule) if found else None


_UNKNOWN = object()


def _step_fields(spec: StepSpec) -> dict[str, object]:
    """The segment fields every chunk of a step has in common."""
    t = spec.technique
    return dict(
        region=spec.region.id,
        technique=t.id,
        technique_kind=t.kind,
        pressure=spec.pressure,
        position=spec.position.id,
        seconds_per_rep=t.seconds_per_rep,
        min_reps=spec.min_reps,
        max_reps=spec.max_reps,
        max_pressure=spec.max_pressure,
        weight=spec.weight,
        stroke_rule=t.stroke_rule,
        technique_name=t.name_for(spec.region.id),  # as done here: 'Long glide over the hand'
        region_name=spec.region.name,
        role=spec.role,
    )


Row = tuple[float, str, object]


class _Layout:
    """Builds the rows (duration, kind, words, fields) for one set of repetitions."""

    def __init__(self, cursor: Cursor, oil: str = "") -> None:
        self.c = replace(cursor)
        self.oil = oil
        self.rows: list[Row] = []

    def add(self, duration: float, kind: str, say: str | _Chunk, **fields: object) -> None:
        self.rows.append((duration, kind, say if isinstance(say, _Chunk) else (say, fields)))
        c = self.c
        c.t += duration
        c.since_oil += duration
        c.since_checkin = 0.0 if kind == "check-in" else c.since_checkin + duration

    def check_in(
        self,
        next_spec: StepSpec | None = None,
        changed: bool = True,
        then: str = "",
        also: str = "",
    ) -> None:
        """A check-in; before a step, it also says what the step's lead or move would have
        (and `also`, the halfway words, last)."""
        region = next_spec.region if next_spec else None
        if then:
            say = f"{wording.check_in()} {then}"
        else:
            before = next_spec.before if next_spec else ""
            finish = next_spec is not None and next_spec.role == "finish"
            say = wording.check_in(region if changed else None, before, finish)
        say = f"{say} {also}" if also else say
        cautions = next_spec.cautions if next_spec else ()
        fields: dict[str, object] = dict(region=region.id if region else None, cautions=cautions)
        if then and next_spec is not None:
            fields["position"] = next_spec.position.id  # the receiver moves in this pause
        self.add(checkin_slot(say, CHECKIN_S), "check-in", say, **fields)

    def _due(self, pause_s: float, whole: float) -> bool:
        return self.c.since_checkin + pause_s + whole > CHECKIN_EVERY_S

    def before_step(
        self,
        spec: StepSpec,
        whole: float,
        turn: bool = False,
        running: bool = False,
        also: str = "",
    ) -> None:
        """What is said before a step: one pause, a check-in when the step would not fit
        before the next one is due (it then says what the pause would have). A step already
        running when a live change re-fits the rest is not held up for one. `also`: the
        position's halfway words, said last in that pause."""
        moved = self.c.position is not None and spec.position.id != self.c.position
        changed = self.c.region is not None and spec.region.id != self.c.region
        oil_s, also = self._hands_for(spec, also)
        if turn or moved:
            say = " ".join(w for w in (turn_words(spec) if turn else move_words(spec), also) if w)
            if self._due(slot_for(say, POSITION_S) + oil_s, whole):
                self.check_in(spec, then=say)
            else:
                self.move(spec, say, spec.cautions)
        elif changed or spec.before or also:
            lead, lead_s = spec.lead(changed) if changed or spec.before else ("", 0.0)
            if also:
                lead = f"{lead} {also}".strip()
                lead_s = slot_for(lead, ANNOUNCE_S)
            if self._due(lead_s + oil_s, whole):
                self.check_in(spec if changed or spec.before else None, changed, also=also)
            else:
                self.add(lead_s, "announce", lead, region=spec.region.id, cautions=spec.cautions)
        elif not running and self.c.since_checkin > 0 and self._due(0.0, whole):
            self.check_in()
        if (changed or moved) and oil_s:
            say = wording.more_oil(self.oil)
            self.add(slot_for(say, OIL_S), "oil", say)
            self.c.since_oil, self.c.hands = 0.0, "oily"

    def _hands_for(self, spec: StepSpec, also: str) -> tuple[float, str]:
        """The oil cue's slot if oil is due before the step (else 0), and `also` with the
        words to wipe oily hands before the hair or the face."""
        # No oil before a region worked through the towel, nor before the hair or the face:
        # it waits for the next bare region that takes it.
        due_oil = (self.c.since_oil >= OIL_EVERY_S or self.c.hands == "wiped") and not (
            spec.region.through_towel or spec.region.dry_hands
        )
        if spec.region.dry_hands and self.c.hands == "oily":
            also = f"{wording.WIPE_HANDS} {also}".strip()
        return (slot_for(wording.more_oil(self.oil), OIL_S) if due_oil else 0.0), also

    def move(self, spec: StepSpec, say: str, cautions: tuple[str, ...] = ()) -> None:
        """A pause for the receiver to move (a new position, or turning over)."""
        self.add(
            slot_for(say, POSITION_S),
            "announce",
            say,
            region=spec.region.id,
            position=spec.position.id,
            cautions=cautions,
        )

    def step(
        self,
        spec: StepSpec,
        reps: int,
        index: int,
        sides: Sequence[str],
        lead: bool = True,
        turn: bool = False,
        running: bool = False,
        also: str = "",
        under_way: bool = False,
        continues: bool = False,
    ) -> None:
        seconds = spec.technique.seconds_per_rep
        if lead or turn or also:
            self.before_step(spec, seconds * reps * len(sides), turn, running, also)
        for n, side in enumerate(sides):
            going_on = under_way and n == 0
            self._chunks(spec, reps, side, index, seconds, going_on, continues and n == 0)
        self.c.region, self.c.position = spec.region.id, spec.position.id
        if spec.region.dry_hands and self.c.hands != "bare":
            self.c.hands = "wiped"

    def _chunks(
        self,
        spec: StepSpec,
        reps: int,
        side: str,
        index: int,
        seconds: float,
        under_way: bool,
        continues: bool,
    ) -> None:
        remaining, first = reps, True
        opening = min(reps, spec.least_first_reps(side))
        while remaining > 0:
            room = int((CHECKIN_EVERY_S - self.c.since_checkin) // seconds)
            # Split around a check-in only into parts of at least MIN_CHUNK repetitions, and
            # never so soon that the step's introduction would not fit before the check-in.
            least = max(MIN_CHUNK, opening) if first else MIN_CHUNK
            chunk = remaining if remaining <= room else min(room, remaining - MIN_CHUNK)
            if chunk < min(remaining, least):
                # The hands already at it (under way) get no check-in first: like a part fresh
                # from one, it takes what fits.
                if self.c.since_checkin > 0 and not (first and under_way):
                    self.check_in()
                    continue
                chunk = max(1, min(room, remaining))
            intro = reps if first and not continues else None  # a step carried on: no intro
            self.add(chunk * seconds, "step", _Chunk(spec, chunk, side, index, intro))
            remaining -= chunk
            first = False


def lay_out(
    specs: Sequence[StepSpec],
    reps: Sequence[int],
    cursor: Cursor,
    warnings: Sequence[str],
    opening: bool,
    calibrate: bool = False,
    oil: str = "",
) -> list[Row]:
    """Rows for the given repetitions, ending with the still hold and the closing words."""
    layout = _Layout(cursor, oil)
    if opening:
        say, cautions = opening_words(specs, warnings, oil)
        layout.add(slot_for(say, OIL_S), "oil", say, cautions=cautions)
        layout.c.since_oil, layout.c.hands = 0.0, "oily"
    order = step_order(specs, None if opening else cursor.side)
    so_far = HalfwayLead(cursor.position, cursor.region, cursor.worked_s, cursor.halfway_said)
    halves = halfway_marks(specs, reps, order, None if opening else so_far)
    for n, (k, sides, turn) in enumerate(order):
        spec = specs[k]
        running = not opening and n == 0  # a live re-fit starts with the step under way
        under_way = running and cursor.under_way
        lead = not (opening and n == 0) and not under_way
        also = spec.position.halfway if n in halves else ""
        if running and cursor.owed:
            also = f"{cursor.owed} {also}".strip()
        args = (sides, lead, turn, running, also, under_way, under_way and cursor.continues)
        layout.step(spec, reps[k], cursor.step_index + k, *args)
        if calibrate and n == 0:
            say = calibration_words(specs, spec)
            layout.add(slot_for(say, CALIBRATE_S), "calibrate", say, region=spec.region.id)
    last = specs[-1] if specs else None
    if last is not None:
        say = hold_words(last)
        layout.add(slot_for(say, HOLD_S), "hold", say, region=last.region.id)
    say = closing_words(specs, cursor.rising)
    layout.add(slot_for(say, CLOSING_S), "closing", say)
    return layout.rows


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
    if kind not in ("check-in", "closing") or isinstance(payload, _Chunk):
        return None
    say = payload[0]  # type: ignore[index]
    if kind == "closing":
        low, high = closing
        floor = slot_for(str(say), low)
    else:
        low, high = CHECKIN_FLEX
        floor = checkin_slot(str(say), low)
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
        if isinstance(payload, _Chunk):
            say, fields = payload.fields()
        else:
            say, fields = payload  # type: ignore[misc]
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
        specs = caps.first_step_before_checkin(specs, CHECKIN_EVERY_S - slot_for(say, OIL_S))
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
