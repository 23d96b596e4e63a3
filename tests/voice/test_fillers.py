"""The reject class of the recogniser's grammar: ordinary words that keep clear of the commands."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rubdown.voice.commands import COMMAND_OF_PHRASE, WAKE_WORD
from rubdown.voice.fillers import (
    TOO_CLOSE,
    Lookup,
    edit_distance,
    ranked_fillers,
    safe_fillers,
    targets,
)
from rubdown.voice.listen import grammar, make_decoder, pronunciations

phones = st.lists(st.sampled_from(["AA", "B", "K", "IY", "S", "T"]), max_size=6)


@given(phones, phones)
def test_phone_distance_is_symmetric_and_zero_only_for_the_same_sounds(
    a: list[str], b: list[str]
) -> None:
    assert edit_distance(a, b) == edit_distance(b, a)
    assert (edit_distance(a, b) == 0) == (a == b)
    assert abs(len(a) - len(b)) <= edit_distance(a, b) <= max(len(a), len(b))


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("L AY T ER", "L EY T ER", 1), ("S T AA P", "T AA P", 1), ("G OW", "G OW AA N", 2)],
)
def test_phone_distance_counts_edits(a: str, b: str, distance: int) -> None:
    assert edit_distance(a.split(), b.split()) == distance


@pytest.fixture(scope="module")
def lookup() -> Lookup:
    """The pronunciations of the real decoder's dictionary."""
    return pronunciations(make_decoder(False))


def test_no_filler_is_a_command_word_or_sounds_like_one(lookup: Lookup) -> None:
    said = [*COMMAND_OF_PHRASE, WAKE_WORD]
    chosen = safe_fillers(len(ranked_fillers()), said, lookup)
    words = {w for p in said for w in p.split()}
    assert chosen and not words & set(chosen)
    near = targets(said, lookup)
    for word in chosen:
        for sound in lookup(word):
            assert all(edit_distance(sound.split(), t) > TOO_CLOSE for t in near), word


def test_the_commonest_words_are_taken_first_and_near_ones_left_out(lookup: Lookup) -> None:
    chosen = safe_fillers(300, [*COMMAND_OF_PHRASE, WAKE_WORD], lookup)
    ranked = ranked_fillers()
    assert len(chosen) == 300
    assert [w for w in ranked if w in chosen] == chosen  # in the model's order
    for gone in ("later", "go", "good", "could", "top"):  # one phone from a command, or one
        assert gone in ranked[:1000] and gone not in chosen


def test_the_grammar_offers_fillers_only_as_a_whole_alternative_to_a_command() -> None:
    text = grammar(False, ["yeah", "okay"], 1e-10)
    assert "<filler> = (yeah | okay);" in text
    assert "public <command> = /1/ (<phrase>) | /1e-10/ <filler>;" in text
    assert "<filler>" not in grammar(False)
