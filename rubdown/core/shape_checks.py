"""Invariants for the shape of a session: opening, areas, variety, finish and position truth.

Each check reads the plan as an edge would (its segments), never the planner's own notes, and
returns the violations it finds. core.invariants registers them.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator

from rubdown.core import caps, craft, frames
from rubdown.core.choose import (
    BIG_MUSCLES,
    DEEP_MIN_MINUTES,
    TOOL_SPREAD_MAX_MINUTES,
    TOOL_TECHNIQUES_PER_REGION,
    candidates,
    deep_kneading,
    region_techniques,
    usable_techniques,
)
from rubdown.core.models import FRAMES, Catalogue, Plan, Segment, is_light
from rubdown.core.safety import Limits, regions_named, safety_limits

EPS_S = 1.0


def step_groups(plan: Plan) -> list[list[Segment]]:
    """Step segments grouped by step, in order."""
    groups: dict[int, list[Segment]] = {}
    for seg in plan.steps:
        groups.setdefault(seg.step_index if seg.step_index is not None else -1, []).append(seg)
    return list(groups.values())


def _seconds(group: list[Segment]) -> float:
    return sum(s.duration_s for s in group)


def _inner_area_runs(plan: Plan, cat: Catalogue) -> Iterator[tuple[str, list[list[Segment]]]]:
    """Runs of steps in one area, between the opening and the finish."""
    groups = step_groups(plan)[1:-1]
    for area, run in itertools.groupby(groups, key=lambda g: _area(cat, g[0])):
        yield area, list(run)


def _area(cat: Catalogue, seg: Segment) -> str:
    region = cat.regions.get(seg.region or "")
    return region.area_name if region else ""


def opens_with_spreading_glides(plan: Plan, cat: Catalogue) -> list[str]:
    """After the oil, light glides (1-2) spread it for 45 s (30 s under 15 min), breathing."""
    groups = step_groups(plan)
    if not groups:
        return ["no steps"]
    first, out = groups[0], []
    least = craft.opening_min_s(plan.minutes)
    if first[0].technique_kind != "glide" or (first[0].pressure or 0) > craft.FRAME_PRESSURE:
        out.append(f"opens with {first[0].technique_kind} at {first[0].pressure}")
    if _seconds(first) + EPS_S < least:
        out.append(f"opening glides last {_seconds(first):.0f} s, under {least:.0f} s")
    lead = [s for s in plan.segments if s.start_s < first[0].start_s]
    if not any(s.kind == "oil" for s in lead):
        out.append("no oil is warmed before the first touch")
    if not any("breath" in s.say.lower() for s in lead + first):
        out.append("the giver is not told to breathe with the receiver")
    return out


def _covered(cat: Catalogue, group: list[Segment], area: str) -> bool:
    t = cat.techniques.get(group[0].technique or "")
    return t is not None and craft.covers_area(cat, t, area)


def enters_each_area_lightly(plan: Plan, cat: Catalogue) -> list[str]:
    """Each area is entered with a glide or a light stroke (the opening's glides count)."""
    groups = step_groups(plan)
    runs = list(_inner_area_runs(plan, cat))
    return [
        f"the {area} starts with {run[0][0].technique_kind} at {run[0][0].pressure}"
        for i, (area, run) in enumerate(runs)
        if not is_light(run[0][0].technique_kind, run[0][0].pressure)
        and not (i == 0 and _covered(cat, groups[0], area))
    ]


def warms_before_deep_work(plan: Plan, cat: Catalogue) -> list[str]:
    """Kneading, pressing or squeezing at any pressure, and other work firmer than a touch,
    only on a region a warming stroke (a glide, or a stroke at 1-2) has entered in this area
    (the opening's glides warm the regions they cover for the first)."""
    out = []
    groups = step_groups(plan)
    # Worked out once per plan, and only if a step asks: each call starts afresh.
    limits = functools.cache(lambda: safety_limits(cat, plan.request.profile))
    for i, (_, run) in enumerate(_inner_area_runs(plan, cat)):
        opening = cat.techniques.get(groups[0][0].technique or "") if i == 0 else None
        warm = set(opening.regions) if opening else set()
        for group in run:
            seg = group[0]
            if seg.region not in warm and _needs_warming(plan, cat, limits, seg):
                out.append(f"{seg.technique} at {seg.pressure} on cold {seg.region}")
            if craft.warms(seg.technique_kind, seg.pressure):
                warm.add(seg.region or "")
    return out


def _needs_warming(plan: Plan, cat: Catalogue, limits: Callable[[], Limits], seg: Segment) -> bool:
    """Whether a step wants a warming stroke on its region first: deep work always, other
    work for warm muscle unless no warming stroke can reach the region there (it stays light)."""
    if not craft.needs_warmth(seg.technique_kind, seg.pressure):
        return False
    if craft.is_deep(seg.technique_kind, seg.pressure):
        return True
    position = cat.positions[seg.position or plan.position]
    return craft.has_light_stroke(cat, position, limits(), seg.region or "")


def flushes_before_moving_on(plan: Plan, cat: Catalogue) -> list[str]:
    """Each area is left with a flushing glide or stroke, lighter than the work at 1-2 (the
    finish's glides count): a forearm glide at 3 is the work, not its flush."""
    groups = step_groups(plan)
    runs = list(_inner_area_runs(plan, cat))
    return [
        f"the {area} ends with {run[-1][0].technique_kind} at {run[-1][0].pressure}"
        for i, (area, run) in enumerate(runs)
        if not craft.leaves_area(
            run[-1][0].technique_kind, run[-1][0].pressure, plan.routine is not None
        )
        and not (i == len(runs) - 1 and _covered(cat, groups[-1], area))
    ]


def no_long_runs_of_one_technique(plan: Plan, cat: Catalogue) -> list[str]:
    """No technique runs over 4 minutes in a row (6 when a focus area is in the run)."""
    out = []
    focus = set(plan.request.profile.focus)
    for technique, run in itertools.groupby(plan.steps, key=lambda s: s.technique):
        segs = list(run)
        limit = (
            craft.FOCUS_RUN_LIMIT_S if any(s.region in focus for s in segs) else (craft.RUN_LIMIT_S)
        )
        total = sum(s.duration_s for s in segs)
        if total > limit + EPS_S:
            out.append(f"{technique} runs {total:.0f} s in a row from {segs[0].start_s:.0f} s")
    return out


def uses_enough_techniques(plan: Plan, cat: Catalogue) -> list[str]:
    """A generated session of 30 minutes uses 8 techniques or more, of 45 and more 10 (or
    as many as there are: a region a condition keeps too short for even its shortest steps
    with their words, left out, takes its strokes with it)."""
    if plan.routine is not None:
        return []
    position = cat.positions[plan.position]
    limits = safety_limits(cat, plan.request.profile)
    kept_out = caps.limited_left_out(limits, (s.region or "" for s in plan.steps))
    available = len(usable_techniques(cat, position, limits, kept_out))
    wanted = min(craft.distinct_target(plan.minutes), available)
    used = len({s.technique for s in plan.steps})
    return [f"{used} techniques, {wanted} wanted"] if used < wanted else []


def balances_the_areas(plan: Plan, cat: Catalogue) -> list[str]:
    """In a generated session of 20 minutes or more, no area that is not a focus takes more
    than 30 % (the main area, the back, aside). Areas, not regions: three arm regions at 20 %
    each are 60 % on the arms."""
    if plan.routine is not None or plan.minutes < craft.SHARE_MIN_MINUTES:
        return []
    by_area: dict[str, float] = {}
    for group in step_groups(plan)[1:-1]:
        area = _area(cat, group[0])
        by_area[area] = by_area.get(area, 0.0) + _seconds(group)
    focus = {cat.regions[r].area_name for r in plan.request.profile.focus if r in cat.regions}
    # The area the session is built around, counted by steps as the planner counts it.
    focus.add(frames.main_of([_area(cat, g[0]) for g in step_groups(plan)[1:-1]]) or "")
    window = plan.minutes * 60
    return [
        f"the {area} take {seconds / window:.0%} of the session"
        for area, seconds in by_area.items()
        if area not in focus and seconds > caps.area_share(area) * window + EPS_S
    ]


def balances_the_regions(plan: Plan, cat: Catalogue) -> list[str]:
    """In a generated session of 10 minutes or more, no region that is not a focus takes more
    than 30 % (the area rule above starts at 20 minutes; a short session is lopsided sooner,
    but one of 5 to 9 minutes has room for only two or three regions)."""
    if plan.routine is not None or plan.minutes < craft.REGION_SHARE_MIN_MINUTES:
        return []
    by_region: dict[str, float] = {}
    for group in step_groups(plan)[1:-1]:
        region = group[0].region or ""
        by_region[region] = by_region.get(region, 0.0) + _seconds(group)
    window = plan.minutes * 60
    return [
        f"the {region} take {seconds / window:.0%} of the session"
        for region, seconds in by_region.items()
        if region not in plan.request.profile.focus and seconds > craft.SHARE_LIMIT * window + EPS_S
    ]


def left_and_right_match(plan: Plan, cat: Catalogue) -> list[str]:
    """A step done side by side gives the left and the right the same count."""
    out = []
    for group in step_groups(plan):
        left = sum(s.reps or 0 for s in group if s.side == "left")
        right = sum(s.reps or 0 for s in group if s.side == "right")
        if left != right:
            out.append(f"{group[0].technique} on {group[0].region}: {left} left, {right} right")
    return out


def finishes_with_glides_and_a_hold(plan: Plan, cat: Catalogue) -> list[str]:
    """Connecting glides (30 s, 1-2), a still hold, then rest, get up slowly, drink water."""
    groups = step_groups(plan)
    if not groups:
        return ["no steps"]
    last, out = groups[-1], []
    if last[0].technique_kind != "glide" or (last[0].pressure or 0) > craft.FRAME_PRESSURE:
        out.append(f"finishes with {last[0].technique_kind} at {last[0].pressure}")
    if _seconds(last) + EPS_S < craft.FINISH_MIN_S:
        out.append(f"finishing glides last {_seconds(last):.0f} s")
    after = [s.kind for s in plan.segments if s.start_s >= last[-1].end_s - 0.01]
    if "hold" not in after:
        out.append("no still hold after the finishing glides")
    closing = plan.segments[-1].say.lower() if plan.segments else ""
    for words in ("rest", "get up slowly", "water"):
        if words not in closing:
            out.append(f"the closing does not say '{words}'")
    return out


def finish_connects_the_main_area(plan: Plan, cat: Catalogue) -> list[str]:
    """When the back is worked, the finishing glides cover it and the still hold rests there
    (on a part of it, when another part is avoided)."""
    groups = step_groups(plan)
    if plan.routine is not None or len(groups) < 3:
        return []  # a routine ends where its author chose
    worked = [g[0].region or "" for g in groups[1:-1]]
    main = frames.main_area(cat, worked)
    last = groups[-1][0]
    technique = cat.techniques.get(last.technique or "")
    if main != craft.MAIN_AREA or technique is None:
        return []  # face up or legs only: no one glide is meant to join it all
    out = []
    if not craft.covers_area(cat, technique, main):
        out.append(f"the finish ({technique.id}) does not cover the {main}")
    hold = next((s for s in plan.segments if s.kind == "hold"), None)
    on_main = hold is not None and (
        main in hold.say
        or any(cat.regions[r].area_name == main for r in regions_named(cat, hold.say))
    )
    if hold is not None and craft.covers_area(cat, technique, main) and not on_main:
        out.append(f"the still hold is not on the {main}")
    return out


def position_uses_its_tool(plan: Plan, cat: Catalogue) -> list[str]:
    """A position meant for one tool (the forearm) does half its work with it, or does every
    step with the tool at its longest. The light hand strokes that open, enter, leave and
    finish each area are not counted: they spread and join the oil."""
    out = []
    light = ("opening", "entry", "flush", "finish")
    for position_id in dict.fromkeys(s.position for s in plan.steps):
        position = cat.positions.get(position_id or "")
        if position is None or not position.tool:
            continue
        # A light stroke done with the tool (a forearm sweep into an area) spares the hands.
        groups = [
            g
            for g in step_groups(plan)[1:-1]
            if g[0].position == position_id
            and (g[0].role not in light or cat.techniques[g[0].technique or ""].uses(position.tool))
        ]
        total = sum(_seconds(g) for g in groups)
        tool = [g for g in groups if cat.techniques[g[0].technique or ""].uses(position.tool)]
        done = sum(_seconds(g) for g in tool)
        short = [g for g in tool if sum(s.reps or 0 for s in g) < _most(g)]
        if total and done < craft.TOOL_SHARE * total - EPS_S and short:
            out.append(
                f"{position_id}: {done / total:.0%} of the step time with the {position.tool}"
            )
    return out


def spares_what_the_position_rests(plan: Plan, cat: Catalogue) -> list[str]:
    """No step uses a part of the giver's hands its position rests (the forearm position is
    for tired hands: no thumb work)."""
    out = []
    for s in plan.steps:
        spared = cat.positions[s.position or ""].spares
        used = [p for p in spared if cat.techniques[s.technique or ""].strains(p)]
        if used:
            out.append(f"{s.technique} on the {s.region} uses the {used[0]} in {s.position}")
    return list(dict.fromkeys(out))


def few_techniques_per_region(plan: Plan, cat: Catalogue) -> list[str]:
    """In a generated session, a region that is not a focus is worked with a few techniques,
    its light way in and out included: five at most, seven from an hour."""
    if plan.routine is not None:
        return []
    most = region_techniques(plan.minutes) + 2
    used: dict[str, set[str]] = {}
    for s in plan.steps:
        if s.role not in FRAMES and s.region not in plan.request.profile.focus:
            used.setdefault(s.region or "", set()).add(s.technique or "")
    return [f"{len(ts)} techniques on the {r}" for r, ts in used.items() if len(ts) > most]


def spreads_the_tool_work(plan: Plan, cat: Catalogue) -> list[str]:
    """In a generated session of up to an hour, a region that is not a focus gets at most two
    techniques done with the position's tool: the forearm work is spread, not piled on one."""
    if plan.routine is not None or plan.minutes > TOOL_SPREAD_MAX_MINUTES:
        return []
    used: dict[tuple[str, str], set[str]] = {}
    for s in plan.steps:
        tool = cat.positions[s.position or ""].tool
        if tool and cat.techniques[s.technique or ""].uses(tool):
            used.setdefault((s.region or "", tool), set()).add(s.technique or "")
    limits = safety_limits(cat, plan.request.profile)
    # A technique no other region here may take (the others it goes on are avoided) is no pile.
    return [
        f"{len(ts)} {tool} techniques on the {region}"
        for (region, tool), ts in used.items()
        if region not in plan.request.profile.focus
        and len(ts - _only_here(cat, plan, limits, region)) > TOOL_TECHNIQUES_PER_REGION
    ]


def _only_here(cat: Catalogue, plan: Plan, limits: Limits, region: str) -> set[str]:
    """The techniques that may be used on this region and on no other the position reaches."""
    position = cat.positions[plan.position]
    elsewhere = {
        t.id
        for r in position.reaches
        if r != region and r not in limits.avoid
        for t in candidates(cat, r, position, limits)
    }
    return {t.id for t in candidates(cat, region, position, limits)} - elsewhere


def works_the_big_muscles_deeper(plan: Plan, cat: Catalogue) -> list[str]:
    """A generated session of 15 minutes or more that works a big muscle (the buttocks, the
    backs of the thighs) kneads it at its deep pressure, unless a condition or the receiver's
    pressure keeps it lighter."""
    if plan.routine is not None or plan.minutes < DEEP_MIN_MINUTES:
        return []
    profile = plan.request.profile
    limits = safety_limits(cat, profile)
    out = []
    for region, deep in BIG_MUSCLES.items():
        work = [g[0] for g in step_groups(plan)[1:-1] if g[0].region == region]
        position = cat.positions[work[0].position or ""] if work else None
        if position is None or deep_kneading(cat, region, position, profile, limits) is None:
            continue
        if not any(s.technique_kind == "knead" and (s.pressure or 0) >= deep for s in work):
            out.append(f"the {region} are worked but never kneaded at {deep}")
    return out


def _most(group: list[Segment]) -> int:
    sides = len({s.side for s in group})
    return (group[0].max_reps or 0) * sides


SHAPE_CHECKS = (
    opens_with_spreading_glides,
    enters_each_area_lightly,
    warms_before_deep_work,
    flushes_before_moving_on,
    no_long_runs_of_one_technique,
    uses_enough_techniques,
    balances_the_areas,
    balances_the_regions,
    left_and_right_match,
    finishes_with_glides_and_a_hold,
    finish_connects_the_main_area,
    position_uses_its_tool,
    works_the_big_muscles_deeper,
    spreads_the_tool_work,
    spares_what_the_position_rests,
    few_techniques_per_region,
)
