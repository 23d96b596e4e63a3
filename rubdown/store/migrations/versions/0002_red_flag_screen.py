"""The red-flag screen on people: when it was answered, the conditions then, any flag raised.

Revision ID: 0002_red_flag_screen
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002_red_flag_screen"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add the three screen columns; existing people have not been screened yet."""
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("screened_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("screen_conditions", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("red_flags", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Drop the screen columns."""
    with op.batch_alter_table("people") as batch:
        batch.drop_column("red_flags")
        batch.drop_column("screen_conditions")
        batch.drop_column("screened_at")
