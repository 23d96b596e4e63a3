"""Live sessions: the clock estimate, fan-out to pages, and the server-sent event stream."""

from __future__ import annotations

import asyncio
import json
import threading

import pytest
from fastapi.testclient import TestClient
from web_helpers import first_step

from rubdown.core.planjson import plan_from_json
from rubdown.web.hub import Hub, sse_frame
from rubdown.web.live import PlayerClock


def test_clock_estimate_follows_the_player() -> None:
    now = [100.0]
    clock = PlayerClock(lambda: now[0])
    total = 300.0
    assert clock.now_s(total) == 0.0 and clock.paused
    clock.observe(10.0, paused=False, speed=60.0)
    now[0] += 0.1
    assert clock.now_s(total) == pytest.approx(16.0)
    clock.observe(30.0, paused=True)
    now[0] += 5.0
    assert clock.now_s(total) == 30.0
    clock.observe(10_000.0)
    assert clock.now_s(total) == total


def test_hub_delivers_from_other_threads() -> None:
    hub = Hub()

    async def main() -> list[dict]:
        queue = hub.subscribe(7)
        threading.Thread(target=hub.publish, args=(7, {"type": "note", "n": 1})).start()
        got = [await asyncio.wait_for(queue.get(), 2)]
        hub.unsubscribe(7, queue)
        assert hub.listeners(7) == 0
        return got

    assert asyncio.run(main()) == [{"type": "note", "n": 1}]
    assert hub.publish(7, {"type": "nobody listens"}) == 0


def test_sse_frame_is_one_data_line() -> None:
    assert sse_frame({"a": 1}) == 'data: {"a":1}\n\n'


def read_stream(client: TestClient, url: str, out: list[dict], ready: threading.Event) -> None:
    with client.stream("GET", url) as reply:
        assert reply.headers["content-type"].startswith("text/event-stream")
        for line in reply.iter_lines():
            if line.startswith("data: "):
                out.append(json.loads(line[6:]))
                ready.set()


def test_a_remote_press_reaches_the_stream(client: TestClient) -> None:
    body = client.post("/api/sessions", json={"minutes": 5}).json()
    sid = body["id"]
    _, seg = first_step(body["plan"])
    messages: list[dict] = []
    ready = threading.Event()
    reader = threading.Thread(
        target=read_stream, args=(client, f"/api/sessions/{sid}/stream?limit=3", messages, ready)
    )
    reader.start()
    assert ready.wait(5), "the stream sends the current state first"
    client.post(
        f"/api/sessions/{sid}/control",
        json={"action": "lighter", "by": "receiver", "clock_s": seg["start_s"] + 1},
    )
    reader.join(5)
    assert not reader.is_alive()
    assert messages[0]["type"] == "state" and messages[0]["watchers"] >= 1
    plan_message = next(m for m in messages if m["type"] == "plan")
    assert plan_message["by"] == "receiver" and plan_message["pressure"] == seg["pressure"] - 1
    plan_from_json(plan_message["plan"])  # a whole, valid plan


def test_player_events_update_the_state_the_remote_sees(client: TestClient) -> None:
    body = client.post("/api/sessions", json={"minutes": 5}).json()
    index, seg = first_step(body["plan"])
    sid = body["id"]
    client.post(
        f"/api/sessions/{sid}/events",
        json={"kind": "segment-started", "clock_s": seg["start_s"], "segment_index": index},
    )
    live = client.app.state.rubdown.live.get(sid)
    state = live.state()
    assert state["paused"] is False and state["segment"] == index
    assert state["region"] == seg["region"] and state["pressure"] == seg["pressure"]
