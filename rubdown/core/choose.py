"""Choosing techniques per region for a composed session: which regions, which techniques."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

from rubdown.core import craft
from rubdown.core.fit_window import estimate_overhead
from rubdown.core.models import Catalogue, Position, Profile, Technique
from rubdown.core.safety import Limits
from rubdown.core.stepspec import FOCUS_WEIGHT, StepSpec, make_spec

FOCUS_TECHNIQUES = 3
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
# The regions a short session keeps longest: the neck, shoulders and back.
TRUNK = REGION_PRIORITY[:6]
KIND_ORDER = ("glide", "stroke", "circles", "squeeze", "knead", "press")
# Big muscles hold tension deep: once warm, a session of this length kneads them at least this
# firmly. The backs of the thighs (the hamstrings) are the biggest muscles of the leg: a therapist
# would not leave them with glides alone while the calves are kneaded.
BIG_MUSCLES = {"glutes": 4, "thighs": 3}
DEEP_MIN_MINUTES = 15
# A region not asked as a focus gets at most this many techniques done with the position's
# tool (the forearm): the tool's work is spread over the areas, not piled on one. A session
# longer than an hour needs every one of them to fill its time.
TOOL_TECHNIQUES_PER_REGION = 2
TOOL_SPREAD_MAX_MINUTES = 60
SHORT_SPREAD_MINUTES = 20
# (minutes at least, techniques at most) on a region that is not a focus.
REGION_TECHNIQUES = ((60, 5), (0, 3))


def candidates(cat: Catalogue, region: str, position: Position, limits: Limits) -> list[Technique]:
    """The techniques that may be used on a region in this position, for this receiver."""

    def find() -> tuple[Technique, ...]:
        no_press = cat.regions[region].no_press
        placed = cat.placed(region, position.id)
        return tuple(t for t in placed if limits.allows(t, region, no_press))

    return list(limits.remember(("candidates", region, position.id), find))


def usable_techniques(
    cat: Catalogue, position: Position, limits: Limits, without: frozenset[str] = frozenset()
) -> set[str]:
    """Techniques that may be used somewhere the position reaches, for this receiver (not in
    the regions `without`): only where a light stroke can open the area (without one, deep
    work there is left out)."""
    return {
        t.id
        for r in position.reaches
        if r not in limits.avoid
        and r not in without
        and craft.has_light_stroke(cat, position, limits, r)
        for t in candidates(cat, r, position, limits)
    }


def substitute(
    cat: Catalogue, t: Technique, region: str, position: Position, limits: Limits
) -> Technique | None:
    """The nearest safe technique to use instead of one that is not safe here."""
    options = candidates(cat, region, position, limits)
    options.sort(key=lambda o: (o.kind != t.kind, abs(o.pressure.default - t.pressure.default)))
    return options[0] if options else None


def rank(
    cands: list[Technique], profile: Profile, rng: random.Random | None, tool: str = ""
) -> list[Technique]:
    """Favourites first, then the position's tool; shuffled within those when varied."""

    def first(t: Technique) -> tuple[bool, bool]:
        return (t.id not in profile.favourites, bool(tool) and not t.uses(tool))

    ordered = sorted(cands, key=lambda t: (*first(t), len(t.regions)))
    if rng is not None:
        rng.shuffle(ordered)
        ordered.sort(key=first)
    return ordered


def spread_tool(
    options: dict[str, list[Technique]], profile: Profile, tool: str, minutes: int
) -> None:
    """Leave a region that is not a focus its first few techniques done with the tool: one in
    a short session, whose few minutes then reach more areas."""
    most = TOOL_TECHNIQUES_PER_REGION if minutes >= SHORT_SPREAD_MINUTES else 1
    offered = dict(options)
    kept: set[str] = set()
    for region, ranked in offered.items():
        if region in profile.focus:
            continue
        # Ones not kept for another region first: the session keeps every tool technique.
        with_tool = sorted((t for t in ranked if t.uses(tool)), key=lambda t: t.id in kept)
        with_tool = with_tool[:most]
        kept.update(t.id for t in with_tool)
        options[region] = [t for t in ranked if not t.uses(tool) or t in with_tool]
    # One offered on a single region (the others it goes on are avoided) stays there.
    regions_of = Counter(tid for ranked in offered.values() for tid in {t.id for t in ranked})
    for region, ranked in offered.items():
        alone = {t.id for t in ranked if t.uses(tool) and regions_of[t.id] == 1}
        options[region] = [t for t in ranked if t in options[region] or t.id in alone]


