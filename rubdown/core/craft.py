"""The shape of a session as therapists build one: small named rules over the step list
(opening and finish in core.frames, time limits in core.caps).

Open with light glides that spread the oil over the whole area to be worked; enter each area
with a glide or light stroke, go deeper only once it is warm, and leave it with a flushing
stroke; keep variety and balance; finish with connecting glides and a still hold.
"""

from __future__ import annotations

from collections.abc import Sequence

from rubdown.core.models import (
    FLUSH_PRESSURE,
    LIGHT_KINDS,
    LIGHT_PRESSURE,
    Catalogue,
    Position,
    Profile,
    Technique,
    is_flushing,
    is_light,
)
from rubdown.core.safety import Limits
from rubdown.core.stepspec import StepSpec, make_spec, respec

FRAME_PRESSURE = 2  # the opening and finishing glides stay at 1-2
OPENING_MIN_S, SHORT_OPENING_MIN_S, SHORT_SESSION_MINUTES = 45.0, 30.0, 15
FINISH_MIN_S = 30.0
HOLD_S = 20.0
RUN_LIMIT_S, FOCUS_RUN_LIMIT_S = 240.0, 360.0
# One step, with an oil top-up before it, fits between two check-ins: they come between steps.
STEP_LIMIT_S = 280.0
DISTINCT_TARGETS = ((45, 10), (30, 8))  # (minutes at least, techniques at least)
SHARE_LIMIT, SHARE_MIN_MINUTES = 0.30, 20
# Under this, a session has room for two or three regions: each takes a bigger share.
REGION_SHARE_MIN_MINUTES = 10
TOOL_SHARE = 0.5
TOOL_WEIGHT = 25.0
DEEP_KINDS = ("knead", "press", "squeeze")
WARM_STROKE_PRESSURE = 2  # a stroke warms a region only this light (a glide up to 3)
FRAME_WEIGHT = 0.5
# The finish connects the whole worked area: on the body's back, the back itself.
MAIN_AREA = "back"
# Caps leave this much room, so rounding a repetition up never crosses a limit.
CAP_MARGIN = 0.97
# An area's steps may each gain a repetition or two to give room for their words.
AREA_CAP_MARGIN = 0.9


def is_deep(kind: str | None, pressure: int | None) -> bool:
    """Kneading, pressing or squeezing above a light touch: work for warm muscle only."""
    return kind in DEEP_KINDS and (pressure or 0) > LIGHT_PRESSURE


def warm_limit(kind: str | None) -> int:
    """The firmest a light movement of this kind may be and still warm: a glide 3, a stroke 2."""
    return LIGHT_PRESSURE if kind == "glide" else WARM_STROKE_PRESSURE


def warms(kind: str | None, pressure: int | None) -> bool:
    """A glide, or a stroke no firmer than a touch: what a region is entered with, so what
    warms it for any other work (a thumb stroke at 3 is already focused work)."""
    return is_light(kind, pressure) and (pressure or 0) <= warm_limit(kind)


def leaves_area(kind: str | None, pressure: int | None, routine: bool) -> bool:
    """A stroke that can leave an area: one at 1-2, or in a routine its own light one (at 3),
    as its author wrote it."""
    return (is_light if routine else is_flushing)(kind, pressure)


def needs_warmth(kind: str | None, pressure: int | None) -> bool:
    """Work a region must be warmed for: kneading, pressing or squeezing at any pressure, and
    anything else firmer than a touch (soft circles at 1-2 are a touch)."""
    if kind in DEEP_KINDS:
        return True
    return not warms(kind, pressure) and (pressure or 0) > WARM_STROKE_PRESSURE


def is_frame_glide(t: Technique) -> bool:
    """An even glide that can be done at 1-2: fit to open or finish a session."""
    return t.kind == "glide" and t.pressure.min <= FRAME_PRESSURE and t.stroke_rule == "even"


def frame_glides(cat: Catalogue) -> tuple[Technique, ...]:
    """The catalogue's frame glides, in its order."""
    return cat.remember(
        "frame glides", lambda: tuple(t for t in cat.techniques.values() if is_frame_glide(t))
    )


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


