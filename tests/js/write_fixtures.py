"""Write what Python computes for the player's JavaScript to agree with (tests/js/*.test.mjs).

Usage: python tests/js/write_fixtures.py FOLDER
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

from rubdown.core.adjust import change_pressure
from rubdown.core.catalogue import load_catalogue
from rubdown.core.cuefit import plan_cues
from rubdown.core.models import Plan, PlanRequest, Profile
from rubdown.core.planjson import plan_to_json
from rubdown.core.planner import plan_session
from rubdown.core.timeline import build_ticks, segment_at
from rubdown.voice.cache import CueAudioCache
from rubdown.voice.engines import SilentEngine
from rubdown.voice.mix import BALANCE_STEPS, MixSettings, web_mix
from rubdown.voice.prepare import durations
from rubdown.web.cues import TALKS, CueLibrary

REQUESTS = [
    PlanRequest(minutes=10, position="seated", vary=1),
    PlanRequest(minutes=20, position="lying", vary=2, profile=Profile(pressure="firm")),
    PlanRequest(minutes=30, vary=3, profile=Profile(pressure="light", focus=("shoulders",))),
    PlanRequest(minutes=15, position="seated", vary=4, profile=Profile(pressure="firm")),
]


def presses(plan: Plan) -> list[dict[str, Any]]:
    """Up to three lighter or firmer presses at each step, with the pressures Python gives."""
    cases = []
    for index, seg in enumerate(plan.segments):
        if seg.kind != "step":
            continue
        for delta in (-1, 1):
            current, after = plan, []
            for _ in range(3):
                current, _note = change_pressure(current, index, delta)
                after.append(pressures(current))
            cases.append({"index": index, "delta": delta, "after": after})
    return cases


def sequences(plan: Plan, seed: int, count: int = 8, length: int = 16) -> list[dict[str, Any]]:
    """Random runs of lighter and firmer presses at random steps, each pressure after each."""
    rng = random.Random(seed)
    steps = [i for i, seg in enumerate(plan.segments) if seg.kind == "step"]
    runs = []
    for _ in range(count):
        current, run = plan, []
        for _ in range(length):
            index, delta = rng.choice(steps), rng.choice((-1, 1))
            current, _note = change_pressure(current, index, delta)
            run.append({"index": index, "delta": delta, "after": pressures(current)})
        runs.append(run)
    return runs


def pressures(plan: Plan) -> list[int | None]:
    """Every segment's pressure."""
    return [s.pressure for s in plan.segments]


def moments(plan: Plan) -> list[dict[str, Any]]:
    """Clock times at, just before, inside and after each boundary, with Python's segment."""
    times = {0.0, plan.total_seconds, plan.total_seconds + 5.0}
    for seg in plan.segments:
        times.update({seg.start_s, seg.end_s - 1e-6, seg.start_s + seg.duration_s / 2})
    return [{"t": t, "index": segment_at(plan, t)} for t in sorted(times)]


def talks(plan: Plan, cache: CueAudioCache) -> dict[str, list[dict[str, Any]]]:
    """What the guide's voice says when, in each talk (every sentence, less talking)."""
    seconds = durations(cache)
    return {
        talk: [
            {"at_s": c.at_s, "text": c.text}
            for c in plan_cues(plan, less=talk == "less", seconds=seconds)
        ]
        for talk in TALKS
    }


def fixture(plan: Plan, seed: int, cues: CueLibrary) -> dict[str, Any]:
    """One plan as the player receives it, and what Python says about it."""
    return {
        "plan": plan_to_json(plan, offline=True),
        "cues": cues.cue_list(plan),
        "talks": talks(plan, cues.cache),
        "presses": presses(plan),
        "sequences": sequences(plan, seed),
        "moments": moments(plan),
        "ticks": [{"at_s": t.at_s, "kind": t.kind} for t in build_ticks(plan)],
    }


def mix_cases(seed: int = 12, count: int = 60) -> dict[str, Any]:
    """The mix the server sends, and Python's gains for random volumes and slider positions."""
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        volume = rng.choice([0.0, 1.0, round(rng.random(), 3)])
        balance = rng.randint(0, BALANCE_STEPS) / BALANCE_STEPS
        mix = MixSettings(volume=volume, balance=balance)
        cases.append(
            {
                "volume": volume,
                "balance": balance,
                "voice": mix.gain("voice"),
                "tick": mix.gain("tick"),
                "background": mix.volume * mix.background_level,
            }
        )
    return {"mix": web_mix(), "cases": cases, "defaults": {"voice": MixSettings().voice_gain}}


def main(folder: str) -> None:
    """Write timeline.json and mix.json into folder."""
    cat = load_catalogue()
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    # No audio is made: cue lengths are the estimates both the guide and the server use then.
    cues = CueLibrary(CueAudioCache(out / "no-audio", SilentEngine()))
    plans = [fixture(plan_session(cat, r), seed, cues) for seed, r in enumerate(REQUESTS)]
    (out / "timeline.json").write_text(json.dumps(plans))
    (out / "mix.json").write_text(json.dumps(mix_cases()))


if __name__ == "__main__":
    main(sys.argv[1])
