"""Playback: argument lists, the device probe, and real aplay into an ALSA file PCM."""

from __future__ import annotations

import math
import shutil
import time
from array import array
from pathlib import Path

import pytest

from rubdown.voice.player import AudioPlayer, NullPlayer, find_player, player_command, player_env
from rubdown.voice.ticks import wav_bytes

SYSTEM_ALSA_CONF = Path("/usr/share/alsa/alsa.conf")
CAPTURE_PCM = "rubdown_capture"
needs_aplay = pytest.mark.skipif(
    shutil.which("aplay") is None or not SYSTEM_ALSA_CONF.is_file(),
    reason="aplay (alsa-utils) is not installed",
)


@pytest.mark.parametrize(
    ("binary", "device", "expected"),
    [
        ("aplay", None, ["aplay", "-q", "a.wav"]),
        ("/usr/bin/aplay", "hw:1,0", ["/usr/bin/aplay", "-q", "-D", "hw:1,0", "a.wav"]),
        ("paplay", None, ["paplay", "a.wav"]),
        ("paplay", "speakers", ["paplay", "--device=speakers", "a.wav"]),
        ("play", "hw:1,0", ["play", "-q", "a.wav"]),
    ],
)
def test_player_command_table(binary: str, device: str | None, expected: list[str]) -> None:
    assert player_command(binary, Path("a.wav"), device) == expected


def test_sox_play_gets_its_device_through_audiodev() -> None:
    assert player_env("/usr/bin/play", "hw:1,0")["AUDIODEV"] == "hw:1,0"
    assert player_env("aplay", "hw:1,0") is None
    assert player_env("play", None) is None


@pytest.mark.parametrize(
    ("env", "arg", "expected"), [("", None, None), ("dmix", None, "dmix"), ("dmix", "hw:0", "hw:0")]
)
def test_device_comes_from_argument_then_env(monkeypatch, env, arg, expected) -> None:
    monkeypatch.setenv("RUBDOWN_AUDIO_DEVICE", env)
    assert AudioPlayer(arg).device == expected


def test_player_without_binaries_is_unavailable(tmp_path: Path) -> None:
    player = AudioPlayer(binaries=("rubdown-no-such-player",))
    assert player.installed() == []
    assert not player.available()
    assert player.play(tmp_path / "a.wav") is None


@needs_aplay
def test_player_with_a_broken_device_is_unavailable() -> None:
    player = AudioPlayer("rubdown_no_such_pcm", binaries=("aplay",))
    assert player.installed() and not player.available()
    assert isinstance(find_player("rubdown_no_such_pcm"), NullPlayer)


def test_null_player_plays_nothing(tmp_path: Path) -> None:
    player = NullPlayer()
    assert not player.available()
    assert player.play(tmp_path / "a.wav") is None
    player.stop()


def tone_wav(path: Path, seconds: float, sample_rate: int = 22050) -> bytes:
    """Write a quiet 330 Hz tone and return its raw little-endian sample bytes."""
    count = round(seconds * sample_rate)
    samples = array(
        "h", (round(8000 * math.sin(2 * math.pi * 330 * i / sample_rate)) for i in range(count))
    )
    path.write_bytes(wav_bytes(samples, sample_rate))
    return path.read_bytes()[44:]  # wave writes a plain 44-byte header


@pytest.fixture
def capture_pcm(monkeypatch, tmp_path: Path) -> Path:
    """Define an ALSA PCM that writes what it is played to a file; return that file."""
    raw = tmp_path / "captured.raw"
    conf = tmp_path / "asound.conf"
    conf.write_text(
        f"<{SYSTEM_ALSA_CONF}>\n"
        f'pcm.{CAPTURE_PCM} {{ type file; slave.pcm "null"; file "{raw}"; format "raw" }}\n'
    )
    # ALSA reads only this file instead of the system config, which it includes first.
    monkeypatch.setenv("ALSA_CONFIG_PATH", str(conf))
    monkeypatch.setenv("RUBDOWN_AUDIO_DEVICE", CAPTURE_PCM)
    return raw


@needs_aplay
def test_aplay_plays_the_wav_into_an_alsa_file_pcm(tmp_path: Path, capture_pcm: Path) -> None:
    wav = tmp_path / "tone.wav"
    pcm_data = tone_wav(wav, seconds=1.0)
    player = AudioPlayer(binaries=("aplay",))
    assert player.available(), "aplay could not open the file PCM"
    started = time.monotonic()
    process = player.play(wav)
    assert process is not None and time.monotonic() - started < 0.5  # returns at once
    assert process.wait(timeout=10) == 0
    captured = capture_pcm.read_bytes()
    # ALSA pads the last period with silence, so allow a little extra after the samples.
    assert len(pcm_data) <= len(captured) <= len(pcm_data) + 16384
    assert captured[: len(pcm_data)] == pcm_data
    assert captured[len(pcm_data) :].count(0) == len(captured) - len(pcm_data)


@needs_aplay
def test_stop_leaves_nothing_running(tmp_path: Path, capture_pcm: Path) -> None:
    wav = tmp_path / "tone.wav"
    tone_wav(wav, seconds=0.2)
    player = AudioPlayer(binaries=("aplay",))
    processes = [player.play(wav) for _ in range(3)]
    player.stop()
    assert all(p is not None and p.poll() is not None for p in processes)
