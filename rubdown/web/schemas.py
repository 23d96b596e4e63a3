"""Request bodies of the JSON API, validated by pydantic (FastAPI answers bad input with 422)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, model_validator

from rubdown.core.names import NAME_PATTERN, person_name
from rubdown.core.plan_model import PlanModel
from rubdown.core.words import (
    MAX_MINUTES,
    MIN_MINUTES,
    Answer,
    By,
    Change,
    EventKind,
    PlayerEvent,
    Pressure,
    PressureCheckAnswer,
    RemoteChange,
    Status,
    Verdict,
)

# The word lists are defined once, in rubdown.core.words.
Action = RemoteChange
# The length is part of NAME_PATTERN (the library's one name rule), which checks it.
Name = Field(json_schema_extra={"pattern": NAME_PATTERN})
# Every number from a request is bounded before it reaches the database or any arithmetic.
MAX_ID = 2**63 - 1
MAX_CLOCK_S = MAX_MINUTES * 60 * 4
SessionId = Annotated[int, Path(ge=1, le=MAX_ID, description="A session's number.")]
DataValue = (
    Annotated[str, Field(max_length=200)]
    | Annotated[int, Field(ge=-(2**53), le=2**53)]
    | Annotated[float, Field(ge=-1e15, le=1e15)]
    | bool
    | None
)


# Bounds sit inside each type, so the OpenAPI document states them even where a field is optional.
Minutes = Annotated[int, Field(ge=MIN_MINUTES, le=MAX_MINUTES)]
Seed = Annotated[int, Field(ge=0, le=2**31 - 1)]
SegmentIndex = Annotated[int, Field(ge=0, le=10_000)]
Rating = Annotated[int, Field(ge=1, le=5)]
Clock = Annotated[float, Field(ge=0, le=MAX_CLOCK_S)]
Speed = Annotated[float, Field(gt=0, le=1000)]
# A catalogue id (region, condition, question) as a request names it, and lists of them: longer
# than any id, or more than there are, is no mistake a person makes (and would be echoed back).
CatalogueId = Annotated[str, Field(max_length=80)]
Ids = Annotated[list[CatalogueId], Field(max_length=100)]
# Every request's body is at most this (a plan, an event or a form is well under 8 KiB).
MAX_BODY_BYTES = 64 * 1024
BODY_TOO_LARGE = (
    f"The request is over {MAX_BODY_BYTES // 1024} KiB: rubdown's pages never send that much."
)
# A page's own id for one event or press: sent again after a lost answer, it is applied once.
ClientId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


def check_name(value: str | None) -> str | None:
    """The name by the library's one rule; ValueError with a plain sentence if refused."""
    return None if value is None else person_name(value)


SafeName = Annotated[str, AfterValidator(check_name)]


class Strict(BaseModel):
    """Unknown fields are an error, so a typo is reported instead of ignored."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _numbers_are_not_flags(cls, data: Any) -> Any:
        """JSON true/false is not a number (pydantic alone would read it as 1 or 0)."""
        if isinstance(data, dict):
            for name, field in cls.model_fields.items():
                wants_flag = field.annotation is bool
                if isinstance(data.get(name), bool) and not wants_flag and _numeric(field):
                    raise ValueError(f"{name} must be a number, not true or false")
        return data


def _numeric(field: Any) -> bool:
    """Whether a field takes a number."""
    text = str(field.annotation)
    return "int" in text or "float" in text


class PlanIn(Strict):
    """What to plan: the lists add to what is stored about the receiver."""

    minutes: Minutes | None = Field(None, description="Length; default 30, or the routine's.")
    position: str = Field(
        "any", description="seated, lying, seated-forearms, side-lying, face-up or any."
    )
    routine: str | None = None
    pressure: Pressure | None = Field(None, description="Today's wish; overrides the stored one.")
    focus: Ids = Field(default_factory=list, description="Regions to spend longer on.")
    avoid: Ids = Field(default_factory=list, description="Regions to leave out.")
    conditions: Ids = Field(default_factory=list, description="Health conditions.")
    vary: Seed | None = Field(None, description="Seed for another mix of techniques.")
    calibrate: StrictBool = Field(False, description="Open with a 30-second pressure check.")
    giver: str | None = Field(None, max_length=80)
    receiver: str | None = Field(
        None, max_length=80, description="Plan with this person's stored profile."
    )


class EventIn(Strict):
    """Something the player journals as it happens."""

    kind: PlayerEvent
    clock_s: Clock
    segment_index: SegmentIndex | None = None
    region: str | None = Field(None, max_length=80)
    technique: str | None = Field(None, max_length=80)
    data: dict[Annotated[str, Field(max_length=40)], DataValue] | None = Field(None, max_length=20)
    speed: Speed | None = Field(None, description="The player's clock speed.")
    client_id: ClientId | None = Field(
        None, description="The player's own id for this event: resending it stores it once."
    )


class HeartbeatIn(Strict):
    """The player is still playing: where its clock is."""

    clock_s: float | None = Field(None, ge=0, le=MAX_MINUTES * 60 + 60)
    segment_index: int | None = Field(None, ge=0, le=10_000)


class ControlIn(Strict):
    """A button press that changes the live plan."""

    action: Action
    by: By = "giver"
    clock_s: Clock | None = Field(None, description="The player's clock; else estimated.")
    client_id: ClientId | None = Field(
        None, description="The page's own id for this press: resending it applies it once."
    )


class AnswerIn(Strict):
    """The receiver's answer to a check-in."""

    answer: Answer
    by: By = "receiver"
    clock_s: Clock | None = Field(None, description="The player's clock; else estimated.")
    client_id: ClientId | None = Field(
        None, description="The page's own id for this answer: resending it applies it once."
    )


