"""What an attacker on the home network tried (docs/security.md): each is a clear 4xx, and
nothing stored is lost or changed."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from web_helpers import BOTH_DATABASES

from rubdown.web import create_app
from rubdown.web.background import serve_in_thread
from rubdown.web.hub import MAX_STREAMS, MAX_WATCHERS, Hub
from rubdown.web.schemas import MAX_BODY_BYTES

OVER = MAX_BODY_BYTES + 1


def _people(client: TestClient) -> list[str]:
    return [p["name"] for p in client.get("/api/people").json()]


@BOTH_DATABASES
@pytest.mark.parametrize(
    "url, kwargs",
    [
        ("/api/people", {"json": {"name": "Eve", "focus": ["x" * OVER]}}),
        ("/api/plan", {"json": {"focus": ["x" * OVER]}}),
        ("/people", {"data": {"name": "Eve", "focus": "x" * OVER}}),
    ],
)
def test_a_body_over_the_limit_is_refused_unread(
    client: TestClient, url: str, kwargs: dict[str, Any]
) -> None:
    client.post("/api/people", json={"name": "Ann"})
    reply = client.post(url, **kwargs)
    assert reply.status_code == 413, reply.text
    assert "64 KiB" in reply.text and "x" * 100 not in reply.text
    assert reply.headers["content-security-policy"]
    assert _people(client) == ["Ann"]


@BOTH_DATABASES
def test_a_body_sent_in_pieces_is_cut_off_at_the_limit(client: TestClient) -> None:
    def pieces() -> Iterator[bytes]:
        yield b'{"name": "Eve", "focus": ["'
        for _ in range(OVER // 1000 + 1):
            yield b"x" * 1000
        yield b'"]}'

    reply = client.post(
        "/api/people", content=pieces(), headers={"content-type": "application/json"}
    )
    assert reply.status_code == 413
    assert reply.json()["error"].startswith("The request is over 64 KiB")
    assert _people(client) == []


@BOTH_DATABASES
@pytest.mark.parametrize(
    "url, body, field",
    [
        ("/api/plan", {"focus": ["x" * 81]}, "focus.0"),
        ("/api/plan", {"avoid": ["neck"] * 101}, "avoid"),
        ("/api/people", {"name": "Eve", "conditions": ["x" * 500]}, "conditions.0"),
        ("/api/people/Ann", {"focus": ["neck"] * 101}, "focus"),
        ("/api/people/Ann/screen", {"answers": {f"q{i}": False for i in range(101)}}, "answers"),
    ],
)
def test_lists_of_ids_are_bounded(
    client: TestClient, url: str, body: dict[str, Any], field: str
) -> None:
    client.post("/api/people", json={"name": "Ann"})
    method = "PATCH" if url == "/api/people/Ann" else "POST"
    reply = client.request(method, url, json=body)
    assert reply.status_code == 422, reply.text
    assert reply.json()["detail"][0]["field"] == field
    assert _people(client) == ["Ann"]


@BOTH_DATABASES
@pytest.mark.parametrize(
    "path, body",
    [
        ("answer", {"answer": "good", "clock_s": 1e300}),
        ("check", {"answer": "more", "clock_s": 1e300}),
    ],
)
def test_an_answers_clock_is_bounded(client: TestClient, path: str, body: dict[str, Any]) -> None:
    sid = client.post("/api/sessions", json={"minutes": 5, "calibrate": True}).json()["id"]
    reply = client.post(f"/api/sessions/{sid}/{path}", json=body)
    assert reply.status_code == 422
    assert reply.json()["detail"][0]["field"] == "clock_s"


def test_a_flood_of_live_streams_is_refused_past_the_limit(
    cat: Any, db_url: str, engine: Any, tmp_path: Path
) -> None:
    running = serve_in_thread(create_app(db_url, cat, voice_engine=engine, cue_dir=tmp_path))
    try:
        with httpx.Client(base_url=running.url, timeout=20) as api, ExitStack() as streams:
            one, two = (api.post("/api/sessions", json={"minutes": 5}).json()["id"] for _ in "ab")
            open_lines = []  # kept: a dropped line iterator closes its stream
            for _ in range(MAX_WATCHERS):
                reply = streams.enter_context(api.stream("GET", f"/api/sessions/{one}/stream"))
                open_lines.append(reply.iter_lines())
                # The first event comes once the server has subscribed the page.
                assert reply.status_code == 200 and next(open_lines[-1]).startswith("data:")
            refused = api.get(f"/api/sessions/{one}/stream")
            assert refused.status_code == 429
            assert (
                refused.json()["error"]
                == f"{MAX_WATCHERS} pages already follow session {one}: close one first."
            )
            assert api.get(f"/api/sessions/{two}/stream?limit=1").status_code == 200
            assert (
                api.post(f"/api/sessions/{one}/control", json={"action": "firmer"}).status_code
                == 200
            )
    finally:
        running.stop()


def test_the_server_caps_its_streams_over_all_sessions() -> None:
    async def fill() -> tuple[str | None, str | None]:
        hub = Hub()
        for number in range(MAX_STREAMS):
            hub.subscribe(number % 10 + 1)
        return hub.full(11), Hub().full(11)

    full, empty = asyncio.run(fill())
    assert full == f"{MAX_STREAMS} pages already follow sessions on this server: close one first."
    assert empty is None
