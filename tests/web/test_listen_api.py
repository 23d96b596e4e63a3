"""The player's Listen endpoint: streamed PCM in, spoken commands applied by voice, bounded."""

from __future__ import annotations

import sys
import wave
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from web_helpers import rubdown_serve

from rubdown.store.repos import SessionsRepo
from rubdown.web.listening import MAX_CHUNK_BYTES, NEW_STREAM_BURST, NEW_STREAM_EVERY_S

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "voice"))
from test_listen import recording

CHUNK = 8000  # a quarter of a second, as the page sends


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def started(client: TestClient, kind: str = "step") -> tuple[int, Clock]:
    """A running session paused in a segment of this kind; the listening clock in hand."""
    reply = client.post("/api/sessions", json={"minutes": 10})
    assert reply.status_code == 201, reply.text
    sid = reply.json()["id"]
    segments = reply.json()["plan"]["segments"]
    of_kind = [i for i, s in enumerate(segments) if s["kind"] == kind]
    i = of_kind[len(of_kind) // 2]  # one with a step before it and after it
    # The player is paused there: in a massage step, lighter has a pressure to change.
    client.post(
        f"/api/sessions/{sid}/events",
        json={"kind": "paused", "clock_s": segments[i]["start_s"] + 1, "segment_index": i},
    )
    clock = Clock()
    client.app.state.rubdown.listening.monotonic = clock  # type: ignore[attr-defined]
    return sid, clock


def pcm_of(path: Path) -> bytes:
    """The 16 kHz 16-bit mono samples of a WAV the test made."""
    with wave.open(str(path), "rb") as wav:
        return wav.readframes(wav.getnframes())


def stream(
    client: TestClient, sid: int, clock: Clock, pcm: bytes, **query: str
) -> list[dict[str, Any]]:
    """Send the audio in real-time chunks; every command the server says it applied."""
    heard: list[dict[str, Any]] = []
    for at in range(0, len(pcm), CHUNK):
        clock.now += CHUNK / 2 / 16000
        reply = client.post(
            f"/api/sessions/{sid}/listen",
            params={"stream": "s1", **query},
            content=pcm[at : at + CHUNK],
            headers={"content-type": "application/octet-stream"},
        )
        assert reply.status_code == 200, reply.text
        heard.extend(reply.json()["heard"])
    return heard


def say(
    client: TestClient, tmp: Path, said: str, kind: str = "step", **query: str
) -> tuple[int, list[dict[str, Any]]]:
    """A session paused in a segment of this kind hears `said` (espeak-ng); what it applied."""
    sid, clock = started(client, kind)
    wav, _ = recording([said], tmp)
    return sid, stream(client, sid, clock, pcm_of(wav), **query)


def events_of(client: TestClient, sid: int) -> list[Any]:
    """The session's journal."""
    return SessionsRepo(client.app.state.rubdown.store).events(sid)  # type: ignore[attr-defined]


def test_a_spoken_lighter_is_applied_through_the_engine_and_journaled_by_voice(
    client: TestClient, tmp_path: Path
) -> None:
    sid, heard = say(client, tmp_path, "lighter")
    assert [h["command"] for h in heard] == ["lighter"]
    message = heard[0]["message"]
    assert message["by"] == "voice" and message["action"] == "lighter"
    assert heard[0]["echo"] == f"lighter: {message['note']}"
    assert f"pressure {message['pressure']}" in heard[0]["echo"].lower()
    lighter = [e for e in events_of(client, sid) if e.kind == "lighter"]
    assert [e.data["by"] for e in lighter] == ["voice"]


@pytest.mark.parametrize(
    ("said", "kind", "event"),
    [
        ("firmer", "step", "firmer"),
        ("more here", "step", "more-time"),
        ("skip", "step", "segment-skipped"),
        ("go back", "step", "back"),
        ("pause", "step", "paused"),
        ("go on", "step", "resumed"),
        ("stop", "step", "paused"),
        ("perfect", "check-in", "check-in-answered"),
        ("that's good", "check-in", "check-in-answered"),
    ],
)
def test_each_spoken_command_is_journaled_as_its_button_would_be_by_voice(
    client: TestClient, tmp_path: Path, said: str, kind: str, event: str
) -> None:
    sid, heard = say(client, tmp_path, said, kind)
    assert [h["phrase"] for h in heard] == [said]
    assert heard[0]["echo"].startswith(f"{said}: ")
    voiced = [e.kind for e in events_of(client, sid) if (e.data or {}).get("by") == "voice"]
    assert voiced == [event]


def test_thats_good_outside_a_check_in_says_so_and_changes_nothing(
    client: TestClient, tmp_path: Path
) -> None:
    sid, heard = say(client, tmp_path, "perfect")
    assert [h["echo"] for h in heard] == ["perfect: that answers a check-in; none is on now"]
    voiced = [e.data or {} for e in events_of(client, sid) if (e.data or {}).get("by") == "voice"]
    # Only the refusal is kept (so a resend of its key is refused alike): nothing answered.
    assert [d.get("refused") for d in voiced] in ([], ["not-a-check-in"])


def test_commands_said_while_rubdowns_own_cue_plays_are_not_acted_on(
    client: TestClient, tmp_path: Path
) -> None:
    _, heard = say(client, tmp_path, "lighter", speaking="Lighter, now slow strokes")
    assert heard == []


@pytest.mark.parametrize(
    ("body", "stream_id", "status", "words"),
    [
        (b"\0" * 3, "s1", 400, "even number of bytes"),
        (b"\0" * (MAX_CHUNK_BYTES + 2), "s1", 413, "at most"),
        (b"\0" * 2, "bad id!", 422, "stream"),
    ],
)
def test_bad_chunks_are_refused_saying_why(
    client: TestClient, body: bytes, stream_id: str, status: int, words: str
) -> None:
    sid, _ = started(client)
    reply = client.post(f"/api/sessions/{sid}/listen", params={"stream": stream_id}, content=body)
    assert reply.status_code == status
    assert words in reply.text


def test_audio_faster_than_real_time_is_refused(client: TestClient) -> None:
    sid, _ = started(client)
    replies = [
        client.post(f"/api/sessions/{sid}/listen", params={"stream": "s1"}, content=b"\0" * 32000)
        for _ in range(5)
    ]
    assert [r.status_code for r in replies] == [200, 200, 200, 429, 429]
    assert "faster than anyone can speak" in replies[-1].json()["error"]


def test_listening_to_an_ended_session_is_a_409_and_stopping_is_quiet(client: TestClient) -> None:
    sid, _ = started(client)
    client.post(f"/api/sessions/{sid}/finish", json={"status": "quit"})
    reply = client.post(f"/api/sessions/{sid}/listen", params={"stream": "s1"}, content=b"")
    assert reply.status_code == 409, reply.text
    assert client.delete(f"/api/sessions/{sid}/listen").status_code == 204


def test_another_sites_page_cannot_stream_to_the_listen_endpoint(client: TestClient) -> None:
    sid, _ = started(client)
    reply = client.post(
        f"/api/sessions/{sid}/listen",
        params={"stream": "s1"},
        content=b"\0" * 2,
        headers={"origin": "http://evil.example", "sec-fetch-site": "cross-site"},
    )
    assert reply.status_code == 403, reply.text


def test_without_the_listen_extra_the_switch_is_refused_saying_how_to_install_it(
    tmp_path: Path, without_listen_extra: dict[str, str]
) -> None:
    with rubdown_serve(without_listen_extra, tmp_path) as url:
        sid = httpx.post(f"{url}/api/sessions", json={"minutes": 5}).json()["id"]
        reply = httpx.post(f"{url}/api/sessions/{sid}/listen", params={"stream": "s1"})
    assert reply.status_code == 501, reply.text
    error = reply.json()["error"]
    assert "the player's Listen" in error and "'listen' extra, which is not installed" in error
    assert "pip install '.[listen]' in rubdown's folder" in error
    assert "Traceback" not in (tmp_path / "serve.log").read_text()


def test_the_opening_chunk_says_what_to_say_with_and_without_the_wake_word(
    client: TestClient,
) -> None:
    sid, _ = started(client)
    replies = [
        client.post(f"/api/sessions/{sid}/listen", params={"stream": "s1", "wake": wake}).json()
        for wake in ("false", "true")
    ]
    assert [r["wake"] for r in replies] == [False, True]
    assert replies[0]["prompt"].startswith("say lighter, firmer, more here")
    assert replies[1]["prompt"].startswith('say "rubdown", then lighter, firmer')


@pytest.mark.parametrize(
    ("said", "wake", "commands"),
    [
        (["lighter", "rubdown, firmer"], "true", ["firmer"]),
        (["lighter"], "true", []),
        (["lighter"], "false", ["lighter"]),
    ],
)
def test_with_the_wake_word_only_commands_after_rubdown_are_applied(
    client: TestClient, tmp_path: Path, said: list[str], wake: str, commands: list[str]
) -> None:
    sid, clock = started(client)
    wav, _ = recording(said, tmp_path)
    heard = stream(client, sid, clock, pcm_of(wav), wake=wake)
    assert [h["command"] for h in heard] == commands
    voiced = [e.kind for e in events_of(client, sid) if (e.data or {}).get("by") == "voice"]
    assert voiced == commands


def test_stopping_a_stream_by_its_id_keeps_a_newer_one(client: TestClient) -> None:
    sid, _ = started(client)
    listening = client.app.state.rubdown.listening  # type: ignore[attr-defined]
    for stream_id in ("old", "new"):
        client.post(f"/api/sessions/{sid}/listen", params={"stream": stream_id})
    newer = listening._streams[sid]
    assert client.delete(f"/api/sessions/{sid}/listen", params={"stream": "old"}).status_code == 204
    assert listening._streams.get(sid) is newer
    client.delete(f"/api/sessions/{sid}/listen", params={"stream": "new"})
    assert sid not in listening._streams


def test_restarting_listening_too_often_is_a_429_with_retry_after(client: TestClient) -> None:
    other, _ = started(client)
    sid, clock = started(client)  # the listening clock now
    listen = f"/api/sessions/{sid}/listen"
    opened = [client.post(listen, params={"stream": f"s{n}"}) for n in range(NEW_STREAM_BURST)]
    assert [r.status_code for r in opened] == [200] * NEW_STREAM_BURST
    refused = client.post(listen, params={"stream": "one-more"})
    assert refused.status_code == 429, refused.text
    assert refused.headers["retry-after"] == str(int(NEW_STREAM_EVERY_S))
    assert "restarted too often" in refused.json()["error"]
    # The stream already open goes on, and another session is not held back.
    again = f"s{NEW_STREAM_BURST - 1}"
    assert client.post(listen, params={"stream": again}, content=b"\0" * 3200).status_code == 200
    assert client.post(f"/api/sessions/{other}/listen", params={"stream": "x"}).status_code == 200
    clock.now += NEW_STREAM_EVERY_S
    assert client.post(listen, params={"stream": "one-more"}).status_code == 200
    assert client.post(listen, params={"stream": "and-another"}).status_code == 429


def test_missing_and_ended_sessions_take_no_token_and_a_finished_one_drops_its_bucket(
    client: TestClient,
) -> None:
    buckets = client.app.state.rubdown.listening.new_streams  # type: ignore[attr-defined]
    sid, _ = started(client)
    ended, _ = started(client)
    client.post(f"/api/sessions/{ended}/finish", json={"status": "quit"})
    for _ in range(NEW_STREAM_BURST + 1):
        assert (
            client.post(f"/api/sessions/{ended}/listen", params={"stream": "s"}).status_code == 409
        )
        assert client.post("/api/sessions/999999/listen", params={"stream": "s"}).status_code == 404
    assert buckets.keys() == 0
    assert client.post(f"/api/sessions/{sid}/listen", params={"stream": "s1"}).status_code == 200
    assert buckets.keys() == 1
    client.post(f"/api/sessions/{sid}/finish", json={"status": "quit"})
    assert buckets.keys() == 0
