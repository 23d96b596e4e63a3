"""Sessions over the API: start, journal, steer (the receiver's remote), finish and rate."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from web_helpers import first_step

from rubdown.store.db import open_store
from rubdown.store.repos import SessionsRepo


def start(client: TestClient, **extra: Any) -> dict[str, Any]:
    reply = client.post("/api/sessions", json={"minutes": 10, **extra})
    assert reply.status_code == 201, reply.text
    return reply.json()


def kinds(db_url: str, session_id: int) -> list[str]:
    with open_store(db_url) as store:
        return [e.kind for e in SessionsRepo(store).events(session_id)]


def test_start_journals_session_started(client: TestClient, db_url: str, couple) -> None:
    body = start(client, giver="Ann", receiver="Ben")
    assert body["player_url"] == f"/play/{body['id']}"
    assert body["giver"] == "Ann" and body["receiver"] == "Ben"
    assert body["status"] == "running" and body["version"] == 0
    assert kinds(db_url, body["id"]) == ["session-started"]


def test_unknown_person_is_404_naming_who_is_known(client: TestClient, couple) -> None:
    reply = client.post("/api/sessions", json={"minutes": 10, "receiver": "Zed"})
    assert reply.status_code == 404
    assert "Ann" in reply.json()["error"] and "Ben" in reply.json()["error"]


def test_receiver_profile_is_used(client: TestClient, couple) -> None:
    plan = start(client, receiver="Ben")["plan"]
    assert plan["request"]["pressure"] == "light"
    assert "shoulders" in plan["request"]["focus"]


def test_events_are_journalled_in_order(client: TestClient, db_url: str) -> None:
    sid = start(client)["id"]
    index, seg = first_step(client.get(f"/api/sessions/{sid}").json()["plan"])
    for kind, clock in (("segment-started", 0.0), ("paused", 3.0), ("resumed", 3.0)):
        reply = client.post(
            f"/api/sessions/{sid}/events",
            json={
                "kind": kind,
                "clock_s": clock,
                "segment_index": index,
                "region": seg["region"],
                "speed": 2,
            },
        )
        assert reply.status_code == 201
    assert kinds(db_url, sid) == ["session-started", "segment-started", "paused", "resumed"]


def test_event_kind_is_checked(client: TestClient) -> None:
    sid = start(client)["id"]
    reply = client.post(f"/api/sessions/{sid}/events", json={"kind": "danced", "clock_s": 1})
    assert reply.status_code == 422
    assert "kind" in reply.json()["error"]


def test_missing_session_is_404(client: TestClient) -> None:
    assert client.get("/api/sessions/999").status_code == 404
    assert client.post("/api/sessions/999/control", json={"action": "lighter"}).status_code == 404
    reply = client.post("/api/sessions/999/events", json={"kind": "paused", "clock_s": 1})
    assert reply.status_code == 404


def test_lighter_from_the_remote_changes_the_live_plan(client: TestClient, db_url: str) -> None:
    body = start(client)
    sid, plan = body["id"], body["plan"]
    index, seg = first_step(plan)
    reply = client.post(
        f"/api/sessions/{sid}/control",
        json={"action": "lighter", "by": "receiver", "clock_s": seg["start_s"] + 1},
    )
    assert reply.status_code == 200
    message = reply.json()
    assert message["type"] == "plan" and message["version"] == 1
    assert message["pressure"] == seg["pressure"] - 1
    assert message["say"].startswith("Your partner")
    live = client.get(f"/api/sessions/{sid}").json()
    assert live["version"] == 1
    assert live["plan"]["segments"][index]["pressure"] == seg["pressure"] - 1
    with open_store(db_url) as store:
        event = SessionsRepo(store).events(sid)[-1]
    assert event.kind == "lighter" and event.region == seg["region"]
    assert event.data["by"] == "receiver" and event.data["pressure"] == seg["pressure"] - 1
    assert event.data["plan"]["segments"][index]["pressure"] == seg["pressure"] - 1


@pytest.mark.parametrize(
    ("action", "kind"), [("more", "more-time"), ("skip", "segment-skipped"), ("firmer", "firmer")]
)
def test_controls_keep_the_end_time(
    client: TestClient, db_url: str, action: str, kind: str
) -> None:
    body = start(client)
    sid, plan = body["id"], body["plan"]
    _, seg = first_step(plan)
    reply = client.post(
        f"/api/sessions/{sid}/control", json={"action": action, "clock_s": seg["start_s"] + 2}
    )
    assert reply.status_code == 200
    live = client.get(f"/api/sessions/{sid}").json()["plan"]
    assert abs(live["total_seconds"] - plan["total_seconds"]) <= 0.05
    assert kinds(db_url, sid)[-1] == kind


def test_back_on_the_first_step_changes_nothing(client: TestClient, db_url: str) -> None:
    body = start(client)
    _, seg = first_step(body["plan"])
    reply = client.post(
        f"/api/sessions/{body['id']}/control",
        json={"action": "back", "clock_s": seg["start_s"] + 1},
    )
    assert reply.json()["type"] == "note"
    assert kinds(db_url, body["id"]) == ["session-started"]


def test_stop_from_the_remote_pauses(client: TestClient, db_url: str) -> None:
    sid = start(client)["id"]
    reply = client.post(f"/api/sessions/{sid}/control", json={"action": "stop", "by": "receiver"})
    message = reply.json()
    assert message["type"] == "pause" and message["paused"] is True
    assert "stop" in message["say"]
    assert kinds(db_url, sid)[-1] == "paused"


def test_finish_feedback_and_history(client: TestClient, couple) -> None:
    body = start(client, giver="Ann", receiver="Ben")
    sid, total = body["id"], body["plan"]["total_seconds"]
    ended = client.post(
        f"/api/sessions/{sid}/finish", json={"status": "finished", "clock_s": total}
    )
    assert ended.json()["status"] == "finished"
    assert (
        client.post(f"/api/sessions/{sid}/control", json={"action": "lighter"}).status_code == 409
    )
    rated = client.post(
        f"/api/sessions/{sid}/feedback", json={"overall": 5, "pressure_verdict": "right"}
    )
    assert rated.status_code == 200
    history = client.get("/api/history").json()
    assert history[0]["id"] == sid and history[0]["rating"] == 5
    assert history[0]["done_seconds"] == round(total)


def test_feedback_is_validated(client: TestClient) -> None:
    sid = start(client)["id"]
    assert client.post(f"/api/sessions/{sid}/feedback", json={"overall": 9}).status_code == 422
    reply = client.post(f"/api/sessions/{sid}/feedback", json={"pressure_verdict": "ouch"})
    assert reply.status_code == 422


def test_quit_is_recorded(client: TestClient, db_url: str) -> None:
    sid = start(client)["id"]
    client.post(f"/api/sessions/{sid}/finish", json={"status": "quit", "clock_s": 42})
    assert kinds(db_url, sid)[-1] == "quit"
    assert client.get(f"/api/sessions/{sid}").json()["status"] == "quit"


def test_adjusted_plan_survives_a_restart(cat, db_url: str, tmp_path, engine) -> None:
    from rubdown.web import create_app

    def app() -> TestClient:
        return TestClient(
            create_app(db_url, cat, voice_engine=engine, cue_dir=tmp_path / "c"),
            base_url="http://127.0.0.1",
        )

    with app() as first:
        body = start(first)
        index, seg = first_step(body["plan"])
        first.post(
            f"/api/sessions/{body['id']}/control",
            json={"action": "lighter", "clock_s": seg["start_s"] + 1},
        )
    with app() as second:
        live = second.get(f"/api/sessions/{body['id']}").json()
    assert live["version"] == 1
    assert live["plan"]["segments"][index]["pressure"] == seg["pressure"] - 1


def test_pairing_qr_code(client: TestClient) -> None:
    sid = start(client)["id"]
    reply = client.get(f"/api/sessions/{sid}/pair.svg")
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("image/svg+xml")
    assert reply.text.startswith("<svg") or "<svg" in reply.text[:200]


def a_check_in(plan: dict[str, Any]) -> dict[str, Any]:
    return next(s for s in plan["segments"] if s["kind"] == "check-in")


def test_a_check_in_answer_changes_the_next_step_and_is_journalled(
    client: TestClient, db_url: str
) -> None:
    body = start(client)
    seg = a_check_in(body["plan"])
    assert body["checkin_wait_s"] > 0
    reply = client.post(
        f"/api/sessions/{body['id']}/answer",
        json={"answer": "lighter", "clock_s": seg["start_s"] + 1},
    )
    assert reply.status_code == 200, reply.text
    message = reply.json()
    assert message["type"] == "answer" and message["answer"] == "lighter"
    assert "lighter" in message["say"].lower()
    assert "lighter" in kinds(db_url, body["id"])


@pytest.mark.parametrize(
    ("payload", "status"),
    [({"answer": "good", "clock_s": 9}, 409), ({"answer": "meh"}, 422), ({"answer": 3}, 422)],
)
def test_bad_answers_are_refused_plainly(
    client: TestClient, payload: dict[str, Any], status: int
) -> None:
    body = start(client)
    reply = client.post(f"/api/sessions/{body['id']}/answer", json=payload)
    assert reply.status_code == status
    assert reply.json()["error"]
