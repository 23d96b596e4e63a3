"""The shape of a session as therapists build one: small named rules over the step list.

Open with light glides that spread the oil over the whole area to be worked; enter each area
with a glide or light stroke, go deeper only once it is warm, and leave it with a flushing
stroke; keep variety and balance; finish with connecting glides and a still hold.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from rubdown.core.models import (
    LIGHT_KINDS,
    LIGHT_PRESSURE,
    Catalogue,
    Position,
    Profile,
    Segment,
    Technique,
    is_light,
)
from rubdown.core.safety import Limits
from rubdown.core.stepspec import StepSpec, respec

FRAME_PRESSURE = 2  # the opening and finishing glides stay at 1-2
OPENING_MIN_S, SHORT_OPENING_MIN_S, SHORT_SESSION_MINUTES = 45.0, 30.0, 15
FINISH_MIN_S = 30.0
HOLD_S = 20.0
RUN_LIMIT_S, FOCUS_RUN_LIMIT_S = 240.0, 360.0
DISTINCT_TARGETS = ((45, 10), (30, 8))  # (minutes at least, techniques at least)
SHARE_LIMIT, SHARE_MIN_MINUTES = 0.30, 20
TOOL_SHARE = 0.5
TOOL_WEIGHT = 25.0
DEEP_KINDS = ("knead", "press", "squeeze")
FRAME_WEIGHT = 0.5
FRAMES = ("opening", "finish")
# The finish connects the whole worked area: on the body's back, the back itself.
MAIN_AREA = "back"
# Caps leave this much room, so rounding a repetition up never crosses a limit.
CAP_MARGIN = 0.97
# An area's steps may each gain a repetition or two to give room for their words.
AREA_CAP_MARGIN = 0.9


def is_deep(kind: str | None, pressure: int | None) -> bool:
    """Kneading, pressing or squeezing above a light touch: work for warm muscle only."""
    return kind in DEEP_KINDS and (pressure or 0) > LIGHT_PRESSURE


def is_frame_glide(t: Technique) -> bool:
    """An even glide that can be done at 1-2: fit to open or finish a session."""
    return t.kind == "glide" and t.pressure.min <= FRAME_PRESSURE and t.stroke_rule == "even"


def opening_min_s(minutes: int) -> float:
    """How long the opening glides last at least."""
    return OPENING_MIN_S if minutes >= SHORT_SESSION_MINUTES else SHORT_OPENING_MIN_S


def distinct_target(minutes: int) -> int:
    """How many different techniques a generated session of this length uses at least."""
    return next((count for least, count in DISTINCT_TARGETS if minutes >= least), 0)


def area_runs(specs: Sequence[StepSpec]) -> list[tuple[str, list[int]]]:
    """Consecutive steps in the same area, as (area, indices)."""
    runs: list[tuple[str, list[int]]] = []
    for i, spec in enumerate(specs):
        area = spec.region.area_name
        same = runs and specs[runs[-1][1][-1]].position.id == spec.position.id
        if runs and runs[-1][0] == area and same:
            runs[-1][1].append(i)
        else:
            runs.append((area, [i]))
    return runs


def _usable(cat: Catalogue, t: Technique, region: str, position: Position, limits: Limits) -> bool:
    return (
        region in t.regions
        and position.id in t.positions
        and region in position.reaches
        and limits.allows(t, region, cat.regions[region].no_press)
    )


def _light_options(
    cat: Catalogue, position: Position, limits: Limits, region: str, avoid_tid: str | None
) -> list[Technique]:
    key = ("light", position.id, region, avoid_tid)
    return list(limits.remember(key, lambda: _find_light(cat, position, limits, region, avoid_tid)))


def has_light_stroke(cat: Catalogue, position: Position, limits: Limits, region: str) -> bool:
    """Whether a glide or light stroke can open (and leave) a region here."""
    return bool(_light_options(cat, position, limits, region, None))


def _find_light(
    cat: Catalogue, position: Position, limits: Limits, region: str, avoid_tid: str | None
) -> list[Technique]:
    found = [
        t
        for t in cat.techniques.values()
        if t.kind in LIGHT_KINDS
        and t.pressure.min <= LIGHT_PRESSURE
        and _usable(cat, t, region, position, limits)
    ]
    # Glides first; a different technique from the neighbour, so nothing runs on too long.
    # One simple stroke for both sides is quicker to say and to do than one side at a time.
    found.sort(
        key=lambda t: (t.kind != "glide", t.id == avoid_tid, t.per_side, t.pressure.min, t.id)
    )
    return found


def _light_spec(spec: StepSpec, role: str) -> StepSpec:
    return respec(
        spec,
        pressure=min(spec.pressure, LIGHT_PRESSURE),
        role=role,
        weight=FRAME_WEIGHT,
        default_reps=max(spec.min_reps, min(spec.default_reps, 4)),
    )


def enter_and_flush(
    cat: Catalogue,
    _position: Position,  # each area's own steps say where they are done
    profile: Profile,
    limits: Limits,
    specs: list[StepSpec],
    before: StepSpec | None = None,
) -> list[StepSpec]:
    """Each area opens with a glide or light stroke and closes with a flushing one.

    An area where no light stroke is possible keeps only its light steps: deep work needs warm
    muscle first.
    """
    from rubdown.core.compose import make_spec

    out: list[StepSpec] = []
    for _, indices in area_runs(specs):
        block = [specs[i] for i in indices]
        if not is_light(block[0].technique.kind, block[0].pressure):
            previous = out[-1] if out else before
            entry = _entry(cat, block[0].position, profile, limits, block, previous)
            if entry is None:
                # No light way in: only the light steps of this area are done, or none at all.
                block = [s for s in block if is_light(s.technique.kind, s.pressure)]
                if not block:
                    continue
            else:
                block.insert(0, entry)
        if not is_light(block[-1].technique.kind, block[-1].pressure):
            last = block[-1]
            regions = sorted({s.region.id for s in block}, key=cat.region_order, reverse=True)
            where = last.position
            for region in regions:
                options = _light_options(cat, where, limits, region, last.technique.id)
                if options:
                    spec = make_spec(cat, options[0], region, where, profile, limits)
                    block.append(_light_spec(spec, "flush"))
                    break
            else:
                while block and not is_light(block[-1].technique.kind, block[-1].pressure):
                    block.pop()  # no flushing stroke here: end on the last light one
                if not block:
                    continue
        out.extend(block)
    return out


def _entry(
    cat: Catalogue,
    position: Position,
    profile: Profile,
    limits: Limits,
    block: list[StepSpec],
    before: StepSpec | None,
) -> StepSpec | None:
    from rubdown.core.compose import make_spec

    regions = sorted({s.region.id for s in block}, key=cat.region_order)
    avoid_tid = before.technique.id if before else None
    for region in regions:
        options = _light_options(cat, position, limits, region, avoid_tid)
        if options:
            spec = make_spec(cat, options[0], region, position, profile, limits)
            return _light_spec(spec, "entry")
    return None


def frame_areas(cat: Catalogue, t: Technique, worked: Sequence[str], limits: Limits) -> list[str]:
    """The areas an opening or finishing glide covers: those of the worked regions it reaches."""
    covered = [r for r in t.regions if r in worked] or [
        r for r in t.regions if r not in limits.avoid
    ]
    ordered = sorted(covered, key=cat.region_order)
    names: list[str] = []
    for r in ordered:
        area = cat.regions[r].area_name
        # An area named after an avoided region ("neck and shoulders") is named by its parts.
        names.append(area if limits.speakable(area) else cat.regions[r].name.lower())
    return list(dict.fromkeys(names))


def main_area(cat: Catalogue, worked: Sequence[str]) -> str | None:
    """The area a session is built around: the back when it is worked, else the most worked."""
    return main_of([cat.regions[r].area_name for r in worked if r in cat.regions])


def main_of(areas: Sequence[str]) -> str | None:
    """The main area among the areas of the worked steps."""
    if MAIN_AREA in areas:
        return MAIN_AREA
    return max(dict.fromkeys(areas), key=areas.count) if areas else None


def _frame_technique(
    cat: Catalogue,
    position: Position,
    limits: Limits,
    worked: Sequence[str],
    avoid_tid: str | None,
    main: str | None = None,
) -> tuple[Technique, str] | None:
    """The light glide that covers most of the worked area, and the region it starts on.

    With `main` (for the finish), one that covers that area first, even if the opening used it.
    """
    key = ("frame", position.id, tuple(worked), avoid_tid, main)
    return limits.remember(key, lambda: _find_frame(cat, position, limits, worked, avoid_tid, main))


def _find_frame(
    cat: Catalogue,
    position: Position,
    limits: Limits,
    worked: Sequence[str],
    avoid_tid: str | None,
    main: str | None,
) -> tuple[Technique, str] | None:
    best: tuple[tuple[int, int, int, int, int, str], Technique, str] | None = None
    for t in cat.techniques.values():
        if not is_frame_glide(t):
            continue
        regions = [r for r in t.regions if _usable(cat, t, r, position, limits)]
        if not regions:
            continue
        covered = [r for r in regions if r in worked]
        areas = {cat.regions[r].area_name for r in covered}
        start = min(covered or regions, key=cat.region_order)
        if cat.regions[start].no_press:
            start = next(
                (
                    r
                    for r in sorted(covered or regions, key=cat.region_order)
                    if not cat.regions[r].no_press
                ),
                start,
            )
        fresh = t.id != avoid_tid
        score: tuple[int, int, int, int, int, str]
        if main is None:
            score = (bool(covered), fresh, len(areas), True, len(covered), t.id)
        else:
            score = (bool(covered), main in areas, len(areas), len(covered), fresh, t.id)
        if best is None or score > best[0]:
            best = (score, t, start)
    return (best[1], best[2]) if best else None


def as_frame(
    cat: Catalogue, spec: StepSpec, role: str, minutes: int, worked: Sequence[str], limits: Limits
) -> StepSpec:
    """A light glide made the opening or the finish: long enough, light enough, over it all."""
    t = spec.technique
    least_s = opening_min_s(minutes) if role == "opening" else FINISH_MIN_S
    least = max(t.reps.min, math.ceil(least_s / (t.seconds_per_rep * spec.sides)))
    return respec(
        spec,
        pressure=max(min(spec.pressure, FRAME_PRESSURE), t.pressure.min),
        max_pressure=max(min(spec.max_pressure, FRAME_PRESSURE), t.pressure.min),
        role=role,
        weight=FRAME_WEIGHT,
        min_reps=least,
        default_reps=max(least + 1, min(spec.default_reps, t.reps.max)),
        max_reps=max(t.reps.max, least + 2),
        areas=tuple(frame_areas(cat, t, worked, limits)),
        covers=covered_areas(cat, t, limits),
    )


def covered_areas(cat: Catalogue, t: Technique, limits: Limits) -> tuple[str, ...]:
    """The areas a technique's regions belong to, head to toe, leaving out avoided regions."""
    regions = sorted(
        (r for r in t.regions if r in cat.regions and r not in limits.avoid), key=cat.region_order
    )
    return tuple(dict.fromkeys(cat.regions[r].area_name for r in regions))


