"""Frozen values the store hands to callers; no ORM objects leave the package."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

# The word lists live in core.words; re-exported for the store's callers.
from rubdown.core.words import EVENT_KINDS as EVENT_KINDS
from rubdown.core.words import PRESSURES as PRESSURES
from rubdown.core.words import STATUSES as STATUSES
from rubdown.core.words import VERDICTS as VERDICTS

# Statuses whose done_seconds count towards turns and stats; a running session is not over yet.
COUNTED_STATUSES = ("finished", "quit", "interrupted")


@dataclass(frozen=True)
class PersonRecord:
    """One person who gives and receives massages."""

    id: int
    name: str
    pressure: str | None
    conditions: tuple[str, ...]
    focus: tuple[str, ...]
    avoid: tuple[str, ...]
    created_at: datetime
    screened_at: datetime | None = None
    screen_conditions: tuple[str, ...] | None = None
    red_flags: tuple[str, ...] = ()

    @property
    def screen_due(self) -> bool:
        """Whether the red-flag screen must be answered before the next session."""
        from rubdown.core.screen import screen_due

        return screen_due(self.screen_conditions, self.conditions)

    def to_json(self) -> dict[str, Any]:
        """The profile as plain JSON (the CLI and the web API share it)."""
        return {
            "name": self.name,
            "pressure": self.pressure,
            "conditions": list(self.conditions),
            "focus": list(self.focus),
            "avoid": list(self.avoid),
            "created_at": self.created_at.isoformat(),
            "screen": {
                "answered_at": self.screened_at.isoformat() if self.screened_at else None,
                "due": self.screen_due,
                "red_flags": list(self.red_flags),
            },
        }


@dataclass(frozen=True)
class SessionRecord:
    """One massage session, with the people's names and the rating if given."""

    id: int
    started_at: datetime
    ended_at: datetime | None
    giver: str | None
    receiver: str | None
    planned_seconds: int
    done_seconds: int
    status: str
    plan_json: str
    position_s: float
    segment_index: int | None
    rating: int | None
    owner: str | None = None
    heartbeat_at: datetime | None = None

    @property
    def plan(self) -> dict[str, Any]:
        """The plan as the planner produced it."""
        value: dict[str, Any] = json.loads(self.plan_json)
        return value

    @property
    def done_minutes(self) -> float:
        """Minutes of massage actually done, to one decimal."""
        return round(self.done_seconds / 60, 1)

    @property
    def planned_minutes(self) -> float:
        """Minutes the plan asked for, to one decimal."""
        return round(self.planned_seconds / 60, 1)

    def to_json(self) -> dict[str, Any]:
        """The session without its plan, as plain JSON (the CLI and the web API share it)."""
        return {
            "id": self.id,
            "started_at": self.started_at.isoformat(),
            "ended_at": self.ended_at.isoformat() if self.ended_at else None,
            "giver": self.giver,
            "receiver": self.receiver,
            "planned_seconds": self.planned_seconds,
            "done_seconds": self.done_seconds,
            "planned_minutes": self.planned_minutes,
            "done_minutes": self.done_minutes,
            "status": self.status,
            "position_s": self.position_s,
            "segment_index": self.segment_index,
            "rating": self.rating,
        }


@dataclass(frozen=True)
class EventRecord:
    """One journal entry of a session."""

    id: int
    session_id: int
    seq: int
    at: datetime
    clock_s: float
    kind: str
    segment_index: int | None
    region: str | None
    technique: str | None
    data: dict[str, Any] | None = None
    client_id: str | None = None

    def __hash__(self) -> int:
        # data is a dict, so hash on the identity of the journal entry instead.
        return hash((self.session_id, self.seq))


@dataclass(frozen=True)
class FeedbackRecord:
    """What the receiver said after a session."""

    session_id: int
    overall: int | None
    pressure_verdict: str | None
    favourite_technique: str | None
    created_at: datetime


@dataclass(frozen=True)
class LearnedPreferences:
    """What past sessions taught about one receiver."""

    region_pressure: dict[str, int]
    favourite_techniques: tuple[str, ...]
    notes: tuple[str, ...]

    def __hash__(self) -> int:
        return hash((tuple(sorted(self.region_pressure.items())), self.favourite_techniques))


@dataclass(frozen=True)
class TurnAnswer:
    """Who gives today, and why in one sentence."""

    giver: str
    receiver: str
    reason: str


@dataclass(frozen=True)
class PersonStats:
    """One person's totals over the stats window."""

    name: str
    sessions_given: int
    sessions_received: int
    minutes_given: float
    minutes_received: float

    @property
    def balance(self) -> float:
        """Minutes given minus minutes received."""
        return round(self.minutes_given - self.minutes_received, 1)


@dataclass(frozen=True)
class WeekRow:
    """One person's minutes in one ISO week (week_start is that Monday)."""

    week_start: date
    person: str
    given_minutes: float
    received_minutes: float


@dataclass(frozen=True)
class Stats:
    """Totals, a per-week table and the balance, over the weeks since `since`."""

    since: date
    people: tuple[PersonStats, ...]
    weeks: tuple[WeekRow, ...]

    @property
    def balance(self) -> dict[str, float]:
        """Minutes given minus received, per person."""
        return {p.name: p.balance for p in self.people}
