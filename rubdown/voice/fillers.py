"""Ordinary words the grammar offers beside the commands, so talk has a reject class to go to.

A closed grammar of commands alone forces its nearest command onto "yeah" or "okay". With
common words as an alternative path, such speech decodes as those words and is rejected.
The words are the general language model's most probable ones (`fillers.txt`, written by
`bench/listen_fillers.py`), less any that sound like a command: a filler one phone away from
a command word or phrase would steal that command.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

FILLERS_PATH = Path(__file__).with_name("fillers.txt")
# A filler this many phone edits or fewer from a command word or phrase is left out.
TOO_CLOSE = 1

Lookup = Callable[[str], list[str]]  # a word's pronunciations, each as "F ER M ER"


@cache
def ranked_fillers() -> tuple[str, ...]:
    """The candidate words, most probable first."""
    lines = FILLERS_PATH.read_text(encoding="utf-8").splitlines()
    return tuple(w for w in (line.strip() for line in lines) if w and not w.startswith("#"))


def edit_distance(a: list[str], b: list[str]) -> int:
    """Levenshtein distance between two phone sequences."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        diagonal, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            diagonal, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, diagonal + (x != y))
    return row[-1]


def phrase_sounds(phrase: str, lookup: Lookup) -> list[list[str]]:
    """Every way the phrase can be pronounced, as phone lists (one per variant combination)."""
    per_word = [lookup(word) for word in phrase.split()]
    return [" ".join(combo).split() for combo in itertools.product(*per_word)]


def targets(phrases: Iterable[str], lookup: Lookup) -> list[list[str]]:
    """The sounds a filler must keep away from: each command phrase and each of its words."""
    said = list(phrases)
    words = {w for p in said for w in p.split()}
    return [s for text in [*said, *sorted(words)] for s in phrase_sounds(text, lookup)]


def safe_fillers(count: int, phrases: Iterable[str], lookup: Lookup) -> list[str]:
    """The first `count` candidates that are not command words and not near one in sound."""
    said = list(phrases)
    words = {w for p in said for w in p.split()}
    near = targets(said, lookup)
    out: list[str] = []
    for word in ranked_fillers():
        if len(out) >= count:
            break
        sounds = lookup(word)
        if word in words or not sounds:
            continue
        if all(edit_distance(s.split(), t) > TOO_CLOSE for s in sounds for t in near):
            out.append(word)
    return out
