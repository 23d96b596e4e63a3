"""Choosing the steps of a session: from a routine, or composed from the catalogue."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

from rubdown.core import craft
from rubdown.core.guidance import speech_seconds
from rubdown.core.layout import estimate_overhead
from rubdown.core.models import (
    Catalogue,
    PlanError,
    Position,
    Profile,
    Routine,
    Technique,
)
from rubdown.core.safety import Limits
from rubdown.core.stepspec import StepSpec

FOCUS_WEIGHT = 3.0
FAVOURITE_WEIGHT = 1.5
FOCUS_TECHNIQUES = 3
FOCUS_REPS_FACTOR = 2
MIN_STEP_S = 50.0
# a short session gets fewer, fuller steps rather than many token ones
GROW_ROUNDS = 40  # how often composing may add a technique or leave out a region
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
# The regions a short session keeps longest: the neck, shoulders and back.
TRUNK = REGION_PRIORITY[:6]
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
    def find() -> tuple[Technique, ...]:
        no_press = cat.regions[region].no_press
        return tuple(
            t
            for t in cat.techniques.values()
            if region in t.regions
            and position.id in t.positions
            and limits.allows(t, region, no_press)
        )

    return list(limits.remember(("candidates", region, position.id), find))


def usable_techniques(cat: Catalogue, position: Position, limits: Limits) -> set[str]:
    """Techniques that may be used somewhere the position reaches, for this receiver: only
    where a light stroke can open the area (without one, deep work there is left out)."""
    return {
        t.id
        for r in position.reaches
        if r not in limits.avoid and craft.has_light_stroke(cat, position, limits, r)
        for t in _candidates(cat, r, position, limits)
    }


def _substitute(
    cat: Catalogue, t: Technique, region: str, position: Position, limits: Limits
) -> Technique | None:
    options = _candidates(cat, region, position, limits)
    options.sort(key=lambda o: (o.kind != t.kind, abs(o.pressure.default - t.pressure.default)))
    return options[0] if options else None


def from_routine(
    cat: Catalogue,
    routine: Routine,
    profile: Profile,
    limits: Limits,
    notes: list[str],
    minutes: int | None = None,
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
    if not specs:
        raise PlanError("nothing is left to massage with these areas avoided")
    minutes = minutes or routine.minutes
    specs = _routine_framed(cat, specs, profile, limits, minutes)
    # Where an area has no light stroke to enter or leave it by (as written, or once a step is
    # skipped or replaced), one is added: the routine's own steps keep their order and counts.
    inner = craft.enter_and_flush(cat, specs[0].position, profile, limits, specs[1:-1], specs[0])
    specs = craft.covered_ends([specs[0], *inner, specs[-1]], cat)
    specs = craft.cap_time(craft.light_area_ends(specs), profile, limits, minutes, False)
    specs = craft.keep_tool_share(specs[0].position, specs)
    return craft.weigh_tool(specs[0].position, specs, minutes)


def _routine_framed(
    cat: Catalogue, specs: list[StepSpec], profile: Profile, limits: Limits, minutes: int
) -> list[StepSpec]:
    """A routine's own light first and last glides open and finish it; else the planner's."""
    worked = [s.region.id for s in specs]
    opens = craft.is_frame_glide(specs[0].technique) and specs[0].pressure <= 2
    ends = len(specs) > 1 and craft.is_frame_glide(specs[-1].technique)
    ends = ends and specs[-1].pressure <= 2
    if opens:
        specs[0] = craft.as_frame(cat, specs[0], "opening", minutes, worked, limits)
    if ends:
        specs[-1] = craft.as_frame(cat, specs[-1], "finish", minutes, worked, limits)
    if not (opens and ends):
        framed = craft.frame(cat, specs[0].position, profile, limits, specs, minutes)
        if framed is None:
            raise PlanError("no light stroke is possible to open the session safely")
        specs = [*framed[: 0 if opens else 1], *specs, *framed[len(framed) - (0 if ends else 1) :]]
    return specs


def _rank(
    cands: list[Technique], profile: Profile, rng: random.Random | None, tool: str = ""
) -> list[Technique]:
    def first(t: Technique) -> tuple[bool, bool]:
        return (t.id not in profile.favourites, bool(tool) and not t.uses(tool))

    ordered = sorted(cands, key=lambda t: (*first(t), len(t.regions)))
    if rng is not None:
        rng.shuffle(ordered)
        ordered.sort(key=first)
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
    slack: float = 0.0,
) -> list[StepSpec]:
    """Compose steps head to toe: the most wanted regions first, until the time is used.

    `slack` asks for that many seconds more room than the estimate of the steps' least length.
    """
    reachable = [r for r in position.reaches if r not in limits.avoid]
    for region in profile.focus:
        if region not in position.reaches:
            notes.append(
                f"The {cat.regions[region].name.lower()} cannot be reached "
                f"{position.name.lower()}; choose another position to include it."
            )
    options = {
        r: _rank(_candidates(cat, r, position, limits), profile, rng, position.tool)
        for r in reachable
    }
    regions = [r for r in _region_order(cat, reachable, profile.focus) if options[r]]
    for region in profile.focus:
        if region in options and not options[region]:
            name = cat.regions[region].name.lower()
            notes.append(f"No technique here works the {name} safely, so they are left out.")
    if not regions:
        raise PlanError("nothing is left to massage with these areas avoided")
    chosen = _choose_regions(profile, options, regions, window)
    _grow(chosen, options, regions, window)
    _vary(chosen, options, regions, craft.distinct_target(int(window // 60)))
    if position.tool:
        # The position is chosen for its tool: every technique done with it has a place.
        for region, techniques in chosen.items():
            techniques += [
                t for t in options[region] if t.uses(position.tool) and t not in techniques
            ]
    _fit_short_session(chosen, window)
    _limit_techniques(chosen, limits)
    dropped: list[str] = []
    for _ in range(GROW_ROUNDS):
        framed = _framed_choice(cat, position, profile, limits, chosen, int(window // 60))
        if _least_seconds(framed, window) + slack > window:
            fuller = [r for r in chosen if len(chosen[r]) > 1]
            least = _least_wanted(chosen, profile)
            if fuller and (least is None or least in profile.focus):
                chosen[fuller[-1]].pop()  # fewer, fuller steps before fewer areas
                continue
            if least is None:
                break
            dropped.append(least)
            del chosen[least]
        elif _most_seconds(framed, window) < window * 1.1 and _grow_one(
            chosen,
            options,
            [r for r in regions if r not in dropped and r not in limits.max_seconds],
        ):
            continue
        else:
            break
    if dropped:
        names = ", ".join(cat.regions[r].name.lower() for r in dropped)
        notes.append(f"No time for the {names} in {window / 60:.0f} minutes.")
    _note_focus(cat, profile, framed, notes)
    return framed


def _limit_techniques(chosen: dict[str, list[Technique]], limits: Limits) -> None:
    """A region a condition keeps short gets a technique per two minutes (with its glides)."""
    for region, most in limits.max_seconds.items():
        if region in chosen:
            chosen[region] = chosen[region][: max(1, most // 120)]


def _least_wanted(chosen: dict[str, list[Technique]], profile: Profile) -> str | None:
    """The region to leave out first: one off the trunk (where tension sits, the session's
    heart), and of those a non-focus one whose techniques are used elsewhere too (so the
    session keeps its variety), else the last non-focus one, else the last focus one."""
    if len(chosen) <= 1:
        return None
    others = [r for r in chosen if r not in profile.focus]
    outside = [r for r in others if r not in TRUNK]

    def elsewhere(region: str) -> bool:
        used = {t.id for r, ts in chosen.items() if r != region for t in ts}
        return all(t.id in used for t in chosen[region])

    spare = [r for r in outside if elsewhere(r)]
    return (spare or outside or others or list(chosen))[-1]


def _grow_one(
    chosen: dict[str, list[Technique]], options: dict[str, list[Technique]], regions: list[str]
) -> bool:
    """Add one more technique where there is one to add, most wanted regions first."""
    for region in regions:
        taken = {t.id for t in chosen.get(region, [])}
        spare = [t for t in options[region] if t.id not in taken]
        if spare:
            chosen.setdefault(region, []).append(spare[0])
            return True
    return False


def _most_seconds(specs: Sequence[StepSpec], window: float) -> float:
    moves = sum(1 for a, b in itertools.pairwise(specs) if a.region.id != b.region.id)
    steps = sum(s.max_reps * s.technique.seconds_per_rep * s.sides for s in specs)
    return steps + estimate_overhead(window, moves)


def _least_seconds(specs: Sequence[StepSpec], window: float) -> float:
    """The shortest these steps can be, with their pauses and what is said before them."""
    steps = sum(
        max(s.min_reps, s.least_first_reps("left" if s.sides == 2 else "both"))
        * s.technique.seconds_per_rep
        * s.sides
        for s in specs
    )
    cautions = sum(
        speech_seconds(" ".join((*s.region.cautions, *s.technique.cautions))) for s in specs
    )
    moves = sum(1 for a, b in itertools.pairwise(specs) if a.region.id != b.region.id)
    return steps + cautions / 2 + estimate_overhead(window, moves)


def _framed_choice(
    cat: Catalogue,
    position: Position,
    profile: Profile,
    limits: Limits,
    chosen: dict[str, list[Technique]],
    minutes: int,
) -> list[StepSpec]:
    """The framed steps for a choice of techniques per region."""
    # Each slack the planner tries composes much the same choices again: frame each once.
    key = ("framed", position.id, minutes, *((r, *(t.id for t in ts)) for r, ts in chosen.items()))

    def make() -> list[StepSpec]:
        specs = _specs(cat, chosen, position, profile, limits)
        specs = craft.enter_and_flush(cat, position, profile, limits, specs)
        return _framed(cat, position, profile, limits, specs, minutes, True)

    return list(limits.remember(key, make))


def _framed(
    cat: Catalogue,
    position: Position,
    profile: Profile,
    limits: Limits,
    specs: list[StepSpec],
    minutes: int,
    generated: bool,
) -> list[StepSpec]:
    framed = craft.frame(cat, position, profile, limits, specs, minutes)
    if framed is None:
        raise PlanError("no light stroke is possible to open the session safely")
    framed = craft.cap_time(framed, profile, limits, minutes, generated)
    return craft.weigh_tool(position, framed, minutes)


def _vary(
    chosen: dict[str, list[Technique]],
    options: dict[str, list[Technique]],
    regions: list[str],
    target: int,
) -> None:
    """Add unused techniques, most wanted regions first, until the session has enough variety."""
    used = {t.id for ts in chosen.values() for t in ts}
    for region in [*chosen, *(r for r in regions if r not in chosen)]:
        for t in options[region]:
            if len(used) >= target:
                return
            if t.id not in used:
                chosen.setdefault(region, []).append(t)
                used.add(t.id)


def _seconds(t: Technique, reps: int) -> float:
    return reps * t.seconds_per_rep * (1 + t.per_side)


def _choose_regions(
    profile: Profile, options: dict[str, list[Technique]], regions: list[str], window: float
) -> dict[str, list[Technique]]:
    """Every focus region, then the most wanted others until their usual lengths fill the time."""
    chosen: dict[str, list[Technique]] = {}
    used: set[str] = set()
    planned = 0.0
    for region in regions:
        focus = region in profile.focus
        if not focus and planned >= FILL_WITH_DEFAULTS * (window - _overhead(window, len(chosen))):
            break
        # Prefer techniques not used yet elsewhere: variety across the session.
        fresh = sorted(options[region], key=lambda t: t.id in used)
        chosen[region] = fresh[: FOCUS_TECHNIQUES if focus else 1]
        used.update(t.id for t in chosen[region])
        # Count a focus region at its weighted length, so it keeps room to grow.
        share = FOCUS_WEIGHT if focus else 1.0
        planned += share * sum(_seconds(t, t.reps.default) for t in chosen[region])
    return chosen


def _fit_short_session(
    chosen: dict[str, list[Technique]],
    window: float,
) -> None:
    """When a short session cannot give each step half its usual count, trim extra techniques.

    Below half its usual count a step is a token gesture; fewer, fuller steps feel better.
    Whole regions are left out later, against the steps' real lengths.
    """

    def too_full() -> bool:
        steps = sum(
            _seconds(t, max(t.reps.min, t.reps.default // 2)) for ts in chosen.values() for t in ts
        )
        count = sum(len(ts) for ts in chosen.values())
        return steps + _overhead(window, len(chosen)) > window or count > window / MIN_STEP_S

    for keep in (2, 1):
        for region in chosen:
            if not too_full():
                return  # nothing changes from here on: no need to ask again
            chosen[region] = chosen[region][:keep]


def _grow(
    chosen: dict[str, list[Technique]],
    options: dict[str, list[Technique]],
    regions: list[str],
    window: float,
) -> None:
    """Add further techniques, most wanted regions first, until the steps can fill the time."""

    def most(t: Technique) -> float:
        # A technique runs at most a few minutes in a row, so count no more than that.
        return min(t.reps.max * t.seconds_per_rep * (1 + t.per_side), craft.RUN_LIMIT_S)

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


def in_rounds(
    cat: Catalogue,
    specs: list[StepSpec],
    rounds: int,
    profile: Profile,
    limits: Limits,
    minutes: int = 0,
) -> list[StepSpec]:
    """A routine gone through `rounds` times between its opening and finish, counts kept;
    where one round meets the next, each area still gets its light way in and out."""
    if rounds <= 1 or len(specs) <= 2:
        return specs
    # A region a condition keeps short (the low back with a slipped disc) is done in the first
    # round only: going through the routine again must not double its time there.
    later = [s for s in specs[1:-1] if s.region.id not in limits.max_seconds]
    inner = specs[1:-1] + later * (rounds - 1)
    inner = craft.enter_and_flush(cat, specs[0].position, profile, limits, inner, specs[0])
    joined = craft.covered_ends([specs[0], *inner, specs[-1]], cat)
    joined = craft.cap_time(joined, profile, limits, 0, False)
    return craft.weigh_tool(joined[0].position, joined, minutes)
