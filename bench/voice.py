"""Cue audio of a 30-minute plan: bytes, time to the first and to every cue, warm cache, RTF.

Uses the same path as the guide, the web player and `rubdown cues` (rubdown.voice.prepare),
with a cold (empty) cache folder, then again warm. Targets on a 2-core machine:
total cue bytes <= 1.5 MB, first cue <= 2 s, all cues <= 20 s, warm run <= 100 ms.

    .venv/bin/python bench/voice.py [--minutes 30] [--voice auto] [--format mp3] [--less-talk]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

TARGETS = {"bytes": 1_500_000, "first_s": 2.0, "all_s": 20.0, "warm_ms": 100.0}


def main() -> None:
    """Print the figures; exit 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=30)
    parser.add_argument("--voice", default="auto")
    parser.add_argument("--format", dest="fmt", default="mp3")
    parser.add_argument("--less-talk", action="store_true")
    args = parser.parse_args()

    from rubdown.core.catalogue import load_catalogue
    from rubdown.core.models import PlanRequest
    from rubdown.core.planner import plan_session
    from rubdown.voice.prepare import VoiceSettings, open_cache, place, plan_texts, synthesise

    plan = plan_session(load_catalogue(), PlanRequest(minutes=args.minutes))
    settings = VoiceSettings(args.voice, fmt=args.fmt, less=args.less_talk)
    with tempfile.TemporaryDirectory(prefix="rubdown-bench-voice-") as tmp:
        cache, note = open_cache(settings, Path(tmp))
        if note:
            print(note)
        if not cache.engine_available():
            raise SystemExit("no speech engine is installed; nothing to time")
        texts = plan_texts(plan, args.less_talk)
        began = time.perf_counter()
        load = getattr(cache.engine, "model", None)
        if load is not None:
            load()  # timed apart: the server loads the voice at start, before any plan
        load_s = time.perf_counter() - began
        prep = synthesise(cache, texts)  # cold: the first few now, the rest in the background
        prep.done.wait()
        placed = place(plan, cache, args.less_talk)
        files = {cache.path_for(t) for t in texts}
        size = sum(p.stat().st_size for p in files)
        speech = sum(cache.seconds_for(t) or 0.0 for t in texts)
        warm_cache, _ = open_cache(settings, Path(tmp))
        began = time.perf_counter()
        synthesise(warm_cache, texts)
        place(plan, warm_cache, args.less_talk)
        warm_ms = (time.perf_counter() - began) * 1000
    report(args, cache, placed, size, speech, prep, warm_ms, load_s)


def report(args, cache, placed, size, speech, prep, warm_ms, load_s) -> None:
    """Print the figures and the verdict."""
    from rubdown.voice.cache import sentences
    from rubdown.voice.prepare import WORKERS

    first, every = load_s + (prep.first_ready_s or 0.0), load_s + (prep.all_ready_s or 0.0)
    print(
        f"plan: {args.minutes} min, {len(placed)} cues ({len(prep.texts)} distinct), "
        f"voice {cache.engine.name} {cache.engine.voice}, {cache.format.name}, "
        f"{'less talking' if args.less_talk else 'full talking'}"
    )
    print(f"total cue bytes:        {size:,} B ({size / 1e6:.2f} MB) for {speech:.1f} s of speech")
    print(f"cold: voice model load  {load_s:.2f} s (the server does it at start)")
    print(
        f"cold: first cue ready   {first:.2f} s (model load included; "
        f"{prep.first_cpu_s or 0.0:.2f} CPU-s of synthesis after the load)"
    )
    print(f"cold: all cues ready    {every:.2f} s")
    print(f"warm cache run:         {warm_ms:.1f} ms")
    print(
        f"real-time factor:       {cache.synth_seconds / speech:.3f} per cue (its own time to "
        f"make / its length), {every / speech:.3f} wall-clock over the plan (both cores)"
    )
    # What bounds "all cues": each distinct sentence is spoken once, one per core. The CPU
    # figure is the work itself; wall time also counts whatever else the machine runs.
    unique = cache.spoken_seconds
    per_core = cache.sentence_seconds / max(unique, 1e-9)
    per_cpu = cache.sentence_cpu_seconds / max(unique, 1e-9)
    count = len({s for t in prep.texts for s in sentences(t)})
    print(
        f"distinct speech:        {unique:.1f} s in {count} sentences; RTF a core {per_core:.3f} "
        f"wall, {per_cpu:.3f} CPU"
    )
    print(
        f"bound on {WORKERS} workers:     {unique * per_core / WORKERS:.1f} s at this load, "
        f"{unique * per_cpu / WORKERS:.1f} s on idle cores (distinct speech x RTF / cores)"
    )
    # Figures on a shared machine depend on what else runs: say how busy it was.
    print(f"load average (1 min):   {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    met = {
        "bytes": size <= TARGETS["bytes"],
        "first_s": first <= TARGETS["first_s"],
        "all_s": every <= TARGETS["all_s"],
        "warm_ms": warm_ms <= TARGETS["warm_ms"],
    }
    missed = [k for k, ok in met.items() if not ok]
    print("targets (<= 1.5 MB, first <= 2 s, all <= 20 s, warm <= 100 ms):", end=" ")
    print("met" if not missed else f"MISSED {', '.join(missed)}")
    raise SystemExit(0 if not missed else 1)


if __name__ == "__main__":
    main()
