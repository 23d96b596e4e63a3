"""Absolute-time scheduling of a plan's segment starts, spoken cues and rhythm ticks.

Every event is due at ``origin + at_s / speed`` on a monotonic clock, where ``origin`` is the
monotonic time of session second 0. Nothing is ever scheduled relative to the previous event,
so lateness in handling one event never pushes the next one back: the session cannot drift.
Pausing and jumping move the origin; adjusting the plan swaps the events still to come.
The scheduler never sleeps and does no I/O: the caller sleeps until ``next_due()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from rubdown.core.models import Plan, Segment
from rubdown.core.timeline import Cue, index_at, next_step, segment_cues, segment_ticks

SEGMENT, CUE, TICK, END = "segment", "cue", "tick", "end"
# At one instant: start the segment, then speak, then tick; the end comes last.
RANK = {SEGMENT: 0, CUE: 1, TICK: 2, END: 3}
# adjust.skip/back cut the running segment at "now" rounded to the millisecond.
EPS = 0.01

Clock = Callable[[], float]
# Turns a plan into the cues actually spoken (less talking, fitted to measured durations).
CueSource = Callable[[Plan], list[Cue]]


@dataclass(frozen=True, order=True)
class Due:
    """One scheduled event: at_s on the session clock; text for cues, name = cue or tick kind."""

    at_s: float
    rank: int
    segment: int
    kind: str = field(compare=False)
    name: str = field(default="", compare=False)
    text: str = field(default="", compare=False)


def segment_events(
    plan: Plan, index: int, ticks: bool = True, spoken: list[Cue] | None = None
) -> list[Due]:
    """The start, cues and (optionally) ticks of one segment; `spoken` are the plan's cues."""
    seg = plan.segments[index]
    events = [Due(seg.start_s, RANK[SEGMENT], index, SEGMENT)]
    if spoken is None:
        following = next_step(plan, index) if seg.kind == "step" else None
        cues = segment_cues(index, seg, following)
    else:
        cues = [c for c in spoken if c.segment == index]
    events += [Due(c.at_s, RANK[CUE], index, CUE, c.kind, c.text) for c in cues]
    if ticks:
        events += [Due(t.at_s, RANK[TICK], index, TICK, t.kind) for t in segment_ticks(seg)]
    return events


def end_event(plan: Plan) -> Due:
    """The end of the session."""
    return Due(plan.total_seconds, RANK[END], len(plan.segments), END)


def plan_events(plan: Plan, ticks: bool = True) -> list[Due]:
    """Every event of the plan in the order it happens."""
    events = [e for i in range(len(plan.segments)) for e in segment_events(plan, i, ticks)]
    return sorted([*events, end_event(plan)])


def identity(seg: Segment) -> tuple[object, ...]:
    """What makes a segment the same step across an adjustment (pressure, length may change).
    Not its step number: a re-fit may renumber the step under way, which is still the same."""
    return (seg.start_s, seg.kind, seg.technique, seg.region, seg.side)


