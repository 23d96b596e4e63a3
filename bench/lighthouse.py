"""Lighthouse performance and accessibility scores of home, plan and player (mobile, throttled).

Lighthouse comes from npm into .cache/lighthouse (scripts/setup.sh) and runs Debian's chromium
through CHROME_PATH; the app is served on loopback with a fresh database. Target: every score
>= 0.95; the exit code is 1 when one is missed.

    .venv/bin/python bench/lighthouse.py [--out DIR]   # DIR keeps each page's JSON report
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "web"))
LIGHTHOUSE = ROOT / ".cache/lighthouse/node_modules/lighthouse/cli/index.js"
CHROMIUM = "/usr/bin/chromium"
FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
TARGET = 0.95
CATEGORIES = ("performance", "accessibility")


def audit(url: str, report: Path) -> dict[str, float]:
    """One Lighthouse run (mobile defaults) and its category scores."""
    command = [
        "node", str(LIGHTHOUSE), url, f"--only-categories={','.join(CATEGORIES)}",
        "--output=json", f"--output-path={report}", "--quiet", f"--chrome-flags={FLAGS}",
    ]  # fmt: skip
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    subprocess.run(command, check=True, env=env, timeout=300)
    data = json.loads(report.read_text())
    return {name: data["categories"][name]["score"] for name in CATEGORIES}


def failing_audits(report: Path) -> list[str]:
    """The audits that lost points, to say what to fix."""
    data = json.loads(report.read_text())
    out = []
    for name in CATEGORIES:
        for ref in data["categories"][name]["auditRefs"]:
            found = data["audits"][ref["id"]]
            if ref["weight"] and found.get("score") is not None and found["score"] < 0.9:
                out.append(f"{name}: {ref['id']} ({found.get('displayValue', found['score'])})")
    return out


def pages(api: Any) -> dict[str, str]:
    """The pages measured: home, a planned session, and its player."""
    from web_helpers import all_no

    for name in ("Sam", "Alex"):
        api.post("/api/people", json={"name": name})
        api.post(f"/api/people/{name}/screen", json={"answers": all_no()})
    session = api.post("/api/sessions", json={"minutes": 20, "giver": "Sam", "receiver": "Alex"})
    return {
        "home": "/",
        "plan": "/plan?minutes=20&giver=Sam&receiver=Alex",
        "player": f"/play/{session.json()['id']}",
    }


def main() -> int:
    """Serve the app, audit each page, print the scores."""
    import httpx
    from web_helpers import QuickEngine

    from rubdown.web import create_app
    from rubdown.web.background import serve_in_thread

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        print(f"Lighthouse is not installed at {LIGHTHOUSE} (run scripts/setup.sh)")
        return 2
    folder = Path(tempfile.mkdtemp(prefix="rubdown-lighthouse-"))
    out = args.out or folder
    out.mkdir(parents=True, exist_ok=True)
    app = create_app(f"sqlite:///{folder / 'lh.sqlite3'}", voice_engine=QuickEngine(),
                     cue_dir=folder / "cues")  # fmt: skip
    running = serve_in_thread(app)
    missed = False
    try:
        with httpx.Client(base_url=running.url) as api:
            for name, path in pages(api).items():
                report = out / f"lighthouse-{name}.json"
                scores = audit(running.url + path, report)
                low = [c for c, s in scores.items() if s < TARGET]
                missed |= bool(low)
                shown = "  ".join(f"{c} {s:.2f}" for c, s in scores.items())
                print(f"{name:7} {shown}{'  (TARGET MISSED)' if low else '  (target met)'}")
                for line in failing_audits(report) if low else ():
                    print(f"          {line}")
    finally:
        running.stop()
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
