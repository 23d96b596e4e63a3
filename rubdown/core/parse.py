"""Readers that turn located YAML into models, checking each field and cross-reference."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

from rubdown.core.fields import Fields
from rubdown.core.fit_window import FIT_TOLERANCE_S, estimate_overhead, full_minutes
from rubdown.core.models import (
    KINDS,
    PARTNER_MAX_PRESSURE,
    STROKE_RULES,
    VIEWS,
    Cap,
    Catalogue,
    Condition,
    Drape,
    Need,
    Position,
    Range,
    Region,
    Routine,
    RoutineStep,
    Technique,
    is_light,
    may_touch,
)
from rubdown.core.source import Pos, Problem, pos_of

Found = Iterator[tuple[str, Any, Pos]]
Reader = Callable[[Any, str, Catalogue, list[Problem]], Found]


def _items(data: Any, key: str, file: str, problems: list[Problem]) -> Iterator[tuple[Any, Pos]]:
    top = Fields(data, Pos(file, 1, 1), "the file", problems)
    raw = top.raw(key, required=True)
    top.done()
    if raw is None:
        return
    if not isinstance(raw, list):
        top.add(key, f"'{key}' must be a list")
        return
    for i, item in enumerate(raw):
        yield item, pos_of(raw, i, top.at(key))


def read_regions(data: Any, file: str, cat: Catalogue, problems: list[Problem]) -> Found:
    """Regions of the body."""
    items = list(_items(data, "regions", file, problems))
    # A region may name others of the file (the spine runs over the low back): any order.
    ids = {*cat.regions, *(i.get("id") for i, _ in items if isinstance(i, dict))}
    for item, where in items:
        f = Fields(item, where, "a region", problems)
        region = Region(
            f.ident(),
            f.text("name"),
            f.integer("order", 0, 10_000) or 0,
            f.flag("no_press"),
            f.text("area", False),
            tuple(w.lower() for w in f.texts("words")),
            f.texts("cautions"),
            f.text("before_rising", False),
            f.flag("through_towel"),
            f.flag("dry_hands"),
            f.flag("no_oil"),
            f.refs("runs_over", (i for i in ids if isinstance(i, str)), "region"),
        )
        f.done()
        if f.ok and region.id:
            yield "regions", region, f.pos


def _need(item: Any, where: Pos, problems: list[Problem]) -> Need | None:
    f = Fields(item, where, "a need", problems)
    need = Need(
        f.text("item"),
        f.integer("count", 1, 20) or 1,
        f.text("note", False),
        f.integer("lead_minutes", 0, 240) or 0,
    )
    f.done()
    return need if f.ok else None


def _get_up(f: Fields) -> str:
    get_up = f.text("get_up", False)
    if get_up and "get up slowly" not in get_up.lower():
        # The closing must tell the receiver to get up slowly (a dizzy stand is a fall).
        f.add("get_up", "'get_up' must say 'get up slowly'")
    return get_up


def read_positions(data: Any, file: str, cat: Catalogue, problems: list[Problem]) -> Found:
    """Positions, what they reach and what they need."""
    for item, where in _items(data, "positions", file, problems):
        f = Fields(item, where, "a position", problems)
        pid, name, setup = f.ident(), f.text("name"), f.text("setup")
        reaches = f.refs("reaches", cat.regions, "region", required=True)
        raw_needs = f.raw("needs") or []
        needs = [
            _need(n, pos_of(raw_needs, i, f.at("needs")), problems)
            for i, n in enumerate(raw_needs if isinstance(raw_needs, list) else [])
        ]
        view, turn = f.choice("view", VIEWS, required=False) or "back", f.text("turn", False)
        drapes, spares = _drapes(f, cat, problems), f.texts("spares")
        tool, rest = f.text("tool", False), f.text("rest", False)
        get_up, support = _get_up(f), f.text("support", False)
        flow = f.refs("flow", {r.area_name for r in cat.regions.values()}, "area")
        halfway = f.text("halfway", False)
        f.done()
        if f.ok and pid:
            needed = tuple(n for n in needs if n)
            position = Position(
                pid, name, setup, reaches, needed, view, turn, drapes=drapes, tool=tool,
                rest=rest, get_up=get_up, flow=flow, support=support, spares=spares,
                halfway=halfway,
            )  # fmt: skip
            yield "positions", position, f.pos


def _drapes(f: Fields, cat: Catalogue, problems: list[Problem]) -> tuple[Drape, ...]:
    """A position's towel moves: before the hands first reach an area, what to say."""
    raw = f.raw("drapes") or []
    if not isinstance(raw, list):
        f.add("drapes", "'drapes' must be a list")
        return ()
    areas = {r.area_name for r in cat.regions.values()}
    out = []
    for i, item in enumerate(raw):
        sub = Fields(item, pos_of(raw, i, f.at("drapes")), "a drape", problems)
        drape = Drape(
            sub.text("area"),
            sub.text("say"),
            sub.refs("bares", areas, "area"),
            sub.refs("covers", areas, "area"),
            sub.refs("keeps", cat.regions, "region"),
        )
        if drape.area and drape.area not in areas:
            sub.add("area", f"unknown area '{drape.area}' (areas: {', '.join(sorted(areas))})")
        sub.done()
        if sub.ok and drape.area and drape.say:
            out.append(drape)
    return tuple(out)


