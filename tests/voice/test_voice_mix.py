"""The mix: volume and balance change what is heard, the background ducks under each cue,
and the live mixer plays through ALSA (a fake `file` device here: the machine has no sound)."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from rubdown.voice.mix import (
    SAMPLE_RATE,
    Clip,
    MixSettings,
    StreamMixer,
    background_loop,
    background_wav,
    read_wav,
    render,
    rms,
    web_mix,
)

RATE = SAMPLE_RATE
TONE = 0.5 * np.sin(2 * np.pi * 300 * np.arange(RATE) / RATE)  # one second of "voice"
TICK = 0.8 * np.sin(2 * np.pi * 880 * np.arange(RATE // 10) / RATE)


def mixed(settings: MixSettings, kind: str = "voice") -> np.ndarray:
    clip = Clip(0, TONE if kind == "voice" else TICK, kind)
    return render(0, RATE, [clip], settings)


def test_master_volume_scales_the_output() -> None:
    loud, quiet = mixed(MixSettings(volume=0.8)), mixed(MixSettings(volume=0.4))
    assert rms(quiet) == pytest.approx(rms(loud) / 2, rel=0.01)


@pytest.mark.parametrize(
    ("balance", "voice_level", "tick_level"),
    [(0.0, 0.0, 1.0), (0.25, 0.5, 1.0), (0.5, 1.0, 1.0), (0.75, 1.0, 0.5), (1.0, 1.0, 0.0)],
)
def test_balance_trades_voice_against_ticks(balance, voice_level, tick_level) -> None:
    full = MixSettings(volume=1.0)
    chosen = MixSettings(volume=1.0, balance=balance)
    for kind, level in (("voice", voice_level), ("tick", tick_level)):
        assert rms(mixed(chosen, kind)) == pytest.approx(rms(mixed(full, kind)) * level, abs=1e-4)


@pytest.mark.parametrize("kind", ["noise", "drone"])
def test_background_ducks_under_a_cue(kind: str) -> None:
    settings = MixSettings(volume=1.0, background=kind)
    loop = background_loop(kind)
    silent_voice = Clip(2 * RATE, np.zeros(RATE), "voice")  # a cue from 2 s to 3 s
    out = render(0, 5 * RATE, [silent_voice], settings, loop)
    before, under = out[:RATE], out[2 * RATE : 3 * RATE]
    assert rms(before) > 0.02, "the background is audible"
    assert rms(under) < rms(before) * (settings.duck_to + 0.1)
    assert rms(out[4 * RATE :]) == pytest.approx(rms(before), rel=0.35), "it comes back"


@pytest.mark.parametrize("kind", ["noise", "drone"])
def test_background_loops_without_a_click(kind: str) -> None:
    loop = background_loop(kind)
    steps = np.abs(np.diff(loop))
    assert abs(loop[0] - loop[-1]) <= steps.max() * 1.5


def test_no_background_when_off() -> None:
    out = render(0, RATE, [], MixSettings(background="off"), background_loop("noise"))
    assert rms(out) == 0.0


@pytest.mark.parametrize("field", ["volume", "balance", "duck_to"])
def test_settings_out_of_range_are_refused(field: str) -> None:
    with pytest.raises(ValueError, match=field):
        MixSettings(**{field: 1.5})


def fake_alsa(home: Path) -> Path:
    """An ~/.asoundrc with a `file` device writing raw PCM to home/out.raw."""
    out = home / "out.raw"
    (home / ".asoundrc").write_text(
        f'pcm.rubdown_file {{\n type file\n slave.pcm "null"\n file "{out}"\n format "raw"\n}}\n'
    )
    return out


@pytest.mark.skipif(shutil.which("aplay") is None, reason="alsa-utils is not installed")
def test_the_live_mixer_plays_through_alsa_with_ducking(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    out = fake_alsa(tmp_path)
    now = [0.0]
    done, queued = threading.Event(), threading.Event()

    def sleep(seconds: float) -> None:  # a fake clock: no real waiting
        if now[0] >= 1.5:
            # Held here until the cue is queued: on a busy machine the writer could otherwise
            # run the clock past the end before the test thread gets to play it.
            queued.wait(30)
        now[0] += seconds
        if now[0] >= 3.0:
            done.set()

    settings = MixSettings(volume=1.0, background="drone")
    mixer = StreamMixer(settings, "rubdown_file", clock=lambda: now[0], sleep=sleep)
    assert mixer.start()
    while mixer._written < RATE:  # let a second of background through first
        threading.Event().wait(0.001)
    mixer.play(TONE, "voice", "a cue")
    queued.set()
    assert done.wait(30)
    mixer.close()
    pcm = np.frombuffer(out.read_bytes(), dtype="<i2") / 32768.0
    assert len(pcm) >= 2.5 * RATE
    start = round(mixer.played[0].started * RATE)
    background = pcm[RATE // 4 : start - RATE // 2]
    under = pcm[start + RATE // 4 : start + RATE - RATE // 4]
    assert rms(background) > 0.02
    assert rms(under) > rms(background) * 2, "the cue is in the stream"
    assert mixer.speaking(mixer.played[0].started + 0.5).label == "a cue"
    assert mixer.speaking(mixer.played[0].ends + 0.1) is None


@pytest.mark.parametrize("balance_step", range(0, 21))
def test_the_web_mix_table_is_the_mix_settings_gains(balance_step: int) -> None:
    mix = web_mix()
    settings = MixSettings(volume=1.0, balance=balance_step / mix["balance_steps"])
    assert mix["voice"][balance_step] == pytest.approx(settings.voice_gain)
    assert mix["tick"][balance_step] == pytest.approx(settings.tick_gain)
    assert mix["duck_to"] == MixSettings().duck_to


@pytest.mark.parametrize("kind", ["noise", "drone"])
def test_the_web_background_is_the_same_loop_at_a_lower_rate(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.wav"
    path.write_bytes(background_wav(kind))
    web = read_wav(path, RATE)  # back at the mixer's rate
    here = background_loop(kind, RATE)
    assert len(web) == len(here)
    # Peak-normalised random noise: the same level within a few per cent, not sample for sample.
    assert rms(web) == pytest.approx(rms(here), rel=0.15)
    assert rms(web) > 0.1
