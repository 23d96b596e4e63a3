"""The plan JSON: the one contract between the planner and every edge."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from rubdown.core.models import SEGMENT_KINDS, Plan, PlanError, PlanRequest, Profile, Segment
from rubdown.core.motion import StepMotion

# The plan JSON's version: 2 added "version" and the per-segment "offline" limits, 3 the
# offline pressure bounds (cap, ramp, beside), 4 made `beside` the step before only, bounding
# a press only while it is not done. Plans stored without a version are version 1, which
# reads the same.
PLAN_VERSION = 4

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


# Lists of text in a segment: the cautions and warnings said in it.
LIST_FIELDS = {"cautions"}


def segment_to_json(seg: Segment) -> dict[str, Any]:
    """One segment as a JSON object."""
    out = {
        key: list(value) if isinstance(value := getattr(seg, key), tuple) else value
        for key in (*SEGMENT_KEYS, *EXTRA_KEYS)
    }
    out["motion"] = seg.motion.to_json() if seg.motion else None
    return out


def plan_to_json(plan: Plan, *, offline: bool = False) -> dict[str, Any]:
    """The whole plan as a JSON object; offline adds what each step may do without a server."""
    segments = [segment_to_json(s) for s in plan.segments]
    if offline:
        for index, segment in enumerate(segments):
            segment["offline"] = offline_limits(plan, index)
    return {
        "version": PLAN_VERSION,
        "minutes": plan.minutes,
        "total_seconds": round(plan.total_seconds, 3),
        "position": plan.position,
        "routine": plan.routine,
        "segments": segments,
        "notes": list(plan.notes),
        "warnings": list(plan.warnings),
        "request": plan.request.to_json(),
    }


def offline_limits(plan: Plan, index: int) -> dict[str, Any] | None:
    """What lighter and firmer may do at this segment offline (None: no pressure here).

    lightest/firmest: the pressures presses there reach; cap, ramp and beside: the bounds
    core.adjust.change_pressure puts on a new pressure, so the player computes exactly what it
    would for any sequence of presses (min(max(wanted, 1), cap), at most ramp above each step
    beside).
    """
    from rubdown.core.adjust import pressure_limits, step_bounds

    limits, bounds = pressure_limits(plan, index), step_bounds(plan, index)
    if limits is None or bounds is None:
        return None
    return {
        "lightest": limits[0],
        "firmest": limits[1],
        "cap": bounds.cap,
        "ramp": bounds.ramp,
        "beside": list(bounds.beside),
    }


def request_from_json(data: dict[str, Any]) -> PlanRequest:
    """A plan request from its JSON form."""
    profile = Profile(
        pressure=data.get("pressure"),
        focus=tuple(data.get("focus") or ()),
        avoid=tuple(data.get("avoid") or ()),
        conditions=tuple(data.get("conditions") or ()),
    )
    minutes = data.get("minutes")
    return PlanRequest(
        minutes=int(minutes) if minutes is not None else None,
        position=data.get("position") or "any",
        routine=data.get("routine"),
        profile=profile,
        vary=data.get("vary"),
        calibrate=bool(data.get("calibrate", False)),
    )


def plan_from_json(data: Any) -> Plan:
    """Rebuild a Plan from its JSON; malformed input raises PlanError naming the field."""
    if not isinstance(data, dict):
        raise PlanError("a plan must be a JSON object")
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version > PLAN_VERSION:
        raise PlanError(
            f"plan version {version!r} is newer than this rubdown reads ({PLAN_VERSION})"
        )
    try:
        raw_segments = data["segments"]
        if not isinstance(raw_segments, list) or not raw_segments:
            raise PlanError("plan 'segments' must be a non-empty list")
        segments = tuple(_segment(raw, i) for i, raw in enumerate(raw_segments))
        return Plan(
            minutes=int(data["minutes"]),
            position=str(data["position"]),
            segments=segments,
            notes=tuple(str(n) for n in data.get("notes") or ()),
            request=request_from_json(data.get("request") or {}),
            routine=data.get("routine"),
            warnings=tuple(str(w) for w in data.get("warnings") or ()),
        )
    except KeyError as err:
        raise PlanError(f"plan is missing '{err.args[0]}'") from None
    except (TypeError, ValueError, AttributeError) as err:
        raise PlanError(f"plan is malformed: {err}") from None


NUMBER_FIELDS = {"start_s", "duration_s", "seconds_per_rep", "weight"}
INTEGER_FIELDS = {"pressure", "reps", "min_reps", "max_reps", "max_pressure", "step_index"}


def _checked(index: int, key: str, value: Any) -> Any:
    """A segment field's value, if it has the right type."""
    if value is None and key not in ("start_s", "duration_s", "kind", "say"):
        return None
    if key == "motion":
        try:
            return StepMotion.from_json(value)
        except (KeyError, TypeError, ValueError) as err:
            raise PlanError(f"segment {index}: 'motion' is malformed: {err}") from None
    if key in LIST_FIELDS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise PlanError(f"segment {index}: '{key}' must be a list of text")
        return tuple(value)
    if key in NUMBER_FIELDS:
        ok = isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
    elif key in INTEGER_FIELDS:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif key == "kind":
        ok = value in SEGMENT_KINDS
    else:
        ok = isinstance(value, str)
    if not ok:
        raise PlanError(f"segment {index}: '{key}' has a bad value {value!r}")
    return value


def _segment(raw: Any, index: int) -> Segment:
    if not isinstance(raw, dict):
        raise PlanError(f"segment {index} must be an object")
    for key in ("start_s", "duration_s", "kind", "say"):
        if key not in raw:
            raise PlanError(f"segment {index} is missing '{key}'")
    known = {f.name for f in fields(Segment)}
    return Segment(**{k: _checked(index, k, v) for k, v in raw.items() if k in known})
