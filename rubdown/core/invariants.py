"""Plan invariants as small named checks: each returns the violations it finds."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from rubdown.core.cue_checks import CUE_CHECKS
from rubdown.core.fit_window import FIT_TOLERANCE_S
from rubdown.core.models import PARTNER_MAX_PRESSURE, Catalogue, Plan, is_light
from rubdown.core.safety import SPINE_GLIDE_MAX, safety_limits
from rubdown.core.shape_checks import SHAPE_CHECKS
from rubdown.core.talk_checks import TALK_CHECKS

CHECKIN_GAP_S = 300.0
Invariant = Callable[[Plan, Catalogue], list[str]]


def fits_the_minutes(plan: Plan, cat: Catalogue) -> list[str]:
    """The session lasts the minutes asked for, within ten seconds."""
    off = abs(plan.total_seconds - plan.minutes * 60)
    return (
        [f"lasts {plan.total_seconds:.0f} s for {plan.minutes} min"]
        if off > FIT_TOLERANCE_S
        else []
    )


def segments_back_to_back(plan: Plan, cat: Catalogue) -> list[str]:
    """Each segment starts where the previous one ended; nothing has zero length."""
    out, clock = [], 0.0
    for i, seg in enumerate(plan.segments):
        if abs(seg.start_s - clock) > 0.01:
            out.append(f"segment {i} starts at {seg.start_s}, expected {clock:.3f}")
        if seg.duration_s <= 0:
            out.append(f"segment {i} has no length")
        clock = seg.end_s
    return out


def starts_and_ends_light(plan: Plan, cat: Catalogue) -> list[str]:
    """The first and last steps are a glide or stroke at pressure 3 or less."""
    steps = plan.steps
    if not steps:
        return ["plan has no steps"]
    return [
        f"{label} step is {s.technique_kind} at {s.pressure}"
        for label, s in (("first", steps[0]), ("last", steps[-1]))
        if not is_light(s.technique_kind, s.pressure)
    ]


def gentle_pressure_ramps(plan: Plan, cat: Catalogue) -> list[str]:
    """Pressure changes by at most 2 between consecutive steps."""
    steps = plan.steps
    return [
        f"pressure jumps {a.pressure}->{b.pressure} at {b.start_s:.0f} s"
        for a, b in itertools.pairwise(steps)
        if abs((a.pressure or 0) - (b.pressure or 0)) > 2
    ]


def never_presses_the_spine(plan: Plan, cat: Catalogue) -> list[str]:
    """No-press regions only ever get a light glide."""
    return [
        f"{s.technique_kind} at {s.pressure} on {s.region}"
        for s in plan.steps
        if s.region
        and cat.regions[s.region].no_press
        and (s.technique_kind != "glide" or (s.pressure or 0) > SPINE_GLIDE_MAX)
    ]


def within_safety_limits(plan: Plan, cat: Catalogue) -> list[str]:
    """Every step respects the receiver's conditions, preferences and reach."""
    limits = safety_limits(cat, plan.request.profile)
    out = []
    for s in plan.steps:
        assert s.region and s.technique and s.position and s.pressure is not None
        t = cat.techniques[s.technique]
        if s.pressure > min(
            limits.cap_for(s.region, cat.regions[s.region].no_press), PARTNER_MAX_PRESSURE
        ):
            out.append(f"pressure {s.pressure} on {s.region} is over its limit")
        if not limits.allows(t, s.region, cat.regions[s.region].no_press):
            out.append(f"{s.technique} is not allowed on {s.region}")
        if s.region not in cat.positions[s.position].reaches:
            out.append(f"{s.region} cannot be reached {s.position}")
        if s.position in limits.forbidden_positions:
            out.append(f"position {s.position} is ruled out")
    steps = plan.steps
    ends = {steps[0].step_index, steps[-1].step_index} if steps else set()
    for region, most in limits.max_seconds.items():
        # The opening and finishing glides pass over everything; the limit is on the work.
        spent = sum(s.duration_s for s in steps if s.region == region and s.step_index not in ends)
        if spent > most + 1.0:
            out.append(f"{spent:.0f} s on {region}, over its {most} s limit")
    return out