def _frame_spec(
    cat: Catalogue,
    position: Position,
    profile: Profile,
    limits: Limits,
    choice: tuple[Technique, str],
    role: str,
    minutes: int,
    worked: Sequence[str],
) -> StepSpec:
    from rubdown.core.compose import make_spec

    t, region = choice
    spec = make_spec(cat, t, region, position, profile, limits)
    return as_frame(cat, respec(spec, default_reps=0), role, minutes, worked, limits)


def frame(
    cat: Catalogue,
    position: Position,
    profile: Profile,
    limits: Limits,
    specs: list[StepSpec],
    minutes: int,
) -> list[StepSpec] | None:
    """Add the opening and finishing glides; None when no light glide is possible here."""
    worked = [s.region.id for s in specs]
    opening = _frame_technique(cat, position, limits, worked, None)
    if opening is None:
        return None
    # The finish is done where the session ends (a routine may have changed position).
    ending = specs[-1].position if specs else position
    finish = _frame_technique(
        cat, ending, limits, worked, opening[0].id, main_area(cat, worked) or ""
    )
    if finish is None:
        finish = opening if ending.id == position.id else None
    if finish is None:
        return None
    first = _frame_spec(cat, position, profile, limits, opening, "opening", minutes, worked)
    last = _frame_spec(cat, ending, profile, limits, finish, "finish", minutes, worked)
    return covered_ends([first, *specs, last], cat)


