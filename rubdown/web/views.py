"""Store records as plain JSON-ready dicts, shared by the API and the pages."""

from __future__ import annotations

from typing import Any

from rubdown.store.records import PersonRecord, SessionRecord, Stats, TurnAnswer


def session_json(record: SessionRecord) -> dict[str, Any]:
    """One session without its plan."""
    return {
        "id": record.id,
        "started_at": record.started_at.isoformat(),
        "ended_at": record.ended_at.isoformat() if record.ended_at else None,
        "giver": record.giver,
        "receiver": record.receiver,
        "planned_seconds": record.planned_seconds,
        "done_seconds": record.done_seconds,
        "planned_minutes": record.planned_minutes,
        "done_minutes": record.done_minutes,
        "status": record.status,
        "position_s": record.position_s,
        "segment_index": record.segment_index,
        "rating": record.rating,
    }


def person_json(record: PersonRecord) -> dict[str, Any]:
    """One person's profile."""
    return {
        "name": record.name,
        "pressure": record.pressure,
        "conditions": list(record.conditions),
        "focus": list(record.focus),
        "avoid": list(record.avoid),
        "created_at": record.created_at.isoformat(),
    }


def stats_json(stats: Stats) -> dict[str, Any]:
    """Totals per person, the balance, and minutes per week."""
    return {
        "since": stats.since.isoformat(),
        "people": [
            {
                "name": p.name,
                "sessions_given": p.sessions_given,
                "sessions_received": p.sessions_received,
                "minutes_given": p.minutes_given,
                "minutes_received": p.minutes_received,
                "balance": p.balance,
            }
            for p in stats.people
        ],
        "balance": stats.balance,
        "weeks": [
            {
                "week_start": w.week_start.isoformat(),
                "person": w.person,
                "given_minutes": w.given_minutes,
                "received_minutes": w.received_minutes,
            }
            for w in stats.weeks
        ],
    }


def turn_json(answer: TurnAnswer | None) -> dict[str, Any]:
    """Whose turn it is (all null when fewer than two people are known)."""
    if answer is None:
        return {"giver": None, "receiver": None, "reason": "Add two people to keep turns."}
    return {"giver": answer.giver, "receiver": answer.receiver, "reason": answer.reason}
