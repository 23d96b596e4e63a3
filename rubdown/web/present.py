"""What the pages show: plan timeline rows, clock text and the body map markup."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from rubdown.core.models import Plan

KIND_LABELS = {
    "check-in": "Check in with your partner",
    "oil": "Warm some oil",
    "announce": "Say where your hands go next",
    "closing": "Closing rest",
}
SIDES = {"left": "left side", "right": "right side"}


def clock(seconds: float) -> str:
    """Seconds as m:ss."""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def plan_rows(plan: Plan) -> list[dict[str, Any]]:
    """One row per segment: when, how long, what, where, pressure and count."""
    rows = []
    for seg in plan.segments:
        step = seg.kind == "step"
        area = seg.region_name or ""
        if step and seg.side in SIDES:
            area = f"{area}, {SIDES[seg.side]}"
        rows.append(
            {
                "start": clock(seg.start_s),
                "length": clock(seg.duration_s),
                "kind": seg.kind,
                "step": step,
                "region": seg.region or "",
                "what": seg.technique_name if step else KIND_LABELS.get(seg.kind, seg.kind),
                "area": area,
                "pressure": seg.pressure,
                "reps": seg.reps,
                "say": seg.say,
            }
        )
    return rows


@cache
def bodymap_markup() -> str:
    """The shared body-map drawing for inline use, with its own print colours left out."""
    from rubdown.web.bodymap import bodymap_svg

    svg = bodymap_svg()
    # The page's stylesheet colours the map for the dark theme, and a strict CSP forbids
    # inline <style> anyway.
    svg = re.sub(r"<style>.*?</style>", "", svg, flags=re.S)
    return re.sub(r' width="\d+" height="\d+"', "", svg, count=1)


@cache
def arrow_anchors() -> str:
    """Where stroke arrows go on each region, as JSON for the player script."""
    from rubdown.web.bodymap import REGION_CENTRES, SINGLE_REGIONS, VIEW_WIDTH

    anchors = {}
    for region, (x, y, length) in REGION_CENTRES.items():
        xs = [x] if region in SINGLE_REGIONS else [x, VIEW_WIDTH - x]
        anchors[region] = {"xs": xs, "y": y, "len": length}
    return json.dumps(anchors, separators=(",", ":"))
