"""LAN mode: without the pairing token (or the cookie it sets) every request gets 401."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from rubdown.web import create_app
from rubdown.web.security import COOKIE

TOKEN = "pair-me-please"


@pytest.fixture
def lan(cat, db_url: str, engine, tmp_path) -> Iterator[TestClient]:
    app = create_app(db_url, cat, TOKEN, voice_engine=engine, cue_dir=tmp_path / "cues")
    with TestClient(app) as client:
        yield client


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/plan",
        "/api/catalogue",
        "/static/css/app.css",
        "/sw.js",
        "/openapi.json",
        "/manifest.webmanifest",
        "/api/ticks/up.wav",
    ],
)
def test_everything_needs_the_token(lan: TestClient, url: str) -> None:
    reply = lan.get(url)
    assert reply.status_code == 401
    assert "Pairing needed" in reply.text


def test_posts_need_the_token(lan: TestClient) -> None:
    assert lan.post("/api/plan", json={"minutes": 5}).status_code == 401
    assert lan.post("/api/sessions/1/control", json={"action": "stop"}).status_code == 401


def test_a_wrong_token_is_refused(lan: TestClient) -> None:
    assert lan.get("/?token=guess").status_code == 401
    lan.cookies.set(COOKIE, "guess")
    assert lan.get("/").status_code == 401


def test_the_token_opens_and_sets_a_cookie(lan: TestClient) -> None:
    reply = lan.get(f"/?token={TOKEN}")
    assert reply.status_code == 200
    cookie = reply.headers["set-cookie"]
    assert f"{COOKIE}={TOKEN}" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # The client keeps the cookie: later requests need no token in the URL.
    assert lan.get("/plan").status_code == 200
    assert lan.post("/api/plan", json={"minutes": 5}).status_code == 200


def test_remote_link_carries_the_token(lan: TestClient) -> None:
    lan.get(f"/?token={TOKEN}")
    sid = lan.post("/api/sessions", json={"minutes": 5}).json()["id"]
    assert f"/remote/{sid}?token={TOKEN}" in lan.get(f"/play/{sid}").text


def test_without_lan_mode_no_token_is_needed(client: TestClient) -> None:
    reply = client.get("/")
    assert reply.status_code == 200
    assert "set-cookie" not in reply.headers
