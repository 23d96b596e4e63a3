"""Presses from the remote against a real `rubdown serve`: a resend is applied and stored once."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from sessions import start_server  # bench/ is not a package: found through sys.path above
from web_helpers import BOTH_DATABASES

from rubdown.store.db import open_store
from rubdown.store.repos import SessionsRepo

pytestmark = BOTH_DATABASES


def roomy_step(plan: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """A step whose pressure can go up by two, and its index."""
    for i, seg in enumerate(plan["segments"]):
        if seg["kind"] == "step" and seg["offline"]["firmest"] >= seg["pressure"] + 2:
            return i, seg
    raise AssertionError("no step can take two firmer presses")


def pressure_at(http: httpx.Client, session_id: int, index: int) -> int:
    """The pressure of a segment in the plan in force, as the server gives it."""
    pressure: int = http.get(f"/api/sessions/{session_id}").json()["plan"]["segments"][index][
        "pressure"
    ]
    return pressure


def test_a_remote_press_sent_twice_is_applied_and_stored_once(db_url: str, tmp_path: Path) -> None:
    server, url = start_server(db_url, tmp_path / "web")
    try:
        with httpx.Client(base_url=url, timeout=30) as http:
            started = http.post("/api/sessions", json={"minutes": 10}).json()
            sid = started["id"]
            index, step = roomy_step(started["plan"])
            control = f"/api/sessions/{sid}/control"
            press = {"action": "firmer", "by": "receiver", "clock_s": step["start_s"] + 0.5}
            first = http.post(control, json={**press, "client_id": "press-1"})
            again = http.post(control, json={**press, "client_id": "press-1"})
            after_resend = pressure_at(http, sid, index)
            other = http.post(control, json={**press, "client_id": "press-2"})
            after_other = pressure_at(http, sid, index)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert first.status_code == again.status_code == other.status_code == 200, again.text
    assert again.json()["note"] == first.json()["note"]
    assert after_resend == step["pressure"] + 1
    assert after_other == step["pressure"] + 2
    with open_store(db_url) as store:
        events = SessionsRepo(store).events(sid)
    assert [e.client_id for e in events if e.kind == "firmer"] == ["press-1", "press-2"]
