"""Rhythm ticks: two clearly different clicks and their timing."""

from __future__ import annotations

import os
from itertools import pairwise
from pathlib import Path

import pytest

from rubdown.voice.ticks import render_tick, tick_times, write_ticks


def tick_wav(kind: str, wav_info, tmp_path: Path, sample_rate: int = 22050):
    """Render a tick to a file and read it back."""
    path = tmp_path / f"{kind}.wav"
    path.write_bytes(render_tick(kind, sample_rate))
    return wav_info(path)


def zero_crossing_hz(samples, sample_rate: int) -> float:
    """Estimate the pitch from sign changes: two per cycle."""
    signs = [s > 0 for s in samples if s != 0]
    crossings = sum(1 for a, b in pairwise(signs) if a != b)
    return crossings / 2 / (len(samples) / sample_rate)


@pytest.mark.parametrize(
    ("kind", "sample_rate", "hz", "seconds"),
    [("down", 22050, 440, 0.060), ("up", 22050, 880, 0.035), ("down", 44100, 440, 0.060)],
)
def test_tick_is_a_mono_wav_of_the_right_pitch_and_length(
    tmp_path: Path, wav_info, kind: str, sample_rate: int, hz: float, seconds: float
) -> None:
    wav = tick_wav(kind, wav_info, tmp_path, sample_rate)
    assert wav.header[:4] == b"RIFF"
    assert (wav.channels, wav.sample_width, wav.sample_rate) == (1, 2, sample_rate)
    assert wav.seconds == pytest.approx(seconds, abs=0.001)
    assert zero_crossing_hz(wav.samples, sample_rate) == pytest.approx(hz, rel=0.1)


def test_down_tick_is_lower_louder_and_longer_than_up(tmp_path: Path, wav_info) -> None:
    down, up = tick_wav("down", wav_info, tmp_path), tick_wav("up", wav_info, tmp_path)
    assert zero_crossing_hz(down.samples, 22050) < zero_crossing_hz(up.samples, 22050) / 1.5
    assert max(map(abs, down.samples)) > 2 * max(map(abs, up.samples))
    assert down.rms > 2 * up.rms
    assert down.seconds > up.seconds * 1.5


@pytest.mark.parametrize("kind", ["down", "up"])
def test_tick_starts_sharply_and_ends_without_a_pop(tmp_path: Path, wav_info, kind) -> None:
    samples = tick_wav(kind, wav_info, tmp_path).samples
    peak = max(map(abs, samples))
    peak_at = [abs(s) for s in samples].index(peak)
    assert samples[0] == 0 and samples[-1] == 0
    assert peak_at / 22050 < 0.005  # the loudest moment is within the first 5 ms
    assert max(map(abs, samples[-20:])) < peak * 0.02


def test_unknown_tick_kind_is_rejected() -> None:
    with pytest.raises(ValueError, match="down, up"):
        render_tick("sideways")  # type: ignore[arg-type]


def test_render_tick_is_deterministic() -> None:
    assert render_tick("down") == render_tick("down")


def test_write_ticks_writes_both_files_once(tmp_path: Path) -> None:
    paths = write_ticks(tmp_path / "ticks")
    assert {k: p.name for k, p in paths.items()} == {
        "down": "tick-down.wav",
        "up": "tick-up.wav",
    }
    assert paths["down"].read_bytes() == render_tick("down")
    stamp = 1_000_000_000
    for path in paths.values():
        os.utime(path, ns=(stamp, stamp))
    again = write_ticks(tmp_path / "ticks")
    assert again == paths
    assert all(p.stat().st_mtime_ns == stamp for p in again.values())
    assert sorted(p.name for p in (tmp_path / "ticks").iterdir()) == [
        "tick-down.wav",
        "tick-up.wav",
    ]


def test_write_ticks_repairs_a_damaged_file(tmp_path: Path) -> None:
    paths = write_ticks(tmp_path)
    paths["up"].write_bytes(b"junk")
    write_ticks(tmp_path)
    assert paths["up"].read_bytes() == render_tick("up")


@pytest.mark.parametrize(
    ("seconds_per_rep", "reps", "start", "expected"),
    [
        (2.0, 0, 0.0, []),
        (2.0, 1, 0.0, [(0.0, "down"), (1.0, "up")]),
        (
            3.0,
            3,
            10.0,
            [
                (10.0, "down"),
                (11.5, "up"),
                (13.0, "down"),
                (14.5, "up"),
                (16.0, "down"),
                (17.5, "up"),
            ],
        ),
    ],
)
def test_tick_times_table(seconds_per_rep, reps, start, expected) -> None:
    assert tick_times(seconds_per_rep, reps, start) == expected  # exact in binary floats


@pytest.mark.parametrize(("seconds_per_rep", "reps"), [(1.7, 12), (4.0, 5), (0.5, 40)])
def test_tick_times_alternate_evenly(seconds_per_rep: float, reps: int) -> None:
    times = tick_times(seconds_per_rep, reps)
    assert len(times) == 2 * reps
    assert [kind for _, kind in times] == ["down", "up"] * reps
    gaps = [b - a for (a, _), (b, _) in pairwise(times)]
    assert gaps == pytest.approx([seconds_per_rep / 2] * len(gaps))


@pytest.mark.parametrize(("seconds_per_rep", "reps"), [(0.0, 3), (-1.0, 3), (2.0, -1)])
def test_tick_times_rejects_nonsense(seconds_per_rep: float, reps: int) -> None:
    with pytest.raises(ValueError):
        tick_times(seconds_per_rep, reps)
