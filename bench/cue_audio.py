"""Time synthesising 20 typical cues cold, then fetching them again from the cache.

Run from the repository root: `.venv/bin/python -m bench.cue_audio [--workers N]`.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rubdown.voice import CueAudioCache, find_engine

CUES = [
    "Settle in and take three slow breaths together.",
    "Warm the whole back with long gliding strokes.",
    "Keep your hands relaxed and let your body weight do the work.",
    "Move up to the shoulders.",
    "Knead the top of the left shoulder, slowly.",
    "Now the right shoulder.",
    "Ask how the pressure feels.",
    "Thumbs either side of the spine, never on it.",
    "Slow down a little and follow the breath.",
    "Circle the shoulder blades with your palms.",
    "Glide down to the lower back.",
    "Lean in gently, then ease off.",
    "Press with the heel of the hand, not the fingertips.",
    "Two more strokes.",
    "Switch sides when you are ready.",
    "Work the base of the skull with small circles.",
    "Stroke down the arms to the hands.",
    "Squeeze each hand softly, then let go.",
    "Finish with three long strokes from neck to hips.",
    "Rest your hands still for a moment, then lift them away.",
]


def timed(action: Callable[[], object]) -> float:
    """Return how long calling `action` took, in seconds."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    """Print cold and warm timings for the cue cache with the default engine."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="synthesis threads")
    args = parser.parse_args()
    engine = find_engine("espeak")
    if not engine.available():
        raise SystemExit("espeak-ng is not installed; nothing to time")
    with tempfile.TemporaryDirectory(prefix="rubdown-bench-") as tmp:
        cache = CueAudioCache(Path(tmp), engine)
        cold = timed(lambda: cache.prefetch(CUES, workers=args.workers))
        warm = timed(lambda: [cache.ensure(text) for text in CUES])
        total_bytes = sum(p.stat().st_size for p in Path(tmp).glob("*.wav"))
    print(f"engine: {engine.name} ({engine.voice}), {len(CUES)} cues, workers={args.workers}")
    print(f"cold synthesis: {cold:.3f} s total, {cold / len(CUES) * 1000:.1f} ms per cue")
    print(f"cache hits:     {warm * 1000:.3f} ms total, {warm / len(CUES) * 1e6:.1f} µs per cue")
    print(f"audio on disk:  {total_bytes / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
