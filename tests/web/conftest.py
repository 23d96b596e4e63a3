"""Web fixtures: an app on a temporary SQLite database, with a quick fake voice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_helpers import QuickEngine, all_no

from rubdown.core.models import Catalogue
from rubdown.web import create_app


@pytest.fixture
def engine() -> QuickEngine:
    """The fake speech engine the app speaks with."""
    return QuickEngine()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A fresh SQLite database for one test."""
    return f"sqlite:///{tmp_path / 'web.sqlite3'}"


@pytest.fixture
def client(
    cat: Catalogue, db_url: str, engine: QuickEngine, tmp_path: Path
) -> Iterator[TestClient]:
    """A test client of an app with no pairing token."""
    app = create_app(db_url, cat, voice_engine=engine, cue_dir=tmp_path / "cues")
    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        yield test_client


@pytest.fixture
def couple(client: TestClient) -> tuple[str, str]:
    """Two people: Ann (firm) and Ben (light, likes the shoulders)."""
    client.post("/api/people", json={"name": "Ann", "pressure": "firm"})
    client.post("/api/people", json={"name": "Ben", "pressure": "light", "focus": ["shoulders"]})
    for name in ("Ann", "Ben"):
        client.post(f"/api/people/{name}/screen", json={"answers": all_no()})
    return "Ann", "Ben"