def usable(cat: Catalogue, t: Technique, region: str, position: Position, limits: Limits) -> bool:
    """Whether a technique may be used on a region in this position, for this receiver."""
    return (
        region in t.regions
        and position.id in t.positions
        and region in position.reaches
        and limits.allows(t, region, cat.regions[region].no_press)
    )


def _light_options(
    cat: Catalogue,
    position: Position,
    limits: Limits,
    region: str,
    avoid_tid: str | None,
    also: str | None = None,
) -> list[Technique]:
    key = ("light", position.id, region, avoid_tid, also)
    return list(
        limits.remember(key, lambda: _find_light(cat, position, limits, region, (avoid_tid, also)))
    )


def has_light_stroke(cat: Catalogue, position: Position, limits: Limits, region: str) -> bool:
    """Whether a glide or light stroke can open (and leave) a region here."""
    return bool(_light_options(cat, position, limits, region, None))


def _find_light(
    cat: Catalogue,
    position: Position,
    limits: Limits,
    region: str,
    avoid: tuple[str | None, ...],
) -> list[Technique]:
    found = [
        t
        for t in cat.placed(region, position.id)
        if t.kind in LIGHT_KINDS
        and warms(t.kind, t.pressure.min)
        and usable(cat, t, region, position, limits)
    ]
    # Glides first; a different technique from the neighbours, so nothing runs on too long
    # and no stroke is explained twice running. One simple stroke for both sides is quicker
    # to say and to do than one side at a time.
    found.sort(key=lambda t: (t.kind != "glide", t.id in avoid, t.per_side, t.pressure.min, t.id))
    return found


def _light_step(
    cat: Catalogue,
    t: Technique,
    region: str,
    position: Position,
    profile: Profile,
    limits: Limits,
    role: str,
) -> StepSpec:
    """A light entry or flush: the same one comes back in every choice composing tries."""

    def make() -> StepSpec:
        spec = make_spec(cat, t, region, position, profile, limits)
        return respec(
            spec,
            # A flush is lighter than the work it follows; an entry warms (a stroke at 1-2).
            pressure=min(spec.pressure, FLUSH_PRESSURE if role == "flush" else warm_limit(t.kind)),
            role=role,
            weight=FRAME_WEIGHT,
            default_reps=max(spec.min_reps, min(spec.default_reps, 4)),
        )

    return limits.remember(("light step", t.id, region, position.id, role), make)


def enter_and_flush(
    cat: Catalogue,
    _position: Position,  # each area's own steps say where they are done
    profile: Profile,
    limits: Limits,
    specs: list[StepSpec],
    before: StepSpec | None = None,
    routine: bool = False,
) -> list[StepSpec]:
    """Each area opens with a glide or light stroke and closes with one that leaves it
    (leaves_area: in a routine, its own light stroke may).

    An area where no light stroke is possible keeps only its light steps: deep work needs warm
    muscle first.
    """
    out: list[StepSpec] = []
    for _, indices in area_runs(specs):
        previous = out[-1] if out else before
        block = warm_regions(cat, profile, limits, [specs[i] for i in indices], previous)
        if block and not is_light(block[0].technique.kind, block[0].pressure):
            entry = _entry(cat, block[0].position, profile, limits, block, previous)
            if entry is None:
                # No light way in: only the light steps of this area are done, or none at all.
                block = [s for s in block if is_light(s.technique.kind, s.pressure)]
            else:
                block.insert(0, entry)
        if block and not leaves_area(block[-1].technique.kind, block[-1].pressure, routine):
            block = _flushed(cat, profile, limits, block)
        out.extend(block)
    return out


def warm_regions(
    cat: Catalogue,
    profile: Profile,
    limits: Limits,
    block: list[StepSpec],
    before: StepSpec | None,
) -> list[StepSpec]:
    """A light entry on each region before its first step, where other work on it would
    otherwise come before any warming stroke there; without one, that work stays light."""
    out = list(block)
    for region in _cold_regions(block):
        steps = [s for s in out if s.region.id == region]
        at, where = out.index(steps[0]), steps[0].position
        last = out[at - 1] if at else before
        avoid = last.technique.id if last else None
        options = _light_options(cat, where, limits, region, avoid, steps[0].technique.id)
        if options:
            out.insert(at, _light_step(cat, options[0], region, where, profile, limits, "entry"))
        else:
            out = [x for s in out for x in (_lightened(s) if s.region.id == region else [s])]
    return out


