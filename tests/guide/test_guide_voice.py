"""The guide speaks from the cue cache: each sentence is synthesised before the session starts."""

from __future__ import annotations

import shutil
import wave

import numpy as np
import pytest
from click.testing import CliRunner

from rubdown.cli.main import cli
from rubdown.core.planjson import plan_from_json
from rubdown.core.timeline import spoken_texts
from rubdown.store.repos import SessionsRepo
from rubdown.voice import CueAudioCache, EspeakEngine

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (.ci/run installs it)"
)


def seconds(path):
    with wave.open(str(path)) as wav:
        return wav.getnframes() / wav.getframerate()


@needs_espeak
def test_the_guide_prefetches_a_real_recording_of_every_cue(store, tmp_path, monkeypatch):
    monkeypatch.setenv("RUBDOWN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("RUBDOWN_AUDIO_DEVICE", "null")  # ALSA's null sink: plays, nothing heard
    result = CliRunner().invoke(
        cli, ["guide", "--minutes", "5", "--speed", "300", "--voice", "espeak", "--no-ticks"]
    )
    assert result.exit_code == 0, result.output
    assert "No speech engine" not in result.output and "No audio device" not in result.output
    # The terminal is told how far the voice has got while the rest is made.
    told = [line.split() for line in result.output.splitlines() if line.startswith("Voice: ")]
    counts = [int(words[1]) for words in told if words[1] != "all"]
    assert told and counts == sorted(set(counts))
    [record] = SessionsRepo(store).history()
    plan = plan_from_json(record.plan)
    cache = CueAudioCache(None, EspeakEngine())
    texts = spoken_texts(plan)
    assert texts
    for text in texts:
        path = cache.path_for(text)
        assert path.is_file(), text
        length = seconds(path)
        # Real speech at 150 words a minute: roughly 10-20 characters a second.
        assert len(text) / 30 < length < len(text) / 5 + 1.0, (text, length)


def test_without_a_speech_engine_it_says_so_once_and_goes_on(store, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no espeak-ng on it
    monkeypatch.setenv("RUBDOWN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr("rubdown.voice.find_player", lambda: _AlwaysPlayer())
    result = CliRunner().invoke(
        cli, ["guide", "--minutes", "5", "--speed", "1000", "--voice", "espeak", "--no-ticks"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("No speech engine found") == 1
    assert "finished" in result.output


class _AlwaysPlayer:
    def available(self):
        return True

    def play(self, wav):
        return None

    def stop(self):
        pass


needs_aplay = pytest.mark.skipif(shutil.which("aplay") is None, reason="alsa-utils missing")


@needs_espeak
@needs_aplay
def test_the_guide_mixes_voice_ticks_and_background_into_the_alsa_device(
    store, tmp_path, monkeypatch
):
    out = tmp_path / "out.raw"
    (tmp_path / ".asoundrc").write_text(
        f'pcm.rubdown_file {{\n type file\n slave.pcm "null"\n file "{out}"\n format "raw"\n}}\n'
    )
    monkeypatch.setenv("HOME", str(tmp_path))  # ALSA reads ~/.asoundrc
    monkeypatch.setenv("RUBDOWN_AUDIO_DEVICE", "rubdown_file")
    monkeypatch.setenv("RUBDOWN_CACHE_DIR", str(tmp_path / "cache"))
    args = ["guide", "--minutes", "5", "--speed", "150", "--voice", "espeak", "--less-talk"]
    result = CliRunner().invoke(cli, [*args, "--background", "noise", "--volume", "0.6"])
    assert result.exit_code == 0, result.output
    assert "No audio device" not in result.output
    assert "Preparing the voice with espeak" in result.output
    pcm = np.frombuffer(out.read_bytes(), dtype="<i2") / 32768.0
    assert len(pcm) > 22050, "the session streamed to the device"
    assert float(np.sqrt(np.mean(pcm**2))) > 0.005, "something was heard"
