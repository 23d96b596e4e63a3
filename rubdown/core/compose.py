"""Choosing the steps of a session: from a routine, or composed from the catalogue."""

from __future__ import annotations

import random
from collections.abc import Sequence

from rubdown.core.layout import StepSpec, estimate_overhead
from rubdown.core.models import (
    Catalogue,
    PlanError,
    Position,
    Profile,
    Routine,
    Technique,
    is_light,
)
from rubdown.core.safety import Limits

FOCUS_WEIGHT = 3.0
FAVOURITE_WEIGHT = 1.5
FOCUS_TECHNIQUES = 3
FOCUS_REPS_FACTOR = 2
MIN_STEP_S = 50.0  # a short session gets fewer, fuller steps rather than many token ones
# Regions are added until their default lengths fill this share of the time; the fit stretches
# them (focus first) to the rest, so a session goes deeper rather than touching everything.
FILL_WITH_DEFAULTS = 0.7
# Where most people carry tension first; regions not listed come after, head to toe.
REGION_PRIORITY = (
    "shoulders",
    "upper-back",
    "neck",
    "shoulder-blades",
    "mid-back",
    "lower-back",
    "skull-base",
    "hips",
    "glutes",
    "upper-arms",
    "calves",
    "thighs",
    "forearms",
    "feet",
    "hands",
    "spine",
)
CLOSING_REGIONS = ("spine", "upper-back", "mid-back", "lower-back", "shoulder-blades", "shoulders")
KIND_ORDER = ("glide", "stroke", "circles", "squeeze", "knead", "press")


def _pressure(
    cat: Catalogue,
    t: Technique,
    region: str,
    profile: Profile,
    limits: Limits,
    wanted: int | None = None,
) -> tuple[int, int]:
    """The step's pressure and its ceiling: learned or wanted, nudged by preference, capped."""
    cap = min(limits.cap_for(region, cat.regions[region].no_press), t.pressure.max)
    learned = dict(profile.learned_pressure).get(region)
    value = learned if learned is not None else (wanted or t.pressure.default)
    if profile.pressure == "firm" and learned is None and wanted is None:
        value += 1
    return max(min(value, cap), t.pressure.min), cap


def make_spec(
    cat: Catalogue,
    t: Technique,
    region: str,
    position: Position,
    profile: Profile,
    limits: Limits,
    reps: int | None = None,
    wanted: int | None = None,
) -> StepSpec:
    """A step spec with safe pressure, bounds and weight."""
    pressure, cap = _pressure(cat, t, region, profile, limits, wanted)
    focus = region in profile.focus
    weight = FOCUS_WEIGHT if focus else 1.0
    if t.id in profile.favourites:
        weight *= FAVOURITE_WEIGHT
    # A focus area may go past a technique's usual count: that is what focus asks for.
    most = t.reps.max * FOCUS_REPS_FACTOR if focus else t.reps.max
    default = min(max(reps or t.reps.default, t.reps.min), t.reps.max)
    return StepSpec(
        t, cat.regions[region], position, pressure, cap, t.reps.min, most, default, weight
    )


def _candidates(cat: Catalogue, region: str, position: Position, limits: Limits) -> list[Technique]:
    no_press = cat.regions[region].no_press
    return [
        t
        for t in cat.techniques.values()
        if region in t.regions and position.id in t.positions and limits.allows(t, region, no_press)
    ]


def _substitute(
    cat: Catalogue, t: Technique, region: str, position: Position, limits: Limits
) -> Technique | None:
    options = _candidates(cat, region, position, limits)
    options.sort(key=lambda o: (o.kind != t.kind, abs(o.pressure.default - t.pressure.default)))
    return options[0] if options else None


