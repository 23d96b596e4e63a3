"""Live changes during a session (lighter, firmer, more time, skip, back), ending on time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from rubdown.core import wording
from rubdown.core.layout import Cursor, TooLittleWork, TooMuchWork, fit_steps
from rubdown.core.models import Catalogue, Plan, PlanError, Position, Region, Segment
from rubdown.core.passes import step_groups
from rubdown.core.pauses import step_order
from rubdown.core.retell import FRAMES, guide_rest
from rubdown.core.safety import safety_limits
from rubdown.core.stepspec import TURN_SIDES, StepSpec

MORE_TIME_S = 45.0
RAMP = 2
LIGHT_END = 3
FRAME_PRESSURE = 2
# Live changes must end exactly when planned, so the closing pause may stretch further.
LIVE_CLOSING = (5.0, 150.0)
STRETCH = 3  # how far past their usual count steps may go when a skip frees a lot of time
STAYS_SHORT = "This area stays short today, as the conditions require."
FRAME_NAMES = {"opening": "opening glides", "finish": "finishing glides"}
FINISH_SKIPPED = "Skipped the finishing glides: the still hold and the closing come now."
NO_TIME_TO_GO_BACK = "Too little time is left to go back: the session ends as planned."


def _with_note(plan: Plan, note: str) -> Plan:
    return replace(plan, notes=(*plan.notes, note))


def _step_indices(segments: list[Segment]) -> list[int]:
    return [i for i, s in enumerate(segments) if s.kind == "step" and s.pressure is not None]


@dataclass(frozen=True)
class PressureBounds:
    """What bounds a new pressure at one step: its own cap, and RAMP above the steps beside it."""

    cap: int
    beside: tuple[int, ...]  # segment indices of the steps just before and after
    ramp: int = RAMP


def pressure_bounds(segments: Sequence[Segment], steps: list[int], k: int) -> PressureBounds:
    """The bounds of the k-th step: its top, 1-2 for the framing glides, light at the end."""
    seg = segments[steps[k]]
    cap = seg.max_pressure or seg.pressure or 1
    if seg.role in ("opening", "finish"):
        cap = min(cap, FRAME_PRESSURE)  # the spreading and joining glides stay at 1-2
    elif seg.step_index == segments[steps[-1]].step_index:
        cap = min(cap, LIGHT_END)
    return PressureBounds(cap, tuple(steps[j] for j in (k - 1, k + 1) if 0 <= j < len(steps)))


def bounded(segments: Sequence[Segment], bounds: PressureBounds, wanted: int) -> int:
    """A wanted pressure within bounds, against the pressures beside it now (lighter is free)."""
    value = min(max(wanted, 1), bounds.cap)
    for j in bounds.beside:
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
        value = bounded(segments, pressure_bounds(segments, steps, k), seg.pressure + delta)
        say = seg.say.replace(f"pressure {seg.pressure} of 10", f"pressure {value} of 10")
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


def _cursor(
    done: list[Segment], specs: Sequence[StepSpec], regions: Mapping[str, Region]
) -> Cursor:
    """Where the layout stands after what is done: the clock, the place, the hands' oil and
    what the regions worked need before the receiver stands."""
    steps = [s.step_index for s in done if s.kind == "step" and s.step_index is not None]
    cursor = Cursor(t=done[-1].end_s if done else 0.0, step_index=max(steps, default=-1) + 1)
    last = next((s for s in reversed(done) if s.kind == "step"), None)
    # A turning position's one-side steps are whole passes, never the rest of the step before.
    half = bool(specs and specs[0].only_side and not specs[0].position.turns and last)
    if half and last is not None and last.step_index is not None:
        here = (specs[0].technique.id, specs[0].region.id)
        if (last.technique, last.region) == here:
            cursor.step_index = last.step_index  # the step goes on with its other side
    for seg in done:
        cursor.since_checkin = (
            0.0 if seg.kind == "check-in" else cursor.since_checkin + seg.duration_s
        )
        cursor.since_oil = 0.0 if seg.kind == "oil" else cursor.since_oil + seg.duration_s
        region = regions.get(seg.region or "") if seg.kind == "step" else None
        if seg.kind == "oil":
            cursor.hands = "oily"
        elif region is not None and region.dry_hands and cursor.hands != "bare":
            cursor.hands = "wiped"
        if region is not None:
            cursor.region, cursor.position, cursor.side = seg.region, seg.position, seg.side
            if region.before_rising and region.before_rising not in cursor.rising:
                cursor.rising = (*cursor.rising, region.before_rising)
        elif seg.region is not None:  # an announcement already said where the hands go next
            cursor.region = seg.region
            cursor.position = seg.position or cursor.position
    position = next((s.position for s in specs if s.position.id == cursor.position), None)
    if position is not None:
        _halfway_so_far(cursor, done, position)
        _turned_since(cursor, done, position)
    return cursor


def _turned_since(cursor: Cursor, done: list[Segment], position: Position) -> None:
    """The receiver already turned over after the last step done: its side is the second."""
    if not position.turns or cursor.side != TURN_SIDES[0]:
        return
    last = max(i for i, s in enumerate(done) if s.kind == "step")
    words = wording.turn_over(position)
    if any(words in s.say for s in done[last + 1 :]):
        cursor.side = TURN_SIDES[1]


def _halfway_so_far(cursor: Cursor, done: list[Segment], position: Position) -> None:
    """How long the hands have worked in the cursor's position, and whether its halfway
    words were said: a re-fit says them once, near half of all the work there."""
    here = [s for s in done if s.kind == "step" and s.position == position.id]
    cursor.worked_s = sum(s.duration_s for s in here)
    words = position.halfway
    cursor.halfway_said = bool(words) and any(words in s.say for s in done)


def specs_from_segments(cat: Catalogue, segments: list[Segment]) -> list[StepSpec]:
    """Step specs for the step segments still to come, one per step (split chunks merged)."""
    return [_spec(cat, group) for group in step_groups(cat, segments)]


def _spec(cat: Catalogue, group: list[Segment]) -> StepSpec:
    """The step spec for one step's segments still to come."""
    first = group[0]
    assert first.technique and first.region and first.position
    reps = max(1, sum(s.reps or 0 for s in group if s.side == first.side))
    position = cat.positions[first.position]
    sides = {s.side for s in group}
    # Half a turning position already done, or the left side of a step done one side after
    # the other: only the side still to come is left for this step.
    half = position.turns or (cat.techniques[first.technique].per_side and first.side == "right")
    only = first.side if half and len(sides) == 1 else None
    low = min(first.min_reps or 1, reps)  # a step already begun may finish short
    high = max(first.max_reps or reps, reps)
    return StepSpec(
        cat.techniques[first.technique],
        cat.regions[first.region],
        cat.positions[first.position],
        first.pressure or 1,
        first.max_pressure or first.pressure or 1,
        low,
        high,
        reps,
        first.weight,
        only,
        first.role or "work",
    )


