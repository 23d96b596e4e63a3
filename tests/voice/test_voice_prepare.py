"""Preparing a plan's voice: the play-order queue, and the progress the terminal is told."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rubdown.voice.cache import CueAudioCache
from rubdown.voice.engines import EspeakEngine
from rubdown.voice.prepare import ProgressNote, synthesise

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng is not installed"
)


@pytest.mark.parametrize(
    ("total", "said_at"),
    [
        (4, [1, 2, 3, 4]),
        (8, [2, 4, 6, 8]),
        (10, [3, 5, 8, 10]),
        (2, [1, 2]),
        (1, [1]),
    ],
)
def test_progress_is_told_at_each_quarter_and_once_at_the_end(total, said_at) -> None:
    lines: list[str] = []
    note = ProgressNote(lines.append)
    for ready in range(1, total + 1):
        note(ready, total)
    assert lines[-1] == f"Voice: all {total} cues ready."
    told = [int(line.split()[1]) for line in lines[:-1]]
    assert [*told, total] == said_at
    tail = f"of {total} cues ready; the rest are made as you go."
    assert all(line.endswith(tail) for line in lines[:-1])


def test_progress_said_now_is_not_said_again_at_the_same_quarter() -> None:
    lines: list[str] = []
    note = ProgressNote(lines.append)
    note.now(3, 12)
    for ready in (3, 4, 5, 6):
        note(ready, 12)
    assert lines == [
        "Voice: 3 of 12 cues ready; the rest are made as you go.",
        "Voice: 6 of 12 cues ready; the rest are made as you go.",
    ]


def test_progress_said_at_a_quarter_is_not_said_again_when_asked_now() -> None:
    # The guide asks for a line as the session starts: the same count just said is not repeated.
    lines: list[str] = []
    note = ProgressNote(lines.append)
    note(3, 12)
    note.now(3, 12)
    note(6, 12)
    assert lines == [
        "Voice: 3 of 12 cues ready; the rest are made as you go.",
        "Voice: 6 of 12 cues ready; the rest are made as you go.",
    ]


@needs_espeak
def test_synthesise_returns_with_the_first_cues_and_finishes_the_rest(tmp_path: Path) -> None:
    texts = [f"Cue number {n}. Breathe out slowly." for n in range(1, 9)]
    cache = CueAudioCache(tmp_path, EspeakEngine())
    told: list[tuple[int, int]] = []
    prep = synthesise(cache, texts, first=2, on_ready=lambda r, t: told.append((r, t)))
    assert prep.ready >= 2
    assert all(cache.path_for(t).is_file() for t in texts[:2])
    assert prep.done.wait(60)
    assert prep.error is None and prep.ready == len(texts)
    assert [r for r, _ in told] == list(range(1, len(texts) + 1))
    assert prep.first_ready_s is not None and prep.all_ready_s is not None
    assert prep.first_ready_s <= prep.all_ready_s
    # The shared second sentence was spoken once for all eight cues.
    assert len(list((tmp_path / "sentences").glob("*.wav"))) == len(texts) + 1
