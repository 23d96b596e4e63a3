"""Edges side by side: a terminal guide beside a web session, and a killed web server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from sessions import start_server  # bench/ is not a package: found through sys.path above
from web_helpers import BOTH_DATABASES

from rubdown.store.db import open_store
from rubdown.store.repos import SessionsRepo

GUIDE = [sys.executable, "-c", "from rubdown.cli.main import main; main()", "guide"]
FAST = ["--minutes", "5", "--speed", "200", "--voice", "none", "--no-ticks"]


pytestmark = BOTH_DATABASES


def test_a_guide_and_a_web_session_at_once_never_touch_each_other(
    db_url: str, tmp_path: Path
) -> None:
    server, url = start_server(db_url, tmp_path / "web")
    try:
        with httpx.Client(base_url=url, timeout=30) as web:
            sid = web.post("/api/sessions", json={"minutes": 10}).json()["id"]
            env = {**os.environ, "RUBDOWN_DATA_DIR": str(tmp_path / "guide")}
            guide = subprocess.Popen(
                [*GUIDE, *FAST, "--db", db_url], env=env, stdout=subprocess.PIPE, text=True
            )
            posted = 0
            while guide.poll() is None:
                posted += 1
                event = {"kind": "paused", "clock_s": posted * 0.1, "client_id": f"w{posted}"}
                assert web.post(f"/api/sessions/{sid}/events", json=event).status_code == 201
            out, _ = guide.communicate(timeout=60)
            assert guide.returncode == 0, out
            assert web.get(f"/api/sessions/{sid}").json()["status"] == "running"
    finally:
        server.terminate()
        server.wait(timeout=30)
    with open_store(db_url) as store:
        repo = SessionsRepo(store)
        mine = repo.events(sid)
        assert [e.seq for e in mine] == list(range(1, posted + 2))
        assert {e.kind for e in mine} == {"session-started", "paused"}
        guided = next(r for r in repo.history() if r.id != sid)
        assert guided.status == "finished"
        assert all(e.client_id is None for e in repo.events(guided.id))


def test_a_killed_servers_session_is_interrupted_and_resumes_in_the_player(
    db_url: str, tmp_path: Path
) -> None:
    server, url = start_server(db_url, tmp_path / "first")
    sid = httpx.post(f"{url}/api/sessions", json={"minutes": 10}).json()["id"]
    httpx.post(f"{url}/api/sessions/{sid}/heartbeat", json={"clock_s": 30.0})
    server.send_signal(signal.SIGKILL)
    server.wait(timeout=30)
    again, url = start_server(db_url, tmp_path / "second")
    try:
        # The new server's first sweep finds the old one gone (its process has ended).
        assert httpx.get(f"{url}/api/sessions/{sid}").json()["status"] == "interrupted"
        page = httpx.get(f"{url}/play/{sid}")
        assert page.status_code == 200
        resumed = httpx.post(f"{url}/api/sessions/{sid}/resume").json()
        assert (resumed["status"], resumed["position_s"]) == ("running", 30.0)
        event = {"kind": "resumed", "clock_s": 30.0, "client_id": "after-crash"}
        assert httpx.post(f"{url}/api/sessions/{sid}/events", json=event).status_code == 201
    finally:
        again.terminate()
        again.wait(timeout=30)
