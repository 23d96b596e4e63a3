"""Laying steps out on the clock with check-ins, announcements and oil, fitted to a window."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rubdown.core import wording
from rubdown.core.fitting import Slot, capacity, solve_reps
from rubdown.core.models import PlanError, Position, Region, Segment, Technique
from rubdown.core.motion import StepMotion, on_step

CHECKIN_EVERY_S = 295.0  # the brief says every 5 minutes; 5 s of margin for rounding
CHECKIN_S, CHECKIN_FLEX = 12.0, (10.0, 24.0)
CLOSING_S, CLOSING_FLEX = 30.0, (20.0, 60.0)
ANNOUNCE_S, POSITION_S, OIL_S = 6.0, 20.0, 8.0
OIL_EVERY_S = 600.0
FIT_TOLERANCE_S = 10.0
MIN_CHUNK = 3
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

    @property
    def sides(self) -> int:
        """Two for techniques done on each side in turn, or in a position worked side by side."""
        if self.only_side is not None:
            return 1
        return 2 if self.technique.per_side or self.position.turns else 1

    def slot(self) -> Slot:
        """The step as the solver sees it."""
        return Slot(
            self.technique.seconds_per_rep * self.sides,
            self.min_reps,
            self.max_reps,
            self.default_reps,
            self.weight,
        )


@dataclass
class Cursor:
    """Where the layout stands: clock, time since the last check-in and oil, last place."""

    t: float = 0.0
    since_checkin: float = 0.0
    since_oil: float = 0.0
    region: str | None = None
    position: str | None = None
    step_index: int = 0


@dataclass(frozen=True)
class _Chunk:
    """A run of repetitions of one step, turned into a Segment only once the fit is final."""

    spec: StepSpec
    reps: int
    side: str
    index: int
    intro_reps: int | None  # the whole step's count on its first chunk, else None

    def fields(self) -> tuple[str, dict[str, object]]:
        spec, t = self.spec, self.spec.technique
        say = (
            wording.step_intro(t, spec.region, self.intro_reps, spec.pressure, self.side)
            if self.intro_reps is not None
            else wording.step_continue(t, self.reps)
        )
        return say, dict(
            region=spec.region.id,
            technique=t.id,
            technique_kind=t.kind,
            pressure=spec.pressure,
            reps=self.reps,
            side=self.side,
            position=spec.position.id,
            seconds_per_rep=t.seconds_per_rep,
            min_reps=spec.min_reps,
            max_reps=spec.max_reps,
            max_pressure=spec.max_pressure,
            weight=spec.weight,
            step_index=self.index,
            stroke_rule=t.stroke_rule,
            technique_name=t.name,
            region_name=spec.region.name,
            motion=self.motion(),
        )

    def motion(self) -> StepMotion | None:
        """How the hands move in this chunk, on its side of the body."""
        t = self.spec.technique
        found = t.motion_on(self.spec.region.id, self.spec.position.view)
        return on_step(found, self.side, t.stroke_rule) if found else None


Row = tuple[float, str, object]


class _Layout:
    """Builds the rows (duration, kind, words, fields) for one set of repetitions."""

    def __init__(self, cursor: Cursor, warnings: Sequence[str], oil: str = "") -> None:
        self.c = replace(cursor)
        self.warnings = tuple(warnings)
        self.oil = oil
        self.rows: list[Row] = []

    def add(self, duration: float, kind: str, say: str | _Chunk, **fields: object) -> None:
        self.rows.append((duration, kind, say if isinstance(say, _Chunk) else (say, fields)))
        self.c.t += duration
        self.c.since_oil += duration
        self.c.since_checkin = 0.0 if kind == "check-in" else self.c.since_checkin + duration

    def check_in(self, next_region: Region | None = None) -> None:
        region = next_region.id if next_region else None
        # Safety warnings are said in full at the first check-in, not repeated at every one.
        say = wording.check_in(self.warnings, next_region)
        self.warnings = ()
        self.add(CHECKIN_S, "check-in", say, region=region)

    def before_step(self, spec: StepSpec, first_chunk: float) -> None:
        moved = self.c.position is not None and spec.position.id != self.c.position
        changed = self.c.region is not None and spec.region.id != self.c.region
        oil_due = self.c.since_oil >= OIL_EVERY_S
        need = (POSITION_S if moved else ANNOUNCE_S) + (OIL_S if oil_due else 0.0)
        if moved:
            if self.c.since_checkin + need + first_chunk > CHECKIN_EVERY_S:
                self.check_in()
            self.move(spec, wording.change_position(spec.position))
        elif changed and self.c.since_checkin + need + first_chunk > CHECKIN_EVERY_S:
            self.check_in(spec.region)
        elif changed:
            self.add(ANNOUNCE_S, "announce", wording.announce(spec.region), region=spec.region.id)
        if (changed or moved) and oil_due:
            self.add(OIL_S, "oil", wording.more_oil(self.oil))
            self.c.since_oil = 0.0

    def turn(self, spec: StepSpec) -> None:
        """The receiver turns over: a cued pause, then the same work on the other side."""
        if self.c.since_checkin + POSITION_S + spec.technique.seconds_per_rep > CHECKIN_EVERY_S:
            self.check_in()
        self.move(spec, wording.turn_over(spec.position))
        self.c.region, self.c.position = spec.region.id, spec.position.id

    def move(self, spec: StepSpec, say: str) -> None:
        """A pause for the receiver to move (a new position, or turning over)."""
        self.add(POSITION_S, "announce", say, region=spec.region.id, position=spec.position.id)

    def step(self, spec: StepSpec, reps: int, index: int, sides: Sequence[str]) -> None:
        seconds = spec.technique.seconds_per_rep
        self.before_step(spec, seconds * min(reps, 3))
        for side in sides:
            self._chunks(spec, reps, side, index, seconds)
        self.c.region, self.c.position = spec.region.id, spec.position.id

    def _chunks(self, spec: StepSpec, reps: int, side: str, index: int, seconds: float) -> None:
        remaining, first = reps, True
        while remaining > 0:
            room = int((CHECKIN_EVERY_S - self.c.since_checkin) // seconds)
            # Split around a check-in only into parts of at least MIN_CHUNK repetitions.
            chunk = remaining if remaining <= room else min(room, remaining - MIN_CHUNK)
            if chunk < min(remaining, MIN_CHUNK):
                if self.c.since_checkin > 0:
                    self.check_in()
                    continue
                chunk = max(1, min(room, remaining))  # fresh from a check-in: take what fits
            self.add(
                chunk * seconds, "step", _Chunk(spec, chunk, side, index, reps if first else None)
            )
            remaining -= chunk
            first = False


Order = list[tuple[int, tuple[str, ...], bool]]


def _turning_block(specs: Sequence[StepSpec], block: range) -> Order:
    """A position worked one side at a time: every step on one side, a turn, then the other."""
    first, second = TURN_SIDES
    one = [k for k in block if specs[k].only_side in (None, first)]
    two = [k for k in block if specs[k].only_side in (None, second)]
    out: Order = [(k, (first,), False) for k in one]
    return out + [(k, (second,), n == 0 and bool(one)) for n, k in enumerate(two)]


def step_order(specs: Sequence[StepSpec]) -> Order:
    """(step, sides to do, whether the receiver turns over first) in the order they are done."""
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
                out.append((k, ("left", "right") if both else ("both",), False))
        i = j
    return out


def lay_out(
    specs: Sequence[StepSpec],
    reps: Sequence[int],
    cursor: Cursor,
    warnings: Sequence[str],
    opening: bool,
    oil: str = "",
) -> list[Row]:
    """Rows for the given repetitions, ending with the closing pause."""
    layout = _Layout(cursor, warnings, oil)
    if opening:
        layout.add(OIL_S, "oil", wording.opening_oil(oil))
        layout.c.since_oil = 0.0
    for k, sides, turn in step_order(specs):
        if turn:
            layout.turn(specs[k])
        layout.step(specs[k], reps[k], cursor.step_index + k, sides)
    layout.add(CLOSING_S, "closing", wording.closing(layout.c.position))
    return layout.rows


def _total(rows: Sequence[Row]) -> float:
    return sum(r[0] for r in rows)


class TooLittleWork(PlanError):
    """The steps cannot fill the time, even at their most repetitions."""


class TooMuchWork(PlanError):
    """The steps do not fit in the time, even at their fewest repetitions."""


Flex = tuple[float, float]


def _flex_range(rows: Sequence[Row], closing: Flex) -> tuple[float, float]:
    """How many seconds the pauses can give up and take on."""
    checkins = sum(1 for r in rows if r[1] == "check-in")
    down = (CLOSING_S - closing[0]) + checkins * (CHECKIN_S - CHECKIN_FLEX[0])
    up = (closing[1] - CLOSING_S) + checkins * (CHECKIN_FLEX[1] - CHECKIN_S)
    return down, up


def _miss(rows: Sequence[Row], window: float, closing: Flex) -> float:
    """Seconds the pauses cannot absorb: zero when the layout fits exactly after flexing."""
    gap = window - _total(rows)
    down, up = _flex_range(rows, closing)
    return max(0.0, -gap - down, gap - up)


def _flex(rows: list[Row], gap: float, start: float, closing: Flex) -> list[Segment]:
    """Absorb the last seconds of rounding in the closing and check-in pauses, then build."""
    durations = [r[0] for r in rows]
    flexible = [(len(rows) - 1, closing)] + [
        (i, CHECKIN_FLEX) for i, r in enumerate(rows) if r[1] == "check-in"
    ]
    for i, (low, high) in flexible:
        if abs(gap) < 1e-9:
            break
        new = min(max(durations[i] + gap, low), high)
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
        + (OIL_S if opening else 0.0)
        + moves * ANNOUNCE_S
        + (window // CHECKIN_EVERY_S) * CHECKIN_S
        + (window // OIL_EVERY_S) * OIL_S
    )


def _check_capacity(slots: Sequence[Slot], window: float, overhead: float) -> None:
    low, high = capacity(slots)
    if high + overhead < window - FIT_TOLERANCE_S:
        raise TooLittleWork(
            f"not enough to do for {window / 60:.0f} minutes here: these steps fill "
            f"at most {(high + overhead) / 60:.0f} minutes; ask for fewer minutes, "
            f"another position, or fewer avoided areas"
        )
    if low + overhead > window + FIT_TOLERANCE_S:
        raise TooMuchWork(
            f"these steps need at least {(low + overhead) / 60:.0f} minutes, "
            f"more than the {window / 60:.0f} available; ask for more minutes"
        )


def fit_steps(
    specs: Sequence[StepSpec],
    cursor: Cursor,
    end_s: float,
    warnings: Sequence[str] = (),
    opening: bool = True,
    closing: Flex = CLOSING_FLEX,
    oil: str = "",
) -> list[Segment]:
    """Lay the steps out so the session ends at end_s, solving repetitions by weight."""
    window = end_s - cursor.t
    slots = [s.slot() for s in specs]
    order = step_order(specs)
    done = [specs[k].region.id for k, _, _ in order]
    moves = sum(1 for a, b in itertools.pairwise(done) if a != b)
    turns = sum(1 for _, _, turn in order if turn)
    overhead = estimate_overhead(window, moves, opening) + turns * POSITION_S
    _check_capacity(slots, window, overhead)
    budget = window - overhead
    best = lay_out(specs, solve_reps(slots, budget), cursor, warnings, opening, oil)
    rows = best
    for attempt in range(8):
        miss = _miss(rows, window, closing)
        if miss < _miss(best, window, closing):
            best = rows
        if miss == 0:
            break
        # Check-ins come and go as the budget moves; halve the steps once it starts to swing.
        gap = window - _total(rows)
        budget += gap if attempt < 2 else gap / 2
        rows = lay_out(specs, solve_reps(slots, budget), cursor, warnings, opening, oil)
    fitted = _flex(best, window - _total(best), cursor.t, closing)
    if abs(fitted[-1].end_s - end_s) > FIT_TOLERANCE_S:
        raise PlanError(f"could not fit the steps to {window / 60:.1f} minutes")
    return fitted
