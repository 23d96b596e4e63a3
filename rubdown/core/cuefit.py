"""Cues that fit their moment: less talking on request, and no cue talking over the next.

Pure functions over cue times and measured speech durations, so every edge (the guide, the
web player, `rubdown cues`) places the same cues at the same times whatever their texts are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from rubdown.core import wording
from rubdown.core.models import Plan, Segment
from rubdown.core.timeline import Cue, build_cues

# Said only when there is room: they never talk over an announcement or an introduction.
OPTIONAL_KINDS = frozenset({"halfway", "last-three"})
# A breath between two cues, so one sentence never runs straight into the next.
GAP_S = 0.4

Seconds = Callable[[str], float]


@dataclass(frozen=True)
class PlacedCue:
    """A cue where it will be spoken: its start, the room until the next cue, its length."""

    at_s: float
    slot_s: float
    seconds: float
    segment: int
    kind: str
    text: str

    @property
    def cue(self) -> Cue:
        """The cue at its placed time."""
        return Cue(self.at_s, self.segment, self.kind, self.text)


def _brief(seg: Segment) -> str | None:
    """The short form of a step's introduction, when the segment has what it needs."""
    if seg.kind != "step" or not seg.region_name or not seg.technique_name or not seg.reps:
        return None
    return wording.step_brief(seg.region_name, seg.side, seg.technique_name, seg.reps)


def less_talking(plan: Plan, cues: Sequence[Cue]) -> list[Cue]:
    """Cues where a technique already introduced once is only named with its area and count."""
    heard: set[str] = set()
    out = []
    for cue in cues:
        seg = plan.segments[cue.segment]
        if cue.kind == "intro" and seg.kind == "step" and seg.technique:
            brief = _brief(seg)
            # A step carried on after a check-in keeps its own short "carry on" sentence.
            starts_step = seg.step_index is None or not _carries_on(plan, cue.segment)
            # An intro already short (the second side: "the same again") stays as it is.
            short = brief is not None and len(brief) < len(cue.text) / 2
            if brief is not None and short and starts_step and seg.technique in heard:
                cue = replace(cue, text=brief)
            heard.add(seg.technique)
        out.append(cue)
    return out


def _carries_on(plan: Plan, index: int) -> bool:
    """Whether a step segment continues the same step as an earlier segment."""
    seg = plan.segments[index]
    return any(
        s.kind == "step" and s.step_index == seg.step_index and s.side == seg.side
        for s in plan.segments[:index]
    )


def fit_cues(
    cues: Sequence[Cue], seconds: Seconds, end_s: float, gap_s: float = GAP_S
) -> list[PlacedCue]:
    """Place cues so none overruns the next: optional ones that would clash are left out, and
    an announcement that would start while the one before is still speaking waits for it."""
    ordered = sorted(cues)
    majors = [c.at_s for c in ordered if c.kind not in OPTIONAL_KINDS]
    kept: list[tuple[float, float, Cue]] = []
    free_at = float("-inf")
    for cue in ordered:
        length = max(0.0, seconds(cue.text))
        if cue.kind in OPTIONAL_KINDS:
            next_major = next((t for t in majors if t > cue.at_s), end_s)
            if cue.at_s < free_at or cue.at_s + length + gap_s > next_major:
                continue
        start = max(cue.at_s, free_at)
        kept.append((start, length, cue))
        free_at = start + length + gap_s
    placed = []
    for i, (start, length, cue) in enumerate(kept):
        following = kept[i + 1][0] if i + 1 < len(kept) else end_s
        placed.append(
            PlacedCue(
                round(start, 3),
                round(following - start, 3),
                length,
                cue.segment,
                cue.kind,
                cue.text,
            )
        )
    return placed


def overruns(placed: Sequence[PlacedCue]) -> list[PlacedCue]:
    """The cues that would still be speaking when the next one starts."""
    return [c for c in placed if c.seconds > c.slot_s + 1e-6]


def plan_cues(plan: Plan, *, less: bool = False, seconds: Seconds | None = None) -> list[Cue]:
    """The cues of a plan as they will be spoken: shortened on request, fitted when durations
    are known (without them, every cue of the timeline at its own time)."""
    cues = build_cues(plan)
    if less:
        cues = less_talking(plan, cues)
    if seconds is None:
        return cues
    return [p.cue for p in fit_cues(cues, seconds, plan.total_seconds)]


def placed_cues(plan: Plan, seconds: Seconds, *, less: bool = False) -> list[PlacedCue]:
    """The plan's cues placed with their measured durations (what `rubdown cues` writes)."""
    cues = less_talking(plan, build_cues(plan)) if less else build_cues(plan)
    return fit_cues(cues, seconds, plan.total_seconds)


def spoken(plan: Plan, *, less: bool = False) -> list[str]:
    """Every distinct sentence the plan may speak, in the order it is first spoken."""
    cues = less_talking(plan, build_cues(plan)) if less else build_cues(plan)
    return list(dict.fromkeys(c.text for c in cues))


def speaking_at(placed: Sequence[PlacedCue], clock_s: float) -> PlacedCue | None:
    """The cue being spoken at a time on the session clock, if any (voice commands ignore it)."""
    found = [c for c in placed if c.at_s <= clock_s < c.at_s + c.seconds]
    return found[-1] if found else None
