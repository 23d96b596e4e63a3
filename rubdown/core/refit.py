"""Fitting the rest of a session again after a live change: where the layout stands after
what is done, the steps still to come as specs, and a fit that ends when the plan did."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from rubdown.core.fit_window import TooLittleWork, TooMuchWork, fit_steps
from rubdown.core.guidance import heard_in_full, slot_for
from rubdown.core.layout import Cursor
from rubdown.core.models import FRAMES, Catalogue, Plan, PlanError, Position, Region, Segment
from rubdown.core.passes import step_groups
from rubdown.core.pauses import step_order
from rubdown.core.retell import guide_rest, owed_first_words, turned_at
from rubdown.core.safety import safety_limits
from rubdown.core.stepspec import TURN_SIDES, StepSpec

# Live changes must end exactly when planned, so the closing pause may stretch further.
LIVE_CLOSING = (5.0, 150.0)
AIM_EARLIER = 3  # fits tried, each ending earlier, before the closing is given up
STRETCH = 3  # how far past their usual count steps may go when a skip frees a lot of time


def _cursor(
    done: list[Segment],
    specs: Sequence[StepSpec],
    regions: Mapping[str, Region],
    continues: bool = False,
) -> Cursor:
    """Where the layout stands after what is done: the clock, the place, the hands' oil and
    what the regions worked need before the receiver stands (`continues`: the first spec is
    the rest of the step done last)."""
    steps = [s.step_index for s in done if s.kind == "step" and s.step_index is not None]
    cursor = Cursor(t=done[-1].end_s if done else 0.0, step_index=max(steps, default=-1) + 1)
    _goes_on(cursor, done, specs, continues)
    for seg in done:
        cursor.since_checkin = (
            0.0 if seg.kind == "check-in" else cursor.since_checkin + seg.duration_s
        )
        cursor.since_oil += seg.duration_s
        region = regions.get(seg.region or "") if seg.kind == "step" else None
        if seg.kind == "oil":
            cursor.oiled()
        elif region is not None:
            cursor.wipe_for(region)
        if region is not None:
            cursor.region, cursor.position, cursor.side = seg.region, seg.position, seg.side
            cursor.area = region.area_name if region.takes_oil else cursor.area
            if region.before_rising and region.before_rising not in cursor.rising:
                cursor.rising = (*cursor.rising, region.before_rising)
        elif seg.region is not None:  # an announcement already said where the hands go next
            cursor.region = seg.region
            cursor.position = seg.position or cursor.position
    cursor.said_at = _said_at(done)
    position = next((s.position for s in specs if s.position.id == cursor.position), None)
    if position is not None:
        _halfway_so_far(cursor, done, position)
        _turned_since(cursor, done, position)
    return cursor


def _goes_on(
    cursor: Cursor, done: list[Segment], specs: Sequence[StepSpec], continues: bool
) -> None:
    """The first spec's step number is the last step's when it goes on (its other side, or
    carried on after a check-in)."""
    last = next((s for s in reversed(done) if s.kind == "step"), None)
    # A turning position's one-side steps are whole passes, never the rest of the step before.
    half = bool(specs and specs[0].only_side and not specs[0].position.turns and last)
    if not (half or continues) or last is None or last.step_index is None:
        return
    if (last.technique, last.region) == (specs[0].technique.id, specs[0].region.id):
        cursor.step_index = last.step_index


def _said_at(done: list[Segment]) -> tuple[tuple[str, float], ...]:
    """Each caution heard in full in what is done, with when its words last ended."""
    said: dict[str, float] = {}
    for seg in done:
        said.update((c, seg.end_s) for c in seg.cautions if heard_in_full(seg))
    return tuple(said.items())


def _turned_since(cursor: Cursor, done: list[Segment], position: Position) -> None:
    """The receiver already turned over after the last step done: its side is the second."""
    if not position.turns or cursor.side != TURN_SIDES[0]:
        return
    last = max(i for i, s in enumerate(done) if s.kind == "step")
    turned = turned_at(done, position)
    if turned > last:
        cursor.side = TURN_SIDES[1]
        # The side turned to takes oil before its first stroke, whatever region comes first.
        if not any(s.kind == "oil" for s in done[turned:]):
            cursor.oil_due = True


def _halfway_so_far(cursor: Cursor, done: list[Segment], position: Position) -> None:
    """How long the hands have worked in the cursor's position, and whether its halfway
    words were said: a re-fit says them once, near half of all the work there."""
    here = [s for s in done if s.kind == "step" and s.position == position.id]
    cursor.worked_s = sum(s.duration_s for s in here)
    words = position.halfway
    said = [s for s in done if words and words in s.say]
    cursor.halfway_said = bool(said)
    if said and not any(heard_in_full(s) for s in said):
        cursor.owed = words  # skipped before they were out: said in the rest's first pause


def specs_from_segments(cat: Catalogue, segments: list[Segment]) -> list[StepSpec]:
    """Step specs for the step segments still to come, one per step (split chunks merged),
    or one per side where its sides have different counts left (a step resumed part done)."""
    return [spec for group in step_groups(cat, segments) for spec in _per_side(cat, group)]


def _per_side(cat: Catalogue, group: list[Segment]) -> list[StepSpec]:
    """One spec for a step's segments, or one for each side when their counts differ."""
    counts: dict[str | None, int] = {}
    for seg in group:
        counts[seg.side] = counts.get(seg.side, 0) + (seg.reps or 0)
    if len(set(counts.values())) <= 1:
        return [step_spec(cat, group)]
    # A spec's count is per side: each side keeps its own, in the order they are done.
    return [step_spec(cat, [s for s in group if s.side == side], side) for side in counts]


