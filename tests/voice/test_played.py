"""The echo canceller's reference: what rubdown plays reaches the listener sample by sample."""

from __future__ import annotations

import shutil
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rubdown.voice.capture import Microphone
from rubdown.voice.commands import Heard
from rubdown.voice.mix import MixSettings, StreamMixer
from rubdown.voice.played import PlayedAudio, resample

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_echo import cue_track
from test_voice_mix import fake_alsa

RATE = 16000


@given(st.lists(st.integers(1, 700), min_size=1, max_size=12), st.integers(0, 10_000))
def test_blocks_added_back_to_back_read_back_as_one_signal(sizes: list[int], at: int) -> None:
    signal = np.arange(sum(sizes), dtype=float) + 1.0
    audio, start = PlayedAudio(), at / RATE
    done = 0
    for size in sizes:
        audio.add(start + done / RATE, signal[done : done + size], RATE)
        done += size
    assert np.array_equal(audio.between(start, len(signal)), signal)
    # Before the first sample and after the last, nothing was played.
    assert not audio.between(start - 1.0, RATE).any()
    assert not audio.between(start + done / RATE, 10).any()


def test_clips_that_overlap_are_heard_together_and_old_ones_are_forgotten() -> None:
    audio = PlayedAudio(keep_s=2.0)
    audio.add(10.0, np.full(RATE, 100.0), RATE)
    audio.add(10.5, np.full(RATE, 100.0), RATE)
    both = audio.between(10.0, 2 * RATE)
    assert both[: RATE // 2].max() == 100.0 and both[RATE // 2 : RATE].min() == 200.0
    assert audio.overlapping(10.2, 10.3) is not None
    assert audio.overlapping(11.6, 12.0) is None
    audio.add(13.0, np.full(RATE, 100.0), RATE)  # three seconds on: the first are dropped
    assert not audio.between(10.0, RATE).any()
    assert audio.between(13.0, RATE).min() == 100.0


def test_another_rate_is_resampled_to_the_listeners() -> None:
    tone = np.sin(2 * np.pi * 300 * np.arange(22050) / 22050)
    audio = PlayedAudio()
    audio.add(0.0, tone, 22050)
    want = np.sin(2 * np.pi * 300 * np.arange(RATE) / RATE)
    assert np.abs(audio.between(0.0, RATE) - want).max() < 0.01
    assert len(resample(tone, 22050, RATE)) == RATE


@pytest.mark.skipif(shutil.which("aplay") is None, reason="alsa-utils is not installed")
def test_the_mixer_taps_every_block_it_writes(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    out = fake_alsa(tmp_path)
    now, done = [0.0], threading.Event()

    def sleep(seconds: float) -> None:  # a fake clock: no real waiting
        now[0] += seconds
        if now[0] >= 2.0:
            done.set()

    mixer = StreamMixer(MixSettings(background="drone"), "rubdown_file", clock=lambda: now[0])
    mixer.sleep, mixer.tap = sleep, PlayedAudio()
    assert mixer.start()
    assert done.wait(30)
    mixer.close()
    written = np.frombuffer(out.read_bytes(), dtype="<i2").astype(float)
    # Block k is stamped when it was written: lead_s before it is due to sound.
    tapped = mixer.tap.between(-mixer.lead_s, RATE)
    want = resample(written, mixer.rate, RATE)[:RATE]
    assert np.abs(want).max() > 300
    assert np.abs(tapped - want).max() < 0.05 * np.abs(want).max()


def raw_device(tmp: Path, mic: np.ndarray) -> str:
    """An ALSA config whose default capture device reads `mic` (16 kHz, 16-bit raw)."""
    raw = tmp / "mic.raw"
    raw.write_bytes(np.clip(np.round(mic), -32768, 32767).astype("<i2").tobytes())
    conf = tmp / "asoundrc"
    device = f'type file slave.pcm "quiet" file "/dev/null" infile "{raw}" format "raw"'
    conf.write_text(f"pcm.quiet {{ type null }}\npcm.!default {{ {device} }}\n")
    return str(conf)


@pytest.mark.skipif(shutil.which("arecord") is None, reason="alsa-utils is not installed")
@pytest.mark.parametrize(("command_at_s", "wanted"), [(7.5, ["lighter"]), (None, [])])
def test_the_microphone_cancels_what_was_played_over_it(
    tmp_path: Path, monkeypatch, command_at_s: float | None, wanted: list[str]
) -> None:
    mic, played, _ = cue_track(tmp_path, command_at_s)
    monkeypatch.setenv("ALSA_CONFIG_PATH", raw_device(tmp_path, mic))
    reference, heard = PlayedAudio(), []
    listening = Microphone(heard.append, playback=reference, reference=reference)
    listening.start()
    # Played from the first sample captured on (the track opens with half a second of quiet).
    reference.add(listening.started_at, played, RATE)
    deadline = time.monotonic() + 60
    while listening.listener.position_s < len(mic) / RATE + 1 and time.monotonic() < deadline:
        time.sleep(0.1)  # the microphone is paced to the clock: wait for it to be heard
    listening.stop()
    assert [h.command for h in heard] == wanted
    assert all(isinstance(h, Heard) for h in heard)
