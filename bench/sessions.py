"""Session load: a player and a remote on one session plus clients on their own, as fast as
they can, against a real `rubdown serve` (uvicorn) on 127.0.0.1.

Figures: requests per second, 5xx count, latency p50/p99, and the journal checked afterwards:
every acknowledged event stored exactly once, event numbers contiguous in every session.

    .venv/bin/python bench/sessions.py [--seconds 20] [--clients 8] [--db URL]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import percentile, rubdown_serve  # bench/ is not a package: found through sys.path

KINDS = ("segment-started", "paused", "resumed")
RESEND_EVERY = 10  # the player and remote resend every tenth entry, as after a lost answer
# Each writer sends at least this many requests, however slow a busy machine makes them.
AT_LEAST = 12


@dataclass
class Tally:
    """What one client saw."""

    statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    acknowledged: set[str] = field(default_factory=set)
    presses: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)


def start_server(db_url: str, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`rubdown serve` on a free loopback port with its own data folder; it and its URL."""
    return rubdown_serve(db_url, folder)


def new_session(http: httpx.Client) -> dict[str, Any]:
    """Start a 10-minute session."""
    reply = http.post("/api/sessions", json={"minutes": 10, "vary": 1})
    reply.raise_for_status()
    body: dict[str, Any] = reply.json()
    return body


def timed(http: httpx.Client, tally: Tally, path: str, body: dict[str, Any]) -> httpx.Response:
    """POST body, counting its status and latency."""
    began = time.perf_counter()
    reply = http.post(path, json=body)
    tally.latencies.append(time.perf_counter() - began)
    tally.statuses[reply.status_code] += 1
    return reply


def journal(url: str, session_id: int, name: str, until: float, tally: Tally) -> None:
    """Post player events as fast as possible, resending some with the same client id."""
    with httpx.Client(base_url=url, timeout=60) as http:
        n = 0
        while n < AT_LEAST or time.monotonic() < until:
            n += 1
            m = n - 1 if n % RESEND_EVERY == 0 else n  # a resend repeats the entry before
            client_id = f"{name}-{m}"
            body = {"kind": KINDS[m % 3], "clock_s": m * 0.01, "client_id": client_id}
            reply = timed(http, tally, f"/api/sessions/{session_id}/events", body)
            if reply.status_code == 201:
                tally.acknowledged.add(client_id)
            elif reply.status_code != 409:
                tally.errors.append(f"{reply.status_code} {reply.text[:120]}")


def steer(url: str, session_id: int, start_s: float, until: float, tally: Tally) -> None:
    """Press lighter and firmer on the remote as fast as possible, resending some presses."""
    with httpx.Client(base_url=url, timeout=60) as http:
        n = 0
        while n < AT_LEAST or time.monotonic() < until:
            n += 1
            m = n - 1 if n % RESEND_EVERY == 0 else n  # a resend repeats the press before
            client_id = f"remote-{m}"
            action = ("lighter", "firmer")[m % 2]
            body = {"action": action, "by": "receiver", "clock_s": start_s, "client_id": client_id}
            reply = timed(http, tally, f"/api/sessions/{session_id}/control", body)
            if reply.status_code == 200:
                tally.presses.add(client_id)
            else:
                tally.errors.append(f"{reply.status_code} {reply.text[:120]}")


def load(url: str, seconds: float, clients: int) -> tuple[dict[int, list[Tally]], float]:
    """Run the writers; each session's tallies (player first on the shared one), and the time."""
    with httpx.Client(base_url=url, timeout=30) as http:
        shared = new_session(http)
        own = [new_session(http)["id"] for _ in range(clients)]
    step = next(s for s in shared["plan"]["segments"] if s["kind"] == "step")
    until = time.monotonic() + seconds
    tallies: dict[int, list[Tally]] = {shared["id"]: [Tally(), Tally()]}
    jobs = [
        (journal, (url, shared["id"], "player", until, tallies[shared["id"]][0])),
        (steer, (url, shared["id"], step["start_s"] + 1.0, until, tallies[shared["id"]][1])),
    ]
    for k, session_id in enumerate(own):
        tallies[session_id] = [Tally()]
        jobs.append((journal, (url, session_id, f"client{k}", until, tallies[session_id][0])))
    threads = [threading.Thread(target=fn, args=args) for fn, args in jobs]  # type: ignore[arg-type]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tallies, time.monotonic() - began


