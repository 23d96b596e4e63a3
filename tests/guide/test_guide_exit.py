"""The guide's process ends cleanly however soon the session ends after the voice starts."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import wave
from pathlib import Path

import pytest

from rubdown.voice.cache import CacheClosed, CueAudioCache
from rubdown.voice.engines import PiperEngine

needs_piper = pytest.mark.skipif(
    not PiperEngine().available(), reason="piper-tts or its voice is not installed"
)


@needs_piper
def test_a_session_over_while_the_voice_still_loads_exits_with_zero(tmp_path: Path) -> None:
    # At --speed 1000 a 5-minute session ends before Piper has loaded; an onnxruntime still
    # loading at exit used to abort the process ("terminate called", exit 134).
    env = {
        **os.environ,
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    command = ["guide", "--minutes", "5", "--speed", "1000"]
    run = subprocess.run(
        [sys.executable, "-c", "from rubdown.cli.main import main; main()", *command],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr[-800:]
    assert "terminate called" not in run.stderr
    assert "finished: 5 of 5 minutes" in run.stdout


class _SlowEngine:
    """Writes a tenth of a second of silence, but only once told to: a synthesis under way."""

    name, voice = "slow", "test"

    def __init__(self) -> None:
        self.started, self.go_on = threading.Event(), threading.Event()

    def available(self) -> bool:
        return True

    def synthesize(self, text: str, out: Path, *, rate_wpm: int = 150) -> None:
        self.started.set()
        self.go_on.wait(10)
        with wave.open(str(out), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(16000)
            wav.writeframes(b"\0\0" * 1600)


def test_a_closed_cache_waits_for_the_cue_under_way_and_makes_no_more(tmp_path: Path) -> None:
    engine = _SlowEngine()
    cache = CueAudioCache(tmp_path, engine)
    made: list[Path] = []
    worker = threading.Thread(target=lambda: made.append(cache.sentence("Slow strokes.")))
    worker.start()
    assert engine.started.wait(10)
    closing = threading.Thread(target=cache.close)
    closing.start()
    closing.join(0.2)
    assert closing.is_alive()  # it waits for the sentence under way
    engine.go_on.set()
    closing.join(10)
    worker.join(10)
    assert not closing.is_alive() and made and made[0].is_file()
    with pytest.raises(CacheClosed):
        cache.sentence("Another one.")
