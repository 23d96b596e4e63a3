"""Web app figures: the player page's weight, plan-API latency under load, cue lateness.

- player page: total bytes transferred to show and play a session (cue audio aside);
  target <= 100 KB.
- API: POST /api/plan p50/p99 latency with 50 concurrent clients (httpx, async) against a
  uvicorn server in its own process on loopback, a bounded number of requests.
- cue lateness inside the browser: how late each cue and tick was handed to the Web Audio
  clock compared with its exact time; target p99 <= 2 ms. Also the time a press on the
  receiver's remote takes to reach the giver's player.

    .venv/bin/python bench/web.py [--requests 1000] [--clients 50] [--play-seconds 60]
                                  [--screenshot docs/player.png]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import percentile  # bench/ is not a package: found through sys.path above
from _common import serve as serve_command

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "web"))
PAGE_TARGET = 100 * 1024
LATENESS_TARGET_MS = 2.0


def start_server(db_url: str, cue_dir: str) -> tuple[subprocess.Popen[bytes], str]:
    """This script in --serve mode, in its own process; returns it and its URL."""
    return serve_command(
        lambda port: [sys.executable, __file__, "--serve", str(port), db_url, cue_dir]
    )


def serve(port: int, db_url: str, cue_dir: str) -> None:
    """--serve mode: run the app with uvicorn until killed."""
    import uvicorn

    from rubdown.web import create_app

    app = create_app(db_url, cue_dir=Path(cue_dir))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


async def plan_load(url: str, requests: int, clients: int) -> tuple[list[float], float, int]:
    """POST /api/plan from `clients` concurrent clients; (latencies ms, seconds, errors)."""
    latencies: list[float] = []
    errors = 0
    todo = list(range(requests))
    bodies = [
        {"minutes": m, "position": p}
        for m in (10, 20, 30, 45, 60)
        for p in ("any", "seated", "lying")
    ]

    async def client_loop(client: httpx.AsyncClient) -> None:
        """One client: request after request until the shared count runs out."""
        nonlocal errors
        while todo:
            n = todo.pop()
            began = time.perf_counter()
            reply = await client.post(f"{url}/api/plan", json=bodies[n % len(bodies)])
            latencies.append((time.perf_counter() - began) * 1000)
            errors += reply.status_code != 200

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        await client.post(f"{url}/api/plan", json={"minutes": 30})  # warm up
        began = time.perf_counter()
        await asyncio.gather(*(client_loop(client) for _ in range(clients)))
        return latencies, time.perf_counter() - began, errors


def page_weight(browser: Any, url: str, session_id: int, worker: bool) -> dict[str, int]:
    """Bytes on the wire for a first visit to the player (cue audio counted apart); with the
    service worker, its pre-caching of the app shell counts too."""
    from browser_helpers import PHONE

    context = browser.new_context(viewport=PHONE, service_workers="allow" if worker else "block")
    seen: list[Any] = []
    context.on("requestfinished", lambda request: seen.append(request))
    page = context.new_page()
    page.goto(f"{url}/play/{session_id}")
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    # The cue audio keeps coming for a while: wait until two quiet seconds (a minute at most).
    count, quiet_since, deadline = -1, time.monotonic(), time.monotonic() + 60
    while time.monotonic() - quiet_since < 2 and time.monotonic() < deadline:
        if len(seen) != count:
            count, quiet_since = len(seen), time.monotonic()
        page.wait_for_timeout(200)
    totals = {"page": 0, "cues": 0, "requests": 0}
    # A cue fetched again (to decode it) comes from the browser's cache: count each URL once.
    for request in {r.url: r for r in seen}.values():
        sizes = request.sizes()
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        cue = "/api/cues/" in request.url
        totals["cues" if cue else "page"] += size
        totals["requests"] += not cue
    context.close()
    return totals


def play_and_measure(browser: Any, url: str, api: httpx.Client, seconds: float) -> dict[str, Any]:
    """Play a 10-minute session at speed 10 and collect lateness and remote delays."""
    from browser_helpers import PHONE, open_player, wait_until

    session = api.post("/api/sessions", json={"minutes": 10}).json()
    context = browser.new_context(viewport=PHONE)
    player = open_player(context, url, session["id"], speed=10)
    player.click("#play-btn")
    remote_context = browser.new_context(viewport=PHONE)
    remote = remote_context.new_page()
    remote.goto(f"{url}/remote/{session['id']}")
    wait_until(remote, "() => document.getElementById('remote-detail').textContent.length > 12")
    for action in ("lighter", "firmer", "lighter", "firmer"):
        player.wait_for_timeout(seconds * 1000 / 6)
        remote.click(f"button[data-action={action}]")
    player.wait_for_timeout(seconds * 1000 / 6)
    stats = player.evaluate(
        "() => ({...window.__rubdown.audio.stats, "
        "state: window.__rubdown.audio.ctx && window.__rubdown.audio.ctx.state,"
        " arrivals: window.__rubdown.arrivals})"
    )
    pressed = remote.evaluate("() => window.__remote.pressed")
    arrivals = [a["at"] for a in stats["arrivals"] if a.get("by") == "receiver"]
    stats["remote_ms"] = [
        min((a - p for a in arrivals if a >= p), default=float("nan")) for p in pressed
    ]
    context.close()
    remote_context.close()
    return stats


def screenshot(browser: Any, url: str, api: httpx.Client, path: Path) -> None:
    """The player at phone size, a little way into a step, for the docs."""
    from browser_helpers import PHONE, open_player, wait_until

    from rubdown.core.screen import RED_FLAGS

    api.post("/api/people", json={"name": "Sam"})
    api.post("/api/people", json={"name": "Alex", "focus": ["shoulders"]})
    clear = {flag.id: False for flag in RED_FLAGS}
    api.post("/api/people/Alex/screen", json={"answers": clear})
    session = api.post(
        "/api/sessions", json={"minutes": 20, "giver": "Sam", "receiver": "Alex"}
    ).json()
    context = browser.new_context(viewport=PHONE, device_scale_factor=2)
    page = open_player(context, url, session["id"], speed=20)
    page.click("#play-btn")
    wait_until(
        page,
        "() => document.querySelector('[data-testid=current-step]').dataset.kind"
        " === 'step' && window.__rubdown.clock.time() > 70",
        20,
    )
    page.evaluate(
        "() => { const c = window.__rubdown.clock; c.pause(); c.speed = 1; c.start(); "
        "document.activeElement.blur(); }"
    )
    page.wait_for_timeout(700)
    page.screenshot(path=str(path))
    context.close()


def report_latency(name: str, values: list[float], target: float | None = None) -> None:
    """One line: count, p50, p99, max."""
    if not values:
        print(f"{name}: nothing measured")
        return
    verdict = ""
    if target is not None:
        verdict = "  (target met)" if percentile(values, 99) <= target else "  (TARGET MISSED)"
    print(
        f"{name}: n={len(values)} p50={percentile(values, 50):.2f} ms "
        f"p99={percentile(values, 99):.2f} ms max={max(values):.2f} ms{verdict}"
    )


def browser_figures(url: str, api: httpx.Client, args: argparse.Namespace) -> None:
    """Everything measured in chromium."""
    from browser_helpers import launch
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        sid = api.post("/api/sessions", json={"minutes": 30}).json()["id"]
        for worker in (False, True):
            weight = page_weight(browser, url, sid, worker)
            ok = "target met" if weight["page"] <= PAGE_TARGET else "TARGET MISSED"
            label = "with the service worker's pre-cache" if worker else "page alone"
            cues = "" if worker else f"; cue audio, gzipped: {weight['cues'] / 1024:.0f} KB"
            print(
                f"player page, {label}: {weight['page'] / 1024:.1f} KB in "
                f"{weight['requests']} requests ({ok}{cues})"
            )
        stats = play_and_measure(browser, url, api, args.play_seconds)
        print(f"audio context: {stats['state']}; cues missing audio: {stats['missing']}")
        report_latency("cue lateness (Web Audio)", stats["cue"], LATENESS_TARGET_MS)
        report_latency("tick lateness (Web Audio)", stats["tick"], LATENESS_TARGET_MS)
        if stats["ahead"]:
            print(f"  cues reached the audio clock {min(stats['ahead']):.0f} ms ahead at the least")
        report_latency("remote press to player", [v for v in stats["remote_ms"] if v == v])
        if args.screenshot:
            screenshot(browser, url, api, args.screenshot)
            print(f"screenshot: {args.screenshot}")
        browser.close()


def cpu_seconds(pid: int | None = None) -> float:
    """CPU time used so far by a process (this one by default)."""
    if pid is None:
        usage = os.times()
        return usage.user + usage.system
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def api_figures(url: str, server_pid: int, args: argparse.Namespace) -> None:
    """Plan-creation latency under load, with where the CPU went."""
    client0, server0 = cpu_seconds(), cpu_seconds(server_pid)
    latencies, seconds, errors = asyncio.run(plan_load(url, args.requests, args.clients))
    client, server = cpu_seconds() - client0, cpu_seconds(server_pid) - server0
    report_latency(f"POST /api/plan, {args.clients} clients", latencies)
    print(
        f"  {len(latencies) / seconds:.0f} plans/s, {errors} errors; CPU per request: "
        f"server {1000 * server / len(latencies):.1f} ms, "
        f"load generator {1000 * client / len(latencies):.1f} ms ({os.cpu_count()} cores)"
    )
    single, _, _ = asyncio.run(plan_load(url, min(200, args.requests), 1))
    report_latency("POST /api/plan, 1 client", single)


def main() -> None:
    """Run every measurement and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--play-seconds", type=float, default=60.0)
    parser.add_argument("--screenshot", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rubdown-bench-") as tmp:
        process, url = start_server(f"sqlite:///{tmp}/bench.sqlite3", f"{tmp}/cues")
        try:
            api_figures(url, process.pid, args)
            with httpx.Client(base_url=url, timeout=30) as api:
                browser_figures(url, api, args)
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    else:
        os.environ.setdefault("RUBDOWN_CACHE_DIR", tempfile.mkdtemp(prefix="rubdown-cache-"))
        main()
