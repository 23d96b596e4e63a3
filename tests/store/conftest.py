"""Store fixtures: every store test runs on SQLite and, when available, PostgreSQL."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import NoReturn

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from store_helpers import PLAN, RunSession, at_noon

from rubdown.store.db import Store, open_store
from rubdown.store.repos import PeopleRepo, SessionsRepo

PG_URL_ENV = "RUBDOWN_TEST_PG_URL"
REQUIRE_PG_ENV = "RUBDOWN_REQUIRE_PG"


def _pg_unavailable(reason: str) -> NoReturn:
    """Fail when CI demands PostgreSQL, else skip."""
    if os.environ.get(REQUIRE_PG_ENV) == "1":
        pytest.fail(f"{REQUIRE_PG_ENV}=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh database for this test run on the server at $RUBDOWN_TEST_PG_URL, dropped after."""
    base = os.environ.get(PG_URL_ENV)
    if not base:
        _pg_unavailable(f"{PG_URL_ENV} is not set (scripts/pg.sh start DIR PORT prints one)")
    name = f"rubdown_t_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except SQLAlchemyError as exc:
        admin.dispose()
        pytest.fail(f"cannot create a test database on {PG_URL_ENV}: {exc}")
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _empty_pg(url: str) -> None:
    """Drop every table (and alembic's version table) so each test migrates from scratch."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database URL of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'rubdown.sqlite3'}"
    url: str = request.getfixturevalue("pg_database")
    _empty_pg(url)
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """An open, migrated store."""
    opened = open_store(db_url)
    yield opened
    opened.close()


@pytest.fixture
def people(store: Store) -> PeopleRepo:
    """The people repository with Ann and Bo added."""
    repo = PeopleRepo(store)
    repo.add("Ann", pressure="medium")
    repo.add("Bo", pressure="firm")
    return repo


@pytest.fixture
def sessions(store: Store) -> SessionsRepo:
    """The sessions repository."""
    return SessionsRepo(store)


@pytest.fixture
def run_session(sessions: SessionsRepo) -> RunSession:
    """Record a whole session: started on day, `seconds` done, then ended with status."""

    def run(
        giver: str | None,
        receiver: str | None,
        day: date,
        seconds: float = 600.0,
        status: str = "finished",
    ) -> int:
        sid = sessions.start(PLAN, giver, receiver, started_at=at_noon(day))
        sessions.record(sid, "segment-started", 0.0, segment_index=0, region="shoulders")
        sessions.record(sid, "segment-finished", seconds, segment_index=0)
        if status != "running":
            sessions.finish(sid, status)
        return sid

    return run
