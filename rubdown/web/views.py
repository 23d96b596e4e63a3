"""Store records as plain JSON-ready dicts, shared by the API and the pages."""

from __future__ import annotations

from typing import Any

from rubdown.store.records import PersonRecord, SessionRecord, Stats, TurnAnswer


def session_json(record: SessionRecord) -> dict[str, Any]:
    """One session without its plan."""
    return record.to_json()


def person_json(record: PersonRecord) -> dict[str, Any]:
    """One person's profile."""
    return record.to_json()


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
