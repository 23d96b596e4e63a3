"""Live changes during a session (lighter, firmer, more time, skip, back), ending on time."""

from __future__ import annotations

from dataclasses import replace

from rubdown.core.layout import Cursor, StepSpec, fit_steps
from rubdown.core.models import Catalogue, Plan, PlanError, Segment

MORE_TIME_S = 45.0


def change_pressure(plan: Plan, index: int, delta: int) -> tuple[Plan, str]:
    """Lighter (-1) or firmer (+1) for this and later steps on the same region, within limits."""
    current = plan.segments[index]
    if current.kind != "step" or current.region is None:
        return plan, "Nothing to change here: this is a pause between steps."
    region, segments, changed = current.region, list(plan.segments), False
    for i in range(index, len(segments)):
        seg = segments[i]
        if seg.kind == "step" and seg.region == region and seg.pressure is not None:
            top = seg.max_pressure if seg.max_pressure is not None else seg.pressure
            value = min(max(seg.pressure + delta, 1), top)
            changed |= value != seg.pressure
            segments[i] = replace(seg, pressure=value)
    word = "Lighter" if delta < 0 else "Firmer"
    if not changed:
        limit = "the lightest touch" if delta < 0 else "the safe limit for this area"
        return plan, f"Already at {limit} on the {current.region_name or region}."
    note = (
        f"{word} on the {(current.region_name or region).lower()}: pressure "
        f"{segments[index].pressure} from now on."
    )
    return replace(plan, segments=tuple(segments), notes=(*plan.notes, note)), note


def _cursor(done: list[Segment], next_step: int) -> Cursor:
    cursor = Cursor(t=done[-1].end_s if done else 0.0, step_index=next_step)
    for seg in done:
        cursor.since_checkin = (
            0.0 if seg.kind == "check-in" else cursor.since_checkin + seg.duration_s
        )
        cursor.since_oil = 0.0 if seg.kind == "oil" else cursor.since_oil + seg.duration_s
        if seg.kind == "step":
            cursor.region, cursor.position = seg.region, seg.position
    return cursor


def _specs(cat: Catalogue, segments: list[Segment]) -> list[StepSpec]:
    """Rebuild step specs from the step segments still to come (grouped by step)."""
    groups: dict[int, list[Segment]] = {}
    for seg in segments:
        if seg.kind == "step" and seg.step_index is not None:
            groups.setdefault(seg.step_index, []).append(seg)
    specs = []
    for group in groups.values():
        first = group[0]
        assert first.technique and first.region and first.position
        t = cat.techniques[first.technique]
        reps = sum(s.reps or 0 for s in group if s.side == first.side)
        specs.append(
            StepSpec(
                t,
                cat.regions[first.region],
                cat.positions[first.position],
                first.pressure or 1,
                first.max_pressure or first.pressure or 1,
                first.min_reps or 1,
                first.max_reps or max(reps, 1),
                min(max(reps, first.min_reps or 1), first.max_reps or reps),
                first.weight,
            )
        )
    return specs


def refit_after(plan: Plan, cat: Catalogue, done: list[Segment], rest: list[Segment]) -> Plan:
    """Keep what is done, and fit the steps still to come so the plan ends at the same time."""
    end = plan.total_seconds
    specs = _specs(cat, rest)
    next_index = max((s.step_index or 0 for s in done if s.kind == "step"), default=-1) + 1
    while True:
        try:
            tail = fit_steps(specs, _cursor(done, next_index), end, plan.warnings, opening=False)
            break
        except PlanError:
            if len(specs) <= 1:
                # Nothing left to stretch or drop: close with what time there is.
                start = done[-1].end_s if done else 0.0
                tail = [Segment(start, max(end - start, 1.0), "closing", plan.segments[-1].say)]
                break
            # Too little time for everything: leave out the least wanted inner step.
            inner = range(len(specs) - 1)
            drop = min(inner, key=lambda i: (specs[i].weight, -i))
            specs = specs[:drop] + specs[drop + 1 :]
    return replace(plan, segments=(*done, *tail))


def more_time(
    plan: Plan, cat: Catalogue, index: int, extra_s: float = MORE_TIME_S
) -> tuple[Plan, str]:
    """Extend the current step; the rest of the plan shrinks so the session still ends on time."""
    seg = plan.segments[index]
    if seg.kind != "step" or not seg.seconds_per_rep:
        return plan, "More time works during a step."
    extra = max(1, round(extra_s / seg.seconds_per_rep))
    longer = replace(
        seg, reps=(seg.reps or 0) + extra, duration_s=seg.duration_s + extra * seg.seconds_per_rep
    )
    rest = [s for s in plan.segments[index + 1 :] if s.step_index != seg.step_index]
    new = refit_after(plan, cat, [*plan.segments[:index], longer], rest)
    where = (seg.region_name or seg.region or "").lower()
    note = f"More time on the {where}: {extra} more strokes; the rest re-fitted."
    return replace(new, notes=(*plan.notes, note)), note


def _cut(seg: Segment, now_s: float) -> list[Segment]:
    """The part of a segment already done at now_s (nothing if it had not started)."""
    elapsed = now_s - seg.start_s
    if elapsed <= 0.5:
        return []
    reps = int(elapsed // seg.seconds_per_rep) if seg.seconds_per_rep else seg.reps
    return [replace(seg, duration_s=round(elapsed, 3), reps=reps)]


def skip(plan: Plan, cat: Catalogue, index: int, now_s: float) -> tuple[Plan, str]:
    """Stop the current step now; the time it frees goes to the steps still to come."""
    seg = plan.segments[index]
    done = [*plan.segments[:index], *_cut(seg, now_s)]
    rest = [
        s
        for s in plan.segments[index + 1 :]
        if seg.kind != "step" or s.step_index != seg.step_index
    ]
    note = f"Skipped {seg.technique_name or seg.kind}."
    new = refit_after(plan, cat, done, rest)
    return replace(new, notes=(*plan.notes, note)), note


def back(plan: Plan, cat: Catalogue, index: int, now_s: float) -> tuple[Plan, str]:
    """Go back to the previous step and do it again; the rest re-fits to end on time."""
    seg = plan.segments[index]
    done = [*plan.segments[:index], *_cut(seg, now_s)]
    previous = [
        s
        for s in plan.segments[:index]
        if s.kind == "step"
        and s.step_index is not None
        and s.step_index < (seg.step_index if seg.step_index is not None else 10**9)
    ]
    if not previous:
        return plan, "This is the first step: nothing to go back to."
    target = previous[-1].step_index
    again = [s for s in plan.segments if s.step_index == target]
    offset = max((s.step_index or 0) for s in plan.segments if s.kind == "step") + 1
    repeat = [replace(s, step_index=offset) for s in again]
    rest = repeat + [s for s in plan.segments[index:] if s.kind == "step"]
    new = refit_after(plan, cat, done, rest)
    note = f"Back to {again[0].technique_name or again[0].technique}."
    return replace(new, notes=(*plan.notes, note)), note