def step_spec(cat: Catalogue, group: list[Segment], side: str | None = None) -> StepSpec:
    """The step spec for one step's segments still to come (on `side` only, when given)."""
    first = group[0]
    assert first.technique and first.region and first.position
    reps = max(1, sum(s.reps or 0 for s in group if s.side == first.side))
    position = cat.positions[first.position]
    sides = {s.side for s in group}
    # Half a turning position already done, or the left side of a step done one side after
    # the other: only the side still to come is left for this step.
    half = position.turns or (cat.techniques[first.technique].per_side and first.side == "right")
    only = side or (first.side if half and len(sides) == 1 else None)
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
    under_way: bool = False,
    continues: bool = False,
) -> list[Segment]:
    """Fit the specs after what is done; drop steps if too many, stretch them if too few.
    The spec at `keep` (the step given more time) is never the one dropped."""
    continues = under_way and continues
    cursor = _cursor(done, specs, cat.regions, continues)
    limits = safety_limits(cat, plan.request.profile)
    cursor.under_way, cursor.continues = under_way, continues
    first_words = owed_first_words(cat, plan.request.profile, limits, done)
    cursor.owed = " ".join(w for w in (first_words, cursor.owed) if w)
    past = specs_from_segments(cat, done)
    specs, keep = _within(specs, left, keep)
    stretched = False
    while True:
        try:
            # Guided anew each try: a caution placed on a step that was dropped moves on.
            guided = guide_rest(
                cat, plan.request.profile, limits, done, past, specs, cursor.under_way
            )
            return _fit_guided(plan, guided, cursor, limits.oil)
        except TooMuchWork:
            less = _less_work(specs, keep)
            if less is None:
                raise
            specs, keep = less
        except TooLittleWork:
            if stretched or not specs:
                raise
            longer = [replace(s, max_reps=s.max_reps * STRETCH) for s in specs]
            specs, keep = _within(longer, left, keep)
            stretched = True


