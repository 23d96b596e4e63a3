"""Cue timing of the guide: lateness of every cue (p50, p99, max) and end-of-session drift.

Runs the guide's own runner (GuideRunner) on a 2-minute plan at speed 1, voice off, ticks
scheduled, journalling every event into a real SQLite database, with no terminal.
Targets: p99 lateness <= 5 ms and end-of-session drift <= 5 ms.

    .venv/bin/python bench/cues.py [--seconds 120] [--speed 1]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from rubdown.core.models import Plan, PlanRequest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import percentile  # bench/ is not a package: found through sys.path above

TARGET_MS = 5.0


def trimmed(plan: Plan, seconds: float) -> Plan:
    """The plan's first `seconds` (the planner's shortest session is 5 minutes)."""
    kept = []
    for seg in plan.segments:
        if seg.start_s >= seconds:
            break
        if seg.end_s > seconds:
            reps = (
                int((seconds - seg.start_s) // seg.seconds_per_rep) if seg.seconds_per_rep else None
            )
            seg = replace(seg, duration_s=seconds - seg.start_s, reps=reps or seg.reps)
        kept.append(seg)
    return replace(plan, segments=tuple(kept), minutes=max(1, round(seconds / 60)))


def run(seconds: float, speed: float) -> tuple[list[tuple[str, float]], float]:
    """Run the guide loop; returns (kind, lateness s) per event and the wall-clock overrun."""
    from rubdown.cli.guide_runner import GuideRunner
    from rubdown.cli.guide_view import PlainDisplay
    from rubdown.core.catalogue import load_catalogue
    from rubdown.core.planner import plan_session
    from rubdown.session.engine import RunningSession
    from rubdown.store.db import open_store

    cat = load_catalogue()
    plan = trimmed(plan_session(cat, PlanRequest(minutes=5, position="seated", vary=1)), seconds)
    with tempfile.TemporaryDirectory() as tmp, open_store(f"sqlite:///{Path(tmp) / 'b.db'}") as db:
        session = RunningSession.start(db, cat, plan)
        runner = GuideRunner(session, PlainDisplay(lambda _: None), speed=speed, ticks=True)
        began = time.monotonic()
        runner.run()
        ended = time.monotonic()
    return runner.lateness, (ended - began) - plan.total_seconds / speed


def report(label: str, values_s: list[float]) -> str:
    """One line of figures in milliseconds."""
    ms = [v * 1000 for v in values_s]
    return (
        f"{label:<22} n={len(ms):<4} p50={statistics.median(ms):6.3f} ms  "
        f"p99={percentile(ms, 99):6.3f} ms  max={max(ms):6.3f} ms"
    )


def main() -> None:
    """Run and print the figures; exit 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--speed", type=float, default=1.0)
    args = parser.parse_args()
    print(
        f"guide loop: {args.seconds:g} s plan at speed {args.speed:g}, voice off, "
        f"ticks on, journal on SQLite (pid {os.getpid()})"
    )
    lateness, overrun = run(args.seconds, args.speed)
    cues = [late for kind, late in lateness if kind == "cue"]
    drift = next(late for kind, late in reversed(lateness) if kind == "end")
    print(report("spoken cues", cues))
    print(report("all events (+ticks)", [late for _, late in lateness]))
    print(
        f"{'end-of-session drift':<22} {drift * 1000:.3f} ms  "
        f"(whole run incl. final commit: {overrun * 1000:+.3f} ms)"
    )
    ok = percentile([c * 1000 for c in cues], 99) <= TARGET_MS and drift * 1000 <= TARGET_MS
    print("targets (p99 <= 5 ms, drift <= 5 ms):", "met" if ok else "MISSED")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