class PressureCheckIn(Strict):
    """The receiver's answer to the pressure check at the start."""

    answer: PressureCheckAnswer
    by: By = "receiver"
    clock_s: Clock | None = Field(None, description="The player's clock; else estimated.")
    client_id: ClientId | None = Field(
        None, description="The page's own id for this answer: resending it applies it once."
    )


class FinishIn(Strict):
    """How the session ended."""

    status: Literal["finished", "quit"]
    clock_s: Clock | None = None
    client_id: ClientId | None = Field(
        None, description="The page's own id for this ending: resending it is answered alike."
    )


class ResumeIn(Strict):
    """Carry on an interrupted session."""

    client_id: ClientId | None = Field(
        None, description="The page's own id for this resume: resending it is answered alike."
    )


class FeedbackIn(Strict):
    """The receiver's verdict after a session."""

    overall: Rating | None = None
    pressure_verdict: Verdict | None = None
    favourite_technique: str | None = Field(None, max_length=80)
    client_id: ClientId | None = Field(
        None, description="The page's own id for this verdict: resending it stores it once."
    )


class ScreenIn(Strict):
    """Answers to the red-flag screen: every question's id with true (yes) or false (no)."""

    answers: dict[CatalogueId, bool] = Field(
        max_length=100, description="Question id to yes (true) or no (false)."
    )


class PersonIn(Strict):
    """A new person."""

    name: SafeName = Name
    pressure: Pressure | None = None
    conditions: Ids = Field(default_factory=list)

    focus: Ids = Field(default_factory=list)
    avoid: Ids = Field(default_factory=list)


class PersonPatch(Strict):
    """Changes to a person; a list given replaces the stored one, pressure null clears it."""

    rename: SafeName | None = Field(None, json_schema_extra={"pattern": NAME_PATTERN})
    pressure: Pressure | None = None

    conditions: Ids | None = None
    focus: Ids | None = None
    avoid: Ids | None = None


class Out(BaseModel):
    """An answer's shape; a field added later still reaches the client until listed here."""

    model_config = ConfigDict(extra="allow")


class CueOut(Out):
    """One spoken cue: when, for which segment, what is said, and its audio key."""

    at_s: float
    slot_s: float | None = Field(None, description="Time until the next cue of its talk.")
    seconds: float | None = Field(None, description="How long it takes to say.")
    segment: int
    kind: str = Field(description="intro, halfway or last-three")
    text: str
    key: str = Field(description="Its audio: voice.cue_url with {key}")
    talks: list[Literal["full", "less"]] = Field(
        description='Which talk says it: every sentence ("full") or "less talking".'
    )


class VoiceChoice(Out):
    """A voice the player may choose."""

    id: str
    label: str
    format: str


class MixOut(Out):
    """The mix the player applies, from `voice.mix`: gains per balance step, background, ducking."""

    defaults: dict[str, float | str]
    balance_steps: int
    voice: list[float]
    tick: list[float]
    background_level: float
    duck_to: float
    duck_ramp_s: float
    backgrounds: list[str]
    background_url: str


class VoiceOut(Out):
    """Whether the server can speak, its voices, and where cue audio and rhythm ticks are."""

    server: bool
    default: str | None = None
    voices: list[VoiceChoice] = Field(default_factory=list)
    cue_url: str
    progress_url: str | None = None
    ticks: dict[str, str]
    mix: MixOut | None = None


class PlanOut(Out):
    """A plan (the plan JSON of docs/architecture.md) with its cues."""

    refused: bool = False
    plan: PlanModel
    cues: list[CueOut]
    voice: VoiceOut


class SessionOut(Out):
    """One session without its plan."""

    id: int
    started_at: str = Field(description="ISO 8601, UTC")
    ended_at: str | None
    giver: str | None
    receiver: str | None
    planned_seconds: int
    done_seconds: int
    planned_minutes: float
    done_minutes: float
    status: Status
    position_s: float
    segment_index: int | None
    rating: int | None


class PlaySessionOut(SessionOut):
    """A session with everything the player needs: the live plan (with offline limits), cues."""

    version: int = Field(description="How many changes re-fitted the plan.")
    plan: PlanModel
    cues: list[CueOut]
    voice: VoiceOut
    checkin_wait_s: float = Field(description="How long a check-in holds for an answer.")


class StartedOut(PlaySessionOut):
    """A new running session and where to play and steer it."""

    player_url: str
    remote_url: str


class EventOut(Out):
    """A journalled event: its number in the session."""

    seq: int
    kind: EventKind


class HeartbeatOut(Out):
    """The session's status after a heartbeat ("interrupted": resume it)."""

    id: int
    status: Status


class LiveMessageOut(Out):
    """What a change did, as every open page hears it."""

    type: Literal["plan", "note", "pause"]
    action: Change
    by: By
    note: str
    say: str = Field(description="What the giver hears.")
    say_key: str = Field(description="Its audio: /api/cues/{say_key}.wav")
    segment: int
    clock_s: float
    pressure: int | None
    version: int
    paused: bool | None = None
    region_name: str | None = None
    plan: PlanModel | None = Field(None, description="The re-fitted plan (type plan).")
    cues: list[CueOut] | None = None


class FeedbackOut(Out):
    """The receiver's verdict as stored."""

    session_id: int
    overall: int | None
    pressure_verdict: Verdict | None
    favourite_technique: str | None
