"""The planning API: plans, clear 4xx answers for bad input, cue audio and ticks."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from rubdown.voice.cache import sentences


def test_plans_five_minutes_with_cue_keys(client: TestClient) -> None:
    reply = client.post("/api/plan", json={"minutes": 5})
    assert reply.status_code == 200
    body = reply.json()
    assert body["refused"] is False
    assert body["plan"]["total_seconds"] == 300
    assert body["plan"]["segments"][0]["start_s"] == 0
    assert body["cues"], "a plan speaks"
    assert all(re.fullmatch(r"[0-9a-f]{64}", c["key"]) for c in body["cues"])
    assert body["cues"][0]["text"] == body["plan"]["segments"][0]["say"]
    assert body["voice"]["ticks"]["down"].endswith(".wav")


def test_same_sentence_same_key(client: TestClient) -> None:
    first = client.post("/api/plan", json={"minutes": 5}).json()["cues"]
    again = client.post("/api/plan", json={"minutes": 5}).json()["cues"]
    assert [c["key"] for c in first] == [c["key"] for c in again]


def cue_url(body: dict, key: str) -> str:
    voice = body["voice"]
    return voice["cue_url"].format(voice=voice["default"], key=key)


def test_cue_audio_is_served_by_key_as_compressed_mp3(client: TestClient, engine) -> None:
    body = client.post("/api/plan", json={"minutes": 5}).json()
    cue = body["cues"][0]
    reply = client.get(cue_url(body, cue["key"]))
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "audio/mpeg"
    assert reply.content[:3] == b"ID3" or reply.content[0] == 0xFF  # an MP3 stream
    assert "immutable" in reply.headers["cache-control"]
    assert all(engine.spoken.count(s) <= 1 for s in sentences(cue["text"]))


def test_voice_progress_counts_the_session_cues_and_each_sentence_is_spoken_once(
    client: TestClient, engine
) -> None:
    import time

    body = client.post("/api/sessions", json={"minutes": 20}).json()
    cues = client.get(f"/api/sessions/{body['id']}").json()["cues"]
    deadline = time.monotonic() + 60
    while not (progress := client.get("/api/voice/progress").json())["done"]:
        assert time.monotonic() < deadline, progress
        time.sleep(0.05)  # the server's background synthesis, not a clock under test
    texts = {c["text"] for c in cues} | {c["brief"]["text"] for c in cues if "brief" in c}
    assert progress["ready"] == progress["total"] == len(texts)
    # Shared sentences (counts, cautions, check-ins) were synthesised once for every cue.
    assert len(engine.spoken) == len(set(engine.spoken))
    assert set(engine.spoken) == {s for t in texts for s in sentences(t)}


def test_unknown_cue_is_404(client: TestClient) -> None:
    voice = client.post("/api/plan", json={"minutes": 5}).json()["voice"]["default"]
    assert client.get(f"/api/cues/{voice}/{'0' * 64}.mp3").status_code == 404
    assert client.get(f"/api/cues/{voice}/not-a-key.mp3").status_code == 404
    assert client.get(f"/api/cues/no-such-voice/{'0' * 64}.mp3").status_code == 404


def test_ticks(client: TestClient) -> None:
    for kind in ("down", "up"):
        reply = client.get(f"/api/ticks/{kind}.wav")
        assert reply.status_code == 200 and reply.content[:4] == b"RIFF"
    assert client.get("/api/ticks/sideways.wav").status_code == 422


def test_the_background_loops_come_with_the_mix_that_plays_them(client: TestClient) -> None:
    import io
    import wave

    mix = client.post("/api/plan", json={"minutes": 5}).json()["voice"]["mix"]
    assert mix["backgrounds"] == ["noise", "drone"]
    assert len(mix["voice"]) == len(mix["tick"]) == mix["balance_steps"] + 1
    for kind in mix["backgrounds"]:
        reply = client.get(mix["background_url"].replace("{kind}", kind))
        assert reply.status_code == 200 and reply.headers["content-type"] == "audio/wav"
        with wave.open(io.BytesIO(reply.content)) as wav:
            assert wav.getnchannels() == 1 and wav.getnframes() / wav.getframerate() == 8.0
    assert client.get("/api/background/music.wav").status_code == 422


def test_unknown_region_lists_the_choices(client: TestClient) -> None:
    reply = client.post("/api/plan", json={"minutes": 10, "focus": ["elbow"]})
    assert reply.status_code == 400
    body = reply.json()
    assert "elbow" in body["error"]
    assert "neck" in body["choices"] and "shoulders" in body["choices"]


def test_unknown_condition_lists_the_choices(client: TestClient) -> None:
    reply = client.post("/api/plan", json={"minutes": 10, "conditions": ["grumpy"]})
    assert reply.status_code == 400
    assert "fever" in reply.json()["choices"]


def test_unknown_position_lists_the_choices(client: TestClient) -> None:
    reply = client.post("/api/plan", json={"minutes": 10, "position": "standing"})
    assert reply.status_code == 400
    assert "seated" in reply.json()["choices"]


def test_refusal_is_409_with_reason_and_what_instead(client: TestClient) -> None:
    reply = client.post("/api/plan", json={"minutes": 10, "conditions": ["fever"]})
    assert reply.status_code == 409
    body = reply.json()
    assert body["refused"] is True
    assert body["reason"] and body["instead"] and body["condition"] == "fever"


def test_bad_input_is_422_with_a_readable_message(client: TestClient) -> None:
    for payload, field in (
        ({"minutes": 3}, "minutes"),
        ({"minutes": 500}, "minutes"),
        ({"minutes": "long"}, "minutes"),
        ({"pressure": "brutal"}, "pressure"),
        ({"minutes": 10, "colour": "red"}, "colour"),
        ({"focus": "neck"}, "focus"),
    ):
        reply = client.post("/api/plan", json=payload)
        assert reply.status_code == 422, payload
        assert reply.json()["error"].startswith(field), reply.json()


def test_malformed_json_is_422(client: TestClient) -> None:
    reply = client.post(
        "/api/plan", content=b"{minutes: 5", headers={"content-type": "application/json"}
    )
    assert reply.status_code == 422
    assert "error" in reply.json()


def test_catalogue_lists_choices_head_to_toe(client: TestClient) -> None:
    body = client.get("/api/catalogue").json()
    regions = [r["id"] for r in body["regions"]]
    assert regions.index("neck") < regions.index("lower-back")
    assert {"light", "medium", "firm"} == set(body["pressures"])
    assert any(c["id"] == "fever" and c["refuse"] for c in body["conditions"])


def test_openapi_documents_the_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/plan",
        "/api/sessions",
        "/api/sessions/{session_id}/control",
        "/api/sessions/{session_id}/events",
        "/api/sessions/{session_id}/stream",
        "/api/people",
        "/api/history",
        "/api/stats",
        "/api/turn",
        "/api/cues/{voice}/{name}",
        "/api/voice/progress",
    ):
        assert path in paths, path
    assert "/play/{session_id}" not in paths  # pages are not API
