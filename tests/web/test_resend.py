"""Resent requests (after a lost reply): every state-changing POST of the player and the remote
takes a client id, is stored once under it, and a resend gets the answer the first one got,
refusals included, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from web_helpers import BOTH_DATABASES, first_step

from rubdown.session.changes import CLOSING_REST
from rubdown.store.db import open_store
from rubdown.store.records import EventRecord
from rubdown.store.repos import FeedbackRepo, SessionsRepo

pytestmark = BOTH_DATABASES


def start(client: TestClient, **extra: Any) -> dict[str, Any]:
    reply = client.post("/api/sessions", json={"minutes": 20, "position": "lying", **extra})
    assert reply.status_code == 201, reply.text
    return reply.json()


def events(db_url: str, session_id: int) -> list[EventRecord]:
    with open_store(db_url) as store:
        return SessionsRepo(store).events(session_id)


def keyed(db_url: str, session_id: int, client_id: str) -> list[EventRecord]:
    return [e for e in events(db_url, session_id) if e.client_id == client_id]


def player_at(client: TestClient, session_id: int, index: int, clock_s: float) -> None:
    """The player says where its clock is, so a press without clock_s is estimated there."""
    event = {"kind": "paused", "clock_s": clock_s, "segment_index": index}
    assert client.post(f"/api/sessions/{session_id}/events", json=event).status_code == 201


def test_a_refused_press_resent_is_refused_again_though_it_would_now_pass(
    client: TestClient, db_url: str
) -> None:
    body = start(client)
    sid, segments = body["id"], body["plan"]["segments"]
    closing = len(segments) - 1
    player_at(client, sid, closing, segments[closing]["start_s"] + 1.0)
    press = {"action": "skip", "by": "receiver", "client_id": "remote-skip-1"}
    first = client.post(f"/api/sessions/{sid}/control", json=press)
    assert first.status_code == 200 and first.json()["note"] == CLOSING_REST
    # The reply was lost; meanwhile the player went back to a step, where a skip would pass.
    index, step = first_step(body["plan"])
    player_at(client, sid, index, step["start_s"] + 2.0)
    again = client.post(f"/api/sessions/{sid}/control", json=press)
    assert again.status_code == 200, again.text
    assert again.json()["note"] == CLOSING_REST and again.json()["version"] == 0
    assert client.get(f"/api/sessions/{sid}").json()["version"] == 0
    assert [e.kind for e in keyed(db_url, sid, "remote-skip-1")] == ["segment-skipped"]


def test_a_press_resent_is_answered_as_the_first_time(client: TestClient, db_url: str) -> None:
    body = start(client)
    _, step = first_step(body["plan"])
    press = {"action": "lighter", "clock_s": step["start_s"] + 2.0, "client_id": "player-1"}
    first = client.post(f"/api/sessions/{body['id']}/control", json=press).json()
    again = client.post(f"/api/sessions/{body['id']}/control", json=press).json()
    assert first["type"] == again["type"] == "plan"
    assert (first["note"], first["version"]) == (again["note"], again["version"])
    assert len(keyed(db_url, body["id"], "player-1")) == 1


def test_an_answer_refused_outside_a_check_in_is_refused_again_at_one(
    client: TestClient, db_url: str
) -> None:
    body = start(client)
    sid, segments = body["id"], body["plan"]["segments"]
    index, step = first_step(body["plan"])
    player_at(client, sid, index, step["start_s"] + 1.0)
    answer = {"answer": "lighter", "by": "receiver", "client_id": "remote-answer-1"}
    first = client.post(f"/api/sessions/{sid}/answer", json=answer)
    assert first.status_code == 409
    at = next(i for i, s in enumerate(segments) if s["kind"] == "check-in")
    player_at(client, sid, at, segments[at]["start_s"] + 0.5)
    again = client.post(f"/api/sessions/{sid}/answer", json=answer)
    assert again.status_code == 409 and again.json() == first.json()
    assert client.get(f"/api/sessions/{sid}").json()["version"] == 0
    stored = keyed(db_url, sid, "remote-answer-1")
    refused = [(e.kind, e.data["refused"]) for e in stored]
    assert refused == [("check-in-answered", "not-a-check-in")]
    # A new answer (a new key) at the check-in is decided afresh.
    fresh = client.post(f"/api/sessions/{sid}/answer", json={**answer, "client_id": "remote-2"})
    assert fresh.status_code == 200 and fresh.json()["version"] == 1


def test_a_pressure_check_answer_refused_after_the_check_stays_refused(
    client: TestClient, db_url: str
) -> None:
    body = start(client, calibrate=True)
    sid, segments = body["id"], body["plan"]["segments"]
    check = next(i for i, s in enumerate(segments) if s["kind"] == "calibrate")
    index, step = first_step(body["plan"])
    player_at(client, sid, index, step["start_s"] + 1.0)
    answer = {"answer": "more", "client_id": "check-1"}
    first = client.post(f"/api/sessions/{sid}/check", json=answer)
    assert first.status_code == 409
    player_at(client, sid, check, segments[check]["start_s"] + 1.0)
    again = client.post(f"/api/sessions/{sid}/check", json=answer)
    assert again.status_code == 409 and again.json() == first.json()
    # The refusal is no round of the check: the next answer is still its first.
    done = client.post(f"/api/sessions/{sid}/check", json={"answer": "right", "client_id": "c2"})
    assert done.status_code == 200 and done.json()["check_done"] is True
    checked = [e for e in events(db_url, sid) if e.kind == "pressure-checked"]
    assert [e.data["round"] for e in checked] == [1]


@pytest.mark.parametrize(
    ("first", "then"),
    [
        (("control", {"action": "lighter"}), ("control", {"action": "firmer"})),
        (("control", {"action": "lighter"}), ("control", {"action": "lighter", "by": "voice"})),
        (("events", {"kind": "paused"}), ("control", {"action": "lighter"})),
        (("control", {"action": "lighter"}), ("events", {"kind": "resumed"})),
        (("events", {"kind": "paused"}), ("finish", {"status": "quit"})),
        (("answer", {"answer": "good"}), ("answer", {"answer": "lighter"})),
        (("control", {"action": "lighter"}), ("answer", {"answer": "lighter", "by": "giver"})),
    ],
)
def test_a_key_names_one_request_and_another_cannot_borrow_it(
    client: TestClient, db_url: str, first: tuple[str, dict[str, Any]], then: Any
) -> None:
    body = start(client)
    sid, segments = body["id"], body["plan"]["segments"]
    at = next(s for s in segments if s["kind"] == "check-in")["start_s"] + 0.5
    base = {"clock_s": at, "client_id": "shared-key"}
    path, request = first
    assert client.post(f"/api/sessions/{sid}/{path}", json={**request, **base}).status_code < 300
    before = events(db_url, sid)
    path, request = then
    borrowed = client.post(f"/api/sessions/{sid}/{path}", json={**request, **base})
    assert borrowed.status_code == 409 and "already used" in borrowed.json()["error"]
    assert events(db_url, sid) == before
    assert client.get(f"/api/sessions/{sid}").json()["status"] == "running"


def test_the_same_key_in_another_session_is_another_request(
    client: TestClient, db_url: str
) -> None:
    one, two = start(client), start(client)
    _, step = first_step(one["plan"])
    press = {"action": "lighter", "clock_s": step["start_s"] + 2.0, "client_id": "k-1"}
    for body in (one, two):
        reply = client.post(f"/api/sessions/{body['id']}/control", json=press)
        assert reply.status_code == 200 and reply.json()["version"] == 1
        assert len(keyed(db_url, body["id"], "k-1")) == 1


def test_an_ending_resent_is_answered_as_the_first_time(client: TestClient, db_url: str) -> None:
    sid = start(client)["id"]
    ending = {"status": "quit", "clock_s": 12.0, "client_id": "end-1"}
    first = client.post(f"/api/sessions/{sid}/finish", json=ending)
    again = client.post(f"/api/sessions/{sid}/finish", json=ending)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() and again.json()["status"] == "quit"
    assert [e.kind for e in keyed(db_url, sid, "end-1")] == ["quit"]


def test_a_resume_resent_is_answered_as_the_first_time(client: TestClient, db_url: str) -> None:
    sid = start(client)["id"]
    with open_store(db_url) as store:
        SessionsRepo(store).finish(sid, "interrupted", 5.0)
    first = client.post(f"/api/sessions/{sid}/resume", json={"client_id": "resume-1"})
    again = client.post(f"/api/sessions/{sid}/resume", json={"client_id": "resume-1"})
    assert first.status_code == again.status_code == 200, again.text
    assert again.json()["status"] == "running"
    assert [e.kind for e in keyed(db_url, sid, "resume-1")] == ["resumed"]
    assert client.post(f"/api/sessions/{sid}/resume").status_code == 409  # no key: not again


def test_feedback_resent_is_stored_once(client: TestClient, db_url: str) -> None:
    sid = start(client)["id"]
    client.post(f"/api/sessions/{sid}/finish", json={"status": "finished"})
    verdict = {"overall": 5, "pressure_verdict": "right", "client_id": "thanks-1"}
    first = client.post(f"/api/sessions/{sid}/feedback", json=verdict)
    again = client.post(f"/api/sessions/{sid}/feedback", json=verdict)
    assert first.status_code == again.status_code == 200 and first.json() == again.json()
    assert [e.kind for e in keyed(db_url, sid, "thanks-1")] == ["feedback"]


@pytest.mark.parametrize(
    ("path", "request_"),
    [("events", {"kind": "paused", "clock_s": 3.0}), ("finish", {"status": "finished"})],
)
def test_feedback_under_a_key_another_request_used_is_refused(
    client: TestClient, db_url: str, path: str, request_: dict[str, Any]
) -> None:
    sid = start(client)["id"]
    first = client.post(f"/api/sessions/{sid}/{path}", json={**request_, "client_id": "k-9"})
    assert first.status_code < 300, first.text
    if path != "finish":
        client.post(f"/api/sessions/{sid}/finish", json={"status": "finished"})
    before = events(db_url, sid)
    verdict = {"overall": 4, "pressure_verdict": "right", "client_id": "k-9"}
    borrowed = client.post(f"/api/sessions/{sid}/feedback", json=verdict)
    assert borrowed.status_code == 409 and "already used" in borrowed.json()["error"]
    assert events(db_url, sid) == before
    with open_store(db_url) as store:
        assert FeedbackRepo(store).get(sid) is None
