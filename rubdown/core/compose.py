"""Choosing the steps of a session: from a routine, or composed from the catalogue."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from rubdown.core import caps, choose, craft, frames
from rubdown.core.fit_window import estimate_overhead
from rubdown.core.guidance import speech_seconds
from rubdown.core.models import (
    FRAMES,
    Catalogue,
    PlanError,
    Position,
    Profile,
    Routine,
    Technique,
)
from rubdown.core.safety import Limits
from rubdown.core.stepspec import StepSpec, make_spec

GROW_ROUNDS = 40  # how often composing may add a technique or leave out a region


def from_routine(
    cat: Catalogue,
    routine: Routine,
    profile: Profile,
    limits: Limits,
    notes: list[str],
    minutes: int | None = None,
) -> list[StepSpec]:
    """The routine's steps, adapted: avoided regions dropped, unsafe techniques replaced."""
    specs = _adapted(cat, routine, profile, limits, notes)
    missing = [f for f in profile.focus if f not in {s.region.id for s in specs}]
    if missing:
        notes.append(
            f"This routine does not cover {', '.join(missing)}; plan without a routine "
            f"to include it."
        )
    _note_focus(cat, profile, limits, specs, notes)
    if not specs:
        raise PlanError("nothing is left to massage with these areas avoided")
    minutes = minutes or routine.minutes
    specs = _routine_framed(cat, specs, profile, limits, minutes)
    # Where an area has no light stroke to enter or leave it by (as written, or once a step is
    # skipped or replaced), one is added: the routine's own steps keep their order and counts.
    inner = craft.enter_and_flush(
        cat, specs[0].position, profile, limits, specs[1:-1], specs[0], routine=True
    )
    specs = craft.covered_ends([specs[0], *inner, specs[-1]], cat)
    specs = caps.cap_time(craft.light_area_ends(specs), profile, limits, minutes, False)
    specs = caps.keep_tool_share(specs[0].position, specs)
    return caps.weigh_tool(specs[0].position, specs, minutes)


def _adapted(
    cat: Catalogue, routine: Routine, profile: Profile, limits: Limits, notes: list[str]
) -> list[StepSpec]:
    """Each routine step kept, made gentler, or skipped (said why), as today's limits ask."""
    specs: list[StepSpec] = []
    for step in routine.steps:
        position = cat.positions[step.position or routine.position]
        t = cat.techniques[step.technique]
        region_name = cat.regions[step.region].name.lower()
        if step.region in limits.avoid:
            notes.append(f"Skipped {t.name.lower()} on the {region_name}: that area is avoided.")
            continue
        if not limits.allows(t, step.region, cat.regions[step.region].no_press):
            swap = choose.substitute(cat, t, step.region, position, limits)
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
    return specs


def _routine_framed(
    cat: Catalogue, specs: list[StepSpec], profile: Profile, limits: Limits, minutes: int
) -> list[StepSpec]:
    """A routine's own light first and last glides open and finish it; else the planner's."""
    worked = [s.region.id for s in specs]
    opens = craft.is_frame_glide(specs[0].technique) and specs[0].pressure <= 2
    ends = len(specs) > 1 and craft.is_frame_glide(specs[-1].technique)
    ends = ends and specs[-1].pressure <= 2
    if opens:
        specs[0] = frames.as_frame(cat, specs[0], "opening", minutes, worked, limits)
    if ends:
        specs[-1] = frames.as_frame(cat, specs[-1], "finish", minutes, worked, limits)
    if not (opens and ends):
        framed = frames.frame(cat, specs[0].position, profile, limits, specs, minutes)
        if framed is None:
            raise PlanError("no light stroke is possible to open the session safely")
        specs = [*framed[: 0 if opens else 1], *specs, *framed[len(framed) - (0 if ends else 1) :]]
    return specs