def _range(f: Fields, key: str, lo: int, hi: int) -> Range | None:
    raw = f.raw(key, required=True)
    if raw is None:
        return None
    sub = Fields(raw, f.at(key), f"'{key}'", f.problems)
    values = [sub.integer(k, lo, hi) for k in ("default", "min", "max")]
    sub.done()
    if None in values:
        return None
    default, low, high = (int(v or 0) for v in values)
    if not low <= default <= high:
        f.add(key, f"'{key}' needs min <= default <= max, got {low} <= {default} <= {high}")
        return None
    return Range(default, low, high)


def _check_technique_reach(f: Fields, t: Technique, cat: Catalogue) -> None:
    for region in t.regions:
        if not any(region in cat.positions[p].reaches for p in t.positions if p in cat.positions):
            f.add("regions", f"region '{region}' cannot be reached in any of its positions")
        if not may_touch(cat.regions[region], t):
            f.add(
                "regions",
                f"'{region}' is a no-press zone: only a glide with pressure at "
                f"most 2 may touch it (this is a {t.kind} up to {t.pressure.max})",
            )


def _per_region(
    f: Fields, key: str, what: str, regions: tuple[str, ...]
) -> tuple[tuple[str, str], ...]:
    """Per-region text (`cues`, `names`): a mapping of the technique's own regions to it."""
    raw = f.raw(key)
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        f.add(key, f"'{key}' must map regions to their {what}")
        return ()
    out = []
    for region, text in raw.items():
        where = pos_of(raw, region, f.at(key))
        if region not in regions:
            f.problems.append(where.problem(f"'{key}' names '{region}', not one of its regions"))
        elif not isinstance(text, str) or not text.strip():
            f.problems.append(where.problem(f"the {what} for '{region}' must be text"))
        else:
            out.append((str(region), text.strip()))
    return tuple(out)


def read_techniques(data: Any, file: str, cat: Catalogue, problems: list[Problem]) -> Found:
    """Techniques: how each movement is done, how firm, how long."""
    for item, where in _items(data, "techniques", file, problems):
        f = Fields(item, where, "a technique", problems)
        tid, name, kind = f.ident(), f.text("name"), f.choice("kind", KINDS)
        regions = f.refs("regions", cat.regions, "region", required=True)
        positions = f.refs("positions", cat.positions, "position", required=True)
        hand, rule = f.text("hand_part"), f.choice("stroke_rule", STROKE_RULES)
        stroke_text = f.text("stroke_text")
        pressure = _range(f, "pressure", 1, PARTNER_MAX_PRESSURE)
        seconds = f.number("seconds_per_rep", 1, 60)
        reps = _range(f, "reps", 1, 200)
        per_side, cue, cautions = f.flag("per_side"), f.text("cue"), f.texts("cautions")
        cues = _per_region(f, "cues", "cue", regions)
        names = _per_region(f, "names", "name", regions)
        tires = f.texts("tires")
        f.done()
        if not (f.ok and tid and kind and rule and pressure and reps and seconds):
            continue
        t = Technique(
            tid,
            name,
            kind,
            regions,
            positions,
            hand,
            rule,
            stroke_text,
            pressure,
            seconds,
            reps,
            per_side,
            cue,
            cautions,
            cues=cues,
            names=names,
            tires=tires,
        )
        _check_technique_reach(f, t, cat)
        yield "techniques", t, f.pos


def _step(
    item: Any, where: Pos, default_position: str, cat: Catalogue, problems: list[Problem]
) -> RoutineStep | None:
    f = Fields(item, where, "a step", problems)
    tid = f.choice("technique", cat.techniques) if f.ok else ""
    region = f.choice("region", cat.regions) if f.ok else ""
    reps, pressure = f.integer("reps", 1, 200, False), f.integer("pressure", 1, 10, False)
    position = f.choice("position", cat.positions, required=False) or default_position
    f.done()
    if not (f.ok and tid and region):
        return None
    t = cat.techniques[tid]
    if region not in t.regions:
        f.add(
            "region", f"technique '{tid}' is not for '{region}' (it is for: {', '.join(t.regions)})"
        )
    if position in cat.positions and position not in t.positions:
        f.add("technique", f"technique '{tid}' cannot be done in position '{position}'")
    if position in cat.positions and region not in cat.positions[position].reaches:
        f.add("region", f"'{region}' cannot be reached in position '{position}'")
    if pressure is not None and not t.pressure.min <= pressure <= t.pressure.max:
        f.add(
            "pressure",
            f"pressure {pressure} is outside {tid}'s range {t.pressure.min}-{t.pressure.max}",
        )
    if reps is not None and not t.reps.min <= reps <= t.reps.max:
        f.add("reps", f"reps {reps} is outside {tid}'s range {t.reps.min}-{t.reps.max}")
    return RoutineStep(tid, region, reps, pressure, position)


