"""Alembic environment: uses the caller's connection, else the configured or default URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from rubdown.store.db import database_url
from rubdown.store.models import Base


def _run(connection: Connection) -> None:
    """Run the pending migrations on one connection."""
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds tables for later revisions.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    """Entry point Alembic calls when loading this file."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    # Developer use (alembic revision): no connection handed in, so open one.
    url = context.config.get_main_option("sqlalchemy.url") or database_url()
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


run()
