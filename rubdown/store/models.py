"""ORM tables; migrations/versions must be kept in step with these by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Fixed constraint names so hand-written migrations and the models agree on every dialect.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:  # noqa: ARG002
        """Refuse naive times, since their zone is a guess; store UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use timezone-aware UTC")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:  # noqa: ARG002
        """SQLite drops the zone; everything written was UTC, so put it back."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base carrying the naming convention."""

    metadata = MetaData(naming_convention=NAMING)


class PersonRow(Base):
    """Someone who gives and receives."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    # casefolded name: a plain unique column keeps "Ann"/"ann" apart portably, unlike lower().
    name_key: Mapped[str] = mapped_column(String(80), unique=True)
    pressure: Mapped[str | None] = mapped_column(String(10))
    conditions: Mapped[list[str]] = mapped_column(JSON)
    focus: Mapped[list[str]] = mapped_column(JSON)
    avoid: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The red-flag screen: when it was last answered, the conditions then, and any yes.
    screened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    screen_conditions: Mapped[list[str] | None] = mapped_column(JSON)
    red_flags: Mapped[list[str] | None] = mapped_column(JSON)

    __table_args__ = (CheckConstraint("pressure IN ('light', 'medium', 'firm')", name="pressure"),)


class SessionRow(Base):
    """One massage, its plan and how far it got."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    giver_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    receiver_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    planned_seconds: Mapped[int] = mapped_column(Integer, default=0)
    done_seconds: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(12), default="running", index=True)
    plan_json: Mapped[str] = mapped_column(Text)
    position_s: Mapped[float] = mapped_column(Float, default=0.0)
    segment_index: Mapped[int | None] = mapped_column(Integer)
    # Who plays a running session (a guide process or a web server) and when it last said so.
    owner: Mapped[str | None] = mapped_column(String(120))
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        CheckConstraint("status IN ('running', 'finished', 'interrupted', 'quit')", name="status"),
    )


class EventRow(Base):
    """One journal line of a session, written in its own transaction."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    clock_s: Mapped[float] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    segment_index: Mapped[int | None] = mapped_column(Integer)
    region: Mapped[str | None] = mapped_column(String(80))
    technique: Mapped[str | None] = mapped_column(String(80))
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The sender's own id for this event: a resent event is found by it and stored once.
    client_id: Mapped[str | None] = mapped_column(String(64))

    # The unique pair is also the index used to find a session's events in order.
    __table_args__ = (
        UniqueConstraint("session_id", "seq", name="uq_events_session_seq"),
        UniqueConstraint("session_id", "client_id", name="uq_events_session_client"),
    )


class FeedbackRow(Base):
    """The receiver's verdict on one session."""

    __tablename__ = "feedback"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    overall: Mapped[int | None] = mapped_column(Integer)
    pressure_verdict: Mapped[str | None] = mapped_column(String(10))
    favourite_technique: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        CheckConstraint("overall BETWEEN 1 AND 5", name="overall"),
        CheckConstraint(
            "pressure_verdict IN ('right', 'too-light', 'too-firm')", name="pressure_verdict"
        ),
    )


__all__ = ["Base", "EventRow", "FeedbackRow", "PersonRow", "SessionRow", "utcnow"]
