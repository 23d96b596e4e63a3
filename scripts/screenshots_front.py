"""Screenshots of the front-view body map for the docs: plan page, player and sheet.

    .venv/bin/python scripts/screenshots_front.py [--out docs]

Starts the app on a loopback port with a throwaway database, opens Debian's chromium, and writes
plan-front.png (the plan page with both maps, the face and shins tapped), player-front.png (a
face-up session a little way in) and sheet-front.png (the printed sheet of a face-up routine).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "web"))


def shoot(out: Path) -> list[Path]:
    """Write the three screenshots into `out` and return their paths."""
    import httpx
    from browser_helpers import PHONE, launch, open_player, wait_until
    from playwright.sync_api import sync_playwright

    from rubdown.core.catalogue import load_catalogue
    from rubdown.core.models import PlanRequest
    from rubdown.core.planner import plan_session
    from rubdown.core.screen import RED_FLAGS
    from rubdown.paper.sheet import sheet_html
    from rubdown.web import create_app
    from rubdown.web.background import serve_in_thread

    cat = load_catalogue()
    folder = Path(tempfile.mkdtemp(prefix="rubdown-shots-"))
    app = create_app(f"sqlite:///{folder / 'shots.sqlite3'}", cat, cue_dir=folder / "cues")
    running = serve_in_thread(app)
    paths = [out / "plan-front.png", out / "player-front.png", out / "sheet-front.png"]
    try:
        with httpx.Client(base_url=running.url) as api, sync_playwright() as playwright:
            for name in ("Sam", "Alex"):
                api.post("/api/people", json={"name": name})
                clear = {flag.id: False for flag in RED_FLAGS}
                api.post(f"/api/people/{name}/screen", json={"answers": clear})
            browser = launch(playwright)
            wide = browser.new_context(viewport={"width": 900, "height": 1000})
            page = wide.new_page()
            page.goto(f"{running.url}/plan?minutes=20&position=face-up&focus=face&avoid=shins")
            page.locator("#plan-map").scroll_into_view_if_needed()
            page.locator(".map-pick").screenshot(path=str(paths[0]))
            wide.close()
            body = {"routine": "tension-headache", "giver": "Sam", "receiver": "Alex"}
            session = api.post("/api/sessions", json=body).json()
            phone = browser.new_context(viewport=PHONE, device_scale_factor=2)
            player = open_player(phone, running.url, session["id"], speed=20)
            player.click("#play-btn")
            wait_until(
                player,
                "() => document.querySelector('[data-testid=current-step]').dataset.kind"
                " === 'step' && window.__rubdown.clock.time() > 130",
                30,
            )
            player.evaluate(
                "() => { window.__rubdown.clock.pause(); document.activeElement.blur(); }"
            )
            player.screenshot(path=str(paths[1]))
            phone.close()
            sheet = folder / "sheet.html"
            sheet.write_text(
                sheet_html(plan_session(cat, PlanRequest(routine="sleep-wind-down")), cat)
            )
            paper = browser.new_context(viewport={"width": 820, "height": 1100})
            leaf = paper.new_page()
            leaf.goto(sheet.as_uri())
            leaf.screenshot(path=str(paths[2]))
            paper.close()
            browser.close()
    finally:
        running.stop()
    return paths


def main() -> None:
    """Parse the arguments and take the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    for path in shoot(args.out):
        print(path)


if __name__ == "__main__":
    main()
