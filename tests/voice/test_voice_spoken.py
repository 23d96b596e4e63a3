"""Numbers, times, ordinals and units are spelled out before any engine speaks them."""

from __future__ import annotations

import pytest

from rubdown.voice.spoken import number_words, ordinal_words, speakable


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("4 times, pressure 3 of 10.", "four times, pressure three of ten."),
        ("Start at 7:00.", "Start at seven o'clock."),
        ("Start at 9:05.", "Start at nine oh five."),
        ("Start at 21:45.", "Start at nine forty-five."),
        ("The 1st, 2nd and 3rd strokes.", "The first, second and third strokes."),
        ("Your 22nd session, the 40th minute.", "Your twenty-second session, the fortieth minute."),
        ("Hold for 30 s, then 1 min more.", "Hold for thirty seconds, then one minute more."),
        ("Pressure 3/10.", "Pressure three out of ten."),
        ("Do 2-3 rounds.", "Do two to three rounds."),
        ("About 1.5 times as long.", "About one point five times as long."),
        ("At 50% pressure.", "At fifty percent pressure."),
        ("No numbers here.", "No numbers here."),
        ("  Extra   spaces\n here. ", "Extra spaces here."),
    ],
)
def test_speakable_spells_out_what_voices_misread(text: str, said: str) -> None:
    assert speakable(text) == said


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "zero"),
        (13, "thirteen"),
        (20, "twenty"),
        (99, "ninety-nine"),
        (100, "one hundred"),
        (115, "one hundred and fifteen"),
        (2026, "two thousand and twenty-six"),
        (30_000, "thirty thousand"),
    ],
)
def test_number_words(n: int, words: str) -> None:
    assert number_words(n) == words


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (1, "first"),
        (5, "fifth"),
        (12, "twelfth"),
        (20, "twentieth"),
        (101, "one hundred and first"),
    ],
)
def test_ordinal_words(n: int, words: str) -> None:
    assert ordinal_words(n) == words


def test_no_digit_survives_normalisation() -> None:
    text = "Step 3 of 12 at 10:30, the 2nd time, 45 s, 7/10, 3-4 reps, 2.5 cm, 1234567."
    assert not any(ch.isdigit() for ch in speakable(text))
