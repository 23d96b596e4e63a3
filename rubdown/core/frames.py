"""The opening and finishing glides of a session: which glide, where, how long, over what."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from rubdown.core import craft
from rubdown.core.models import Catalogue, Position, Profile, Technique
from rubdown.core.pauses import HOLD_AREA
from rubdown.core.safety import Limits
from rubdown.core.stepspec import StepSpec, make_spec, respec
from rubdown.core.towels import covered_areas


def frame_areas(named: Sequence[tuple[str, str]]) -> list[str]:
    """The areas an opening or finishing glide covers, as said, from its named regions."""
    return list(dict.fromkeys(name for _, name in named))


def rests_on(named: Sequence[tuple[str, str]]) -> str:
    """Where the still hold after a finishing glide rests, as said: on the back, or on the
    first part of it the glide covers when part of the back is avoided."""
    return next((name for area, name in named if area == HOLD_AREA), "")


def _named_areas(
    cat: Catalogue, t: Technique, worked: Sequence[str], limits: Limits
) -> list[tuple[str, str]]:
    """Each region a glide covers as (its area, how it is said), head to toe."""
    covered = [r for r in t.regions if r in worked] or [
        r for r in t.regions if r not in limits.avoid
    ]
    ordered = sorted(covered, key=cat.region_order)
    # An area with an avoided region in it ("neck and shoulders" without the neck, the back
    # without the lower back) is named by the parts the glide still covers.
    partial = {cat.regions[r].area_name for r in limits.unspoken if r in cat.regions}
    named: list[tuple[str, str]] = []
    for r in ordered:
        area = cat.regions[r].area_name
        whole = area not in partial and limits.speakable(area)
        named.append((area, area if whole else cat.regions[r].name.lower()))
    return named


def main_area(cat: Catalogue, worked: Sequence[str]) -> str | None:
    """The area a session is built around: the back when it is worked, else the most worked."""
    return main_of([cat.regions[r].area_name for r in worked if r in cat.regions])


def main_of(areas: Sequence[str]) -> str | None:
    """The main area among the areas of the worked steps."""
    if craft.MAIN_AREA in areas:
        return craft.MAIN_AREA
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
    for t in craft.frame_glides(cat):
        regions = _usable_regions(cat, t, position, limits)
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


def _usable_regions(cat: Catalogue, t: Technique, position: Position, limits: Limits) -> list[str]:
    """The regions a glide may be used on here: asked again for every choice of steps."""
    key = ("usable", t.id, position.id)
    return limits.remember(
        key, lambda: [r for r in t.regions if craft.usable(cat, t, r, position, limits)]
    )


def as_frame(
    cat: Catalogue, spec: StepSpec, role: str, minutes: int, worked: Sequence[str], limits: Limits
) -> StepSpec:
    """A light glide made the opening or the finish: long enough, light enough, over it all."""
    t = spec.technique
    least_s = craft.opening_min_s(minutes) if role == "opening" else craft.FINISH_MIN_S
    least = max(t.reps.min, math.ceil(least_s / (t.seconds_per_rep * spec.sides)))
    return respec(
        spec,
        pressure=max(min(spec.pressure, craft.FRAME_PRESSURE), t.pressure.min),
        max_pressure=max(min(spec.max_pressure, craft.FRAME_PRESSURE), t.pressure.min),
        weight=craft.FRAME_WEIGHT,
        min_reps=least,
        default_reps=max(least + 1, min(spec.default_reps, t.reps.max)),
        max_reps=max(t.reps.max, least + 2),
        **frame_reach(cat, spec, role, worked, limits),
    )


def frame_reach(
    cat: Catalogue, spec: StepSpec, role: str, worked: Sequence[str], limits: Limits
) -> dict[str, Any]:
    """The opening's or finish's role and where its glide reaches: the areas as said, the
    area names for the towels, and where the still hold after the finish rests."""
    named = _named_areas(cat, spec.technique, worked, limits)
    return dict(
        role=role,
        areas=tuple(frame_areas(named)),
        rests_on=rests_on(named) if role == "finish" else "",
        covers=covered_areas(cat, spec.technique, limits, spec.position),
    )


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
    return craft.covered_ends([first, *specs, last], cat)