def _cold_regions(block: Sequence[StepSpec]) -> list[str]:
    """The regions whose work needing warmth comes before any warming stroke on them."""
    warm: set[str] = set()
    cold: list[str] = []
    for spec in block:
        region, kind = spec.region.id, spec.technique.kind
        if warms(kind, spec.pressure):
            warm.add(region)
        elif region not in warm and needs_warmth(kind, spec.pressure):
            warm.add(region)  # counted once
            cold.append(region)
    return cold


def _lightened(spec: StepSpec) -> list[StepSpec]:
    """Deep work on a region no light stroke can warm, kept at a light touch, or left out."""
    if not is_deep(spec.technique.kind, spec.pressure):
        return [spec]
    if spec.technique.pressure.min > LIGHT_PRESSURE:
        return []
    return [respec(spec, pressure=LIGHT_PRESSURE)]


def _flushed(
    cat: Catalogue, profile: Profile, limits: Limits, block: list[StepSpec]
) -> list[StepSpec]:
    """The area's steps with a flushing stroke after them, or cut back to their last light one."""
    last = block[-1]
    regions = sorted({s.region.id for s in block}, key=cat.region_order, reverse=True)
    where = last.position
    for region in regions:
        options = [
            t
            for t in _light_options(cat, where, limits, region, last.technique.id)
            if t.pressure.min <= FLUSH_PRESSURE
        ]
        if options:
            return [*block, _light_step(cat, options[0], region, where, profile, limits, "flush")]
    out = list(block)
    while out and not is_light(out[-1].technique.kind, out[-1].pressure):
        out.pop()  # no flushing stroke here: end on the last light one
    return out


def _entry(
    cat: Catalogue,
    position: Position,
    profile: Profile,
    limits: Limits,
    block: list[StepSpec],
    before: StepSpec | None,
) -> StepSpec | None:
    regions = sorted({s.region.id for s in block}, key=cat.region_order)
    avoid_tid = before.technique.id if before else None
    for region in regions:
        options = _light_options(cat, position, limits, region, avoid_tid, block[0].technique.id)
        if options:
            return _light_step(cat, options[0], region, position, profile, limits, "entry")
    return None


def covers_area(cat: Catalogue, t: Technique, area: str) -> bool:
    """Whether an opening or finishing glide reaches into an area."""
    return any(cat.regions[r].area_name == area for r in t.regions if r in cat.regions)


def covered_ends(specs: list[StepSpec], cat: Catalogue) -> list[StepSpec]:
    """The opening glides already enter the area that follows them; the finish flushes the last."""
    first, last = specs[0].technique, specs[-1].technique
    if len(specs) > 3:
        specs = [specs[0], *_opened(cat, first, specs[1:-1]), specs[-1]]
    if (
        len(specs) > 3
        and specs[-2].role == "flush"
        and covers_area(cat, last, specs[-2].region.area_name)
    ):
        specs = [*specs[:-2], specs[-1]]
    return specs


def _opened(cat: Catalogue, opening: Technique, inner: list[StepSpec]) -> list[StepSpec]:
    """The first area's steps less the entries the opening glides make needless."""
    first = inner[0]
    ends = (
        s.region.area_name != first.region.area_name or s.position.id != first.position.id
        for s in inner
    )
    n = next((i for i, end in enumerate(ends) if end), len(inner))
    run = inner[:n]
    kept = [s for i, s in enumerate(run) if not _needless(cat, opening, run, i)]
    return [*kept, *inner[n:]] or inner


def _needless(cat: Catalogue, opening: Technique, inner: list[StepSpec], i: int) -> bool:
    """An entry on a region the opening glides cover, or the area's first entry when they
    reach into its area and no deep work on its own region waits for it."""
    entry = inner[i]
    if entry.role != "entry":
        return False
    if entry.region.id in opening.regions:
        return True
    waits = entry.region.id in _cold_regions(inner[i + 1 :])
    return i == 0 and covers_area(cat, opening, entry.region.area_name) and not waits


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
