"""Where the opening's and finish's picture runs: one long glide over the regions it covers."""

from __future__ import annotations

from collections.abc import Sequence

from rubdown.core.models import Catalogue, Region, Technique, may_touch
from rubdown.core.motion import Motion, route_through
from rubdown.core.shapes import densify, shipped_shapes


def pictured_regions(
    cat: Catalogue, t: Technique, ordered: Sequence[str], view: str
) -> tuple[Region, ...]:
    """The regions (head to toe) one long glide is drawn over: the longest run of those with
    a path here whose joined route keeps off every zone the glide may not touch. The hands
    part round a knee cap, which the map draws across the whole leg: the picture stops there."""
    key = f"pictured {t.id} {view} {' '.join(ordered)}"
    return cat.remember(key, lambda: _longest_run(cat, t, ordered, view))


def _longest_run(
    cat: Catalogue, t: Technique, ordered: Sequence[str], view: str
) -> tuple[Region, ...]:
    placed = [(r, m) for r in ordered if (m := t.motion_on(r, view)) is not None]
    runs: list[list[tuple[str, Motion]]] = []
    for region, motion in placed:
        if runs and _keeps_off(cat, t, view, [runs[-1][-1][1], motion]):
            runs[-1].append((region, motion))
        else:
            runs.append([(region, motion)])
    best = max(runs, key=len, default=[])
    return tuple(cat.regions[r] for r, _ in best) if len(best) > 1 else ()


def _keeps_off(cat: Catalogue, t: Technique, view: str, motions: list[Motion]) -> bool:
    """Whether the route between two regions' paths crosses no zone the glide may not touch."""
    shapes = shipped_shapes().get(view, {})
    route = densify(route_through(motions))
    barred = [shapes[r.id] for r in cat.regions.values() if r.id in shapes and not may_touch(r, t)]
    return not any(shape.contains(p) for shape in barred for p in route)
