"""The plan JSON: the one contract between the planner and every edge."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from rubdown.core.models import Plan, PlanError, PlanRequest, Profile, Segment

# The fields every edge relies on come first; the rest let an edge re-fit the plan.
SEGMENT_KEYS = (
    "start_s",
    "duration_s",
    "kind",
    "region",
    "technique",
    "technique_kind",
    "pressure",
    "reps",
    "side",
    "say",
)
EXTRA_KEYS = tuple(f.name for f in fields(Segment) if f.name not in SEGMENT_KEYS)


def segment_to_json(seg: Segment) -> dict[str, Any]:
    """One segment as a JSON object."""
    return {key: getattr(seg, key) for key in (*SEGMENT_KEYS, *EXTRA_KEYS)}


def plan_to_json(plan: Plan) -> dict[str, Any]:
    """The whole plan as a JSON object."""
    return {
        "minutes": plan.minutes,
        "total_seconds": round(plan.total_seconds, 3),
        "position": plan.position,
        "routine": plan.routine,
        "segments": [segment_to_json(s) for s in plan.segments],
        "notes": list(plan.notes),
        "warnings": list(plan.warnings),
        "request": plan.request.to_json(),
    }


def request_from_json(data: dict[str, Any]) -> PlanRequest:
    """A plan request from its JSON form."""
    profile = Profile(
        pressure=data.get("pressure"),
        focus=tuple(data.get("focus") or ()),
        avoid=tuple(data.get("avoid") or ()),
        conditions=tuple(data.get("conditions") or ()),
    )
    return PlanRequest(
        minutes=int(data.get("minutes") or 30),
        position=data.get("position") or "any",
        routine=data.get("routine"),
        profile=profile,
        vary=data.get("vary"),
    )


def plan_from_json(data: Any) -> Plan:
    """Rebuild a Plan from its JSON; malformed input raises PlanError naming the field."""
    if not isinstance(data, dict):
        raise PlanError("a plan must be a JSON object")
    try:
        segments = tuple(_segment(raw, i) for i, raw in enumerate(data["segments"]))
        return Plan(
            minutes=int(data["minutes"]),
            position=str(data["position"]),
            segments=segments,
            notes=tuple(data.get("notes") or ()),
            request=request_from_json(data.get("request") or {}),
            routine=data.get("routine"),
            warnings=tuple(data.get("warnings") or ()),
        )
    except KeyError as err:
        raise PlanError(f"plan is missing '{err.args[0]}'") from None
    except (TypeError, ValueError) as err:
        raise PlanError(f"plan is malformed: {err}") from None


def _segment(raw: Any, index: int) -> Segment:
    if not isinstance(raw, dict):
        raise PlanError(f"segment {index} must be an object")
    known = {f.name for f in fields(Segment)}
    values = {k: v for k, v in raw.items() if k in known}
    for key in ("start_s", "duration_s", "kind", "say"):
        if key not in values:
            raise PlanError(f"segment {index} is missing '{key}'")
    return Segment(**values)
