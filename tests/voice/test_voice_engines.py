"""Speech engines: espeak-ng renders real speech; the registry picks and falls back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rubdown.voice.engines import (
    EspeakEngine,
    PiperEngine,
    SilentEngine,
    SpeechEngine,
    SynthesisError,
    engine_names,
    find_engine,
)

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng is not installed"
)


@needs_espeak
@pytest.mark.parametrize(
    "text",
    [
        "Breathe in.",
        "Slow strokes down the back.",
        "Keep your thumbs soft and lean in with your body weight, not your hands.",
    ],
)
def test_espeak_writes_a_plausible_mono_wav(tmp_path: Path, espeak, wav_info, text: str) -> None:
    out = tmp_path / "cue.wav"
    espeak.synthesize(text, out, rate_wpm=150)
    wav = wav_info(out)
    words = len(text.split())
    assert wav.header[:4] == b"RIFF" and wav.header[8:12] == b"WAVE"
    assert (wav.channels, wav.sample_width, wav.sample_rate) == (1, 2, 22050)
    assert 0.25 * words <= wav.seconds <= 0.8 * words + 0.6  # espeak pads a little silence
    assert wav.rms > 300, "audio is (near) silence"


@needs_espeak
def test_longer_text_gives_longer_audio(tmp_path: Path, espeak, wav_info) -> None:
    short, long = tmp_path / "short.wav", tmp_path / "long.wav"
    espeak.synthesize("Relax your shoulders.", short)
    espeak.synthesize("Relax your shoulders, then let your breath slow right down.", long)
    assert wav_info(long).seconds > wav_info(short).seconds * 1.5


@needs_espeak
def test_faster_rate_gives_shorter_audio(tmp_path: Path, espeak, wav_info) -> None:
    slow, fast = tmp_path / "slow.wav", tmp_path / "fast.wav"
    text = "Glide your palms from the lower back up to the shoulders."
    espeak.synthesize(text, slow, rate_wpm=110)
    espeak.synthesize(text, fast, rate_wpm=260)
    assert wav_info(fast).seconds < wav_info(slow).seconds * 0.75


@needs_espeak
@pytest.mark.parametrize("text", ["-s 999 --help", "--version", "Café crème, slowly."])
def test_option_like_and_accented_text_is_spoken(tmp_path: Path, espeak, wav_info, text) -> None:
    out = tmp_path / "cue.wav"
    espeak.synthesize(text, out)
    assert wav_info(out).seconds > 0.5 and wav_info(out).rms > 300


@needs_espeak
def test_unknown_voice_raises_synthesis_error(tmp_path: Path) -> None:
    with pytest.raises(SynthesisError, match="voice"):
        EspeakEngine(voice="xx-no-such-voice").synthesize("Hello.", tmp_path / "x.wav")


def test_missing_binary_raises_synthesis_error(tmp_path: Path) -> None:
    engine = EspeakEngine(binary=str(tmp_path / "no-such-espeak"))
    assert not engine.available()
    with pytest.raises(SynthesisError):
        engine.synthesize("Hello.", tmp_path / "x.wav")


@pytest.mark.parametrize(
    ("text", "rate_wpm", "message"),
    [
        ("", 150, "empty"),
        ("   \n", 150, "empty"),
        ("Hi.", 10, "rate_wpm"),
        ("Hi.", 900, "rate_wpm"),
    ],
)
def test_bad_requests_are_rejected_before_running(tmp_path: Path, text, rate_wpm, message) -> None:
    with pytest.raises(ValueError, match=message):
        EspeakEngine().synthesize(text, tmp_path / "x.wav", rate_wpm=rate_wpm)


def test_silent_engine_is_unavailable_and_refuses(tmp_path: Path) -> None:
    engine = SilentEngine()
    assert not engine.available()
    with pytest.raises(SynthesisError):
        engine.synthesize("Hello.", tmp_path / "x.wav")
    assert not (tmp_path / "x.wav").exists()


@pytest.mark.parametrize("engine", [EspeakEngine(), SilentEngine()])
def test_engines_satisfy_the_protocol(engine) -> None:
    assert isinstance(engine, SpeechEngine)


@needs_espeak
@pytest.mark.parametrize(("name", "expected"), [("espeak", EspeakEngine), ("none", SilentEngine)])
def test_find_engine_by_name(name: str, expected: type) -> None:
    assert isinstance(find_engine(name), expected)


def test_find_engine_defaults_to_piper_when_installed() -> None:
    expected = PiperEngine if PiperEngine().available() else EspeakEngine
    assert isinstance(find_engine(), expected)


def test_find_engine_falls_back_to_silent_without_binary(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert isinstance(find_engine("espeak"), SilentEngine)


def test_unknown_engine_name_lists_choices() -> None:
    with pytest.raises(ValueError, match="auto, espeak, none, piper") as caught:
        find_engine("festival-deluxe")
    assert "festival-deluxe" in str(caught.value)
    assert engine_names() == ["espeak", "none", "piper"]
