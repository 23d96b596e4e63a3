"""One path from a plan to its cue audio, shared by the guide, the web player and `rubdown cues`.

Cues are synthesised in the order they play: the first few before the session may begin, the
rest in the background on every core. Placement uses the measured durations (an estimate for
cues not made yet), so no cue talks over the next.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rubdown.voice.cache import CueAudioCache, Progress
from rubdown.voice.encode import audio_format, can_encode
from rubdown.voice.engines import DEFAULT_RATE_WPM, choose_engine
from rubdown.voice.spoken import speakable

if TYPE_CHECKING:
    from rubdown.core.cuefit import PlacedCue
    from rubdown.core.models import Plan

# Made before "Begin": enough speech to cover the first minute or so while the rest is made.
FIRST_CUES = 3
WORKERS = max(1, min(2, os.cpu_count() or 1))
# Without a measurement, a sentence is taken to run at 13 spoken characters a second at 150
# words a minute, plus a lead-in and tail: slower than either voice really speaks (Piper says
# 17-19, espeak-ng about 14), so an estimate never lets cues collide.
ESTIMATE_CHARS_PER_S = 13.0
ESTIMATE_PAD_S = 0.5


@dataclass(frozen=True)
class VoiceSettings:
    """Which voice speaks, how fast, in which file format, and how much it says."""

    voice: str = "auto"
    rate_wpm: int = DEFAULT_RATE_WPM
    fmt: str = "mp3"
    less: bool = False


def open_cache(
    settings: VoiceSettings, root: Path | None = None
) -> tuple[CueAudioCache, str | None]:
    """The cue cache for these settings and, when a fallback was needed, a sentence saying so."""
    engine, note = choose_engine(settings.voice)
    fmt = audio_format(settings.fmt)
    if not can_encode(fmt):
        wav_note = f"No {fmt.tool} encoder here (scripts/setup.sh installs it): cues stay WAV."
        note = f"{note} {wav_note}" if note else wav_note
        fmt = audio_format("wav")
    return CueAudioCache(root, engine, rate_wpm=settings.rate_wpm, fmt=fmt.name), note


def warm_voice(spec: str) -> threading.Thread | None:
    """Load the voice in the background (Piper's takes a second), so no cue waits for it."""
    try:
        engine, _note = choose_engine(spec)
    except ValueError:
        return None  # an unknown voice is reported where the voice is opened
    load = getattr(engine, "model", None)
    if load is None or not engine.available():
        return None

    def run() -> None:
        # A voice that cannot load says so when a cue is made; here there is no one to tell.
        with contextlib.suppress(Exception):
            load()

    # Not a daemon: onnxruntime still loading when the interpreter exits aborts the process
    # ("terminate called"), so an exit (a finished session, a bad option) waits the second.
    thread = threading.Thread(target=run, name="voice-load", daemon=False)
    thread.start()
    return thread


def estimate_seconds(text: str, rate_wpm: int = DEFAULT_RATE_WPM) -> float:
    """A generous guess of how long a sentence takes to say."""
    spoken = len(speakable(text)) / ESTIMATE_CHARS_PER_S
    return (spoken + ESTIMATE_PAD_S) * DEFAULT_RATE_WPM / rate_wpm


def durations(cache: CueAudioCache) -> Callable[[str], float]:
    """Measured length of each cue, or a generous estimate for one not made yet."""

    def seconds(text: str) -> float:
        known = cache.seconds_for(text)
        return known if known is not None else estimate_seconds(text, cache.rate_wpm)

    return seconds


@dataclass
class Preparation:
    """Cue synthesis under way: how many are ready, and when the first and the last were."""

    texts: list[str]
    ready: int = 0
    started: float = field(default_factory=time.perf_counter)
    first_ready_s: float | None = None
    # CPU seconds of this process (every thread) by the first cue: the work, whatever the load.
    cpu_started: float = field(default_factory=time.process_time)
    first_cpu_s: float | None = None
    all_ready_s: float | None = None
    error: str | None = None
    done: threading.Event = field(default_factory=threading.Event)

    def progress(self, ready: int, total: int) -> None:
        """Record that `ready` of `total` cues exist."""
        self.ready = ready
        elapsed = time.perf_counter() - self.started
        if self.first_ready_s is None:
            self.first_ready_s = elapsed
            self.first_cpu_s = time.process_time() - self.cpu_started
        if ready >= total:
            self.all_ready_s = elapsed

    def as_json(self) -> dict[str, object]:
        """What the player's page shows while the voice is being prepared."""
        return {"ready": self.ready, "total": len(self.texts), "done": self.done.is_set()}


@dataclass
class ProgressNote:
    """Tells the terminal how far the voice has got: at each quarter, then once when all exist."""

    say: Callable[[str], None]
    parts: int = 4
    reached: int = 0
    said: int | None = None  # the count last said: never the same line twice in a row

    def __call__(self, ready: int, total: int) -> None:
        """Say a line when `ready` of `total` crosses the next quarter."""
        if total > 0 and self._part(ready, total) > self.reached:
            self.now(ready, total)

    def now(self, ready: int, total: int) -> None:
        """Say how far it has got, whatever the quarter (unless that is what it said last)."""
        self.reached = max(self.reached, self._part(ready, total))
        if ready == self.said:
            return
        self.said = ready
        if ready >= total:
            self.say(f"Voice: all {total} cues ready.")
        else:
            self.say(f"Voice: {ready} of {total} cues ready; the rest are made as you go.")

    def _part(self, ready: int, total: int) -> int:
        """How many whole parts (quarters) of the cues exist."""
        return min(self.parts, ready * self.parts // max(1, total))


def _prefetcher(
    cache: CueAudioCache,
    prep: Preparation,
    workers: int,
    report: Progress,
    head: threading.Event,
    failure: list[BaseException],
) -> Callable[[], None]:
    """The job that makes the cues: records a failure, and always lets waiters go."""

    def run() -> None:
        try:
            cache.prefetch(prep.texts, workers, report)
        except (OSError, RuntimeError, ValueError) as exc:  # synthesis or encoding failed
            prep.error = str(exc)
            failure.append(exc)
        finally:
            prep.done.set()
            head.set()

    return run


def synthesise(
    cache: CueAudioCache,
    texts: list[str],
    *,
    first: int = FIRST_CUES,
    workers: int = WORKERS,
    on_ready: Progress | None = None,
    background: bool = True,
    prep: Preparation | None = None,
) -> Preparation:
    """Make every cue in play order; return once the first few exist (or all, if not background).

    One queue runs the whole plan, so the cores never idle between the first cues and the rest.
    """
    prep = prep or Preparation(list(dict.fromkeys(texts)))
    total = len(prep.texts)
    head = threading.Event()
    failure: list[BaseException] = []

    def report(ready: int, _total: int) -> None:
        prep.progress(ready, total)
        if on_ready is not None:
            on_ready(ready, total)
        if ready >= min(first, total):
            head.set()

    run = _prefetcher(cache, prep, workers, report, head, failure)
    # What is already on disk costs nothing: a thread is only needed for work.
    if background and any(not cache.path_for(t).is_file() for t in prep.texts):
        threading.Thread(target=run, name="cue-prepare", daemon=True).start()
    else:
        run()
    head.wait()
    if failure and prep.ready < min(first, total):
        raise failure[0]  # the session cannot begin without its first cues
    return prep


def plan_texts(plan: Plan, less: bool = False) -> list[str]:
    """Every sentence of the plan, in the order it is first spoken."""
    from rubdown.core.cuefit import spoken

    return spoken(plan, less=less)


def place(plan: Plan, cache: CueAudioCache, less: bool = False) -> list[PlacedCue]:
    """The plan's cues placed with what is known of their durations."""
    from rubdown.core.cuefit import placed_cues

    return placed_cues(plan, durations(cache), less=less)


@dataclass(frozen=True)
class CueReport:
    """What `rubdown cues` made: the cues, their files, and the figures it prints."""

    cues: int
    bytes: int
    speech_s: float
    synth_s: float
    made: int


def write_cues(
    plan: Plan,
    cache: CueAudioCache,
    out: Path,
    less: bool = False,
    on_ready: Progress | None = None,
) -> CueReport:
    """Write every cue of the plan and manifest.json into `out`, synthesising what is missing."""
    began = time.perf_counter()
    synthesise(cache, plan_texts(plan, less), on_ready=on_ready, background=False)
    synth_s = time.perf_counter() - began
    placed = place(plan, cache, less)
    out.mkdir(parents=True, exist_ok=True)
    manifest, sizes = [], {}
    for cue in placed:
        source = cache.path_for(cue.text)
        if source.name not in sizes:
            shutil.copyfile(source, out / source.name)
            sizes[source.name] = source.stat().st_size
        manifest.append(
            {
                "at_s": cue.at_s,
                "slot_s": cue.slot_s,
                "text": cue.text,
                "file": source.name,
                "seconds": round(cue.seconds, 3),
            }
        )
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    speech = sum(cache.seconds_for(t) or 0.0 for t in dict.fromkeys(c.text for c in placed))
    return CueReport(len(placed), sum(sizes.values()), speech, synth_s, cache.made)
