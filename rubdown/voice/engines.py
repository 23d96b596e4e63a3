"""Offline text-to-speech engines that render a cue sentence to a WAV file."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, runtime_checkable

DEFAULT_RATE_WPM = 150
# espeak-ng clamps outside roughly this range; refusing early gives a clear error instead.
MIN_RATE_WPM = 80
MAX_RATE_WPM = 450
SYNTH_TIMEOUT_S = 60.0


class SynthesisError(RuntimeError):
    """Raised when an engine fails to produce audio for a text."""


@runtime_checkable
class SpeechEngine(Protocol):
    """Something that can speak a text into a WAV file."""

    name: str
    voice: str

    def available(self) -> bool:
        """Return whether this engine can synthesise on this machine."""
        ...

    def synthesize(self, text: str, out: Path, *, rate_wpm: int = DEFAULT_RATE_WPM) -> None:
        """Write `text` spoken at `rate_wpm` to the WAV file `out`."""
        ...


def _check_request(text: str, rate_wpm: int) -> None:
    """Reject texts and rates that no engine should be asked to speak."""
    if not text.strip():
        raise ValueError("cannot synthesise an empty text")
    if not MIN_RATE_WPM <= rate_wpm <= MAX_RATE_WPM:
        raise ValueError(f"rate_wpm must be in {MIN_RATE_WPM}..{MAX_RATE_WPM}, got {rate_wpm}")


class EspeakEngine:
    """The espeak-ng command-line synthesiser (Debian package espeak-ng)."""

    name = "espeak"

    def __init__(self, voice: str = "en-us", binary: str = "espeak-ng") -> None:
        self.voice = voice
        self.binary = binary

    def available(self) -> bool:
        """Return whether the espeak-ng binary is on PATH."""
        return shutil.which(self.binary) is not None

    def command(self, out: Path, rate_wpm: int) -> list[str]:
        """Return the argument list that speaks stdin into `out`."""
        # Text goes through stdin so a cue starting with "-" is never read as an option;
        # "-b 1" declares that stdin is UTF-8.
        rate = str(rate_wpm)
        return [self.binary, "-b", "1", "-w", str(out), "-s", rate, "-v", self.voice, "--stdin"]

    def synthesize(self, text: str, out: Path, *, rate_wpm: int = DEFAULT_RATE_WPM) -> None:
        """Write `text` spoken by espeak-ng to the WAV file `out`."""
        _check_request(text, rate_wpm)
        try:
            done = subprocess.run(
                self.command(out, rate_wpm),
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=SYNTH_TIMEOUT_S,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SynthesisError(f"{self.binary} could not run: {exc}") from exc
        if done.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            detail = done.stderr.decode("utf-8", "replace").strip()
            raise SynthesisError(f"{self.binary} exited {done.returncode}: {detail}")


class SilentEngine:
    """An engine that never speaks: the coach falls back to text only."""

    name = "none"
    voice = ""

    def available(self) -> bool:
        """Return False: there is never audio."""
        return False

    def synthesize(self, text: str, out: Path, *, rate_wpm: int = DEFAULT_RATE_WPM) -> None:
        """Refuse: a silent engine has no voice."""
        raise SynthesisError("the silent engine cannot synthesise speech")


# Add a nicer offline voice by registering its factory here.
ENGINES: dict[str, Callable[[], SpeechEngine]] = {
    "espeak": EspeakEngine,
    "none": SilentEngine,
}


def engine_names() -> list[str]:
    """Return the engine names that `find_engine` accepts."""
    return sorted(ENGINES)


def find_engine(name: str = "espeak") -> SpeechEngine:
    """Return the named engine, or the silent one when it cannot run here."""
    factory = ENGINES.get(name)
    if factory is None:
        raise ValueError(
            f"unknown speech engine {name!r}; choose one of: {', '.join(engine_names())}"
        )
    engine = factory()
    return engine if engine.available() else SilentEngine()