def _check_routine_shape(
    f: Fields, steps: list[RoutineStep], cat: Catalogue, raw: Any, minutes: int | None
) -> None:
    positions = [s.position for s in steps]
    changes = sum(1 for a, b in itertools.pairwise(positions) if a != b)
    if changes > 1:
        f.add(
            "steps", f"a routine may change position at most once, this one changes {changes} times"
        )
    for label, index in (("first", 0), ("last", len(steps) - 1)):
        step = steps[index]
        t = cat.techniques[step.technique]
        pressure = step.pressure or t.pressure.default
        if not is_light(t.kind, pressure):
            f.problems.append(
                pos_of(raw, index, f.at("steps")).problem(
                    f"the {label} step must be a light glide or stroke at pressure 3 or less, "
                    f"so the session starts and ends gently; this one is a {t.kind} at {pressure}"
                )
            )
    _check_routine_flow(f, steps, cat, raw, minutes)


def _check_routine_flow(
    f: Fields, steps: list[RoutineStep], cat: Catalogue, raw: Any, minutes: int | None
) -> None:
    """The steps can fill the routine's minutes (their order is the author's to choose: the
    source text itself goes back up to the shoulders)."""
    if minutes is None:  # missing or out of range: already reported, never used unchecked
        return
    most = sum(
        cat.techniques[s.technique].reps.max
        * cat.techniques[s.technique].seconds_per_rep
        * (2 if cat.techniques[s.technique].per_side or _turns(cat, s.position) else 1)
        for s in steps
    )
    moves = sum(1 for a, b in itertools.pairwise(steps) if a.region != b.region)
    if most + estimate_overhead(minutes * 60, moves) < minutes * 60 - FIT_TOLERANCE_S:
        f.add(
            "minutes",
            f"the steps fill at most {full_minutes(most)} minutes of massage, too few "
            f"for {minutes} minutes: add steps or lower 'minutes'",
        )


def _turns(cat: Catalogue, position: str | None) -> bool:
    return position in cat.positions and cat.positions[position or ""].turns


def read_routine(data: Any, file: str, cat: Catalogue, problems: list[Problem]) -> Found:
    """One routine file: a named, ordered list of steps."""
    f = Fields(data, Pos(file, 1, 1), "a routine", problems)
    rid, name = f.ident(), f.text("name")
    position = f.choice("position", cat.positions)
    minutes, description = f.integer("minutes", 5, 90), f.text("description", False)
    raw = f.raw("steps", required=True)
    steps: list[RoutineStep] = []
    if raw is not None and not isinstance(raw, list):
        f.add("steps", "'steps' must be a list")
    elif raw is not None:
        for i, item in enumerate(raw):
            step = _step(item, pos_of(raw, i, f.at("steps")), position, cat, problems)
            if step:
                steps.append(step)
        if not raw:
            f.add("steps", "a routine needs at least one step")
    f.done()
    clean = len(problems)
    if steps and len(steps) == len(raw or []):
        _check_routine_shape(f, steps, cat, raw, minutes)
    if f.ok and rid and position and minutes and steps:
        routine = Routine(rid, name, position, minutes, description, tuple(steps))
        if len(problems) == clean and len(steps) == len(raw or []):
            _check_routine_session(f, routine, cat)
        yield "routines", routine, f.pos


def _check_routine_session(f: Fields, routine: Routine, cat: Catalogue) -> None:
    """Plan the routine at its own length and hold it to the session invariants that apply."""
    from dataclasses import replace

    from rubdown.core.invariants import ROUTINE_INVARIANTS, check_plan
    from rubdown.core.models import PlanError, PlanRequest
    from rubdown.core.planner import plan_session

    if not (cat.conditions and cat.positions.get(routine.position)):
        return
    with_it = replace(cat, routines={**cat.routines, routine.id: routine})
    try:
        plan = plan_session(with_it, PlanRequest(routine=routine.id))
    except PlanError as err:
        f.add("steps", f"the routine cannot be planned at {routine.minutes} minutes: {err.message}")
        return
    for problem in check_plan(plan, with_it, ROUTINE_INVARIANTS):
        f.add("steps", f"as a session: {problem}")