def region_time_left(plan: Plan, cat: Catalogue, done: list[Segment]) -> dict[str, float]:
    """Seconds still allowed on each region a condition keeps short (a slipped disc's low back)."""
    limits = safety_limits(cat, plan.request.profile)
    opening = next((s.step_index for s in plan.segments if s.kind == "step"), None)
    # Only the opening is left out: the re-fitted finish is a new step, so a finish already
    # done (the first side's, in a turning position) counts like any other work.
    return {
        region: most
        - sum(
            s.duration_s
            for s in done
            if s.kind == "step" and s.region == region and s.step_index != opening
        )
        for region, most in limits.max_seconds.items()
    }


def _before_closing(specs: Sequence[StepSpec]) -> list[int]:
    """The specs' indices in the order the layout starts them (a turning position's list is
    not), but the light closing step, whose pass is the last of all."""
    order = [k for k, _sides, _turn in step_order(specs)]
    return [k for k in dict.fromkeys(order) if k != order[-1]]


def _share(specs: list[StepSpec], seconds: float) -> list[StepSpec]:
    """Caps so the specs' longest layout fits seconds: each its usual count first, in order."""
    per_rep = [s.technique.seconds_per_rep * s.sides for s in specs]
    usual = []
    for spec, each in zip(specs, per_rep, strict=True):
        usual.append(min(spec.default_reps, int(max(seconds, 0.0) // each)))
        seconds -= usual[-1] * each
    out = []
    for spec, each, reps in zip(specs, per_rep, usual, strict=True):
        most = reps + min(spec.max_reps - reps, int(max(seconds, 0.0) // each))
        seconds -= (most - reps) * each
        out.append(
            replace(spec, max_reps=most, min_reps=min(spec.min_reps, most), default_reps=reps)
        )
    return out


def _within(
    specs: list[StepSpec], left: dict[str, float], keep: int | None
) -> tuple[list[StepSpec], int | None]:
    """The specs with the time each short-kept region has left shared out in the order they are
    done; none there: dropped. Also where the spec at `keep` is now."""
    out, order = list(specs), _before_closing(specs)
    for region, seconds in left.items():
        # The closing light step passes over everything, so the limit leaves it out.
        here = [i for i in order if out[i].region.id == region and out[i].role not in FRAMES]
        for i, spec in zip(here, _share([out[i] for i in here], seconds), strict=True):
            out[i] = spec
    return _without(out, {i for i, s in enumerate(out) if s.max_reps <= 0}, keep)


def _without(
    specs: list[StepSpec], gone: set[int], keep: int | None
) -> tuple[list[StepSpec], int | None]:
    """The specs but those at `gone`, and where the spec at `keep` is then (None: gone)."""
    if keep is not None:
        keep = None if keep in gone else keep - sum(1 for i in gone if i < keep)
    return [s for i, s in enumerate(specs) if i not in gone], keep


def _fit_tail(
    plan: Plan,
    cat: Catalogue,
    done: list[Segment],
    specs: list[StepSpec],
    keep: int | None,
    left: dict[str, float],
) -> list[Segment]:
    """Fit the specs after what is done; drop steps if too many, stretch them if too few.
    The spec at `keep` (the step given more time) is never the one dropped."""
    cursor, limits = _cursor(done, specs, cat.regions), safety_limits(cat, plan.request.profile)
    past = specs_from_segments(cat, done)
    specs, keep = _within(specs, left, keep)
    stretched = False
    while True:
        try:
            # Guided anew each try: a caution placed on a step that was dropped moves on.
            guided = guide_rest(cat, plan.request.profile, limits, done, past, specs)
            return _fit_guided(plan, guided, cursor, limits.oil)
        except TooMuchWork:
            # Leave out the least wanted step, never the light one that closes the session.
            droppable = [i for i in _before_closing(specs) if i != keep]
            if not droppable:
                raise
            drop = min(droppable, key=lambda i: (specs[i].weight, -i))
            specs, keep = _without(specs, {drop}, keep)
        except TooLittleWork:
            if stretched or not specs:
                raise
            longer = [replace(s, max_reps=s.max_reps * STRETCH) for s in specs]
            specs, keep = _within(longer, left, keep)
            stretched = True


def _fit_guided(plan: Plan, specs: list[StepSpec], cursor: Cursor, oil: str) -> list[Segment]:
    """The steps laid out from the cursor to the plan's end, or TooMuchWork."""
    end = plan.total_seconds
    tail = fit_steps(
        specs, cursor, end, plan.warnings, opening=False, closing=LIVE_CLOSING, oil=oil
    )
    if tail[-1].end_s - end > tail[-1].duration_s - 1.0:
        raise TooMuchWork("the closing cannot shrink enough to end on time")
    return tail


def refit_after(
    plan: Plan,
    cat: Catalogue,
    done: list[Segment],
    specs: list[StepSpec],
    keep: int | None = None,
    hold: bool = True,
) -> Plan:
    """Keep what is done and fit the steps to come so the plan ends exactly when it would have
    (without the still hold when `hold` is False: it was skipped)."""
    end, start = plan.total_seconds, done[-1].end_s if done else 0.0
    try:
        # No step left (the finish skipped): the plan's own hold and closing words still fit it.
        tail = (
            _fit_tail(plan, cat, done, specs, keep, region_time_left(plan, cat, done))
            if specs
            else _planned_ending(plan, start, hold)
        )
    except PlanError:
        # Not even a stretched step fits what is left: close with the time there is.
        tail = _planned_ending(plan, start, hold)
    closing = tail[-1]
    # Rounding may leave a few seconds over or under; the closing pause takes them exactly.
    exact = round(closing.duration_s + end - closing.end_s, 3)
    if exact >= 1.0:
        tail[-1] = replace(closing, duration_s=exact)
    return replace(plan, segments=(*done, *tail))


def _planned_ending(plan: Plan, start: float, hold: bool = True) -> list[Segment]:
    """The plan's still hold (unless skipped, begun, or no time is left for it) and its
    closing words, from start to the plan's end."""
    end, closing = plan.total_seconds, plan.segments[-1]
    still = next((s for s in plan.segments if s.kind == "hold" and s.start_s >= start), None)
    tail = []
    if hold and still is not None and end - start >= still.duration_s + 1.0:
        tail.append(replace(still, start_s=start))
        start += still.duration_s
    return [*tail, replace(closing, start_s=start, duration_s=max(end - start, 1.0))]


def more_time(
    plan: Plan, cat: Catalogue, index: int, extra_s: float = MORE_TIME_S
) -> tuple[Plan, str]:
    """Extend the current step; later steps shrink so the session still ends on time."""
    seg = plan.segments[index]
    if seg.kind != "step" or not seg.seconds_per_rep:
        return plan, "More time works during a step."
    extra = max(1, round(extra_s / seg.seconds_per_rep))
    groups = step_groups(cat, plan.segments[index:])
    specs = [_spec(cat, group) for group in groups]
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
    reps = here.default_reps + extra
    specs[at] = replace(here, min_reps=reps, default_reps=reps, max_reps=max(here.max_reps, reps))
    new = refit_after(plan, cat, list(plan.segments[:index]), specs, keep=at)
    if not _next_step_is(new.segments[index:], here):  # the re-fit could only close the session
        return plan, "No spare time is left to add here."
    # The opening and finish glide over the whole back: not the one region they are filed under.
    where = FRAME_NAMES.get(seg.role or "") or (seg.region_name or seg.region or "").lower()
    note = f"More time on the {where}: {extra} more strokes; the rest re-fitted."
    return _with_note(new, note), note


def _cut(seg: Segment, now_s: float) -> list[Segment]:
    """The part of a segment already done at now_s (nothing if it had hardly started)."""
    elapsed = now_s - seg.start_s
    if elapsed <= 0.5:
        return []
    reps = int(elapsed // seg.seconds_per_rep) if seg.seconds_per_rep else seg.reps
    return [replace(seg, duration_s=round(elapsed, 3), reps=reps)]


def _same_pass(cat: Catalogue, seg: Segment, step: Segment) -> bool:
    """Whether seg is part of step's pass: the same step, on the same side when lying on it."""
    turns = step.position in cat.positions and cat.positions[step.position or ""].turns
    return seg.step_index == step.step_index and (not turns or seg.side == step.side)


def skip(plan: Plan, cat: Catalogue, index: int, now_s: float) -> tuple[Plan, str]:
    """Stop the current step now; the time it frees goes to the steps still to come."""
    seg = plan.segments[index]
    done = [*plan.segments[:index], *_cut(seg, now_s)]
    # Lying on one side, only this side's pass is skipped: the other side comes after the turn.
    rest = [
        s for s in plan.segments[index + 1 :] if seg.kind != "step" or not _same_pass(cat, s, seg)
    ]
    # Lying on one side, the first side's finish is followed by the turn, not the hold.
    last_finish = seg.role == "finish" and not any(s.kind == "step" for s in rest)
    note = FINISH_SKIPPED if last_finish else f"Skipped {seg.technique_name or seg.kind}."
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
    new = _again(plan, cat, done, first, specs_from_segments(cat, list(plan.segments[index:])))
    if new is None:
        return plan, NO_TIME_TO_GO_BACK  # what is left is the finish, kept whole
    note = f"Back to {again[0].technique_name or again[0].technique}."
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


CHANGES = ("lighter", "firmer", "more", "skip", "back")


def apply_change(
    plan: Plan, cat: Catalogue, change: str, index: int, now_s: float
) -> tuple[Plan, str]:
    """One live change by name (lighter, firmer, more, skip, back) at segment `index`."""
    if change in ("lighter", "firmer"):
        return change_pressure(plan, index, -1 if change == "lighter" else 1)
    if change == "more":
        return more_time(plan, cat, index)
    if change == "skip":
        return skip(plan, cat, index, now_s)
    if change == "back":
        return back(plan, cat, index, now_s)
    raise ValueError(f"unknown change '{change}' (choose from: {', '.join(CHANGES)})")