def follows_the_body_flow(plan: Plan, cat: Catalogue) -> list[str]:
    """In a generated plan, the work follows its position's flow (lying: the back, hips, legs
    and feet, then the neck, shoulders and arms) and never goes back; a routine has its own.

    The light strokes that enter and leave an area may start where the hands can reach.
    """
    steps = plan.steps
    if not steps or plan.routine is not None:
        return []
    ends = {steps[0].step_index, steps[-1].step_index}
    inner = [s for s in steps if s.step_index not in ends and s.role not in ("entry", "flush")]
    out = []
    for a, b in itertools.pairwise(inner):
        same_block = a.position == b.position
        if same_block and cat.positions[a.position or ""].turns:
            same_block = a.side == b.side  # after turning over, the work starts again at the top
        rank = cat.positions[b.position or ""].flow_rank
        if same_block and rank(cat.regions[b.region or ""]) < rank(cat.regions[a.region or ""]):
            out.append(f"goes back from {a.region} to {b.region}")
    return out


def at_most_one_position_change(plan: Plan, cat: Catalogue) -> list[str]:
    """The receiver moves at most once."""
    positions = [s.position for s in plan.steps]
    changes = sum(1 for a, b in itertools.pairwise(positions) if a != b)
    return [f"{changes} position changes"] if changes > 1 else []


def checks_in_every_five_minutes(plan: Plan, cat: Catalogue) -> list[str]:
    """No stretch between check-ins (or the start and the closing) exceeds five minutes."""
    out, since = [], 0.0
    for seg in plan.segments:
        # The still hold and the closing words are the quiet end, not work to check on.
        if seg.kind in ("check-in", "hold", "closing"):
            if since > CHECKIN_GAP_S + 0.01:
                out.append(f"{since:.0f} s without a check-in before {seg.start_s:.0f} s")
            since = 0.0
        else:
            since += seg.duration_s
    return out


def announces_every_new_region(plan: Plan, cat: Catalogue) -> list[str]:
    """Before a step on a new region comes an announcement or a check-in."""
    out, last_region, previous_kind = [], None, None
    for seg in plan.segments:
        if seg.kind == "step":
            changed = last_region is not None and seg.region != last_region
            if changed and previous_kind not in ("announce", "check-in", "oil"):
                out.append(f"no announcement before {seg.region} at {seg.start_s:.0f} s")
            last_region = seg.region
        previous_kind = seg.kind if seg.kind != "oil" else previous_kind
    return out


def ends_with_closing(plan: Plan, cat: Catalogue) -> list[str]:
    """The last segment is the closing."""
    return [] if plan.segments and plan.segments[-1].kind == "closing" else ["no closing segment"]


INVARIANTS: dict[str, Invariant] = {
    f.__name__: f
    for f in (
        *SHAPE_CHECKS,
        *CUE_CHECKS,
        *TALK_CHECKS,
        fits_the_minutes,
        segments_back_to_back,
        starts_and_ends_light,
        gentle_pressure_ramps,
        never_presses_the_spine,
        within_safety_limits,
        follows_the_body_flow,
        at_most_one_position_change,
        checks_in_every_five_minutes,
        announces_every_new_region,
        ends_with_closing,
    )
}


# What `rubdown check` asks of a routine file, planned at its own length: everything but the
# variety and balance of generated sessions (a routine chooses its own emphasis and order).
GENERATED_ONLY = (
    "uses_enough_techniques",
    "balances_the_areas",
    "balances_the_regions",
    "follows_the_body_flow",
    "finish_connects_the_main_area",
    "spreads_the_tool_work",
    "few_techniques_per_region",
    "works_the_big_muscles_deeper",
)
ROUTINE_INVARIANTS = tuple(name for name in INVARIANTS if name not in GENERATED_ONLY)


def check_plan(plan: Plan, cat: Catalogue, names: tuple[str, ...] | None = None) -> list[str]:
    """Every invariant violation in a plan, prefixed with the invariant's name."""
    return [
        f"{name}: {problem}"
        for name, check in INVARIANTS.items()
        if names is None or name in names
        for problem in check(plan, cat)
    ]
