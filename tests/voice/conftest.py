"""Shared fixtures for the voice tests: WAV reading and a real espeak-ng engine."""

from __future__ import annotations

import wave
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from rubdown.voice.engines import EspeakEngine


@dataclass(frozen=True)
class WavInfo:
    """What the tests check about a WAV file."""

    header: bytes
    channels: int
    sample_width: int
    sample_rate: int
    samples: array[int]

    @property
    def seconds(self) -> float:
        """Return the duration."""
        return len(self.samples) / self.sample_rate

    @property
    def rms(self) -> float:
        """Return the root-mean-square level in 16-bit units."""
        if not self.samples:
            return 0.0
        return (sum(s * s for s in self.samples) / len(self.samples)) ** 0.5


def read_wav(path: Path) -> WavInfo:
    """Read a mono or multi-channel 16-bit WAV into a WavInfo."""
    with wave.open(str(path), "rb") as wav:
        samples = array("h", wav.readframes(wav.getnframes()))
        info = WavInfo(
            header=path.read_bytes()[:12],
            channels=wav.getnchannels(),
            sample_width=wav.getsampwidth(),
            sample_rate=wav.getframerate(),
            samples=samples,
        )
    return info


@pytest.fixture
def wav_info() -> Callable[[Path], WavInfo]:
    """Return the WAV reader."""
    return read_wav


@pytest.fixture
def espeak() -> EspeakEngine:
    """Return the real espeak-ng engine; tests using it carry the needs_espeak mark."""
    return EspeakEngine()


@dataclass(frozen=True)
class Decoded:
    """What a real decoder (sox) reads from an audio file of any format."""

    channels: int
    sample_rate: int
    seconds: float


def decode(path: Path) -> Decoded:
    """Decode a WAV or MP3 file with sox (libsox-fmt-mp3 for MP3) and report what it holds."""
    import subprocess

    def soxi(flag: str) -> str:
        done = subprocess.run(["soxi", flag, str(path)], capture_output=True, text=True, check=True)
        return done.stdout.strip()

    # Decoding to raw samples (not just reading the header) proves the whole file is readable.
    raw = subprocess.run(
        ["sox", str(path), "-t", "raw", "-e", "signed", "-b", "16", "-"],
        capture_output=True,
        check=True,
    ).stdout
    channels, rate = int(soxi("-c")), int(soxi("-r"))
    return Decoded(channels, rate, len(raw) / 2 / channels / rate)


@pytest.fixture
def decoder() -> Callable[[Path], Decoded]:
    """Return the sox-based decoder."""
    return decode