@dataclass(frozen=True)
class _Composing:
    """What every part of composing from the catalogue reads: one request's fixed ground."""

    cat: Catalogue
    position: Position
    profile: Profile
    limits: Limits
    window: float
    # Regions a condition's time limit left out on an earlier try: compose without them.
    left_out: frozenset[str] = frozenset()
    # Techniques added for variety once framing had its say: each is tried once, so adding
    # and shortening never take turns with the same one.
    tried: set[str] = field(default_factory=set, compare=False, hash=False)

    @property
    def minutes(self) -> int:
        """The session's whole minutes."""
        return int(self.window // 60)


def from_catalogue(
    cat: Catalogue,
    position: Position,
    profile: Profile,
    limits: Limits,
    window: float,
    rng: random.Random | None,
    notes: list[str],
    slack: float = 0.0,
    left_out: frozenset[str] = frozenset(),
) -> list[StepSpec]:
    """Compose steps head to toe: the most wanted regions first, until the time is used.

    `slack` asks for that many seconds more room than the estimate of the steps' least length;
    `left_out` regions are not worked at all.
    """
    ask = _Composing(cat, position, profile, limits, window, left_out)
    options, regions = _ranked_options(ask, rng, notes)
    chosen = _first_choice(ask, options, regions)
    framed, dropped = _fitted(ask, chosen, options, regions, slack)
    if dropped:
        names = ", ".join(cat.regions[r].name.lower() for r in dropped)
        notes.append(f"No time for the {names} in {window / 60:.0f} minutes.")
    _note_focus(cat, profile, ask.limits, framed, notes)
    return framed


def _ranked_options(
    ask: _Composing, rng: random.Random | None, notes: list[str]
) -> tuple[dict[str, list[Technique]], list[str]]:
    """Each reachable region's techniques, most wanted first, and the regions worth working."""
    cat, position, profile, limits = ask.cat, ask.position, ask.profile, ask.limits
    reachable = [r for r in position.reaches if r not in limits.avoid and r not in ask.left_out]
    for region in profile.focus:
        if region not in position.reaches:
            notes.append(
                f"The {cat.regions[region].name.lower()} cannot be reached "
                f"{position.name.lower()}; choose another position to include it."
            )
    options = {
        r: choose.rank(choose.candidates(cat, r, position, limits), profile, rng, position.tool)
        for r in reachable
    }
    if position.tool and ask.window <= choose.TOOL_SPREAD_MAX_MINUTES * 60:
        choose.spread_tool(options, profile, position.tool, ask.minutes)
    regions = [r for r in choose.region_order(cat, reachable, profile.focus) if options[r]]
    for region in profile.focus:
        if region in options and not options[region]:
            name = cat.regions[region].name.lower()
            notes.append(f"No technique here works the {name} safely, so they are left out.")
    if not regions:
        raise PlanError("nothing is left to massage with these areas avoided")
    return options, regions


def _first_choice(
    ask: _Composing, options: dict[str, list[Technique]], regions: list[str]
) -> dict[str, list[Technique]]:
    """The techniques per region to start fitting from: enough regions for the time, varied,
    the position's tool and the big muscles given their place, few per region."""
    position, profile, limits, window = ask.position, ask.profile, ask.limits, ask.window
    chosen = choose.choose_regions(profile, options, regions, window)
    choose.grow(chosen, options, regions, window, profile)
    usable = choose.usable_techniques(ask.cat, position, limits)
    choose.vary(chosen, options, regions, craft.distinct_target(ask.minutes), usable)
    if position.tool:
        # The position is chosen for its tool: every technique done with it has a place.
        for region, techniques in chosen.items():
            techniques += [
                t for t in options[region] if t.uses(position.tool) and t not in techniques
            ]
    if window >= choose.DEEP_MIN_MINUTES * 60:
        choose.work_big_muscles(ask.cat, chosen, position, profile, limits)
    choose.few_per_region(chosen, profile, ask.minutes, position.tool)
    choose.fit_short_session(chosen, window)
    choose.limit_techniques(chosen, limits)
    return chosen


def _fitted(
    ask: _Composing,
    chosen: dict[str, list[Technique]],
    options: dict[str, list[Technique]],
    regions: list[str],
    slack: float,
) -> tuple[list[StepSpec], list[str]]:
    """The framed steps once the choice fits the time (or the rounds run out), and the
    regions left out for it."""
    dropped: list[str] = []
    for _ in range(GROW_ROUNDS):
        framed = _framed_choice(ask.cat, ask.position, ask.profile, ask.limits, chosen, ask.minutes)
        if not _refit(ask, framed, chosen, options, regions, dropped, slack):
            break
    return framed, dropped


def _refit(
    ask: _Composing,
    framed: list[StepSpec],
    chosen: dict[str, list[Technique]],
    options: dict[str, list[Technique]],
    regions: list[str],
    dropped: list[str],
    slack: float,
) -> bool:
    """One change to the choice toward the time (True), or none is wanted or possible."""
    crowded = _crowded_area(framed, ask.profile, ask.window)
    if crowded and _ease(chosen, crowded, dropped):
        return True
    if _least_seconds(framed, ask.window) + slack > ask.window:
        return _shorten(chosen, ask.profile, dropped)
    if _more_variety(ask, framed, chosen, options, [r for r in regions if r not in dropped]):
        return True
    if _most_seconds(framed, ask.window) >= ask.window * 1.1:
        return False
    full = _full_regions(framed, ask.profile, ask.window)
    growable = [
        r
        for r in regions
        if r not in dropped
        and r not in full
        and r not in ask.limits.max_seconds
        and choose.has_room(chosen, r, ask.profile, ask.minutes)
    ]
    return choose.grow_one(chosen, options, growable)


def _more_variety(
    ask: _Composing,
    framed: Sequence[StepSpec],
    chosen: dict[str, list[Technique]],
    options: dict[str, list[Technique]],
    regions: list[str],
) -> bool:
    """One unused technique more when the framed session falls short of its variety target:
    framing may leave out a chosen technique (no light way in there), which the first choice
    counted. False when the target is met or nothing is left to add."""
    target = craft.distinct_target(ask.minutes)
    used = {s.technique.id for s in framed}
    if len(used) >= target:
        return False
    usable = choose.usable_techniques(ask.cat, ask.position, ask.limits)
    if len(used & usable) >= min(target, len(usable)):
        return False
    in_choice = {t.id for ts in chosen.values() for t in ts}
    kept = {r: ts for r, ts in chosen.items() if r in regions}  # dropped regions stay out
    added = choose.add_unused(kept, options, regions, usable, used | in_choice | ask.tried)
    if added is None:
        return False
    chosen.update(kept)  # a region the technique went to that was not chosen yet
    ask.tried.add(added)
    return True


def _full_regions(specs: Sequence[StepSpec], profile: Profile, window: float) -> set[str]:
    """Regions that are not a focus already holding half their share of the session: one more
    technique, with its words, would take them past it (face-up, 10 minutes: half on the feet)."""
    if window < craft.REGION_SHARE_MIN_MINUTES * 60:
        return set()
    seconds: dict[str, float] = {}
    for s in specs:
        if s.role not in FRAMES and s.region.id not in profile.focus:
            seconds[s.region.id] = seconds.get(s.region.id, 0.0) + _least_step_seconds(s)
    half = craft.SHARE_LIMIT * window / 2
    return {region for region, total in seconds.items() if total > half}


def _shorten(chosen: dict[str, list[Technique]], profile: Profile, dropped: list[str]) -> bool:
    """Fewer, fuller steps before fewer regions; False when nothing can go."""
    fuller = [r for r in chosen if len(chosen[r]) > 1]
    least = choose.least_wanted(chosen, profile)
    if fuller and (least is None or least in profile.focus):
        chosen[fuller[-1]].pop()
        return True
    if least is None:
        return False
    dropped.append(least)
    del chosen[least]
    return True


def _least_step_seconds(s: StepSpec) -> float:
    """The shortest a step can be (remembered on the spec: each grow round asks again)."""
    memo = s.memo()
    least: float | None = memo.get(_LEAST_SECONDS)
    if least is None:
        side = s.first_side() if s.sides == 2 else "both"
        reps = max(s.min_reps, s.least_first_reps(side))
        least = memo[_LEAST_SECONDS] = reps * s.technique.seconds_per_rep * s.sides
    return least


_LEAST_SECONDS = "least seconds"  # a key of its own among the spec's remembered sides


def _crowded_area(specs: Sequence[StepSpec], profile: Profile, window: float) -> list[str]:
    """The regions of an area that is not a focus whose steps, with room for their words,
    already pass its share of a session of 20 minutes or more (the main area aside)."""
    if window < craft.SHARE_MIN_MINUTES * 60:
        return []
    inner = [s for s in specs if s.role not in FRAMES]
    main = frames.main_of([s.region.area_name for s in inner])
    # One pass: each area's least seconds and its regions, in the order they come.
    seconds: dict[str, float] = {}
    regions: dict[str, dict[str, None]] = {}
    for s in inner:
        area = s.region.area_name
        seconds[area] = seconds.get(area, 0) + _least_step_seconds(s)
        regions.setdefault(area, {})[s.region.id] = None
    for area, total in seconds.items():
        if area == main or any(r in profile.focus for r in regions[area]):
            continue
        if total > caps.area_share(area) * window:
            return list(regions[area])
    return []


def _ease(chosen: dict[str, list[Technique]], crowded: list[str], dropped: list[str]) -> bool:
    """One technique fewer in the crowded area, or its last region left out; False if none."""
    here = [r for r in crowded if r in chosen]
    fuller = [r for r in here if len(chosen[r]) > 1]
    if fuller:
        chosen[fuller[-1]].pop()
        return True
    if len(here) <= 1:
        return False
    dropped.append(here[-1])
    del chosen[here[-1]]
    return True


def _most_seconds(specs: Sequence[StepSpec], window: float) -> float:
    moves = sum(1 for a, b in itertools.pairwise(specs) if a.region.id != b.region.id)
    steps = sum(s.max_reps * s.technique.seconds_per_rep * s.sides for s in specs)
    return steps + estimate_overhead(window, moves)


def _least_seconds(specs: Sequence[StepSpec], window: float) -> float:
    """The shortest these steps can be, with their pauses and what is said before them."""
    steps = sum(_least_step_seconds(s) for s in specs)
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
        specs = choose.chosen_specs(cat, chosen, position, profile, limits)
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
    framed = frames.frame(cat, position, profile, limits, specs, minutes)
    if framed is None:
        raise PlanError("no light stroke is possible to open the session safely")
    framed = caps.cap_time(framed, profile, limits, minutes, generated)
    return caps.weigh_tool(position, framed, minutes)


def _note_focus(
    cat: Catalogue, profile: Profile, limits: Limits, specs: Sequence[StepSpec], notes: list[str]
) -> None:
    """Say where the focus and the favourites took more time; a region a condition keeps
    short gets none (its cap's note says why), so no note promises it."""
    for region in profile.focus:
        if region not in limits.max_seconds and any(s.region.id == region for s in specs):
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
    inner = craft.enter_and_flush(
        cat, specs[0].position, profile, limits, inner, specs[0], routine=True
    )
    joined = craft.covered_ends([specs[0], *inner, specs[-1]], cat)
    joined = caps.cap_time(joined, profile, limits, 0, False)
    return caps.weigh_tool(joined[0].position, joined, minutes)
