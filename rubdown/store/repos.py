"""The repositories in one place: people, sessions and feedback."""

from __future__ import annotations

from sqlalchemy import select

from rubdown.store.db import Store
from rubdown.store.errors import StoreError
from rubdown.store.journal import SessionsRepo, append_at_last_clock, by_client_id, lock_session
from rubdown.store.models import FeedbackRow, utcnow
from rubdown.store.people import PeopleRepo
from rubdown.store.records import VERDICTS, FeedbackRecord

__all__ = ["FeedbackRepo", "PeopleRepo", "SessionsRepo"]


def _check(overall: int | None, pressure_verdict: str | None) -> None:
    """StoreError unless overall is 1-5 and the verdict a known one (None allowed)."""
    if overall is not None and not 1 <= overall <= 5:
        raise StoreError(f"the overall rating is 1 to 5, not {overall}")
    if pressure_verdict is not None and pressure_verdict not in VERDICTS:
        raise StoreError(f"pressure verdict must be one of {', '.join(VERDICTS)}")


def _to_record(row: FeedbackRow) -> FeedbackRecord:
    """Freeze a row."""
    return FeedbackRecord(
        session_id=row.session_id,
        overall=row.overall,
        pressure_verdict=row.pressure_verdict,
        favourite_technique=row.favourite_technique,
        created_at=row.created_at,
    )


class FeedbackRepo:
    """The receiver's verdict after a session; saving again replaces it."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def save(
        self,
        session_id: int,
        overall: int | None = None,
        pressure_verdict: str | None = None,
        favourite_technique: str | None = None,
        *,
        client_id: str | None = None,
    ) -> FeedbackRecord:
        """Store the feedback and journal it as a feedback event in the same transaction;
        sent again with the same client_id, the first one stands."""
        _check(overall, pressure_verdict)
        with self.store.write() as session:
            session_row = lock_session(session, session_id)
            # The key decides alone: this very feedback was saved (its row with it), it stands;
            # a key another request used is a Conflict, never a second insert of the key.
            if by_client_id(session, session_id, client_id, "feedback") is not None:
                return _to_record(session.get_one(FeedbackRow, session_id))
            row = session.get(FeedbackRow, session_id) or FeedbackRow(session_id=session_id)
            row.overall = overall
            row.pressure_verdict = pressure_verdict
            row.favourite_technique = favourite_technique or None
            row.created_at = utcnow()
            session.add(row)
            data = {
                "overall": overall,
                "pressure_verdict": pressure_verdict,
                "favourite_technique": row.favourite_technique,
            }
            append_at_last_clock(session, session_row, "feedback", data, client_id=client_id)
            session.flush()
            return _to_record(row)

    def get(self, session_id: int) -> FeedbackRecord | None:
        """The feedback on a session, if any was given."""
        with self.store.sessionmaker() as session:
            row = session.scalar(select(FeedbackRow).where(FeedbackRow.session_id == session_id))
            return _to_record(row) if row is not None else None
