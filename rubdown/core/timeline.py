"""The timeline of cues a plan produces: what to say and when, and the rhythm ticks."""

from __future__ import annotations

from dataclasses import dataclass

from rubdown.core import wording
from rubdown.core.models import Plan, Segment
from rubdown.core.motion import FIRM_SHARE

MIN_REPS_FOR_COUNTDOWN = 6
MIN_REPS_FOR_HALFWAY = 10


@dataclass(frozen=True, order=True)
class Cue:
    """Something to say at a time on the session clock."""

    at_s: float
    segment: int
    kind: str  # intro | halfway | last-three
    text: str


@dataclass(frozen=True, order=True)
class Tick:
    """A rhythm pulse: 'down' for the firm stroke, 'up' for the light return."""

    at_s: float
    kind: str


def _continues(seg: Segment, following: Segment | None) -> bool:
    """Whether the next step segment carries on the same step on the same side."""
    return (
        following is not None
        and following.step_index == seg.step_index
        and following.side == seg.side
    )


def segment_cues(index: int, seg: Segment, following: Segment | None = None) -> list[Cue]:
    """A segment's cues: its introduction and, for longer steps, 'halfway' and 'last three'.

    'Last three' only comes on the last part of a step split around a check-in, and
    'halfway' only when it falls well before 'last three'.
    """
    cues = [Cue(seg.start_s, index, "intro", seg.say)]
    if seg.kind != "step" or not seg.seconds_per_rep or not seg.reps:
        return cues
    reps, pace = seg.reps, seg.seconds_per_rep
    if reps >= MIN_REPS_FOR_HALFWAY:
        cues.append(Cue(seg.start_s + (reps // 2) * pace, index, "halfway", wording.halfway()))
    if reps >= MIN_REPS_FOR_COUNTDOWN and not _continues(seg, following):
        cues.append(Cue(seg.start_s + (reps - 3) * pace, index, "last-three", wording.last_three()))
    return cues


def next_step(plan: Plan, index: int) -> Segment | None:
    """The first step segment after segment `index`, if any."""
    return next((s for s in plan.segments[index + 1 :] if s.kind == "step"), None)


def build_cues(plan: Plan) -> list[Cue]:
    """Every spoken cue of the plan, in time order."""
    return sorted(
        c
        for i, seg in enumerate(plan.segments)
        for c in segment_cues(i, seg, next_step(plan, i) if seg.kind == "step" else None)
    )


def segment_ticks(seg: Segment) -> list[Tick]:
    """A 'down' as each repetition's firm part starts and an 'up' as its light part does."""
    if seg.kind != "step" or not seg.seconds_per_rep or not seg.reps:
        return []
    pace, ticks = seg.seconds_per_rep, []
    for rep in range(seg.reps):
        start = seg.start_s + rep * pace
        ticks.append(Tick(start, "down"))
        ticks.append(Tick(start + pace * FIRM_SHARE, "up"))
    return ticks


def build_ticks(plan: Plan) -> list[Tick]:
    """Every rhythm tick of the plan, in time order."""
    return [t for seg in plan.segments for t in segment_ticks(seg)]


def spoken_texts(plan: Plan) -> list[str]:
    """Every distinct sentence the plan will speak, for synthesising ahead of time."""
    return list(dict.fromkeys(c.text for c in build_cues(plan)))


EPS = 1e-9


def index_at(plan: Plan, clock_s: float) -> int:
    """The segment running at clock_s, or len(segments) once the plan is over."""
    for i, seg in enumerate(plan.segments):
        if clock_s + EPS < seg.end_s:
            return i
    return len(plan.segments)


def segment_at(plan: Plan, clock_s: float) -> int:
    """Index of the segment running at a time on the session clock (the last one after the end)."""
    return min(index_at(plan, clock_s), len(plan.segments) - 1)