def covers_area(cat: Catalogue, t: Technique, area: str) -> bool:
    """Whether an opening or finishing glide reaches into an area."""
    return any(cat.regions[r].area_name == area for r in t.regions if r in cat.regions)


def covered_ends(specs: list[StepSpec], cat: Catalogue) -> list[StepSpec]:
    """The opening glides already enter the area that follows them; the finish flushes the last."""
    first, last = specs[0].technique, specs[-1].technique
    if (
        len(specs) > 3
        and specs[1].role == "entry"
        and covers_area(cat, first, specs[1].region.area_name)
    ):
        specs = [specs[0], *specs[2:]]
    if (
        len(specs) > 3
        and specs[-2].role == "flush"
        and covers_area(cat, last, specs[-2].region.area_name)
    ):
        specs = [*specs[:-2], specs[-1]]
    return specs


def light_area_ends(specs: list[StepSpec]) -> list[StepSpec]:
    """A routine's glides and strokes that enter or leave an area stay light, whatever the
    preferred pressure: they are its entries and flushes."""
    out = list(specs)
    for _, indices in area_runs(specs[1:-1]):
        for i, role in ((indices[0] + 1, "entry"), (indices[-1] + 1, "flush")):
            spec = out[i]
            if spec.role == "work" and spec.technique.kind in LIGHT_KINDS:
                low = spec.technique.pressure.min
                out[i] = respec(spec, role=role, pressure=max(low, min(spec.pressure, 3)))
    return out