def _cap(item: Any, where: Pos, cat: Catalogue, problems: list[Problem]) -> Cap | None:
    f = Fields(item, where, "a cap", problems)
    regions = f.refs("regions", [*cat.regions, "all"], "region", required=True)
    top = f.integer("max_pressure", 1, 10)
    forbid, only = f.refs("forbid_kinds", KINDS, "kind"), f.refs("only_kinds", KINDS, "kind")
    most = f.integer("max_seconds", 30, 5400, False)
    tools = f.refs("forbid_tools", {p.tool for p in cat.positions.values() if p.tool}, "tool")
    f.done()
    return Cap(regions, top, forbid, only, most, tools) if f.ok and regions and top else None


def _warnings(
    f: Fields, cat: Catalogue, problems: list[Problem]
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Warnings as text (about the whole session) or {say, regions} (said at those regions)."""
    raw = f.raw("warnings") or []
    if not isinstance(raw, list):
        f.add("warnings", "'warnings' must be a list")
        return (), ()
    texts: list[str] = []
    regions: list[tuple[str, ...]] = []
    for i, item in enumerate(raw):
        where = pos_of(raw, i, f.at("warnings"))
        if isinstance(item, str) and item.strip():
            texts.append(item.strip())
            regions.append(())
            continue
        sub = Fields(item, where, "a warning", problems)
        say = sub.text("say")
        # "all": about the whole session (said once, before the first touch), whatever the caps.
        about = sub.refs("regions", [*cat.regions, "all"], "region", required=True)
        sub.done()
        if sub.ok and say:
            texts.append(say)
            regions.append(about)
    return tuple(texts), tuple(regions)


def read_conditions(data: Any, file: str, cat: Catalogue, problems: list[Problem]) -> Found:
    """Health conditions and the rules they impose."""
    for item, where in _items(data, "conditions", file, problems):
        f = Fields(item, where, "a condition", problems)
        condition = _condition(f, cat, problems)
        if condition is not None:
            yield "conditions", condition, f.pos


def _condition(f: Fields, cat: Catalogue, problems: list[Problem]) -> Condition | None:
    """One condition read from its fields, or None when it has a problem (recorded)."""
    cid, name, source, explain = f.ident(), f.text("name"), f.text("source"), f.text("explain")
    refuse, instead = f.flag("refuse"), f.text("instead", False)
    raw_caps = f.raw("caps") or []
    caps = [
        _cap(c, pos_of(raw_caps, i, f.at("caps")), cat, problems)
        for i, c in enumerate(raw_caps if isinstance(raw_caps, list) else [])
    ]
    forbid = f.refs("forbid_positions", cat.positions, "position")
    avoid = f.refs("avoid_regions", cat.regions, "region")
    requires_avoid = f.flag("requires_avoid")
    warnings, warning_regions = _warnings(f, cat, problems)
    never_say = tuple(w.lower() for w in f.texts("never_say"))
    extra = _condition_extras(f, cat)
    f.done()
    if (refuse or extra["widespread_at"]) and not instead:
        f.add("refuse", "a refusing condition must say what to do 'instead'")
    if not (f.ok and cid):
        return None
    return Condition(
        cid, name, source, explain, refuse, instead, tuple(c for c in caps if c), forbid, avoid,
        requires_avoid, warnings, warning_regions=warning_regions, never_say=never_say, **extra,
    )  # fmt: skip


def _condition_extras(f: Fields, cat: Catalogue) -> dict[str, Any]:
    """The optional rules a condition may add: preferred positions, questions, limits, oil."""
    raw_minutes = f.raw("position_minutes") or {}
    limits: list[tuple[str, int]] = []
    if not isinstance(raw_minutes, dict):
        f.add("position_minutes", "'position_minutes' must map a position to minutes")
    else:
        for position, value in raw_minutes.items():
            if position not in cat.positions:
                f.add("position_minutes", f"unknown position '{position}'")
            elif not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 90:
                f.add("position_minutes", f"minutes for '{position}' must be 1 to 90")
            else:
                limits.append((str(position), value))
    return {
        "prefer_positions": f.refs("prefer_positions", cat.positions, "position"),
        "ask_first": f.text("ask_first", False),
        "suggest_minutes": f.integer("suggest_minutes", 5, 90, False),
        "position_minutes": tuple(limits),
        "widespread_at": f.integer("widespread_at", 1, 40, False),
        "oil": f.text("oil", False),
    }


READERS: dict[str, Reader] = {
    "regions": read_regions,
    "positions": read_positions,
    "techniques": read_techniques,
    "routine": read_routine,
    "conditions": read_conditions,
}
