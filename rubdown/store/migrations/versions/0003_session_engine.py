"""Session engine: idempotent events (client ids) and session owners with heartbeats.

Revision ID: 0003_engine
Revises: 0002_red_flag_screen
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003_engine"
down_revision: str | None = "0002_red_flag_screen"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add events.client_id (unique per session) and sessions.owner / heartbeat_at."""
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("client_id", sa.String(64), nullable=True))
        batch.create_unique_constraint("uq_events_session_client", ["session_id", "client_id"])
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("owner", sa.String(120), nullable=True))
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Drop the columns again."""
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("heartbeat_at")
        batch.drop_column("owner")
    with op.batch_alter_table("events") as batch:
        batch.drop_constraint("uq_events_session_client", type_="unique")
        batch.drop_column("client_id")
