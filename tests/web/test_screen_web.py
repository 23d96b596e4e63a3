"""The red-flag screen on the web: JSON and the page, each flag refusing with 409."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from web_helpers import all_no

from rubdown.core.screen import RED_FLAGS

FLAGS = [f.id for f in RED_FLAGS]
START = {"minutes": 5, "giver": "Ann", "receiver": "Cy"}


@pytest.fixture
def cy(client: TestClient, couple) -> str:
    assert client.post("/api/people", json={"name": "Cy"}).status_code == 201
    return "Cy"


def test_the_questions_are_listed(client: TestClient) -> None:
    assert [q["id"] for q in client.get("/api/screen").json()] == FLAGS


def test_a_first_session_waits_for_the_screen(client: TestClient, cy) -> None:
    reply = client.post("/api/sessions", json=START)
    assert reply.status_code == 409
    assert reply.json()["screen_needed"] is True and reply.json()["screen"] == "/screen/Cy"
    assert client.post("/api/people/Cy/screen", json={"answers": all_no()}).status_code == 200
    assert client.post("/api/sessions", json=START).status_code == 201


@pytest.mark.parametrize("flag", FLAGS)
def test_each_red_flag_refuses_with_409_and_is_stored(client: TestClient, cy, flag) -> None:
    reply = client.post("/api/people/Cy/screen", json={"answers": {**all_no(), flag: True}})
    assert reply.status_code == 409
    body = reply.json()
    assert body["refused"] is True and body["red_flags"] == [flag] and body["instead"]
    assert body["emergency"] is (flag in FLAGS[:3])
    person = next(p for p in client.get("/api/people").json() if p["name"] == "Cy")
    assert person["screen"]["red_flags"] == [flag]
    started = client.post("/api/sessions", json=START)
    assert started.status_code == 409 and started.json()["refused"] is True


def test_incomplete_answers_are_400_and_an_unknown_person_404(client: TestClient, cy) -> None:
    reply = client.post("/api/people/Cy/screen", json={"answers": {"fever": False}})
    assert reply.status_code == 400 and "no answer" in reply.json()["error"]
    assert client.post("/api/people/Nobody/screen", json={"answers": all_no()}).status_code == 404


def test_changing_conditions_asks_again(client: TestClient, cy) -> None:
    client.post("/api/people/Cy/screen", json={"answers": all_no()})
    assert client.patch("/api/people/Cy", json={"conditions": ["diabetes"]}).status_code == 200
    assert client.post("/api/sessions", json=START).json().get("screen_needed") is True


def test_the_start_form_sends_a_new_person_to_the_screen_page(client: TestClient, cy) -> None:
    reply = client.post("/sessions", data=START, follow_redirects=False)
    assert reply.status_code == 303 and reply.headers["location"].startswith("/screen/Cy?next=")
    page = client.get(reply.headers["location"])
    assert page.status_code == 200 and all(q.question in page.text for q in RED_FLAGS)


@pytest.mark.parametrize("flag", FLAGS)
def test_the_screen_page_refuses_each_flag_with_what_to_do(client: TestClient, cy, flag) -> None:
    form = {f: "no" for f in FLAGS} | {flag: "yes", "next": "/plan"}
    reply = client.post("/screen/Cy", data=form, follow_redirects=False)
    assert reply.status_code == 409
    assert ("Get help now" in reply.text) is (flag in FLAGS[:3])
    assert "What to do" in reply.text


@pytest.mark.parametrize("hostile", ["//evil.example", "/\\evil.example", "/\n/evil.example"])
def test_a_clear_screen_page_goes_on_but_never_off_site(client: TestClient, cy, hostile) -> None:
    form = {f: "no" for f in FLAGS}
    ok = client.post(
        "/screen/Cy", data={**form, "next": "/plan?receiver=Cy"}, follow_redirects=False
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/plan?receiver=Cy"
    away = client.post("/screen/Cy", data={**form, "next": hostile}, follow_redirects=False)
    assert away.headers["location"] == "/plan"
    missing = client.post("/screen/Cy", data={"fever": "no"}, follow_redirects=False)
    assert missing.status_code == 422
