"""The pressure check on the web: the plan form's option, the API's answers and their journal."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from rubdown.store.db import open_store
from rubdown.store.repos import SessionsRepo


def start(client: TestClient, **extra: Any) -> dict[str, Any]:
    reply = client.post("/api/sessions", json={"minutes": 20, "position": "lying", **extra})
    assert reply.status_code == 201, reply.text
    return reply.json()


def the_check(plan: dict[str, Any]) -> dict[str, Any]:
    return next(s for s in plan["segments"] if s["kind"] == "calibrate")


def first_work(plan: dict[str, Any]) -> dict[str, Any]:
    return next(s for s in plan["segments"] if s["kind"] == "step" and s["role"] == "work")


def check(client: TestClient, body: dict[str, Any], answer: str, into: float = 2.0) -> Any:
    at = the_check(body["plan"])["start_s"] + into
    return client.post(f"/api/sessions/{body['id']}/check", json={"answer": answer, "clock_s": at})


def test_the_plan_form_offers_a_pressure_check_and_carries_it_to_the_start(client: TestClient):
    page = client.get("/plan")
    assert 'name="calibrate"' in page.text and "Pressure check first" in page.text
    shown = client.get("/plan", params={"minutes": 20, "calibrate": "true"})
    assert shown.status_code == 200 and "Pressure check" in shown.text
    assert '<input type="hidden" name="calibrate" value="True">' in shown.text
    started = client.post("/sessions", data={"minutes": "20", "calibrate": "True"})
    session_id = started.url.path.rsplit("/", 1)[1]
    plan = client.get(f"/api/sessions/{session_id}").json()["plan"]
    assert the_check(plan)["duration_s"] >= 30
    plain = client.get("/plan", params={"minutes": 20})
    assert 'name="calibrate" value=' not in plain.text.split("start-form")[1].split("</form>")[0]


def test_a_session_planned_with_the_check_opens_with_it(client: TestClient):
    body = start(client, calibrate=True)
    assert the_check(body["plan"])["duration_s"] >= 30
    assert not [s for s in start(client)["plan"]["segments"] if s["kind"] == "calibrate"]


@pytest.mark.parametrize("path", ["/api/plan", "/api/sessions"])
@pytest.mark.parametrize("flag", [0, 1, "yes", "true", None])
def test_the_api_takes_the_check_as_json_true_or_false_only(
    client: TestClient, path: str, flag: Any
) -> None:
    reply = client.post(path, json={"minutes": 20, "calibrate": flag})
    assert reply.status_code == 422
    assert "calibrate" in reply.text


@pytest.mark.parametrize(("answers", "shift"), [(["more", "right"], 1), (["less", "less"], -2)])
def test_answers_shift_the_pressures_on_the_server_and_are_journalled(
    client: TestClient, db_url: str, answers: list[str], shift: int
) -> None:
    body = start(client, calibrate=True)
    before = first_work(body["plan"])["pressure"]
    for n, answer in enumerate(answers):
        reply = check(client, body, answer, 2 + 5 * n)
        assert reply.status_code == 200, reply.text
        message = reply.json()
        assert message["type"] == "check" and message["answer"] == answer and message["say"]
    assert message["check_done"] == (answers[-1] == "right")
    now = client.get(f"/api/sessions/{body['id']}").json()
    assert first_work(now["plan"])["pressure"] == before + shift
    with open_store(db_url) as store:
        events = [e for e in SessionsRepo(store).events(body["id"]) if e.kind == "pressure-checked"]
    assert [e.data["answer"] for e in events] == answers
    assert all(e.data["by"] == "receiver" for e in events)


def test_a_resent_answer_is_applied_once(client: TestClient) -> None:
    body = start(client, calibrate=True)
    at = the_check(body["plan"])["start_s"] + 1
    payload = {"answer": "more", "clock_s": at, "client_id": "press-1"}
    first = client.post(f"/api/sessions/{body['id']}/check", json=payload).json()
    again = client.post(f"/api/sessions/{body['id']}/check", json=payload).json()
    assert first["note"] == again["note"]
    now = client.get(f"/api/sessions/{body['id']}").json()
    assert first_work(now["plan"])["pressure"] == first_work(body["plan"])["pressure"] + 1


@pytest.mark.parametrize(
    ("calibrate", "payload", "status"),
    [
        (False, {"answer": "more", "clock_s": 30}, 409),
        (True, {"answer": "more", "clock_s": 0}, 409),
        (True, {"answer": "harder"}, 422),
    ],
)
def test_answers_outside_the_check_are_refused_plainly(
    client: TestClient, calibrate: bool, payload: dict[str, Any], status: int
) -> None:
    body = start(client, calibrate=calibrate)
    reply = client.post(f"/api/sessions/{body['id']}/check", json=payload)
    assert reply.status_code == status
    assert reply.json()["error"]


def test_after_right_the_check_is_over(client: TestClient) -> None:
    body = start(client, calibrate=True)
    assert check(client, body, "right").status_code == 200
    late = check(client, body, "more", 6)
    assert late.status_code == 409 and "over" in late.json()["error"]


def test_a_spoken_firmer_at_the_check_answers_it_by_voice(
    client: TestClient, db_url: str, tmp_path
) -> None:
    from test_listen_api import Clock, pcm_of, recording, stream

    body = start(client, calibrate=True)
    index, seg = next(
        (i, s) for i, s in enumerate(body["plan"]["segments"]) if s["kind"] == "calibrate"
    )
    paused = {"kind": "paused", "clock_s": seg["start_s"] + 1, "segment_index": index}
    client.post(f"/api/sessions/{body['id']}/events", json=paused)
    clock = Clock()
    client.app.state.rubdown.listening.monotonic = clock  # type: ignore[attr-defined]
    wav, _ = recording(["firmer"], tmp_path)
    heard = stream(client, body["id"], clock, pcm_of(wav))
    assert [h["command"] for h in heard] == ["firmer"] and heard[0]["echo"].startswith("firmer")
    with open_store(db_url) as store:
        events = SessionsRepo(store).events(body["id"])
    checks = [e for e in events if e.kind == "pressure-checked"]
    assert [(e.data["answer"], e.data["by"]) for e in checks] == [("more", "voice")]
    assert not [e for e in events if e.kind == "firmer"]
