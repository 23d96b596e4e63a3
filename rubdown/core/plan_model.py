"""The plan JSON as a typed (pydantic) model, and its JSON Schema (`rubdown schema --plan`).

plan_to_json writes this shape; the web API declares it, so /openapi.json shows it too.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from rubdown.core.planjson import PLAN_VERSION
from rubdown.core.words import Pressure

SegmentKind = Literal["step", "check-in", "announce", "oil", "closing", "hold", "calibrate"]
Role = Literal["opening", "entry", "work", "flush", "finish"]
Side = Literal["both", "left", "right"]
StrokeRule = Literal["firm-down-light-up", "even", "growing", "press-release"]


class Frozen(BaseModel):
    """Read-only values; unknown fields are refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class OfflineLimits(Frozen):
    """The pressures lighter and firmer may reach at a step without the server."""

    lightest: int = Field(ge=1, le=10)
    firmest: int = Field(ge=1, le=10)
    cap: int = Field(ge=1, le=10, description="The most this step may take under its own caps.")
    ramp: int = Field(ge=0, le=10, description="How far above the step before it it may go.")
    beside: list[int] = Field(
        description="The segment index of the step just before (empty for the first); it bounds "
        "a press only when it is at or after the pressed segment (not done yet)."
    )


class StrokeModel(Frozen):
    """One hand's path on the body map (map units): the firm part, then the light part."""

    firm: list[tuple[float, float]] = Field(min_length=2)
    light: list[tuple[float, float]] = Field(min_length=2)


class MotionModel(Frozen):
    """How the hands move in a step (rubdown.core.motion.StepMotion)."""

    hands: str
    view: Literal["back", "front"]
    strokes: list[StrokeModel] = Field(min_length=1)
    returns: Literal["glide", "lift", "none"]
    firm_share: float = Field(gt=0, lt=1, description="The 'up' tick and light part start here.")
    halves: tuple[str, str]
    labels: tuple[str, str]
    words: str


class SegmentModel(Frozen):
    """One timed piece of a plan; non-step segments leave the step fields null."""

    start_s: float = Field(ge=0)
    duration_s: float = Field(ge=0)
    kind: SegmentKind
    region: str | None = None
    technique: str | None = None
    technique_kind: str | None = None
    pressure: int | None = Field(None, ge=1, le=10)
    reps: int | None = Field(None, ge=0)
    side: Side | None = None
    say: str
    position: str | None = None
    seconds_per_rep: float | None = Field(None, ge=0)
    min_reps: int | None = Field(None, ge=0)
    max_reps: int | None = Field(None, ge=0)
    max_pressure: int | None = Field(None, ge=1, le=10)
    weight: float = Field(1.0, ge=0)
    step_index: int | None = Field(None, ge=0)
    stroke_rule: StrokeRule | None = None
    technique_name: str | None = None
    region_name: str | None = None
    role: Role | None = Field(None, description="What the step does in the session's shape.")
    cautions: list[str] = Field(
        default_factory=list, description="Cautions and warnings said in this segment."
    )
    offline: OfflineLimits | None = Field(None, description="Only in the player's copy.")
    motion: MotionModel | None = Field(None, description="How the hands move (steps).")


class RequestModel(Frozen):
    """What was asked for, so any edge can plan it again."""

    minutes: int | None
    position: str
    routine: str | None
    pressure: Pressure | None
    focus: list[str]
    avoid: list[str]
    conditions: list[str]
    vary: int | None
    calibrate: bool = False


class PlanModel(Frozen):
    """A whole plan: the one contract between the planner and every edge."""

    version: int = Field(PLAN_VERSION, ge=1, le=PLAN_VERSION)
    minutes: int
    total_seconds: float = Field(ge=0)
    position: str
    routine: str | None
    segments: list[SegmentModel] = Field(min_length=1)
    notes: list[str]
    warnings: list[str]
    request: RequestModel


def plan_schema() -> dict[str, Any]:
    """The JSON Schema of the plan JSON."""
    schema = PlanModel.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"rubdown plan, version {PLAN_VERSION}"
    return schema
