"""What rubdown sent to the loudspeaker, sample by sample: the echo canceller's reference.

The mixer (or the clip player) adds what it writes, stamped with the monotonic time it was
handed to the device; the microphone thread asks for the samples over the stretch it just
captured. The time a sample is written is the earliest it can sound, so the echo in the
microphone always comes after its reference (the canceller's filter reaches TAIL_S past it).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

from rubdown.voice.listen import Playback
from rubdown.voice.segment import SAMPLE_RATE

KEEP_S = 30.0  # how much playback is kept: the microphone thread lags by far less
QUIET = 1.0  # 16-bit units: below this a sample is silence (a faded tail, the mixer's zeros)


@dataclass
class PlayedAudio:
    """A rolling record of the loudspeaker's samples (16-bit scale) on the monotonic clock."""

    keep_s: float = KEEP_S
    rate: int = SAMPLE_RATE
    _origin: float | None = None  # the monotonic time of _samples[0]
    _samples: np.ndarray = field(default_factory=lambda: np.zeros(0))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, at: float, samples: np.ndarray, rate: int) -> None:
        """Mix in samples that began to play at monotonic time `at`, at their own rate."""
        data = resample(np.asarray(samples, dtype=float), rate, self.rate)
        with self._lock:
            if self._origin is None:
                self._origin = at
            start = round((at - self._origin) * self.rate)
            if start < 0:  # older than the record reaches: only its end is kept
                data, start = data[-start:], 0
            end = start + len(data)
            if end > len(self._samples):
                grow = np.zeros(end - len(self._samples))
                self._samples = np.concatenate([self._samples, grow])
            self._samples[start:end] += data
            self._forget()

    def _forget(self) -> None:
        """Drop what is older than keep_s (the lock is held)."""
        extra = len(self._samples) - round(self.keep_s * self.rate)
        if extra > 0 and self._origin is not None:
            self._samples = self._samples[extra:]
            self._origin += extra / self.rate

    def between(self, at: float, count: int) -> np.ndarray:
        """The `count` samples played from monotonic time `at` on (zeros where none were)."""
        out = np.zeros(count)
        with self._lock:
            if self._origin is None:
                return out
            start = round((at - self._origin) * self.rate)
            lo, hi = max(start, 0), min(start + count, len(self._samples))
            if hi > lo:
                out[lo - start : hi - start] = self._samples[lo:hi]
        return out

    def overlapping(self, start: float, end: float) -> Playback | None:
        """Something audible was played between two monotonic times (the plain time gate)."""
        part = self.between(start, max(0, round((end - start) * self.rate)))
        return Playback(start, end, "playback") if np.any(np.abs(part) > QUIET) else None


def resample(samples: np.ndarray, rate: int, wanted: int) -> np.ndarray:
    """Samples at another rate, by linear interpolation (enough for an echo reference)."""
    if rate == wanted or not len(samples):
        return samples
    length = round(len(samples) * wanted / rate)
    at = np.arange(length) * (rate / wanted)
    return np.asarray(np.interp(at, np.arange(len(samples)), samples))
