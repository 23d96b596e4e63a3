"""Rhythm ticks for stroke pacing, synthesised with the standard library only."""

from __future__ import annotations

import io
import math
import os
import sys
import tempfile
import wave
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

TickKind = Literal["down", "up"]
TICK_KINDS: tuple[TickKind, ...] = ("down", "up")
DEFAULT_SAMPLE_RATE = 22050
# Short linear ramps: long enough to avoid a DC pop, short enough to still sound like a click.
ATTACK_S = 0.001
RELEASE_S = 0.003
INT16_PEAK = 32767


@dataclass(frozen=True)
class TickShape:
    """How one kind of tick sounds."""

    freq_hz: float
    duration_s: float
    amplitude: float  # of full scale, 0..1


# "down" leads the stroke, so it is lower, longer and louder than the lighter "up".
TICK_SHAPES: dict[TickKind, TickShape] = {
    "down": TickShape(freq_hz=440.0, duration_s=0.060, amplitude=0.9),
    "up": TickShape(freq_hz=880.0, duration_s=0.035, amplitude=0.36),
}


def _envelope(t: float, end_s: float) -> float:
    """Return the gain at time t: sharp attack, exponential decay, release to 0 at end_s."""
    attack = min(1.0, t / ATTACK_S)
    decay = math.exp(-5.0 * t / end_s)  # about 0.7 % left before the release
    release = min(1.0, (end_s - t) / RELEASE_S)
    return attack * decay * max(0.0, release)


def tick_samples(kind: TickKind, sample_rate: int = DEFAULT_SAMPLE_RATE) -> array[int]:
    """Return the signed 16-bit mono samples of one tick."""
    if kind not in TICK_SHAPES:
        raise ValueError(f"unknown tick kind {kind!r}; choose one of: {', '.join(TICK_KINDS)}")
    shape = TICK_SHAPES[kind]
    count = round(shape.duration_s * sample_rate)
    peak = shape.amplitude * INT16_PEAK
    end_s = (count - 1) / sample_rate  # the last sample's time, so it lands exactly on 0
    samples = array("h")
    for i in range(count):
        t = i / sample_rate
        gain = _envelope(t, end_s)
        samples.append(round(peak * gain * math.sin(2 * math.pi * shape.freq_hz * t)))
    return samples


def wav_bytes(samples: array[int], sample_rate: int) -> bytes:
    """Wrap signed 16-bit mono samples in a WAV container."""
    if sys.byteorder == "big":
        samples = array("h", samples)
        samples.byteswap()  # WAV data is little-endian
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()


def render_tick(kind: TickKind, sample_rate: int = DEFAULT_SAMPLE_RATE) -> bytes:
    """Return one tick as the bytes of a mono 16-bit WAV file."""
    return wav_bytes(tick_samples(kind, sample_rate), sample_rate)


def _write_if_changed(path: Path, data: bytes) -> None:
    """Write `data` atomically unless `path` already holds exactly it."""
    if path.is_file() and path.read_bytes() == data:
        return
    fd, tmp_name = tempfile.mkstemp(prefix=".tick-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
        os.replace(tmp_name, path)
    finally:
        Path(tmp_name).unlink(missing_ok=True)


def write_ticks(directory: Path, sample_rate: int = DEFAULT_SAMPLE_RATE) -> dict[str, Path]:
    """Write tick-down.wav and tick-up.wav into `directory`; map kind to file."""
    directory.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for kind in TICK_KINDS:
        path = directory / f"tick-{kind}.wav"
        _write_if_changed(path, render_tick(kind, sample_rate))
        paths[kind] = path
    return paths


def tick_times(
    seconds_per_rep: float, reps: int, start: float = 0.0
) -> list[tuple[float, TickKind]]:
    """Return (time, kind) pairs: "down" at each rep's start and "up" halfway through."""
    if not seconds_per_rep > 0:
        raise ValueError(f"seconds_per_rep must be positive, got {seconds_per_rep}")
    if reps < 0:
        raise ValueError(f"reps must not be negative, got {reps}")
    times: list[tuple[float, TickKind]] = []
    for rep in range(reps):
        rep_start = start + rep * seconds_per_rep
        times.append((rep_start, "down"))
        times.append((rep_start + seconds_per_rep / 2, "up"))
    return times
