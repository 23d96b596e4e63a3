"""Initial schema: people, sessions, events, feedback.

Revision ID: 0001
Revises:
Create Date: 2025-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

UTC_TIME = sa.DateTime(timezone=True)


def _people() -> None:
    """People who give and receive."""
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("name_key", sa.String(80), nullable=False),
        sa.Column("pressure", sa.String(10), nullable=True),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("focus", sa.JSON(), nullable=False),
        sa.Column("avoid", sa.JSON(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.CheckConstraint("pressure IN ('light', 'medium', 'firm')", name="ck_people_pressure"),
        sa.PrimaryKeyConstraint("id", name="pk_people"),
        sa.UniqueConstraint("name_key", name="uq_people_name_key"),
    )


def _sessions() -> None:
    """Sessions with their plan and progress."""
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", UTC_TIME, nullable=False),
        sa.Column("ended_at", UTC_TIME, nullable=True),
        sa.Column("giver_id", sa.Integer(), nullable=True),
        sa.Column("receiver_id", sa.Integer(), nullable=True),
        sa.Column("planned_seconds", sa.Integer(), nullable=False),
        sa.Column("done_seconds", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("plan_json", sa.Text(), nullable=False),
        sa.Column("position_s", sa.Float(), nullable=False),
        sa.Column("segment_index", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('running', 'finished', 'interrupted', 'quit')", name="ck_sessions_status"
        ),
        sa.ForeignKeyConstraint(
            ["giver_id"], ["people.id"], name="fk_sessions_giver_id_people", ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["receiver_id"],
            ["people.id"],
            name="fk_sessions_receiver_id_people",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_sessions"),
    )
    for column in ("started_at", "giver_id", "receiver_id", "status"):
        op.create_index(f"ix_sessions_{column}", "sessions", [column])


def _events() -> None:
    """The per-session journal."""
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.Column("clock_s", sa.Float(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("segment_index", sa.Integer(), nullable=True),
        sa.Column("region", sa.String(80), nullable=True),
        sa.Column("technique", sa.String(80), nullable=True),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name="fk_events_session_id_sessions",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
        sa.UniqueConstraint("session_id", "seq", name="uq_events_session_seq"),
    )
    op.create_index("ix_events_kind", "events", ["kind"])


def _feedback() -> None:
    """One verdict per session."""
    op.create_table(
        "feedback",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("overall", sa.Integer(), nullable=True),
        sa.Column("pressure_verdict", sa.String(10), nullable=True),
        sa.Column("favourite_technique", sa.String(80), nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.CheckConstraint("overall BETWEEN 1 AND 5", name="ck_feedback_overall"),
        sa.CheckConstraint(
            "pressure_verdict IN ('right', 'too-light', 'too-firm')",
            name="ck_feedback_pressure_verdict",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name="fk_feedback_session_id_sessions",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", name="pk_feedback"),
    )


def upgrade() -> None:
    """Create the four tables."""
    _people()
    _sessions()
    _events()
    _feedback()


def downgrade() -> None:
    """Drop everything, children first."""
    op.drop_table("feedback")
    op.drop_table("events")
    for column in ("status", "receiver_id", "giver_id", "started_at"):
        op.drop_index(f"ix_sessions_{column}", table_name="sessions")
    op.drop_table("sessions")
    op.drop_table("people")
