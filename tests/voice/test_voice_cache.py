"""The cue cache: content-addressed files, synthesised once, prefetched in bulk."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from rubdown.voice.cache import SENTENCE_GAP_S, CueAudioCache, default_cache_root, sentences
from rubdown.voice.engines import EspeakEngine, SilentEngine, SynthesisError

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng is not installed"
)

CUES = [
    "Settle in and take three slow breaths together.",
    "Warm the back with long gliding strokes.",
    "Move to the shoulders.",
    "Knead the top of the shoulders, one side at a time.",
    "Ask how the pressure feels.",
    "Thumbs either side of the spine, never on it.",
    "Slow down a little.",
    "Circle the shoulder blades with your palms.",
    "Finish with three long strokes from neck to hips.",
    "Rest your hands still for a moment, then lift them away.",
]


def wav_files(root: Path) -> list[Path]:
    """Return every cue entry in the cache folder but the duration notes, temp files included."""
    if not root.exists():
        return []
    return sorted(p for p in root.iterdir() if p.suffix != ".json" and p.name != "sentences")


def sentence_files(root: Path) -> list[Path]:
    """Return every entry in the folder of spoken sentences, temp files included."""
    folder = root / "sentences"
    return sorted(folder.iterdir()) if folder.exists() else []


@needs_espeak
def test_ensure_writes_a_wav_named_by_its_key(tmp_path: Path, espeak, wav_info) -> None:
    cache = CueAudioCache(tmp_path, espeak)
    path = cache.ensure(CUES[0])
    assert path == cache.path_for(CUES[0])
    assert path.name == f"{cache.key_for(CUES[0])}.wav" and len(path.stem) == 64
    assert wav_info(path).rms > 300


@needs_espeak
def test_cache_hit_does_not_resynthesise(tmp_path: Path, espeak) -> None:
    cache = CueAudioCache(tmp_path, espeak)
    first = cache.ensure(CUES[1])
    os.utime(first, ns=(1_000_000_000, 1_000_000_000))  # an old stamp a rewrite would change
    second = cache.ensure(CUES[1])
    assert second == first
    assert second.stat().st_mtime_ns == 1_000_000_000
    assert wav_files(tmp_path) == [first]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Slow down.", "Slow down!"),
        ("Move to the shoulders.", "Move to the neck."),
        ("press", "Press"),
    ],
)
def test_different_texts_get_different_keys(tmp_path: Path, a: str, b: str) -> None:
    cache = CueAudioCache(tmp_path, EspeakEngine())
    assert cache.path_for(a) != cache.path_for(b)


def test_whitespace_layout_shares_a_key(tmp_path: Path) -> None:
    cache = CueAudioCache(tmp_path, EspeakEngine())
    assert cache.path_for("Slow  down,\n gently.") == cache.path_for(" Slow down, gently. ")


@pytest.mark.parametrize(
    "other",
    [
        CueAudioCache(Path("x"), EspeakEngine(voice="en-gb")),
        CueAudioCache(Path("x"), EspeakEngine(), rate_wpm=180),
        CueAudioCache(Path("x"), SilentEngine()),
    ],
)
def test_voice_settings_change_the_key(other: CueAudioCache) -> None:
    base = CueAudioCache(Path("x"), EspeakEngine())
    assert base.key_for("Slow down.") != other.key_for("Slow down.")


@needs_espeak
def test_prefetch_of_ten_texts_makes_ten_files(tmp_path: Path, espeak) -> None:
    cache = CueAudioCache(tmp_path, espeak)
    paths = cache.prefetch(CUES, workers=3)
    assert list(paths) == CUES
    assert wav_files(tmp_path) == sorted(paths.values())
    assert all(p.stat().st_size > 1000 for p in paths.values())


@needs_espeak
def test_prefetch_synthesises_duplicates_once(tmp_path: Path, espeak) -> None:
    cache = CueAudioCache(tmp_path, espeak)
    paths = cache.prefetch([CUES[2], CUES[3], CUES[2]])
    assert list(paths) == [CUES[2], CUES[3]]
    assert len(wav_files(tmp_path)) == 2


@needs_espeak
def test_a_sentence_shared_by_cues_is_spoken_once(tmp_path: Path, espeak, wav_info) -> None:
    shared = "Check in: ask how the pressure feels."
    cues = [f"Move to the calves. {shared}", f"{shared} Then the feet.", shared]
    cache = CueAudioCache(tmp_path, espeak)
    paths = cache.prefetch(cues)
    assert len(wav_files(tmp_path)) == 3
    spoken = sentence_files(tmp_path)
    assert len(spoken) == 3  # calves, the check-in, the feet
    assert all(p.suffix == ".wav" for p in spoken)
    # A cue lasts as long as its sentences, one short breath between each.
    parts = [wav_info(cache.sentence_path(s)).seconds for s in sentences(cues[0])]
    joined = wav_info(paths[cues[0]]).seconds
    assert joined == pytest.approx(sum(parts) + SENTENCE_GAP_S, abs=0.01)
    assert cache.seconds_for(cues[0]) == pytest.approx(joined, abs=0.01)


def test_sentences_split_after_full_stops_only() -> None:
    assert sentences("Next, the neck. Slow; light! Ready? Go") == [
        "Next, the neck.",
        "Slow; light!",
        "Ready?",
        "Go",
    ]
    assert sentences("4 times, pressure 2 of 10.") == ["four times, pressure two of ten."]


def test_silent_engine_yields_none_and_no_files(tmp_path: Path) -> None:
    cache = CueAudioCache(tmp_path / "cues", SilentEngine())
    assert cache.ensure(CUES[0]) is None
    assert cache.prefetch(CUES) == {}
    assert not (tmp_path / "cues").exists()


def test_failed_synthesis_leaves_no_partial_file(tmp_path: Path) -> None:
    false = shutil.which("false")
    if false is None:
        pytest.skip("no `false` binary")
    cache = CueAudioCache(tmp_path, EspeakEngine(binary=false))
    with pytest.raises(SynthesisError):
        cache.ensure(CUES[0])
    assert wav_files(tmp_path) == []
    assert sentence_files(tmp_path) == []


def test_prefetch_rejects_zero_workers(tmp_path: Path) -> None:
    cache = CueAudioCache(tmp_path, SilentEngine())
    with pytest.raises(ValueError, match="workers"):
        cache.prefetch(CUES, workers=0)


def test_env_var_overrides_the_cache_root(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RUBDOWN_CACHE_DIR", str(tmp_path))
    assert default_cache_root() == tmp_path / "cues"
    assert CueAudioCache(None, SilentEngine()).root == tmp_path / "cues"


def test_default_root_is_the_user_cache_dir(monkeypatch) -> None:
    monkeypatch.delenv("RUBDOWN_CACHE_DIR", raising=False)
    root = default_cache_root()
    assert root.parts[-2:] == ("rubdown", "cues")
    assert root.is_absolute()
