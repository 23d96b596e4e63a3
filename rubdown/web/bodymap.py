"""The body-map SVGs (back and front), with one region marked and a stroke-direction arrow."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

VIEW_WIDTH = 200
VIEW_HEIGHT = 420

# Where to draw the arrow for each region: (x, y, length) in viewBox units. Paired regions list
# the left side only; the right side is mirrored about the middle line, as in the drawing.
REGION_CENTRES: dict[str, tuple[float, float, float]] = {
    "scalp": (100, 24, 14),
    "skull-base": (100, 47, 16),
    "neck": (100, 64, 18),
    "shoulders": (74, 86, 16),
    "upper-arms": (56, 127, 34),
    "forearms": (52, 191, 34),
    "hands": (51, 242, 20),
    "shoulder-blades": (83, 113, 24),
    "upper-back": (88, 116, 30),
    "spine": (100, 145, 60),
    "mid-back": (84, 162, 26),
    "lower-back": (84, 197, 22),
    "hips": (68, 232, 22),
    "glutes": (87, 242, 30),
    "thighs": (88, 305, 44),
    "calves": (88, 370, 36),
    "feet": (89, 408, 12),
}
FRONT_CENTRES: dict[str, tuple[float, float, float]] = {
    "scalp": (100, 17, 12),
    "eyes": (100, 34, 8),
    "face": (100, 44, 14),
    "skull-base": (84, 50, 10),
    "neck": (91, 64, 16),
    "front-neck": (100, 65, 14),
    "shoulders": (74, 86, 16),
    "upper-arms": (56, 127, 34),
    "forearms": (52, 191, 34),
    "hands": (51, 242, 20),
    "front-thighs": (88, 300, 44),
    "knees": (88.5, 341, 10),
    "shins": (88, 372, 34),
    "feet": (89, 408, 12),
}
CENTRES: dict[str, dict[str, tuple[float, float, float]]] = {
    "back": REGION_CENTRES,
    "front": FRONT_CENTRES,
}
SINGLE_REGIONS = frozenset({"skull-base", "neck", "spine", "scalp", "eyes", "face", "front-neck"})
# On the front view the neck and skull base are worked from underneath, on both sides.
PAIRED_ON_FRONT = frozenset({"skull-base", "neck"})
DIRECTIONS = ("down", "up")
FILES = {"back": "static/bodymap.svg", "front": "static/bodymap-front.svg"}


def is_single(region: str, view: str = "back") -> bool:
    """Whether a region is drawn once, on the middle line, rather than on both sides."""
    if view == "front" and region in PAIRED_ON_FRONT:
        return False
    return region in SINGLE_REGIONS


@cache
def base_svg(view: str = "back") -> str:
    """The body-map drawing for a view as shipped in the web app's static folder."""
    if view not in FILES:
        raise ValueError(f"body-map view must be one of {', '.join(FILES)}")
    return resources.files("rubdown.web").joinpath(FILES[view]).read_text("utf-8")


def bodymap_svg(
    highlight: str | None = None,
    direction: str | None = None,
    size: int | None = None,
    id_prefix: str = "",
    view: str = "back",
) -> str:
    """The SVG text with `highlight` marked "current" and an optional arrow; size = height in px."""
    svg = base_svg(view)
    if highlight is not None and highlight not in CENTRES[view]:
        raise ValueError(f"unknown body-map region on the {view} view: {highlight!r}")
    if direction is not None and direction not in DIRECTIONS:
        raise ValueError(f"stroke direction must be one of {', '.join(DIRECTIONS)}")
    if highlight is not None:
        svg = _mark_current(svg, highlight)
        if direction is not None:
            svg = svg.replace("</svg>", arrows_svg(highlight, direction, view) + "</svg>")
    if size is not None:
        width = round(size * VIEW_WIDTH / VIEW_HEIGHT)
        svg = svg.replace(
            f'width="{VIEW_WIDTH}" height="{VIEW_HEIGHT}"', f'width="{width}" height="{size}"', 1
        )
    if id_prefix:
        # Several maps on one page need distinct ids to stay valid HTML.
        svg = re.sub(r'\b(id|aria-labelledby)="', rf'\1="{id_prefix}', svg)
    return svg


def _mark_current(svg: str, region: str) -> str:
    """Add the "current" class to the region's element."""
    return re.sub(
        rf'id="region-{re.escape(region)}" class="region([^"]*)"',
        rf'id="region-{region}" class="region\1 current"',
        svg,
        count=1,
    )


def arrows_svg(region: str, direction: str, view: str = "back") -> str:
    """A <g> holding one arrow per side of the region, pointing down or up."""
    x, y, length = CENTRES[view][region]
    points = [(x, y)]
    if not is_single(region, view):
        points.append((VIEW_WIDTH - x, y))
    paths = "".join(
        f'<path class="arrow" d="{_arrow_path(px, py, length, direction)}"/>' for px, py in points
    )
    title = "stroke direction: firm going " + direction
    return f'<g class="arrows" data-direction="{direction}"><title>{title}</title>{paths}</g>'


def _arrow_path(x: float, y: float, length: float, direction: str) -> str:
    """An arrow outline centred on (x, y): a thin shaft and a triangular head."""
    sign = 1 if direction == "down" else -1
    half = length / 2
    head = min(10.0, length * 0.5)
    tail, tip = y - sign * half, y + sign * half
    neck = tip - sign * head
    shaft, wing = 2.4, 7.0
    coords = [
        (x - shaft, tail),
        (x + shaft, tail),
        (x + shaft, neck),
        (x + wing, neck),
        (x, tip),
        (x - wing, neck),
        (x - shaft, neck),
    ]
    return "M" + " L".join(f"{cx:g} {cy:g}" for cx, cy in coords) + " Z"