def region_order(cat: Catalogue, regions: Sequence[str], focus: Sequence[str]) -> list[str]:
    """Focus regions first, then where tension sits most, then head to toe."""

    def key(r: str) -> tuple[int, int, int]:
        listed = REGION_PRIORITY.index(r) if r in REGION_PRIORITY else len(REGION_PRIORITY)
        return (r not in focus, listed, cat.regions[r].order)

    return sorted(regions, key=key)


def deep_kneading(
    cat: Catalogue, region: str, position: Position, profile: Profile, limits: Limits
) -> Technique | None:
    """A kneading technique that may work this big muscle at its deep pressure for this
    receiver (no condition, learned pressure or light preference keeps it lighter), else None."""
    for t in candidates(cat, region, position, limits):
        spec = make_spec(cat, t, region, position, profile, limits)
        if t.kind == "knead" and spec.pressure >= BIG_MUSCLES[region]:
            return t
    return None


def work_big_muscles(
    cat: Catalogue,
    chosen: dict[str, list[Technique]],
    position: Position,
    profile: Profile,
    limits: Limits,
) -> None:
    """A big muscle in the session gets its deep kneading first, so trimming keeps it; in
    place of its last other technique, so the session keeps the regions it had room for."""
    for region in BIG_MUSCLES:
        knead = deep_kneading(cat, region, position, profile, limits) if region in chosen else None
        if knead is not None:
            others = [t for t in chosen[region] if t.id != knead.id]
            chosen[region] = [knead, *others][: max(1, len(chosen[region]))]