def _cap(spec: StepSpec, seconds: float) -> StepSpec:
    per_rep = spec.technique.seconds_per_rep * spec.sides
    most = max(1, math.floor(seconds * CAP_MARGIN / per_rep))
    if most >= spec.max_reps:
        return spec
    least = min(spec.min_reps, most)
    return respec(spec, max_reps=most, min_reps=least, default_reps=min(spec.default_reps, most))


def technique_runs(specs: Sequence[StepSpec]) -> list[list[int]]:
    """Consecutive steps with the same technique, as lists of indices."""
    runs: list[list[int]] = []
    for i, spec in enumerate(specs):
        if runs and specs[runs[-1][-1]].technique.id == spec.technique.id:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def cap_time(
    specs: list[StepSpec], profile: Profile, limits: Limits, minutes: int, generated: bool
) -> list[StepSpec]:
    """Limit how long one technique runs in a row and how much time a region may take."""
    out = list(specs)
    for run in technique_runs(out):
        focus = any(out[i].region.id in profile.focus for i in run)
        limit = FOCUS_RUN_LIMIT_S if focus else RUN_LIMIT_S
        for i in run:
            out[i] = _cap(out[i], limit / len(run))
    window = minutes * 60.0
    by_region: dict[str, list[int]] = {}
    by_area: dict[str, list[int]] = {}
    for i, spec in enumerate(out):
        if spec.role not in ("opening", "finish"):
            by_region.setdefault(spec.region.id, []).append(i)
            by_area.setdefault(spec.region.area_name, []).append(i)
    for region, indices in by_region.items():
        given = limits.max_seconds.get(region)
        if given is not None:
            for i in indices:
                out[i] = _cap(out[i], given / len(indices))
    if generated and minutes >= SHARE_MIN_MINUTES:
        main = main_of([s.region.area_name for s in out if s.role not in FRAMES])
        for area, indices in by_area.items():
            # The area the session is built around (the back) may take more: it is the session.
            if area == main or any(out[i].region.id in profile.focus for i in indices):
                continue
            _cap_together(out, indices, AREA_CAP_MARGIN * area_share(area) * window)
    return out


def _cap_together(out: list[StepSpec], indices: list[int], seconds: float) -> None:
    """Steps that together may take at most `seconds`: each keeps its share of their longest."""
    longest = [out[i].max_reps * out[i].technique.seconds_per_rep * out[i].sides for i in indices]
    total = sum(longest)
    if total <= seconds:
        return
    for i, most in zip(indices, longest, strict=True):
        out[i] = _cap(out[i], seconds * most / total)


