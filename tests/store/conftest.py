"""Store fixtures: every store test runs on SQLite and, when available, PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from store_helpers import PLAN, RunSession, at_noon

from rubdown.store.db import Store, open_store
from rubdown.store.repos import PeopleRepo, SessionsRepo


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database URL of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'rubdown.sqlite3'}"
    url: str = request.getfixturevalue("fresh_pg")
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