def limit_techniques(chosen: dict[str, list[Technique]], limits: Limits) -> None:
    """A region a condition keeps short gets a technique per two minutes (with its glides)."""
    for region, most in limits.max_seconds.items():
        if region in chosen:
            chosen[region] = chosen[region][: max(1, most // 120)]


def least_wanted(chosen: dict[str, list[Technique]], profile: Profile) -> str | None:
    """The region to leave out first: one off the trunk (where tension sits, the session's
    heart), and of those a non-focus one only stroked or whose techniques are used elsewhere
    too (so the session keeps its work and variety), else the last non-focus one, else the
    last focus one."""
    if len(chosen) <= 1:
        return None
    others = [r for r in chosen if r not in profile.focus]
    outside = [r for r in others if r not in TRUNK]

    def spared(region: str) -> bool:
        # A region given only glides loses no work of its own: leaving it out keeps a
        # neighbour's kneading (15 lying minutes glided the hips, lost the buttocks). Strokes
        # (thumbs along the soles) and kneading are work of the region's own, even where the
        # same kneading is done on its neighbour (the thighs and the calves).
        if all(t.kind == "glide" for t in chosen[region]):
            return True
        if any(t.kind == "knead" for t in chosen[region]):
            return False
        used = {t.id for r, ts in chosen.items() if r != region for t in ts}
        return all(t.id in used for t in chosen[region])

    spare = [r for r in outside if spared(r)]
    return (spare or outside or others or list(chosen))[-1]


def region_techniques(minutes: int) -> int:
    """How many techniques a region that is not a focus is worked with (its light way in and
    out aside): three, or five from an hour."""
    return next(count for least, count in REGION_TECHNIQUES if minutes >= least)


def few_per_region(
    chosen: dict[str, list[Technique]], profile: Profile, minutes: int, tool: str = ""
) -> None:
    """A region that is not a focus keeps a few techniques: a small area worked with many
    strokes in a row feels busy, not thorough. Those left out are done elsewhere too, so the
    session keeps its variety; in a position meant for a tool, only hand work is left out."""
    most = region_techniques(minutes)
    for region, techniques in chosen.items():
        while region not in profile.focus and len(techniques) > most:
            elsewhere = {t.id for r, ts in chosen.items() if r != region for t in ts}
            spare = [i for i, t in enumerate(techniques) if t.id in elsewhere and not t.uses(tool)]
            if not spare:
                break
            del techniques[spare[-1]]


def has_room(
    chosen: dict[str, list[Technique]], region: str, profile: Profile, minutes: int
) -> bool:
    """Whether a region may take one more technique."""
    return region in profile.focus or len(chosen.get(region, ())) < region_techniques(minutes)


def grow_one(
    chosen: dict[str, list[Technique]], options: dict[str, list[Technique]], regions: list[str]
) -> bool:
    """Add one more technique where there is one to add, most wanted regions first."""
    return _add_one(chosen, options, regions) is not None


def vary(
    chosen: dict[str, list[Technique]],
    options: dict[str, list[Technique]],
    regions: list[str],
    target: int,
    usable: set[str],
) -> None:
    """Add unused techniques, most wanted regions first, until the session has enough variety.

    Only `usable` ones count: the others have no light way in, so framing leaves them out.
    """
    used = {t.id for ts in chosen.values() for t in ts if t.id in usable}
    while len(used) < target:
        added = add_unused(chosen, options, regions, usable, used)
        if added is None:
            return
        used.add(added)


def add_unused(
    chosen: dict[str, list[Technique]],
    options: dict[str, list[Technique]],
    regions: list[str],
    usable: set[str],
    skip: set[str],
) -> str | None:
    """Add the first usable technique not in `skip`, chosen regions first, then the other
    regions in order; its id, or None when there is none."""
    for region in [*chosen, *(r for r in regions if r not in chosen)]:
        for t in options[region]:
            if t.id in usable and t.id not in skip:
                chosen.setdefault(region, []).append(t)
                return t.id
    return None


def _seconds(t: Technique, reps: int) -> float:
    return reps * t.seconds_per_rep * (1 + t.per_side)


def choose_regions(
    profile: Profile, options: dict[str, list[Technique]], regions: list[str], window: float
) -> dict[str, list[Technique]]:
    """Every focus region, then the most wanted others until their usual lengths fill the time."""
    chosen: dict[str, list[Technique]] = {}
    used: set[str] = set()
    planned = 0.0
    for region in regions:
        focus = region in profile.focus
        room = window - estimate_overhead(window, len(chosen))
        if not focus and planned >= FILL_WITH_DEFAULTS * room:
            break
        # Prefer techniques not used yet elsewhere: variety across the session.
        fresh = sorted(options[region], key=lambda t: t.id in used)
        chosen[region] = fresh[: FOCUS_TECHNIQUES if focus else 1]
        used.update(t.id for t in chosen[region])
        # Count a focus region at its weighted length, so it keeps room to grow.
        share = FOCUS_WEIGHT if focus else 1.0
        planned += share * sum(_seconds(t, t.reps.default) for t in chosen[region])
    return chosen


def fit_short_session(
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
        pauses = estimate_overhead(window, len(chosen))
        return steps + pauses > window or count > window / MIN_STEP_S

    for keep in (2, 1):
        for region in chosen:
            if not too_full():
                return  # nothing changes from here on: no need to ask again
            chosen[region] = chosen[region][:keep]


def grow(
    chosen: dict[str, list[Technique]],
    options: dict[str, list[Technique]],
    regions: list[str],
    window: float,
    profile: Profile,
) -> None:
    """Add further techniques, most wanted regions first, until the steps can fill the time;
    a region with its few techniques gets more only when no other region has room."""

    def most(t: Technique) -> float:
        # A technique runs at most a few minutes in a row, so count no more than that.
        return min(t.reps.max * t.seconds_per_rep * (1 + t.per_side), craft.RUN_LIMIT_S)

    top = sum(most(t) for ts in chosen.values() for t in ts)
    minutes = int(window // 60)
    while top + estimate_overhead(window, len(chosen)) < window * 1.1:
        roomy = [r for r in regions if has_room(chosen, r, profile, minutes)]
        added = _add_one(chosen, options, roomy) or _add_one(chosen, options, regions)
        if added is None:
            return
        top += most(added)


def _add_one(
    chosen: dict[str, list[Technique]], options: dict[str, list[Technique]], regions: list[str]
) -> Technique | None:
    """One more technique on the first of the regions that has one to add (None: none has)."""
    for region in regions:
        taken = {t.id for t in chosen.get(region, [])}
        spare = [t for t in options[region] if t.id not in taken]
        if spare:
            chosen.setdefault(region, []).append(spare[0])
            return spare[0]
    return None


def chosen_specs(
    cat: Catalogue,
    chosen: dict[str, list[Technique]],
    position: Position,
    profile: Profile,
    limits: Limits,
) -> list[StepSpec]:
    """Steps in the position's flow; within a region, gentle kinds before firm ones."""

    def spec(t: Technique, region: str) -> StepSpec:
        # The same step comes back in every choice composing tries: made once per plan.
        key = ("spec", t.id, region, position.id)
        return limits.remember(key, lambda: make_spec(cat, t, region, position, profile, limits))

    specs = [spec(t, r) for r, techniques in chosen.items() for t in techniques]
    flow = position.flow_rank
    specs.sort(key=lambda s: (flow(s.region), KIND_ORDER.index(s.technique.kind), s.pressure))
    return specs