def from_routine(
    cat: Catalogue, routine: Routine, profile: Profile, limits: Limits, notes: list[str]
) -> list[StepSpec]:
    """The routine's steps, adapted: avoided regions dropped, unsafe techniques replaced."""
    specs: list[StepSpec] = []
    for step in routine.steps:
        position = cat.positions[step.position or routine.position]
        t = cat.techniques[step.technique]
        region_name = cat.regions[step.region].name.lower()
        if step.region in limits.avoid:
            notes.append(f"Skipped {t.name.lower()} on the {region_name}: that area is avoided.")
            continue
        if not limits.allows(t, step.region, cat.regions[step.region].no_press):
            swap = _substitute(cat, t, step.region, position, limits)
            if swap is None:
                notes.append(f"Skipped {t.name.lower()} on the {region_name}: not safe today.")
                continue
            notes.append(
                f"{swap.name} instead of {t.name.lower()} on the {region_name}: "
                f"gentler, as the conditions require."
            )
            t = swap
        specs.append(
            make_spec(cat, t, step.region, position, profile, limits, step.reps, step.pressure)
        )
    missing = [f for f in profile.focus if f not in {s.region.id for s in specs}]
    if missing:
        notes.append(
            f"This routine does not cover {', '.join(missing)}; plan without a routine "
            f"to include it."
        )
    _note_focus(cat, profile, specs, notes)
    return _with_light_ends(
        cat, specs[0].position if specs else cat.positions[routine.position], specs, profile, limits
    )


def _rank(cands: list[Technique], profile: Profile, rng: random.Random | None) -> list[Technique]:
    ordered = sorted(cands, key=lambda t: (t.id not in profile.favourites, len(t.regions)))
    if rng is not None:
        rng.shuffle(ordered)
        ordered.sort(key=lambda t: t.id not in profile.favourites)
    return ordered


def _region_order(cat: Catalogue, regions: Sequence[str], focus: Sequence[str]) -> list[str]:
    def rank(r: str) -> tuple[int, int, int]:
        listed = REGION_PRIORITY.index(r) if r in REGION_PRIORITY else len(REGION_PRIORITY)
        return (r not in focus, listed, cat.regions[r].order)

    return sorted(regions, key=rank)


def _overhead(window: float, regions: int) -> float:
    return estimate_overhead(window, regions)


def from_catalogue(
    cat: Catalogue,
    position: Position,
    profile: Profile,
    limits: Limits,
    window: float,
    rng: random.Random | None,
    notes: list[str],
) -> list[StepSpec]:
    """Compose steps head to toe: the most wanted regions first, until the time is used."""
    reachable = [r for r in position.reaches if r not in limits.avoid]
    for region in profile.focus:
        if region not in position.reaches:
            notes.append(
                f"The {cat.regions[region].name.lower()} cannot be reached "
                f"{position.name.lower()}; choose another position to include it."
            )
    options = {r: _rank(_candidates(cat, r, position, limits), profile, rng) for r in reachable}
    regions = [r for r in _region_order(cat, reachable, profile.focus) if options[r]]
    for region in profile.focus:
        if region in options and not options[region]:
            name = cat.regions[region].name.lower()
            notes.append(f"No technique here works the {name} safely, so they are left out.")
    if not regions:
        raise PlanError("nothing is left to massage with these areas avoided")
    chosen = _choose_regions(profile, options, regions, window)
    _fit_short_session(cat, chosen, window, notes)
    _grow(chosen, options, regions, window)
    specs = _specs(cat, chosen, position, profile, limits)
    _note_focus(cat, profile, specs, notes)
    return _with_light_ends(cat, position, specs, profile, limits)


def _seconds(t: Technique, reps: int) -> float:
    return reps * t.seconds_per_rep * (1 + t.per_side)


def _choose_regions(
    profile: Profile, options: dict[str, list[Technique]], regions: list[str], window: float
) -> dict[str, list[Technique]]:
    """Every focus region, then the most wanted others until their usual lengths fill the time."""
    chosen: dict[str, list[Technique]] = {}
    planned = 0.0
    for region in regions:
        focus = region in profile.focus
        if not focus and planned >= FILL_WITH_DEFAULTS * (window - _overhead(window, len(chosen))):
            break
        chosen[region] = options[region][: FOCUS_TECHNIQUES if focus else 1]
        # Count a focus region at its weighted length, so it keeps room to grow.
        share = FOCUS_WEIGHT if focus else 1.0
        planned += share * sum(_seconds(t, t.reps.default) for t in chosen[region])
    return chosen