def _less_work(specs: list[StepSpec], keep: int | None) -> tuple[list[StepSpec], int | None] | None:
    """Specs that take less time: without the least wanted step, never the light one that
    closes the session nor the one at `keep`; once only those are left and none was asked
    for, a finish of half its fewest repetitions (a short finish rather than none). None:
    nothing can give more."""
    droppable = [i for i in _before_closing(specs) if i != keep]
    if droppable:
        # Work goes before the light strokes that enter and finish an area (an area left
        # mid-kneading feels unfinished), the least wanted first, the latest of those.
        drop = min(droppable, key=lambda i: (specs[i].role != "work", specs[i].weight, -i))
        return _without(specs, {drop}, keep)
    # A step asked for (more, back) gives way first: its caller tries it shorter.
    if keep is not None or not any(_halvable(s) for s in specs):
        return None
    # Its most too, so that room to say its introduction does not lengthen it again.
    shorter = [
        replace(s, min_reps=s.min_reps // 2, max_reps=s.min_reps // 2, default_reps=s.min_reps // 2)
        if _halvable(s)
        else s
        for s in specs
    ]
    return shorter, keep


def _halvable(spec: StepSpec) -> bool:
    """A finish not yet halved (halved, its most is its fewest): so it is halved once only."""
    return spec.role == "finish" and spec.min_reps > 1 and spec.max_reps > spec.min_reps


def _fit_guided(plan: Plan, specs: list[StepSpec], cursor: Cursor, oil: str) -> list[Segment]:
    """The steps laid out from the cursor to the plan's end, the closing never cut short of its
    words, or TooMuchWork."""
    end = target = plan.total_seconds
    tries: list[tuple[float, list[Segment]]] = []
    for _ in range(AIM_EARLIER):
        tail = fit_steps(
            specs, cursor, target, plan.warnings, opening=False, closing=LIVE_CLOSING, oil=oil
        )
        closing = tail[-1]
        short = slot_for(closing.say, LIVE_CLOSING[0]) - (closing.duration_s + end - closing.end_s)
        if short <= 0:
            return tail
        tries.append((short, tail))
        # The fit ends a few seconds late and only the closing could give them up, below its
        # words: aim that much earlier, and the closing stretches to the end instead.
        target -= short
    short, tail = min(tries, key=lambda t: t[0])  # the try nearest to leaving the words room
    return _hold_gives(tail, short, end)


def _hold_gives(tail: list[Segment], short: float, end: float) -> list[Segment]:
    """The tail with the still hold shorter by `short` seconds (never below its words) and
    the closing from there to `end`; else TooMuchWork."""
    hold, closing = (tail[-2], tail[-1]) if len(tail) > 1 else (None, tail[-1])
    if hold is None or hold.kind != "hold" or hold.duration_s - short < slot_for(hold.say, 1.0):
        raise TooMuchWork("the closing cannot shrink enough to end on time")
    # Fewer breaths held, rather than the finish left out or the last words cut off.
    held = replace(hold, duration_s=round(hold.duration_s - short, 3))
    rest = round(end - held.end_s, 3)
    return [*tail[:-2], held, replace(closing, start_s=held.end_s, duration_s=rest)]


def refit_after(
    plan: Plan,
    cat: Catalogue,
    done: list[Segment],
    specs: list[StepSpec],
    keep: int | None = None,
    hold: bool = True,
    under_way: bool = False,
    continues: bool = False,
) -> Plan:
    """Keep what is done and fit the steps to come so the plan ends exactly when it would have
    (without the still hold when `hold` is False: it was skipped; `under_way`: the first step
    goes on from what was said before it, which is not said again; `continues`: it is the rest
    of the step done last, carried on after a check-in)."""
    end, start = plan.total_seconds, done[-1].end_s if done else 0.0
    left = region_time_left(plan, cat, done)
    try:
        # No step left (the finish skipped): the plan's own hold and closing words still fit it.
        tail = (
            _fit_tail(plan, cat, done, specs, keep, left, under_way, continues)
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