class CueScheduler:
    """Yields a plan's due events against absolute monotonic times, at any speed."""

    def __init__(
        self,
        plan: Plan,
        clock: Clock,
        speed: float = 1.0,
        *,
        ticks: bool = True,
        cues: CueSource | None = None,
    ):
        if not speed > 0:
            raise ValueError(f"speed must be positive, not {speed}")
        self.plan, self.clock, self.speed, self.ticks = plan, clock, float(speed), ticks
        self.cue_source = cues
        self._spoken: list[Cue] | None = None
        self.origin: float | None = None
        self.current: int | None = None
        self._paused_at: float | None = None
        self._queue: list[Due] = []
        self._next = 0
        self._said: set[str] = set()

    def start(self, at_s: float = 0.0) -> None:
        """Start the session clock at at_s; the segment running then is (re)announced."""
        self.origin = self.clock() - at_s / self.speed
        self._paused_at = None
        self._load(at_s, entering=True)

    @property
    def paused(self) -> bool:
        """Whether the session clock is stopped."""
        return self._paused_at is not None

    @property
    def finished(self) -> bool:
        """Whether every event, the end included, has been handed out."""
        return self.origin is not None and self._next >= len(self._queue)

    @property
    def position_s(self) -> float:
        """The session clock now (stopped while paused)."""
        if self.origin is None:
            return 0.0
        if self._paused_at is not None:
            return self._paused_at
        return (self.clock() - self.origin) * self.speed

    def due_time(self, event: Due) -> float:
        """The monotonic time an event is due."""
        assert self.origin is not None, "start() the scheduler first"
        return self.origin + event.at_s / self.speed

    def next_due(self) -> float | None:
        """When the next event is due, or None if paused, not started or finished."""
        if self.origin is None or self.paused or self.finished:
            return None
        return self.due_time(self._queue[self._next])

    def pop_due(self) -> list[Due]:
        """Every event due by now, in order; nothing while paused."""
        if self.origin is None or self.paused:
            return []
        now, out = self.clock(), []
        while self._next < len(self._queue) and self.due_time(self._queue[self._next]) <= now:
            event = self._queue[self._next]
            self._next += 1
            if event.kind == SEGMENT:
                self.current, self._said = event.segment, set()
            elif event.kind == CUE:
                self._said.add(event.name)
            out.append(event)
        return out

    def pause(self) -> None:
        """Stop the session clock."""
        if not self.paused and self.origin is not None:
            self._paused_at = self.position_s

    def resume(self) -> None:
        """Restart the session clock where it stopped, by moving the origin."""
        if self._paused_at is not None:
            self.origin = self.clock() - self._paused_at / self.speed
            self._paused_at = None

    def jump(self, index: int) -> None:
        """Move the session clock to the start of segment index (len(segments): the end)."""
        segs = self.plan.segments
        at_s = segs[index].start_s if index < len(segs) else self.plan.total_seconds
        if self._paused_at is not None:
            self._paused_at = at_s
        else:
            self.origin = self.clock() - at_s / self.speed
        self._load(at_s, entering=True)

    def replace_plan(self, plan: Plan) -> None:
        """Swap in an adjusted plan, keeping the clock; a changed current segment starts anew."""
        now = self.position_s
        old = self.plan.segments[self.current] if self.current is not None else None
        self.plan = plan
        index = index_at(plan, now)
        fresh = (
            old is None
            or index >= len(plan.segments)
            or identity(plan.segments[index]) != identity(old)
        )
        self._load(now, entering=fresh)

    def _load(self, at_s: float, entering: bool) -> None:
        """Queue what is still to come from at_s: the rest of this segment, then later ones."""
        plan, index = self.plan, index_at(self.plan, at_s)
        self._spoken = self.cue_source(plan) if self.cue_source is not None else None
        events = [end_event(plan)]
        if index < len(plan.segments):
            events += self._current_events(index, at_s, entering)
            for later in range(index + 1, len(plan.segments)):
                events += segment_events(plan, later, self.ticks, self._spoken)
        if entering:
            self.current, self._said = None, set()
        self._queue, self._next = sorted(events), 0

    def _current_events(self, index: int, at_s: float, entering: bool) -> list[Due]:
        """The running segment's remaining events; its start and intro again if it is new here."""
        keep = []
        for event in segment_events(self.plan, index, self.ticks, self._spoken):
            if event.kind == SEGMENT or (event.kind == CUE and event.name == "intro"):
                # Entering mid-segment (resume, re-fit): announce it now, not in the past.
                if entering:
                    keep.append(replace(event, at_s=max(event.at_s, at_s)))
                continue
            elif event.kind == CUE:
                wanted = event.at_s >= at_s and (entering or event.name not in self._said)
            else:
                wanted = event.at_s > at_s or (entering and event.at_s == at_s)
            if wanted:
                keep.append(event)
        return keep