def _fit_short_session(
    cat: Catalogue,
    chosen: dict[str, list[Technique]],
    window: float,
    notes: list[str],
) -> None:
    """When a short session cannot give each step half its usual count, trim extras, then regions.

    Below half its usual count a step is a token gesture; fewer, fuller steps feel better.
    """

    def least() -> float:
        steps = sum(
            _seconds(t, max(t.reps.min, t.reps.default // 2)) for ts in chosen.values() for t in ts
        )
        return steps + _overhead(window, len(chosen))

    def too_full() -> bool:
        count = sum(len(ts) for ts in chosen.values())
        return least() > window or count > window / MIN_STEP_S

    for keep in (2, 1):
        for region in chosen:
            if too_full():
                chosen[region] = chosen[region][:keep]
    dropped = []
    while too_full() and len(chosen) > 1:
        region = next(reversed(chosen))  # the least wanted, since regions come most wanted first
        dropped.append(region)
        del chosen[region]
    if dropped:
        names = ", ".join(cat.regions[r].name.lower() for r in reversed(dropped))
        notes.append(f"No time for the {names} in {window / 60:.0f} minutes.")


def _grow(
    chosen: dict[str, list[Technique]],
    options: dict[str, list[Technique]],
    regions: list[str],
    window: float,
) -> None:
    """Add further techniques, most wanted regions first, until the steps can fill the time."""

    def most(t: Technique) -> float:
        return t.reps.max * t.seconds_per_rep * (1 + t.per_side)

    top = sum(most(t) for ts in chosen.values() for t in ts)
    while top + _overhead(window, len(chosen)) < window * 1.1:
        for region in regions:
            taken = {t.id for t in chosen.get(region, [])}
            spare = [t for t in options[region] if t.id not in taken]
            if spare:
                chosen.setdefault(region, []).append(spare[0])
                top += most(spare[0])
                break
        else:
            return


def _specs(
    cat: Catalogue,
    chosen: dict[str, list[Technique]],
    position: Position,
    profile: Profile,
    limits: Limits,
) -> list[StepSpec]:
    """Steps head to toe; within a region, gentle kinds before firm ones."""
    specs = [
        make_spec(cat, t, r, position, profile, limits)
        for r, techniques in chosen.items()
        for t in techniques
    ]
    specs.sort(key=lambda s: (s.region.order, KIND_ORDER.index(s.technique.kind), s.pressure))
    return specs


def _light(
    cat: Catalogue, position: Position, profile: Profile, limits: Limits, regions: Sequence[str]
) -> StepSpec | None:
    for region in regions:
        if region in limits.avoid or region not in position.reaches:
            continue
        for t in _candidates(cat, region, position, limits):
            if is_light(t.kind, t.pressure.min):
                spec = make_spec(cat, t, region, position, profile, limits)
                return StepSpec(
                    **{**spec.__dict__, "pressure": min(spec.pressure, 3), "weight": 1.0}
                )
    return None


def _with_light_ends(
    cat: Catalogue, position: Position, specs: list[StepSpec], profile: Profile, limits: Limits
) -> list[StepSpec]:
    """Make sure the session opens and closes with a light glide or stroke."""

    def light(s: StepSpec) -> bool:
        return is_light(s.technique.kind, s.technique.pressure.min)

    first_regions = [specs[0].region.id] if specs else []
    if not specs or not light(specs[0]):
        opening = _light(
            cat,
            specs[0].position if specs else position,
            profile,
            limits,
            [*first_regions, *CLOSING_REGIONS[::-1], *position.reaches],
        )
        if opening is None:
            raise PlanError("no light stroke is possible to open the session safely")
        specs = [opening, *specs]
    if not light(specs[-1]):
        closing = _light(
            cat,
            specs[-1].position,
            profile,
            limits,
            [*CLOSING_REGIONS, *specs[-1].position.reaches],
        )
        if closing is None:
            raise PlanError("no light stroke is possible to close the session safely")
        specs = [*specs, closing]
    return specs


def _note_focus(
    cat: Catalogue, profile: Profile, specs: Sequence[StepSpec], notes: list[str]
) -> None:
    for region in profile.focus:
        if any(s.region.id == region for s in specs):
            notes.append(
                f"More time on the {cat.regions[region].name.lower()}: you asked to focus there."
            )
    for tid in profile.favourites:
        if any(s.technique.id == tid for s in specs):
            notes.append(f"More room for {cat.techniques[tid].name.lower()}: a favourite.")
