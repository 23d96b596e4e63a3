"""Numbers and uploads from a request are checked at the edge: a clear 4xx, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

HUGE = 2**63
NAN = b'{"kind": "paused", "clock_s": NaN}'


@pytest.fixture
def running(client: TestClient) -> TestClient:
    assert client.post("/api/sessions", json={"minutes": 5}).status_code == 201
    return client


@pytest.mark.parametrize(
    "method, url, kwargs, says",
    [
        ("GET", f"/api/sessions/{HUGE}", {}, "session_id"),
        ("POST", f"/api/sessions/{HUGE}/control", {"json": {"action": "stop"}}, "session_id"),
        ("POST", f"/api/sessions/{HUGE}/finish", {"json": {"status": "quit"}}, "session_id"),
        ("GET", f"/api/sessions/{HUGE}/pair.svg", {}, "session_id"),
        ("GET", "/api/sessions/0", {}, "session_id"),
        ("GET", f"/play/{HUGE * 10**6}", {}, "session id"),
        ("GET", f"/remote/{HUGE}", {}, "session id"),
        (
            "POST",
            "/api/sessions/1/events",
            {"json": {"kind": "paused", "clock_s": 1, "segment_index": HUGE}},
            "segment_index",
        ),
        ("POST", "/api/sessions/1/control", {"json": {"action": "more", "clock_s": 1e308}}, "le"),
        ("POST", "/api/sessions/1/finish", {"json": {"status": "quit", "clock_s": 1e308}}, "clock"),
        (
            "POST",
            "/api/sessions/1/events",
            {"content": NAN, "headers": {"content-type": "application/json"}},
            "finite",
        ),
        (
            "POST",
            "/api/sessions/1/events",
            {"json": {"kind": "paused", "clock_s": 1, "data": {"n": 10**30}}},
            "data",
        ),
        ("POST", "/api/plan", {"json": {"minutes": 5, "vary": 10**40}}, "vary"),
        ("POST", "/api/plan", {"json": {"minutes": 10**400}}, "minutes"),
    ],
)
def test_out_of_range_numbers_are_a_clear_4xx(
    running: TestClient, method: str, url: str, kwargs: dict[str, Any], says: str
) -> None:
    reply = running.request(method, url, **kwargs)
    assert reply.status_code == 422, reply.text
    assert says in reply.text.replace("_", " ") or says in reply.text


@pytest.mark.parametrize("url", ["/people", "/people/Ann", "/sessions"])
def test_a_file_upload_to_a_form_is_refused_plainly(running: TestClient, url: str) -> None:
    running.post("/api/people", json={"name": "Ann"})
    reply = running.post(url, files={"name": ("name.txt", b"Eve")}, data={"minutes": "5"})
    assert 400 <= reply.status_code < 500
    assert "not files" in reply.text
    assert [p["name"] for p in running.get("/api/people").json()] == ["Ann"]
