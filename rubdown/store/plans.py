"""The few facts the store reads out of a planner's plan JSON.

The store keeps the plan verbatim (see rubdown.core.planjson) and only relies on
``{"total_seconds": number, "segments": [{"duration_s": number, "region": str | None,
"technique": str | None, "pressure": int | None, ...}, ...]}``; other keys are ignored.
"""

from __future__ import annotations

from typing import Any


def segments(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """The plan's segments that are objects, in order."""
    raw = plan.get("segments")
    if not isinstance(raw, list):
        return []
    return [seg for seg in raw if isinstance(seg, dict)]


def _number(value: Any) -> float | None:
    """value if it is a real number (not a bool), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def planned_seconds(plan: dict[str, Any]) -> int:
    """The plan's length: its total_seconds if stated, else the sum of its segments."""
    stated = _number(plan.get("total_seconds"))
    if stated is not None:
        return max(0, round(stated))
    total = sum(_number(seg.get("duration_s")) or 0.0 for seg in segments(plan))
    return max(0, round(total))


def region_pressures(plan: dict[str, Any]) -> dict[str, int]:
    """Pressure per region as planned; the first segment on a region sets it."""
    found: dict[str, int] = {}
    for seg in segments(plan):
        region = seg.get("region")
        pressure = _number(seg.get("pressure"))
        if isinstance(region, str) and pressure is not None and region not in found:
            found[region] = round(pressure)
    return found


def segment_region(plan: dict[str, Any], index: int | None) -> str | None:
    """The region of segment `index`, if the plan has it."""
    parts = segments(plan)
    if index is None or not 0 <= index < len(parts):
        return None
    region = parts[index].get("region")
    return region if isinstance(region, str) else None
