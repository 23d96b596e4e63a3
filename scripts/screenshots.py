"""Screenshots of the floor-mode player and the remote for docs/, in Debian's chromium.

Usage: .venv/bin/python scripts/screenshots.py [--out docs]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests/web"))

PORTRAIT = {"width": 390, "height": 844}
LANDSCAPE = {"width": 844, "height": 390}


def first(plan: dict[str, Any], kind: str) -> dict[str, Any]:
    """The plan's first segment of a kind."""
    return next(seg for seg in plan["segments"] if seg["kind"] == kind)


def player_at(browser: Any, url: str, session: dict[str, Any], viewport: dict[str, int]) -> Any:
    """A player a few seconds into its first step, playing."""
    from browser_helpers import open_player, wait_until

    context = browser.new_context(viewport=viewport, device_scale_factor=2)
    page = open_player(context, url, session["id"], speed=1)
    page.click("#play-btn")
    wait_until(page, "() => document.getElementById('play-btn').innerText === 'Pause'")
    step = first(session["plan"], "step")
    page.evaluate(f"window.__rubdown.clock.seek({step['start_s'] + 4.3})")
    time.sleep(0.6)
    return page


def get_ready(browser: Any, url: str, session: dict[str, Any], out: Path) -> list[Path]:
    """The get-ready sequence before Begin, portrait and landscape, on its second step."""
    from browser_helpers import open_player

    shots = []
    for name, viewport in (
        ("player-get-ready.png", PORTRAIT),
        ("player-get-ready-landscape.png", LANDSCAPE),
    ):
        context = browser.new_context(viewport=viewport, device_scale_factor=2)
        page = open_player(context, url, session["id"], speed=1)
        page.click("#ready-btn")
        page.click("#ready-next")
        page.screenshot(path=str(out / name))
        shots.append(out / name)
        context.close()
    return shots


def shoot(browser: Any, url: str, api: Any, out: Path) -> list[Path]:
    """Get ready, portrait, landscape, paused, check-in and the remote."""
    from browser_helpers import wait_until
    from web_helpers import all_no

    api.post("/api/people", json={"name": "Sam"})
    api.post("/api/people", json={"name": "Alex", "focus": ["shoulders"]})
    for name in ("Sam", "Alex"):
        api.post(f"/api/people/{name}/screen", json={"answers": all_no()})
    body = {"minutes": 20, "giver": "Sam", "receiver": "Alex"}
    session = api.post("/api/sessions", json=body).json()
    shots = get_ready(browser, url, session, out)
    for name, viewport in (("player.png", PORTRAIT), ("player-landscape.png", LANDSCAPE)):
        page = player_at(browser, url, session, viewport)
        page.screenshot(path=str(out / name))
        shots.append(out / name)
        if name == "player.png":
            page.keyboard.press("Space")
            wait_until(page, "() => document.querySelector('main.player').dataset.screen")
            page.screenshot(path=str(out / "player-paused.png"))
            shots.append(out / "player-paused.png")
        page.context.close()
    session = api.post("/api/sessions", json=body).json()
    page = player_at(browser, url, session, PORTRAIT)
    check = first(session["plan"], "check-in")
    page.evaluate(f"window.__rubdown.clock.seek({check['start_s'] + check['duration_s'] - 0.2})")
    wait_until(page, "() => window.__rubdown.checkin.waiting !== null", 5)
    time.sleep(1.2)
    page.screenshot(path=str(out / "player-check-in.png"))
    shots.append(out / "player-check-in.png")
    remote = page.context.browser.new_context(viewport=PORTRAIT, device_scale_factor=2).new_page()
    remote.goto(f"{url}/remote/{session['id']}")
    wait_until(remote, "() => document.querySelector('main.remote').dataset.mode === 'answer'")
    remote.screenshot(path=str(out / "remote-check-in.png"))
    shots.append(out / "remote-check-in.png")
    remote.click("#answer-pads [data-answer=good]")
    wait_until(remote, "() => document.querySelector('main.remote').dataset.mode === 'steer'")
    wait_until(
        page, "() => document.querySelector('[data-testid=current-step]').dataset.kind === 'step'"
    )
    time.sleep(0.8)
    remote.screenshot(path=str(out / "remote.png"))
    shots.append(out / "remote.png")
    return shots


def main() -> None:
    """Serve the app on loopback, take the shots, print where they went."""
    import httpx
    from browser_helpers import launch
    from playwright.sync_api import sync_playwright
    from web_helpers import QuickEngine

    from rubdown.web import create_app
    from rubdown.web.background import serve_in_thread

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="rubdown-shots-"))
    app = create_app(
        f"sqlite:///{folder / 'shots.sqlite3'}", voice_engine=QuickEngine(), cue_dir=folder / "cues"
    )
    running = serve_in_thread(app)
    try:
        with httpx.Client(base_url=running.url) as api, sync_playwright() as playwright:
            browser = launch(playwright)
            for path in shoot(browser, running.url, api, args.out):
                print(f"screenshot: {path}")
            browser.close()
    finally:
        running.stop()


if __name__ == "__main__":
    main()
