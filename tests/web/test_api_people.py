"""People, turns, history and stats over the API."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_add_list_get(client: TestClient) -> None:
    reply = client.post(
        "/api/people",
        json={
            "name": "Ann",
            "pressure": "firm",
            "conditions": ["varicose-veins"],
            "avoid": ["calves"],
        },
    )
    assert reply.status_code == 201
    assert reply.json()["conditions"] == ["varicose-veins"]
    assert [p["name"] for p in client.get("/api/people").json()] == ["Ann"]
    assert client.get("/api/people/ann").json()["pressure"] == "firm"


def test_duplicate_name_is_409_conflict(client: TestClient, couple) -> None:
    reply = client.post("/api/people", json={"name": "ANN"})
    assert reply.status_code == 409
    assert "already exists" in reply.json()["error"]


def test_unknown_condition_or_region_is_refused_with_choices(client: TestClient) -> None:
    reply = client.post("/api/people", json={"name": "Cy", "conditions": ["hiccups"]})
    assert reply.status_code == 400
    assert "pregnancy" in reply.json()["choices"]
    reply = client.post("/api/people", json={"name": "Cy", "focus": ["tail"]})
    assert reply.status_code == 400 and "neck" in reply.json()["choices"]
    assert client.get("/api/people").json() == []


def test_empty_or_long_name_is_422(client: TestClient) -> None:
    assert client.post("/api/people", json={"name": ""}).status_code == 422
    assert client.post("/api/people", json={"name": "x" * 81}).status_code == 422


def test_unknown_person_is_404(client: TestClient) -> None:
    assert client.get("/api/people/nobody").status_code == 404
    assert client.patch("/api/people/nobody", json={"pressure": "light"}).status_code == 404


def test_patch_replaces_lists_and_clears_pressure(client: TestClient, couple) -> None:
    reply = client.patch(
        "/api/people/Ben", json={"focus": ["neck"], "pressure": None, "conditions": ["sciatica"]}
    )
    assert reply.status_code == 200
    person = reply.json()
    assert person["focus"] == ["neck"] and person["pressure"] is None
    assert person["conditions"] == ["sciatica"]
    untouched = client.patch("/api/people/Ann", json={"avoid": ["feet"]}).json()
    assert untouched["pressure"] == "firm"


def test_rename(client: TestClient, couple) -> None:
    assert client.patch("/api/people/Ann", json={"rename": "Anna"}).json()["name"] == "Anna"
    assert client.get("/api/people/Anna").status_code == 200


def test_turn_follows_who_received_last(client: TestClient, couple) -> None:
    assert client.get("/api/turn").json()["giver"] in ("Ann", "Ben")
    sid = client.post(
        "/api/sessions", json={"minutes": 5, "giver": "Ann", "receiver": "Ben"}
    ).json()["id"]
    client.post(f"/api/sessions/{sid}/finish", json={"status": "finished", "clock_s": 300})
    turn = client.get("/api/turn").json()
    assert (turn["giver"], turn["receiver"]) == ("Ben", "Ann")
    assert turn["reason"]


def test_turn_without_two_people(client: TestClient) -> None:
    assert client.get("/api/turn").json()["giver"] is None


def test_stats_and_balance(client: TestClient, couple) -> None:
    sid = client.post(
        "/api/sessions", json={"minutes": 5, "giver": "Ann", "receiver": "Ben"}
    ).json()["id"]
    client.post(f"/api/sessions/{sid}/finish", json={"status": "finished", "clock_s": 300})
    stats = client.get("/api/stats?weeks=4").json()
    assert stats["balance"] == {"Ann": 5.0, "Ben": -5.0}
    assert len(stats["weeks"]) == 8  # four weeks, two people
    assert client.get("/api/stats?weeks=0").status_code == 422
    assert client.get("/api/history?limit=0").status_code == 422


def test_a_profile_the_planner_could_not_use_is_refused_and_not_stored(client: TestClient) -> None:
    reply = client.post("/api/people", json={"name": "Fay", "conditions": ["recent-injury"]})
    assert reply.status_code == 400 and "--avoid" in reply.json()["error"]
    assert client.get("/api/people").json() == []
    client.post(
        "/api/people", json={"name": "Gus", "conditions": ["recent-injury"], "avoid": ["calves"]}
    )
    reply = client.patch("/api/people/Gus", json={"avoid": []})
    assert reply.status_code == 400
    assert client.get("/api/people/gus").json()["avoid"] == ["calves"]
