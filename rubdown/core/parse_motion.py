"""Reading motions: each technique's hand path on each region, checked against the body map."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rubdown.core.fields import Fields
from rubdown.core.models import VIEWS, Catalogue, Technique, may_touch
from rubdown.core.motion import HAND_PARTS, RETURNS, Motion, Path
from rubdown.core.parse import _items
from rubdown.core.shapes import RegionShape, default_view, densify, shipped_shapes
from rubdown.core.source import Pos, Problem, pos_of

Found = Iterator[tuple[str, Any, Pos]]


def _route(f: Fields) -> Path:
    """The path as a list of [u, v] pairs, each a share 0..1 of the region's frame."""
    raw = f.raw("path", required=True)
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        f.add(
            "path", "'path' must be a list of [across, down] points, like [[0.2, 0.1], [0.8, 0.9]]"
        )
        return ()
    points = []
    for i, item in enumerate(raw):
        where = pos_of(raw, i, f.at("path"))
        numbers = isinstance(item, list) and len(item) == 2
        numbers = numbers and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in item
        )
        if not numbers:
            f.problems.append(where.problem("a path point must be two numbers: [across, down]"))
        elif not all(0 <= v <= 1 for v in item):
            f.problems.append(
                where.problem(f"path point {item} must lie within 0..1 of the region's frame")
            )
        else:
            points.append((float(item[0]), float(item[1])))
    return tuple(points) if len(points) == len(raw) else ()


def _pair(item: Any) -> bool:
    return (
        isinstance(item, list)
        and len(item) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in item)
    )


def _read(f: Fields, cat: Catalogue) -> Motion | None:
    technique = f.choice("technique", cat.techniques)
    region = f.choice("region", cat.regions)
    hands = f.choice("hands", HAND_PARTS)
    route = _route(f)
    way_out, way_back = f.text("way_out"), f.text("way_back")
    returns = f.choice("return", RETURNS, required=False) or "glide"
    start, end = f.text("from", False), f.text("to", False)
    loops = f.integer("loops", 0, 40, False) or 0
    size = f.number("loop_size", 0.01, 0.5) if "loop_size" in f.data else None
    mirror = f.flag("mirror")
    turn = f.integer("turn", 1, 200, returns == "none")
    view = f.choice("view", VIEWS, required=False) or default_view(region, shipped_shapes()) or ""
    f.done()
    if turn is not None and returns != "none":
        f.add("turn", "'turn' belongs to a path with return 'none' (the others turn at its end)")
    elif turn is not None and route and turn >= len(route) - 1:
        f.add("turn", f"'turn' must name a point before the path's last (1 to {len(route) - 2})")
    if loops and size is None:
        f.add("loops", "'loops' needs a 'loop_size' (the circles' radius, 0.01-0.5 of the frame)")
    if len(route) < 2 and not loops:
        f.add("path", "a path needs at least two points (or one point with 'loops')")
    if technique and region and region not in cat.techniques[technique].regions:
        works = ", ".join(cat.techniques[technique].regions)
        f.add("region", f"technique '{technique}' does not work '{region}' (it works: {works})")
    if not (f.ok and technique and region and hands and route and way_out and way_back):
        return None
    return Motion(
        technique, region, hands, route, way_out, way_back, returns, start, end,
        loops, size or 0.0, mirror, turn or 0, view,
    )  # fmt: skip


def _check_drawn(f: Fields, motion: Motion, shape: RegionShape, cat: Catalogue) -> None:
    """Every point, on both sides, inside the region and off the areas it may not touch."""
    technique = cat.techniques[motion.technique]
    if motion.mirror and shape.paired:
        f.add("mirror", f"'{motion.region}' is drawn on each side already: leave out 'mirror'")
    one_side = motion.mirror or (technique.per_side and not shape.paired)
    raw = f.data.get("path")
    for i, (u, v) in enumerate(motion.path):
        point = shape.box.place(u, v)
        if not shape.contains(point):
            where = pos_of(raw, i, f.at("path"))
            f.problems.append(where.problem(_outside(motion, point, i)))
    traced = densify(motion.drawn(shape), 2.0)  # finer than the narrowest zone (the spine, 6)
    if any(not shape.contains(p) for p in traced) and all(
        shape.contains(shape.box.place(u, v)) for u, v in motion.path
    ):
        f.add("loop_size", f"the circles round the path leave '{motion.region}': make them smaller")
    if one_side and any(p[0] >= shape.width / 2 for p in traced):
        f.add(
            "path", "a path for one side must stay left of the body's midline (u below the middle)"
        )
    _check_no_press(f, motion, traced, technique, cat)


def _outside(motion: Motion, point: tuple[float, float], index: int) -> str:
    x, y = point
    return (
        f"path point {index + 1} ({x:.1f}, {y:.1f} on the map) lies outside "
        f"'{motion.region}' as the body map draws it"
    )


def _check_no_press(
    f: Fields, motion: Motion, traced: Path, technique: Technique, cat: Catalogue
) -> None:
    shapes = shipped_shapes().get(motion.view, {})
    for region in cat.regions.values():
        if not region.no_press or region.id == motion.region or region.id not in shapes:
            continue
        if may_touch(region, technique):
            continue
        zone = shapes[region.id]
        crossing = [p for p in traced if zone.contains(p) or zone.contains(zone.mirror(p))]
        if crossing:
            f.add(
                "path",
                f"the path crosses '{region.id}', a no-press zone this {technique.kind} "
                f"may not touch",
            )


def read_motions(data: Any, file: str, cat: Catalogue, problems: list[Problem]) -> Found:
    """Motions: how the hands move for a technique on a region."""
    shapes = shipped_shapes()
    for item, where in _items(data, "motions", file, problems):
        f = Fields(item, where, "a motion", problems)
        motion = _read(f, cat)
        if motion is None:
            continue
        shape = shapes.get(motion.view, {}).get(motion.region)
        if shape is None:
            drawing = f"the {motion.view} body map" if motion.view else "any body map"
            f.add("region", f"'{motion.region}' is not drawn on {drawing}, so it has no shape")
            continue
        before = len(problems)
        _check_drawn(f, motion, shape, cat)
        if len(problems) == before:
            yield "motions", motion.placed(shape), f.pos
