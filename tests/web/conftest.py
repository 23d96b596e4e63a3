"""Web fixtures: an app on a temporary SQLite database, with a quick fake voice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database for one test: SQLite, or PostgreSQL where a module runs on both."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return f"sqlite:///{tmp_path / 'web.sqlite3'}"
    url: str = request.getfixturevalue("fresh_pg")
    return url


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


@pytest.fixture(scope="module")
def server(cat: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The app served on a loopback port (espeak-ng voice if there is one), Ann and Ben in it."""
    import httpx

    from rubdown.voice.engines import EspeakEngine
    from rubdown.web.background import serve_in_thread

    folder = tmp_path_factory.mktemp("web")
    db_url = f"sqlite:///{folder / 'web.sqlite3'}"
    espeak = EspeakEngine()
    voice = espeak if espeak.available() else QuickEngine()
    app = create_app(db_url, cat, voice_engine=voice, cue_dir=folder / "cues")
    running = serve_in_thread(app)
    with httpx.Client(base_url=running.url) as api:
        api.post("/api/people", json={"name": "Ann"})
        api.post("/api/people", json={"name": "Ben"})
        for name in ("Ann", "Ben"):
            api.post(f"/api/people/{name}/screen", json={"answers": all_no()})
        yield {"url": running.url, "db": db_url, "api": api}
    running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium through Playwright, one per test module."""
    from browser_helpers import launch
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
