"""Piper is the default voice; espeak-ng stands in (said once) when Piper is missing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from rubdown.cli.main import cli
from rubdown.voice import engines
from rubdown.voice.engines import (
    EspeakEngine,
    PiperEngine,
    PiperVoicePackage,
    SilentEngine,
    choose_engine,
    list_voices,
    parse_voice,
)

needs_piper = pytest.mark.skipif(
    not PiperEngine().available(), reason="piper-tts or its voice is not installed"
)
needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="no espeak-ng")


@pytest.fixture(scope="module")
def piper() -> PiperEngine:
    """One Piper engine for the module: the model loads once."""
    return PiperEngine()


@needs_piper
def test_piper_speaks_a_natural_mono_wav(tmp_path: Path, piper, wav_info) -> None:
    out = tmp_path / "cue.wav"
    piper.synthesize("Warm the back with long, slow strokes.", out)
    wav = wav_info(out)
    assert (wav.channels, wav.sample_width, wav.sample_rate) == (1, 2, 22050)
    assert 1.5 < wav.seconds < 5.0
    assert wav.rms > 500, "audio is (near) silence"


@needs_piper
def test_piper_rate_changes_the_pace(tmp_path: Path, piper, wav_info) -> None:
    text = "Glide your palms from the lower back up to the shoulders."
    slow, fast = tmp_path / "slow.wav", tmp_path / "fast.wav"
    piper.synthesize(text, slow, rate_wpm=110)
    piper.synthesize(text, fast, rate_wpm=220)
    assert wav_info(fast).seconds < wav_info(slow).seconds * 0.7


def test_a_missing_piper_voice_falls_back_to_espeak_with_one_note(monkeypatch) -> None:
    missing = PiperVoicePackage("no_such_voice_package", "no-such", "en_US", "CC0-1.0")
    monkeypatch.setitem(engines.PIPER_VOICES, "joe", missing)
    engine, note = choose_engine("auto")
    expected = EspeakEngine if shutil.which("espeak-ng") else SilentEngine
    assert isinstance(engine, expected)
    assert note is not None and ("espeak-ng" in note or "silent" in note)
    assert isinstance(choose_engine("piper")[0], expected)


@needs_espeak
def test_asking_for_espeak_gets_espeak_without_a_note() -> None:
    engine, note = choose_engine("espeak:en-gb")
    assert isinstance(engine, EspeakEngine) and engine.voice == "en-gb"
    assert note is None


@pytest.mark.parametrize(
    ("spec", "parsed"),
    [("auto", ("auto", None)), ("piper:joe", ("piper", "joe")), ("ESPEAK", ("espeak", None))],
)
def test_voice_specs_parse(spec: str, parsed: tuple[str, str | None]) -> None:
    assert parse_voice(spec) == parsed


@pytest.mark.parametrize("spec", ["festival", "piper:nobody"])
def test_unknown_voices_are_refused_with_the_choices(spec: str) -> None:
    with pytest.raises(ValueError, match="choose one of"):
        parse_voice(spec)


def test_voices_lists_engines_with_availability_and_licence() -> None:
    voices = {v.spec: v for v in list_voices()}
    assert voices["piper:joe"].licence == "CC0-1.0"
    assert voices["piper:joe"].available == PiperEngine().available()
    assert "none" in voices
    result = CliRunner().invoke(cli, ["voices"])
    assert result.exit_code == 0, result.output
    assert "piper:joe" in result.output and "espeak:" in result.output
    marked = [line for line in result.output.splitlines() if line.startswith("*")]
    assert len(marked) == 2  # the default voice and the legend


def test_an_unknown_voice_on_the_command_line_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["cues", "--minutes", "5", "--voice", "festival", "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "unknown speech engine 'festival'" in result.output
    assert "Traceback" not in result.output


def test_without_piper_the_commands_say_so_once(tmp_path: Path, monkeypatch) -> None:
    missing = PiperVoicePackage("no_such_voice_package", "no-such", "en_US", "CC0-1.0")
    monkeypatch.setitem(engines.PIPER_VOICES, "joe", missing)
    monkeypatch.setenv("RUBDOWN_CACHE_DIR", str(tmp_path / "cache"))
    result = CliRunner().invoke(cli, ["cues", "--minutes", "5", "--out", str(tmp_path / "out")])
    if shutil.which("espeak-ng"):
        assert result.exit_code == 0, result.output
        assert result.output.count("speaking with espeak-ng") == 1
        assert "with espeak en-us" in result.output
    from rubdown.web.app import cue_library

    line = cue_library(None, tmp_path / "web", "auto", 150).describe()
    assert line.count("Piper voice is not installed") == 1


@needs_piper
def test_the_server_speaks_with_piper_and_offers_espeak_beside_it(tmp_path: Path) -> None:
    from rubdown.web.app import cue_library

    library = cue_library(None, tmp_path, "auto", 150)
    assert library.describe() == "Voice: piper joe, cues as mp3."
    assert [v["id"] for v in library.info()["voices"]] == ["piper-joe", "espeak-en-us"]


@needs_piper
def test_the_voice_loaded_early_is_the_one_every_engine_then_speaks_with() -> None:
    from rubdown.voice.prepare import warm_voice

    loading = warm_voice("piper")
    assert loading is not None
    loading.join(60)
    assert not loading.is_alive()
    assert PiperEngine().model() is PiperEngine("joe").model()


def test_nothing_is_loaded_early_for_espeak_silence_or_an_unknown_voice() -> None:
    from rubdown.voice.prepare import warm_voice

    assert warm_voice("espeak") is None
    assert warm_voice("none") is None
    assert warm_voice("klingon") is None