def check(db_url: str, tallies: dict[int, list[Tally]]) -> list[str]:
    """Problems in the journal: gaps in event numbers, events stored twice or lost."""
    from rubdown.store.db import open_store
    from rubdown.store.repos import SessionsRepo

    problems = []
    with open_store(db_url) as store:
        repo = SessionsRepo(store)
        for session_id, session_tallies in tallies.items():
            events = repo.events(session_id)
            seqs = [e.seq for e in events]
            if seqs != list(range(1, len(seqs) + 1)):
                problems.append(f"session {session_id}: event numbers not contiguous")
            stored = Counter(e.client_id for e in events if e.client_id)
            acknowledged = set().union(*(t.acknowledged for t in session_tallies))
            twice = [c for c, n in stored.items() if n > 1]
            lost = acknowledged - set(stored)
            if twice or lost:
                problems.append(f"session {session_id}: {len(twice)} twice, {len(lost)} lost")
            pressed = set().union(*(t.presses for t in session_tallies))
            asked = Counter(e.client_id for e in events if (e.data or {}).get("by") == "receiver")
            if set(asked) != pressed or any(n > 1 for n in asked.values()):
                problems.append(
                    f"session {session_id}: {len(pressed)} presses, {asked.total()} stored"
                )
    return problems


def report(tallies: dict[int, list[Tally]], elapsed: float) -> dict[str, Any]:
    """The figures."""
    every = [t for ts in tallies.values() for t in ts]
    statuses: Counter[int] = sum((t.statuses for t in every), Counter())
    latencies = [x for t in every for x in t.latencies]
    return {
        "requests": sum(statuses.values()),
        "per_second": sum(statuses.values()) / elapsed,
        "server_errors": sum(n for code, n in statuses.items() if code >= 500),
        "statuses": dict(sorted(statuses.items())),
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "events_acknowledged": sum(len(t.acknowledged) for t in every),
        "presses_acknowledged": sum(len(t.presses) for t in every),
        "errors": [e for t in every for e in t.errors][:5],
    }


def run(db_url: str | None, seconds: float, clients: int) -> tuple[dict[str, Any], list[str]]:
    """Serve, load, stop, check: the figures and the problems found."""
    with tempfile.TemporaryDirectory() as tmp:
        url_db = db_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        server, url = start_server(url_db, Path(tmp))
        try:
            tallies, elapsed = load(url, seconds, clients)
        finally:
            server.terminate()
            server.wait(timeout=30)
        return report(tallies, elapsed), check(url_db, tallies)


def main() -> None:
    """Print the figures; exit 1 on any 5xx or journal problem."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--db", default=None, help="Database URL (default: a new SQLite file).")
    args = parser.parse_args()
    figures, problems = run(args.db, args.seconds, args.clients)
    print(f"sessions load: player + remote on one session, {args.clients} clients on their own, ")
    print(f"{args.seconds:g} s against rubdown serve on 127.0.0.1 ({args.db or 'SQLite'})")
    for key, value in figures.items():
        print(f"  {key:<22} {value:.1f}" if isinstance(value, float) else f"  {key:<22} {value}")
    print("journal:", "every acknowledged event once, numbers contiguous" if not problems else "")
    for problem in problems:
        print("  PROBLEM", problem)
    raise SystemExit(0 if not problems and figures["server_errors"] == 0 else 1)


if __name__ == "__main__":
    main()
