"""The web edge over the session engine: each bug of issue 8, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from web_helpers import BOTH_DATABASES, first_step

from rubdown.session.ownership import STALE_AFTER_S
from rubdown.store.db import open_store
from rubdown.store.models import utcnow
from rubdown.store.repos import SessionsRepo

pytestmark = BOTH_DATABASES


def start(client: TestClient, **extra: Any) -> dict[str, Any]:
    reply = client.post("/api/sessions", json={"minutes": 10, **extra})
    assert reply.status_code == 201, reply.text
    return reply.json()


def status_of(db_url: str, session_id: int) -> str:
    with open_store(db_url) as store:
        return SessionsRepo(store).get(session_id).status


def rubdown(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RUBDOWN_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-c", "from rubdown.cli.main import main; main()", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


def test_one_person_cannot_give_and_receive(client: TestClient) -> None:
    client.post("/api/people", json={"name": "Ann"})
    reply = client.post("/api/sessions", json={"minutes": 10, "giver": "Ann", "receiver": "ann"})
    assert reply.status_code == 400
    assert "two different people" in reply.json()["error"]


def test_an_unknown_giver_is_refused_before_planning(client: TestClient) -> None:
    reply = client.post("/api/sessions", json={"minutes": 10, "giver": "Zed"})
    assert reply.status_code == 404 and "no one named 'Zed'" in reply.json()["error"]


def test_a_cli_command_leaves_a_live_web_session_alone(
    client: TestClient, db_url: str, tmp_path: Path
) -> None:
    session = start(client)
    listed = rubdown("people", "list", "--db", db_url, data_dir=tmp_path / "data")
    assert listed.returncode == 0, listed.stderr
    assert status_of(db_url, session["id"]) == "running"
    resumed = rubdown("guide", "--resume", "--voice", "none", "--db", db_url, data_dir=tmp_path)
    assert resumed.returncode == 2 and "no interrupted session" in resumed.stderr
    assert status_of(db_url, session["id"]) == "running"


def test_a_quiet_page_makes_its_session_interrupted_after_the_limit(
    client: TestClient, db_url: str
) -> None:
    session = start(client)
    live = client.app.state.rubdown.live  # type: ignore[attr-defined]
    soon = utcnow() + timedelta(seconds=STALE_AFTER_S - 5)
    assert live.settle(soon) == []
    assert live.settle(utcnow() + timedelta(seconds=STALE_AFTER_S + 5)) == [session["id"]]
    assert status_of(db_url, session["id"]) == "interrupted"


def test_a_heartbeat_keeps_a_playing_page_running(client: TestClient, db_url: str) -> None:
    session = start(client)
    reply = client.post(f"/api/sessions/{session['id']}/heartbeat", json={"clock_s": 42.0})
    assert reply.json() == {"id": session["id"], "status": "running"}
    live = client.app.state.rubdown.live  # type: ignore[attr-defined]
    assert live.settle(utcnow() + timedelta(seconds=STALE_AFTER_S - 5)) == []
    with open_store(db_url) as store:
        assert SessionsRepo(store).get(session["id"]).position_s == 42.0


def test_a_killed_servers_session_is_interrupted_and_resumes_in_the_player(
    client: TestClient, db_url: str
) -> None:
    with open_store(db_url) as store:
        repo = SessionsRepo(store)
        plan = start(client)["plan"]
        # A server on this machine that has gone: its process id no longer exists.
        gone = repo.start(plan, None, None, owner="web:" + os.uname().nodename + ":999999:dead")
        far = repo.start(plan, None, None, owner="web:elsewhere:12:beef")
    live = client.app.state.rubdown.live  # type: ignore[attr-defined]
    assert gone in live.settle()
    assert far not in live.settle()  # another machine's server: only the heartbeat tells
    assert far in live.settle(utcnow() + timedelta(seconds=STALE_AFTER_S + 1))
    page = client.get(f"/play/{gone}")
    assert page.status_code == 200
    resumed = client.post(f"/api/sessions/{gone}/resume")
    assert resumed.status_code == 200 and resumed.json()["status"] == "running"
    event = {"kind": "segment-started", "clock_s": 1.0, "segment_index": 0}
    assert client.post(f"/api/sessions/{gone}/events", json=event).status_code == 201


def test_no_event_after_the_end_and_one_ending(client: TestClient, db_url: str) -> None:
    sid = start(client)["id"]
    assert (
        client.post(f"/api/sessions/{sid}/finish", json={"status": "finished"}).status_code == 200
    )
    late = client.post(f"/api/sessions/{sid}/events", json={"kind": "paused", "clock_s": 5.0})
    assert late.status_code == 409 and "has ended" in late.json()["error"]
    again = client.post(f"/api/sessions/{sid}/finish", json={"status": "finished"})
    assert again.status_code == 200 and again.json()["status"] == "finished"
    other = client.post(f"/api/sessions/{sid}/finish", json={"status": "quit"})
    assert other.status_code == 409
    press = client.post(f"/api/sessions/{sid}/control", json={"action": "lighter"})
    assert press.status_code == 409
    assert status_of(db_url, sid) == "finished"


def test_event_data_has_a_size_limit(client: TestClient, db_url: str) -> None:
    sid = start(client)["id"]
    # Each field within the request's own bounds, all of them together too much for one event.
    fields = {f"field-{n:02d}-{'k' * 30}": "x" * 200 for n in range(20)}
    big = {"kind": "paused", "clock_s": 1.0, "data": fields}
    reply = client.post(f"/api/sessions/{sid}/events", json=big)
    assert reply.status_code == 413 and "bytes" in reply.json()["error"]
    with open_store(db_url) as store:
        assert len(SessionsRepo(store).events(sid)) == 1


def test_a_resent_event_is_stored_once(client: TestClient, db_url: str) -> None:
    sid = start(client)["id"]
    event = {"kind": "paused", "clock_s": 3.0, "client_id": "p-123"}
    first = client.post(f"/api/sessions/{sid}/events", json=event).json()
    second = client.post(f"/api/sessions/{sid}/events", json=event).json()
    assert first == second
    with open_store(db_url) as store:
        assert [e.kind for e in SessionsRepo(store).events(sid)] == ["session-started", "paused"]


def test_a_voice_change_is_journalled_with_who_asked(client: TestClient, db_url: str) -> None:
    body = start(client)
    index, seg = first_step(body["plan"])
    at = seg["start_s"] + 2.0
    reply = client.post(
        f"/api/sessions/{body['id']}/control",
        json={"action": "lighter", "by": "voice", "clock_s": at},
    )
    assert reply.status_code == 200
    assert reply.json()["say"].startswith("Your partner would like a softer touch.")
    with open_store(db_url) as store:
        pressed = SessionsRepo(store).events(body["id"])[-1]
    assert (pressed.kind, pressed.segment_index, pressed.data["by"]) == ("lighter", index, "voice")


def test_openapi_shows_the_real_shapes_of_session_answers(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    started = spec["paths"]["/api/sessions"]["post"]["responses"]["201"]["content"]
    assert started["application/json"]["schema"]["$ref"].endswith("/StartedOut")
    assert "segments" in schemas["PlanModel"]["properties"]
    assert schemas["SegmentModel"]["properties"]["kind"]["enum"][0] == "step"
    control = spec["paths"]["/api/sessions/{session_id}/control"]["post"]["responses"]["200"]
    assert control["content"]["application/json"]["schema"]["$ref"].endswith("/LiveMessageOut")


def test_pages_cannot_steer_a_session_a_terminal_guide_plays(
    client: TestClient, db_url: str
) -> None:
    plan = start(client)["plan"]
    with open_store(db_url) as store:
        sid = SessionsRepo(store).start(plan, None, None, owner=f"guide:elsewhere:{os.getpid()}:a")
    event = client.post(f"/api/sessions/{sid}/events", json={"kind": "paused", "clock_s": 1.0})
    assert event.status_code == 409 and "terminal guide" in event.json()["error"]
    press = client.post(f"/api/sessions/{sid}/control", json={"action": "lighter"})
    assert press.status_code == 409
    with open_store(db_url) as store:
        assert [e.kind for e in SessionsRepo(store).events(sid)] == ["session-started"]


def test_a_good_answer_is_journalled_with_who_and_changes_nothing(
    client: TestClient, db_url: str
) -> None:
    session = start(client)
    check_in = next(s for s in session["plan"]["segments"] if s["kind"] == "check-in")
    answer = {"answer": "good", "clock_s": check_in["start_s"] + 0.5, "client_id": "a-1"}
    replies = [client.post(f"/api/sessions/{session['id']}/answer", json=answer) for _ in "ab"]
    assert [r.status_code for r in replies] == [200, 200], replies[0].text
    assert replies[0].json()["version"] == replies[1].json()["version"] == 0
    with open_store(db_url) as store:
        events = SessionsRepo(store).events(session["id"])
    answered = [e for e in events if e.kind == "check-in-answered"]
    assert len(answered) == 1 and answered[0].client_id == "a-1"
    assert answered[0].data == {
        "by": "receiver",
        "answer": "good",
        "note": replies[0].json()["note"],
        "to": "check-in",
    }
