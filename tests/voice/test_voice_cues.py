"""`rubdown cues` and the cue cache: compressed files that decode, with honest durations."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from rubdown.cli.main import cli
from rubdown.voice.cache import CueAudioCache
from rubdown.voice.encode import MP3_BITRATE_KBPS, MP3_SAMPLE_RATE_KHZ
from rubdown.voice.engines import EspeakEngine, PiperEngine

needs_tools = pytest.mark.skipif(
    not (shutil.which("espeak-ng") and shutil.which("lame") and shutil.which("sox")),
    reason="espeak-ng, lame and sox (scripts/setup.sh installs them)",
)


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("RUBDOWN_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def run_cues(out: Path, *args: str):
    return CliRunner().invoke(cli, ["cues", "--minutes", "5", "--out", str(out), *args])


@needs_tools
@pytest.mark.parametrize(
    ("fmt", "channels", "rate"), [("mp3", 1, MP3_SAMPLE_RATE_KHZ * 1000), ("wav", 1, 22050)]
)
def test_cue_files_decode_and_match_the_manifest(
    tmp_path: Path, cache_dir: Path, decoder, fmt: str, channels: int, rate: int
) -> None:
    out = tmp_path / "out"
    result = run_cues(out, "--voice", "espeak", "--format", fmt)
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest and set(manifest[0]) == {"at_s", "slot_s", "text", "file", "seconds"}
    for cue in manifest:
        decoded = decoder(out / cue["file"])
        assert (decoded.channels, decoded.sample_rate) == (channels, rate)
        # MP3 frames pad the end by at most one frame (1152 samples at 16 kHz is 72 ms).
        assert abs(decoded.seconds - cue["seconds"]) < 0.12, cue
        assert cue["file"].endswith(f".{fmt}")
    files = {c["file"] for c in manifest}
    assert {p.name for p in out.iterdir()} == {*files, "manifest.json"}


@needs_tools
def test_cues_prints_counts_bytes_speech_and_synthesis(tmp_path: Path, cache_dir: Path) -> None:
    out = tmp_path / "out"
    result = run_cues(out, "--voice", "espeak")
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    size = sum(p.stat().st_size for p in out.glob("*.mp3"))
    speech = sum({c["file"]: c["seconds"] for c in manifest}.values())
    summary = result.output.strip().splitlines()[-1]
    assert summary.startswith(f"{len(manifest)} cues, {size} bytes, {speech:.1f} s of speech")
    assert "s of synthesis" in summary
    # A speech bit rate: about 3 KB a second of speech, a tenth of the WAV it came from.
    assert size < speech * MP3_BITRATE_KBPS * 1000 / 8 * 1.3
    again = run_cues(tmp_path / "again", "--voice", "espeak")
    assert "(0 newly made)" in again.output


def test_cache_key_covers_engine_voice_rate_format_and_text(tmp_path: Path) -> None:
    base = CueAudioCache(tmp_path, EspeakEngine()).key_for("Slow down.")
    variants = [
        CueAudioCache(tmp_path, PiperEngine()).key_for("Slow down."),
        CueAudioCache(tmp_path, EspeakEngine("en-gb")).key_for("Slow down."),
        CueAudioCache(tmp_path, EspeakEngine(), rate_wpm=170).key_for("Slow down."),
        CueAudioCache(tmp_path, EspeakEngine(), fmt="mp3").key_for("Slow down."),
        CueAudioCache(tmp_path, EspeakEngine()).key_for("Slow down now."),
    ]
    assert len({base, *variants}) == 6


def test_spelled_out_numbers_share_a_recording(tmp_path: Path) -> None:
    cache = CueAudioCache(tmp_path, EspeakEngine())
    assert cache.key_for("4 times.") == cache.key_for("four times.")


@needs_tools
def test_measured_seconds_are_kept_beside_each_cue(tmp_path: Path, decoder) -> None:
    cache = CueAudioCache(tmp_path, EspeakEngine(), fmt="mp3")
    path = cache.ensure("Lean in gently, then ease off.")
    assert path is not None and path.suffix == ".mp3"
    seconds = cache.seconds_for("Lean in gently, then ease off.")
    assert seconds is not None and abs(decoder(path).seconds - seconds) < 0.12
    assert cache.seconds_for("Never made.") is None


@needs_tools
def test_estimates_are_generous_against_measured_durations(tmp_path: Path) -> None:
    from rubdown.voice.engines import choose_engine
    from rubdown.voice.prepare import estimate_seconds

    texts = [
        "Halfway.",
        "Next, the neck. Tell your partner where your hands are going.",
        "Hips: Palm strokes over low back, hips and buttocks. Add fresh oil, then use your "
        "palms in long flowing strokes up and down the low back. 11 times, pressure 4 of 10.",
    ]
    for engine in {EspeakEngine(), choose_engine("auto")[0]}:
        cache = CueAudioCache(tmp_path, engine)
        cache.prefetch(texts)
        for text in texts:
            measured = cache.seconds_for(text)
            assert measured is not None and measured <= estimate_seconds(text), (engine, text)
