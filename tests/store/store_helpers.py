"""Helpers shared by the store tests (a plain module: conftest is not importable by name)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

RunSession = Callable[..., int]


def make_plan(*segments: tuple[str, str, int, float]) -> dict[str, Any]:
    """A plan JSON shaped like rubdown.core.planjson: (region, technique, pressure, seconds)."""
    out: list[dict[str, Any]] = []
    start = 0.0
    for region, technique, pressure, seconds in segments:
        out.append(
            {
                "start_s": start,
                "duration_s": seconds,
                "kind": "step",
                "region": region,
                "technique": technique,
                "pressure": pressure,
                "say": f"{technique} on the {region}",
            }
        )
        start += seconds
    return {"minutes": round(start / 60), "total_seconds": start, "segments": out}


PLAN = make_plan(
    ("shoulders", "shoulder-outward-strokes", 3, 300.0),
    ("neck", "neck-circles", 4, 180.0),
    ("upper-back", "palm-glide", 3, 120.0),
)


def at_noon(day: date) -> datetime:
    """Local noon on day, timezone-aware, so the local calendar day is unambiguous."""
    return datetime.combine(day, time(12)).astimezone()
