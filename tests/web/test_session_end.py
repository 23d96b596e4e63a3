"""However a session ends (finished, quit, or marked interrupted), the server lets go of it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from rubdown.session.ownership import STALE_AFTER_S
from rubdown.store.models import utcnow
from rubdown.web import create_app
from rubdown.web.security import COOKIE, PAIR_HEADER, PAIR_PATH

TOKEN = "owner-token"


@pytest.fixture
def lan(cat, db_url: str, engine, tmp_path) -> Iterator[TestClient]:
    app = create_app(db_url, cat, TOKEN, voice_engine=engine, cue_dir=tmp_path / "cues")
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as client:
        assert client.post(PAIR_PATH, headers={PAIR_HEADER: TOKEN}).status_code == 204
        yield client


def finish(status: str) -> Callable[[TestClient, int], None]:
    def end(lan: TestClient, sid: int) -> None:
        assert lan.post(f"/api/sessions/{sid}/finish", json={"status": status}).status_code == 200

    return end


def sweep(lan: TestClient, sid: int) -> None:
    """The sweeper finds the page gone quiet past the limit."""
    live = lan.app.state.rubdown.live  # type: ignore[attr-defined]
    assert sid in live.settle(utcnow() + timedelta(seconds=STALE_AFTER_S + 5))


@pytest.mark.parametrize(
    "end", [finish("finished"), finish("quit"), sweep], ids=["finished", "quit", "interrupted"]
)
def test_an_ended_session_loses_its_remote_pairing_and_its_listening(
    lan: TestClient, end: Callable[[TestClient, int], None]
) -> None:
    state = lan.app.state.rubdown  # type: ignore[attr-defined]
    sid = lan.post("/api/sessions", json={"minutes": 5}).json()["id"]
    remote = state.pairings.issue(sid)
    reply = lan.post(f"/api/sessions/{sid}/listen", params={"stream": "s1"})
    assert reply.status_code == 200, reply.text
    assert state.listening.new_streams.keys() == 1
    end(lan, sid)
    assert state.pairings.session_for(remote) is None
    assert state.listening.new_streams.keys() == 0
    lan.cookies.delete(COOKIE)
    assert lan.post(PAIR_PATH, headers={PAIR_HEADER: remote}).status_code == 401


def test_finishing_one_session_leaves_another_paired(lan: TestClient) -> None:
    state = lan.app.state.rubdown  # type: ignore[attr-defined]
    one, two = (lan.post("/api/sessions", json={"minutes": 5}).json()["id"] for _ in range(2))
    kept = state.pairings.issue(two)
    state.pairings.issue(one)
    finish("quit")(lan, one)
    assert state.pairings.session_for(kept) == two


def test_every_end_hook_hears_each_ending_once(lan: TestClient) -> None:
    live = lan.app.state.rubdown.live  # type: ignore[attr-defined]
    heard: list[int] = []
    live.on_end(heard.append)
    one, two = (lan.post("/api/sessions", json={"minutes": 5}).json()["id"] for _ in range(2))
    finish("quit")(lan, one)
    sweep(lan, two)
    assert heard == [one, two]
