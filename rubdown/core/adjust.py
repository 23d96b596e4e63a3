"""Live changes during a session (lighter, firmer, more time, skip, back), ending on time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from rubdown.core import wording
from rubdown.core.guidance import heard_in_full
from rubdown.core.models import FRAMES, Catalogue, Plan, Segment
from rubdown.core.passes import step_groups
from rubdown.core.refit import refit_after, region_time_left, specs_from_segments, step_spec
from rubdown.core.stepspec import StepSpec

MORE_TIME_S = 45.0
RAMP = 2
LIGHT_END = 3
FRAME_PRESSURE = 2
STAYS_SHORT = "This area stays short today, as the conditions require."
ENDING = {("step", "finish"), ("hold", None)}
# What a skipped pause is called in the note the giver sees and hears.
PAUSE_NAMES = {
    "announce": "the words before the next step",
    "check-in": "the check-in",
    "oil": "the oil pause",
    "hold": "the still hold",
    "calibrate": "the pressure check",
    "closing": "the closing words",
}
FRAME_NAMES = {"opening": "opening glides", "finish": "finishing glides"}
NEXT_STEP = "Next step."  # the giver's "next": also a control phrase, said at once
FINISH_SKIPPED = "Skipped the finishing glides: the still hold and the closing come now."
NO_TIME_TO_GO_BACK = "Too little time is left to go back: the session ends as planned."


def _with_note(plan: Plan, note: str) -> Plan:
    return replace(plan, notes=(*plan.notes, note))


def _step_indices(segments: list[Segment]) -> list[int]:
    return [i for i, s in enumerate(segments) if s.kind == "step" and s.pressure is not None]


@dataclass(frozen=True)
class PressureBounds:
    """What bounds a new pressure at one step: its own cap, and RAMP above the step before it
    while that step is still to come (once done, the hands are already warm there)."""

    cap: int
    beside: tuple[int, ...]  # the segment index of the step just before (none for the first)
    ramp: int = RAMP


def pressure_bounds(segments: Sequence[Segment], steps: list[int], k: int) -> PressureBounds:
    """The bounds of the k-th step: its top (1-2 for the framing glides, light at the end) and
    the step before it. The step after does not bound it: easing off into a lighter stroke
    after firm work is how an area is finished, not a jump."""
    seg = segments[steps[k]]
    cap = seg.max_pressure or seg.pressure or 1
    if seg.role in FRAMES:
        cap = min(cap, FRAME_PRESSURE)  # the spreading and joining glides stay at 1-2
    elif seg.step_index == segments[steps[-1]].step_index:
        cap = min(cap, LIGHT_END)
    return PressureBounds(cap, (steps[k - 1],) if k > 0 else ())


def bounded(
    segments: Sequence[Segment], bounds: PressureBounds, wanted: int, pressed: int = 0
) -> int:
    """A wanted pressure within bounds, against the step before it as it is now, unless that
    step comes before the `pressed` segment (done: the step under way has warmed the area
    since). Lighter is free."""
    value = min(max(wanted, 1), bounds.cap)
    for j in bounds.beside:
        if j >= pressed:
            value = min(value, (segments[j].pressure or 1) + bounds.ramp)
    return value


def step_bounds(plan: Plan, index: int) -> PressureBounds | None:
    """The pressure bounds of the step at segment index (None: no pressure there)."""
    steps = _step_indices(list(plan.segments))
    return pressure_bounds(plan.segments, steps, steps.index(index)) if index in steps else None


def change_pressure(plan: Plan, index: int, delta: int) -> tuple[Plan, str]:
    """Lighter (-1) or firmer (+1) for this and later steps on the same region, within limits."""
    current = plan.segments[index]
    if current.kind != "step" or current.region is None:
        return plan, "Nothing to change here: this is a pause between steps."
    segments = list(plan.segments)
    steps = _step_indices(segments)
    for k, i in enumerate(steps):
        seg = segments[i]
        if i < index or seg.region != current.region or seg.pressure is None:
            continue
        # In order, so each step is bounded by the step before as already changed (the JS too).
        bounds = pressure_bounds(segments, steps, k)
        value = bounded(segments, bounds, seg.pressure + delta, index)
        # A step held where it was still loses "a little firmer" than one that moved.
        if value != seg.pressure or segments[index] is not current:
            say = wording.at_new_pressure(seg.say, seg.pressure, value)
            segments[i] = replace(seg, pressure=value, say=say)
    where = (current.region_name or current.region).lower()
    if segments[index].pressure == current.pressure:
        limit = "the lightest touch" if delta < 0 else "the safe limit for now"
        return plan, f"Already at {limit} on the {where}."
    word = "Lighter" if delta < 0 else "Firmer"
    note = f"{word} on the {where}: pressure {segments[index].pressure} from now on."
    return _with_note(replace(plan, segments=tuple(segments)), note), note


def pressure_limits(plan: Plan, index: int) -> tuple[int, int] | None:
    """The lightest and firmest pressure presses at this step alone reach, under every rule."""
    seg = plan.segments[index]
    if seg.kind != "step" or seg.pressure is None or seg.region is None:
        return None
    ends = []
    for delta in (-1, 1):
        current = plan
        for _ in range(10):  # pressures run 1 to 10: ten presses reach any limit
            new, _note = change_pressure(current, index, delta)
            if new is current:
                break
            current = new
        ends.append(current.segments[index].pressure or seg.pressure)
    return ends[0], ends[1]


def more_time(
    plan: Plan, cat: Catalogue, index: int, extra_s: float = MORE_TIME_S
) -> tuple[Plan, str]:
    """Extend the current step; later steps shrink so the session still ends on time."""
    seg = plan.segments[index]
    if seg.kind != "step" or not seg.seconds_per_rep:
        return plan, "More time works during a step."
    extra = max(1, round(extra_s / seg.seconds_per_rep))
    groups = step_groups(cat, plan.segments[index:])
    specs = [step_spec(cat, group) for group in groups]
    # The current step: first done, though in a turning position not always first listed.
    at = next(k for k, group in enumerate(groups) if group[0].step_index == seg.step_index)
    here = specs[at]
    left = region_time_left(plan, cat, list(plan.segments[:index])).get(seg.region or "")
    if left is not None:
        # A region a condition keeps short gets no more than its limit, even when asked.
        room = int(left // (seg.seconds_per_rep * here.sides)) - here.default_reps
        extra = min(extra, room)
        if extra <= 0:
            return plan, STAYS_SHORT
    done = list(plan.segments[:index])
    # More on a step's later part (after a check-in): it carries on, not begun again.
    begun = at == 0 and any(
        s.kind == "step" and (s.step_index, s.side) == (seg.step_index, seg.side) for s in done
    )
    for more in _fewer(extra):
        reps = here.default_reps + more
        # Exactly that many: the note says how many more, and the rest takes up any spare time.
        specs[at] = replace(here, min_reps=reps, default_reps=reps, max_reps=reps)
        new = refit_after(plan, cat, done, specs, keep=at, under_way=True, continues=begun)
        # The re-fit must go on with this step and still end as planned, finish and all.
        if _next_step_is(new.segments[index:], here) and _ends_whole(plan, new, index):
            break
    else:
        return plan, "No spare time is left to add here."
    extra = more
    # The opening and finish glide over the whole back: not the one region they are filed under.
    where = FRAME_NAMES.get(seg.role or "") or (seg.region_name or seg.region or "").lower()
    note = f"More time on the {where}: {extra} more stroke{'s' * (extra > 1)}; the rest re-fitted."
    return _with_note(new, note), note


def _fewer(extra: int) -> list[int]:
    """The extra strokes to try, the asked-for count first: fewer may fit where it does not."""
    return sorted({extra, (extra * 2) // 3, extra // 2, extra // 3, 1} - {0}, reverse=True)


def _ends_whole(plan: Plan, new: Plan, index: int) -> bool:
    """Whether the re-fit keeps the plan's ending from index: its finishing glides and still
    hold still to come, and the closing given time for its words."""
    kinds = {(s.kind, s.role) for s in plan.segments[index + 1 :]}
    after = {(s.kind, s.role) for s in new.segments[index + 1 :]}
    return kinds & ENDING <= after and heard_in_full(new.segments[-1])


def _what(seg: Segment) -> str:
    """A segment as a note names it: the stroke (in lower case, mid-sentence) or the pause."""
    name = seg.technique_name or seg.technique
    if seg.kind == "step" and name:
        return name[0].lower() + name[1:]
    return PAUSE_NAMES.get(seg.kind, f"the {seg.kind}")


def _cut(seg: Segment, now_s: float) -> list[Segment]:
    """The part of a segment already done at now_s (nothing if it had hardly started)."""
    elapsed = now_s - seg.start_s
    if seg.kind == "oil":
        # Skipped at once, the oil still counts as done: skipping means the hands are ready.
        return [replace(seg, duration_s=round(max(elapsed, 0.001), 3))]
    if elapsed <= 0.5:
        return []
    reps = int(elapsed // seg.seconds_per_rep) if seg.seconds_per_rep else seg.reps
    return [replace(seg, duration_s=round(elapsed, 3), reps=reps)]


def _left_of(seg: Segment, now_s: float) -> list[Segment]:
    """What is still to do of a step's part at now_s, its count capped there (nothing when
    its strokes are done); any other segment whole."""
    if seg.kind != "step" or not seg.reps:
        return [seg]
    cut = _cut(seg, now_s)
    left = seg.reps - (cut[0].reps or 0 if cut else 0)
    if left <= 0:
        return []
    return [replace(seg, reps=left, max_reps=left, min_reps=min(seg.min_reps or left, left))]


def _same_pass(cat: Catalogue, seg: Segment, step: Segment, side_only: bool = False) -> bool:
    """Whether seg is part of step's pass: the same step, on the same side when lying on it
    (or when `side_only`)."""
    turns = step.position in cat.positions and cat.positions[step.position or ""].turns
    return seg.step_index == step.step_index and (not (turns or side_only) or seg.side == step.side)


def skip(
    plan: Plan, cat: Catalogue, index: int, now_s: float, side_only: bool = False
) -> tuple[Plan, str]:
    """Stop the current step now; the time it frees goes to the steps still to come.
    `side_only` (the giver's "next": this side is done): the other side is still done."""
    seg = plan.segments[index]
    done = [*plan.segments[:index], *_cut(seg, now_s)]
    # Lying on one side, only this side's pass is skipped: the other side comes after the turn.
    rest = [
        s
        for s in plan.segments[index + 1 :]
        if seg.kind != "step" or not _same_pass(cat, s, seg, side_only)
    ]
    # Lying on one side, the first side's finish is followed by the turn, not the hold.
    last_finish = seg.role == "finish" and not any(s.kind == "step" for s in rest)
    note = FINISH_SKIPPED if last_finish else f"Skipped {_what(seg)}."
    note = NEXT_STEP if side_only else note
    new = refit_after(plan, cat, done, specs_from_segments(cat, rest), hold=seg.kind != "hold")
    return _with_note(new, note), note


def _previous_step(cat: Catalogue, upto: Sequence[Segment]) -> Segment | None:
    """The step done before the last segment's (on the side lying up, in a turning position)."""
    steps = [s for s in upto if s.kind == "step" and s.step_index is not None]
    if not steps:
        return None
    now = steps[-1] if upto[-1].kind == "step" else None
    turns = cat.positions[steps[-1].position or ""].turns
    side = steps[-1].side
    # Not a part of the current step, nor (re-fits renumber steps) anything before the turn.
    return next(
        (
            s
            for s in reversed(steps)
            if (now is None or s.step_index != now.step_index) and (not turns or s.side == side)
        ),
        None,
    )


def back(plan: Plan, cat: Catalogue, index: int, now_s: float) -> tuple[Plan, str]:
    """Go back to the previous step and do it again; the rest re-fits to end on time."""
    seg = plan.segments[index]
    target = _previous_step(cat, plan.segments[: index + 1])
    if target is None:
        return plan, "This is the first step: nothing to go back to."
    # Lying on one side, the step is done again on that side only: the other comes after the turn.
    again = [s for s in plan.segments if _same_pass(cat, s, target)]
    done = [*plan.segments[:index], *_cut(seg, now_s)]
    first = specs_from_segments(cat, again)
    left = region_time_left(plan, cat, done).get(first[0].region.id)
    if left is not None and left < first[0].technique.seconds_per_rep * first[0].sides:
        return plan, STAYS_SHORT  # not one more stroke fits there under the conditions
    # The step under way goes on afterwards with the strokes it had left, not begun again.
    rest = [*_left_of(seg, now_s), *plan.segments[index + 1 :]]
    new = _again(plan, cat, done, first, specs_from_segments(cat, rest))
    if new is None:
        return plan, NO_TIME_TO_GO_BACK  # what is left is the finish, kept whole
    note = f"Back to {_what(again[0])}."
    return _with_note(new, note), note


def _again(
    plan: Plan, cat: Catalogue, done: list[Segment], first: list[StepSpec], rest: list[StepSpec]
) -> Plan | None:
    """The plan re-fitted with the first specs done again next, shorter if that is what fits;
    None when not even half of it fits before the finish."""
    short = [replace(s, min_reps=max(1, s.min_reps // 2)) for s in first]
    for repeat in (first, short):
        # The step asked for again is the one a re-fit must not drop to make room.
        new = refit_after(plan, cat, done, [*repeat, *rest], keep=0)
        if _next_step_is(new.segments[len(done) :], first[0]):
            return new
    return None


def _next_step_is(segments: Sequence[Segment], spec: StepSpec) -> bool:
    """Whether the first step among segments is spec's technique on spec's region."""
    step = next((s for s in segments if s.kind == "step"), None)
    return step is not None and (step.technique, step.region) == (
        spec.technique.id,
        spec.region.id,
    )


CHANGES = ("lighter", "firmer", "more", "skip", "next", "back")


def apply_change(
    plan: Plan, cat: Catalogue, change: str, index: int, now_s: float
) -> tuple[Plan, str]:
    """One live change by name (lighter, firmer, more, skip, next, back) at segment `index`."""
    if change in ("lighter", "firmer"):
        return change_pressure(plan, index, -1 if change == "lighter" else 1)
    if change == "more":
        return more_time(plan, cat, index)
    if change in ("skip", "next"):
        return skip(plan, cat, index, now_s, side_only=change == "next")
    if change == "back":
        return back(plan, cat, index, now_s)
    raise ValueError(f"unknown change '{change}' (choose from: {', '.join(CHANGES)})")
