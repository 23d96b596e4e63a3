"""Text as it should be read aloud: numbers, times, ordinals and units spelled out in words.

Neural voices such as Piper read raw digits badly ("3/10" can come out as a date), so every
engine gets the same spelled-out sentence, and the cache key is made from it.
"""

from __future__ import annotations

import re
from functools import lru_cache

ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
# Irregular ordinal endings; everything else takes "th" (twenty -> twentieth via "y").
ORDINAL_WORDS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}
UNITS = {
    "s": ("second", "seconds"),
    "sec": ("second", "seconds"),
    "secs": ("second", "seconds"),
    "min": ("minute", "minutes"),
    "mins": ("minute", "minutes"),
    "h": ("hour", "hours"),
    "hr": ("hour", "hours"),
    "cm": ("centimetre", "centimetres"),
    "%": ("percent", "percent"),
}
LARGEST = 999_999

TIME = re.compile(r"\b([01]?\d|2[0-3]):([0-5]\d)\b")
ORDINAL = re.compile(r"\b(\d+)(st|nd|rd|th)\b", re.IGNORECASE)
OUT_OF = re.compile(r"\b(\d+)\s*/\s*(\d+)\b")
RANGE = re.compile(r"\b(\d+)\s*[-–]\s*(\d+)\b")
WITH_UNIT = re.compile(r"\b(\d+(?:\.\d+)?)\s*(secs?|mins?|hr|h|s|cm|%)(?![\w])", re.IGNORECASE)
DECIMAL = re.compile(r"\b(\d+)\.(\d+)\b")
INTEGER = re.compile(r"\b\d+\b")


def number_words(n: int) -> str:
    """Spell a whole number from 0 to 999,999 in English words."""
    if not 0 <= n <= LARGEST:
        return " ".join(ONES[int(d)] for d in str(n))  # read very long numbers digit by digit
    if n < 20:
        return ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return TENS[tens] + (f"-{ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{ONES[hundreds]} hundred" + (f" and {number_words(rest)}" if rest else "")
    thousands, rest = divmod(n, 1000)
    joiner = " and " if 0 < rest < 100 else " "
    return f"{number_words(thousands)} thousand" + (joiner + number_words(rest) if rest else "")


def ordinal_words(n: int) -> str:
    """Spell an ordinal: 1 -> first, 22 -> twenty-second, 40 -> fortieth."""
    words = number_words(n)
    head, sep, last = words.rpartition("-" if "-" in words.split()[-1] else " ")
    if last in ORDINAL_WORDS:
        last = ORDINAL_WORDS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return f"{head}{sep}{last}"


def time_words(hours: int, minutes: int) -> str:
    """Read a clock time the way people say it: 7:00 -> seven o'clock, 9:05 -> nine oh five."""
    hour = number_words(hours % 12 or 12) if hours != 0 else "twelve"
    if minutes == 0:
        return f"{hour} o'clock"
    if minutes < 10:
        return f"{hour} oh {ONES[minutes]}"
    return f"{hour} {number_words(minutes)}"


def _unit(match: re.Match[str]) -> str:
    """Spell a number with its unit: 30 s -> thirty seconds."""
    value, unit = match.group(1), match.group(2).lower()
    one, many = UNITS[unit]
    return f"{_number(value)} {one if value == '1' else many}"


def _number(text: str) -> str:
    """Spell an integer or a decimal given as digits."""
    whole, _, fraction = text.partition(".")
    words = number_words(int(whole))
    if fraction:
        words += " point " + " ".join(ONES[int(d)] for d in fraction)
    return words


@lru_cache(maxsize=4096)
def speakable(text: str) -> str:
    """Return `text` with every number, time, ordinal and unit written out as words."""
    text = " ".join(text.split())
    text = TIME.sub(lambda m: time_words(int(m.group(1)), int(m.group(2))), text)
    text = ORDINAL.sub(lambda m: ordinal_words(int(m.group(1))), text)
    text = OUT_OF.sub(lambda m: f"{_number(m.group(1))} out of {_number(m.group(2))}", text)
    text = RANGE.sub(lambda m: f"{_number(m.group(1))} to {_number(m.group(2))}", text)
    text = WITH_UNIT.sub(_unit, text)
    text = DECIMAL.sub(lambda m: _number(m.group(0)), text)
    return INTEGER.sub(lambda m: _number(m.group(0)), text)
