"""Listening to the microphone: ALSA capture through arecord, fed to the recogniser in a thread.

Audio stays in memory: it is never written to disk or sent anywhere.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rubdown.voice.commands import Heard
from rubdown.voice.listen import Listener, ListenError, Playback
from rubdown.voice.segment import FRAME_SAMPLES, SAMPLE_RATE

CAPTURE_DEVICE_ENV = "RUBDOWN_CAPTURE_DEVICE"
START_TIMEOUT_S = 3.0


def capture_command(device: str | None) -> list[str]:
    """arecord reading 16 kHz mono 16-bit raw audio to stdout."""
    binary = shutil.which("arecord")
    if binary is None:
        raise ListenError("listening needs arecord (Debian package alsa-utils); none found")
    chosen = ["-D", device] if device else []
    return [binary, "-q", *chosen, "-f", "S16_LE", "-r", str(SAMPLE_RATE), "-c", "1", "-t", "raw"]


@dataclass
class PlaybackLog:
    """What rubdown played and when (monotonic clock), so its own voice is not obeyed."""

    clock: Callable[[], float] = time.monotonic
    spans: list[Playback] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def played(self, seconds: float, text: str = "") -> None:
        """Note a clip of `seconds` starting now."""
        now = self.clock()
        with self.lock:
            self.spans = [s for s in self.spans if s.end_s > now - 30.0]
            self.spans.append(Playback(now, now + seconds, text))

    def overlapping(self, start: float, end: float) -> Playback | None:
        """The clip playing at some time between start and end, if any."""
        with self.lock:
            return next((s for s in self.spans if s.start_s < end and start < s.end_s), None)


class Microphone:
    """Runs arecord and a Listener on it in a background thread until stop()."""

    def __init__(
        self,
        on_heard: Callable[[Heard], None],
        *,
        wake: bool = False,
        playback: Any = None,  # anything with overlapping(start, end) on the monotonic clock
        reference: Any = None,  # anything with between(at, count): the samples played then
        device: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.on_heard, self.clock = on_heard, clock
        self.device = device if device is not None else os.environ.get(CAPTURE_DEVICE_ENV)
        self.playback, self.reference = playback, reference
        self.started_at = 0.0
        self.listener = Listener(self._heard, wake=wake, playing=self._playing)
        self._process: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None
        self.error: str | None = None

    def _playing(self, start: float, end: float) -> Playback | None:
        """Translate listening times to the monotonic clock and ask the playback log."""
        if self.playback is None:
            return None
        found = self.playback.overlapping(self.started_at + start, self.started_at + end)
        if found is None or isinstance(found, Playback):
            return found
        return Playback(start, end, str(getattr(found, "label", "")))

    def _heard(self, heard: Heard) -> None:
        self.on_heard(heard)

    def start(self) -> None:
        """Open the microphone; ListenError says why when there is none."""
        try:
            self._process = subprocess.Popen(
                capture_command(self.device),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except OSError as exc:
            raise ListenError(f"arecord could not start: {exc}") from exc
        assert self._process.stdout is not None
        first = self._process.stdout.read(FRAME_SAMPLES * 2)
        if not first:
            self._process.wait(timeout=START_TIMEOUT_S)
            detail = (self._process.stderr.read() if self._process.stderr else b"").decode()
            raise ListenError(no_microphone(detail.strip()))
        self.started_at = self.clock()
        self._thread = threading.Thread(target=self._run, args=(first,), daemon=True)
        self._thread.start()

    def _run(self, first: bytes) -> None:
        """Feed audio to the listener, paced to the clock (a file device reads ahead)."""
        assert self._process is not None and self._process.stdout is not None
        data, heard_s = first, 0.0
        while data:
            ahead = self.started_at + heard_s - self.clock()
            if ahead > 0:
                time.sleep(ahead)  # a real microphone never delivers audio from the future
            samples = array("h")
            samples.frombytes(data[: len(data) - len(data) % 2])
            self.listener.feed(samples, self._played(heard_s, len(samples)))
            heard_s += len(samples) / SAMPLE_RATE
            data = self._process.stdout.read(FRAME_SAMPLES * 2)
        self.listener.close()

    def _played(self, heard_s: float, count: int) -> Any:
        """What rubdown played over the samples captured from heard_s on (None: not known)."""
        if self.reference is None:
            return None
        return self.reference.between(self.started_at + heard_s, count)

    def stop(self) -> None:
        """Close the microphone."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=START_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._thread is not None:
            self._thread.join(timeout=START_TIMEOUT_S)
        if self._process is not None:  # the reader is done with the pipes
            for pipe in (self._process.stdout, self._process.stderr):
                if pipe is not None:
                    pipe.close()


def no_microphone(detail: str) -> str:
    """Why listening cannot start, and how to fix it."""
    why = f" ({detail.splitlines()[-1]})" if detail else ""
    return (
        f"no microphone could be opened{why}. Plug one in, check `arecord -l` lists it, "
        f"or name the ALSA device in ${CAPTURE_DEVICE_ENV} (e.g. plughw:1,0). "
        "The keys and the remote still work without it."
    )
