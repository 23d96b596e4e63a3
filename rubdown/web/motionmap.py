"""A step's motion drawn as still, numbered arrows on a close-up of the body map (for paper)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from rubdown.core.motion import Path, StepMotion
from rubdown.core.shapes import Box, bounds, shipped_shapes

ZOOM_PAD = 12.0
ZOOM_MIN_HEIGHT = 110.0
INK, MARK = "#2f3e5c", "#8c3b26"
RETURN_OFFSET = 2.2  # a return along the same line is drawn beside it, so both arrows show


def focus_box(boxes: Sequence[Box], base: Box) -> Box:
    """The part of the map to show: the boxes with room round them, in the map's proportions."""
    x1 = min(b.x for b in boxes)
    y1 = min(b.y for b in boxes)
    x2 = max(b.x + b.width for b in boxes)
    y2 = max(b.y + b.height for b in boxes)
    ratio = base.width / base.height
    height = max(y2 - y1 + 2 * ZOOM_PAD, (x2 - x1 + 2 * ZOOM_PAD) / ratio, ZOOM_MIN_HEIGHT)
    height = min(height, base.height)
    width = height * ratio
    x = min(max((x1 + x2) / 2 - width / 2, base.x), base.x + base.width - width)
    y = min(max((y1 + y2) / 2 - height / 2, base.y), base.y + base.height - height)
    return Box(round(x, 1), round(y, 1), round(width, 1), round(height, 1))


def offset(path: Path, by: float) -> Path:
    """The path moved sideways (to the right of its way) by `by` map units."""
    out = []
    for k, (x, y) in enumerate(path):
        (ax, ay), (bx, by_) = path[max(k - 1, 0)], path[min(k + 1, len(path) - 1)]
        length = math.hypot(bx - ax, by_ - ay) or 1.0
        out.append((round(x - by * (by_ - ay) / length, 2), round(y + by * (bx - ax) / length, 2)))
    return tuple(out)


def _same_line(firm: Path, light: Path) -> bool:
    return set(firm) == set(light)


def arrow_head(path: Path, size: float) -> str:
    """A filled triangle at the path's end, pointing the way it last went."""
    x2, y2 = path[-1]
    k = len(path) - 2
    while k > 0 and math.dist(path[k], path[-1]) < size:
        k -= 1
    x1, y1 = path[max(k, 0)]
    angle = math.atan2(y2 - y1, x2 - x1)
    corners = [
        (x2 - size * math.cos(angle + turn), y2 - size * math.sin(angle + turn))
        for turn in (0.5, -0.5)
    ]
    return f"M{x2:g} {y2:g} " + " ".join(f"L{cx:.2f} {cy:.2f}" for cx, cy in corners) + " Z"


def _line(path: Path) -> str:
    return " ".join(f"{'L' if k else 'M'}{x:g} {y:g}" for k, (x, y) in enumerate(path))


def _arrow(path: Path, number: int, how: str, scale: float) -> str:
    """One numbered arrow: solid for the first part, dashed for the second."""
    dash = f' stroke-dasharray="{2.4 * scale:g} {1.8 * scale:g}"' if number == 2 else ""
    width = (1.3 if number == 1 else 0.9) * scale
    x, y = path[0]
    return (
        f'<g class="motion-arrow part-{number} how-{how}">'
        f'<path d="{_line(path)}" fill="none" stroke="{INK}" stroke-width="{width:g}" '
        f'stroke-linecap="round"{dash}/>'
        f'<path d="{arrow_head(path, 3.2 * scale)}" fill="{INK}"/>'
        f'<circle cx="{x:g}" cy="{y:g}" r="{2.6 * scale:g}" fill="{MARK}" stroke="#fff" '
        f'stroke-width="{0.4 * scale:g}"/>'
        f'<text x="{x:g}" y="{y + 1.1 * scale:g}" font-size="{3.4 * scale:g}" '
        f'text-anchor="middle" fill="#fff" font-weight="bold">{number}</text></g>'
    )


def motion_svg(motion: StepMotion, scale: float) -> str:
    """The motion's arrows, 1 the firm part and 2 the light part; `scale` sizes them."""
    parts = []
    for firm, light in motion.strokes:
        shown = offset(light, RETURN_OFFSET * scale) if _same_line(firm, light) else light
        parts.append(_arrow(firm, 1, motion.halves[0], scale))
        parts.append(_arrow(shown, 2, motion.halves[1], scale))
    title = " then ".join(motion.labels)
    body = "".join(parts)
    return f'<g class="motion" data-hands="{motion.hands}"><title>{title}</title>{body}</g>'


def path_box(path: Path) -> Box:
    """The box round a path."""
    return bounds(path)


def zoomed_motion_map(svg: str, region: str, motion: StepMotion, base: Box) -> str:
    """The map SVG cropped to the region and its paths, with the motion's numbered arrows."""
    boxes = [path_box(p) for stroke in motion.strokes for p in stroke]
    shape = shipped_shapes().get(motion.view, {}).get(region)
    if shape is not None:
        boxes.extend(bounds(polygon) for piece in shape.pieces.values() for polygon in piece)
    box = focus_box(boxes, base)
    # Arrows and numbers keep one size on paper, however close the map comes.
    scale = box.height / ZOOM_MIN_HEIGHT
    view_box = f'viewBox="{box.x:g} {box.y:g} {box.width:g} {box.height:g}"'
    svg = re.sub(r'viewBox="[^"]*"', view_box, svg, count=1)
    return svg.replace("</svg>", motion_svg(motion, scale) + "</svg>")