def area_share(_area: str) -> float:
    """The most of a session an area that is not a focus may take."""
    return SHARE_LIMIT


def weigh_tool(position: Position, specs: list[StepSpec], minutes: int) -> list[StepSpec]:
    """In a position meant for one tool (the forearm), its techniques get most of the time.

    When the tool's techniques can fill half the session, whatever else is done may take no
    more time than they do; when they cannot, they are all done at their longest.
    """
    if not position.tool:
        return specs
    tool = [s.technique.uses(position.tool) for s in specs]
    if not any(tool):
        return specs
    out = [
        respec(s, weight=s.weight * TOOL_WEIGHT) if uses and s.role not in FRAMES else s
        for s, uses in zip(specs, tool, strict=True)
    ]
    most = sum(
        min(s.max_reps * s.technique.seconds_per_rep * s.sides, RUN_LIMIT_S)
        for s, uses in zip(out, tool, strict=True)
        if uses
    )
    others = [i for i, uses in enumerate(tool) if not uses and specs[i].role not in FRAMES]
    # Steps take most of a session; the pauses between them the rest.
    room = max(most, 0.9 * minutes * 60 - most)
    for i in others:
        out[i] = _cap(out[i], max(room / len(others), 30.0))
    return out


def keep_tool_share(position: Position, specs: list[StepSpec]) -> list[StepSpec]:
    """Leave out hand work until the position's tool has half the time even at the fewest
    repetitions (a short or adapted routine on a chair); an area left with only its light
    entry and flush goes too."""
    if not position.tool or len(specs) < 3:
        return specs
    out = list(specs)

    def least(s: StepSpec) -> float:
        reps = max(s.min_reps, s.least_first_reps("left" if s.sides == 2 else "both"))
        return reps * s.technique.seconds_per_rep * s.sides

    while True:
        inner = [s for s in out[1:-1] if s.role == "work"]
        tool = sum(least(s) for s in inner if s.technique.uses(position.tool))
        work = [
            i
            for i, s in enumerate(out)
            if 0 < i < len(out) - 1 and s.role == "work" and not s.technique.uses(position.tool)
        ]
        # A margin: the fit rounds repetitions and may grow the hand work a little.
        if not work or tool >= (TOOL_SHARE + 0.05) * sum(least(s) for s in inner):
            break
        del out[work[-1]]
    keep = [out[0]]
    for _, indices in area_runs(out[1:-1]):
        run = [out[i + 1] for i in indices]
        if any(s.role == "work" for s in run):
            keep.extend(run)
    return [*keep, out[-1]]


def shorten(specs: list[StepSpec]) -> list[StepSpec] | None:
    """One work step fewer (from the area with the most), for a routine asked to be shorter;
    an area left with only its light entry and flush goes too. None when nothing can go."""
    inner = specs[1:-1]
    runs = [(area, idx) for area, idx in area_runs(inner)]
    counts = [sum(1 for i in idx if inner[i].role == "work") for _, idx in runs]
    if not runs or (max(counts) <= 1 and len(runs) <= 1):
        return None
    area_i = max(range(len(runs)), key=lambda k: (counts[k], k))
    work = [i for i in runs[area_i][1] if inner[i].role == "work"]
    if not work:
        return None
    # In a position meant for one tool, the other work goes first.
    tool = specs[0].position.tool
    work.sort(key=lambda i: (not (tool and inner[i].technique.uses(tool)), i))
    out = [s for i, s in enumerate(inner) if i != work[-1]]
    keep = []
    for _, idx in area_runs(out):
        run = [out[i] for i in idx]
        if any(s.role == "work" for s in run):
            keep.extend(run)
    return [specs[0], *keep, specs[-1]]


def runs_too_long(segments: Sequence[Segment], focus: Sequence[str]) -> bool:
    """Whether a laid-out plan runs one technique longer in a row than the limit allows."""
    steps = [s for s in segments if s.kind == "step"]
    for _, run in itertools.groupby(steps, key=lambda s: s.technique):
        segs = list(run)
        limit = FOCUS_RUN_LIMIT_S if any(s.region in focus for s in segs) else RUN_LIMIT_S
        if sum(s.duration_s for s in segs) > limit + 1.0:
            return True
    return False
