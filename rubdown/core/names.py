"""Text from outside: one rule for people's names, and control characters kept off screens."""

from __future__ import annotations

import re
import unicodedata

MAX_NAME = 80
# A name is part of page addresses (/people/NAME): characters that break a URL path are refused.
UNSAFE_IN_NAMES = frozenset("/\\?#%")
# Escape sequences first (so "ESC [31m" goes as a whole), then any lone control character.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.?")


class NameRefused(ValueError):
    """A name that cannot be stored, with a sentence saying why."""


def is_control(char: str, allow: str = "") -> bool:
    """Whether a character is a control or invisible formatting character (ESC, NUL, BEL, ...)."""
    return char not in allow and unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co")


def control_characters(text: str, allow: str = "") -> list[str]:
    """The distinct control characters in text, as escapes a person can read ('\\x1b')."""
    found = sorted({c for c in text if is_control(c, allow)})
    return [repr(c)[1:-1] for c in found]


def person_name(value: str) -> str:
    """A person's name with spaces tidied; NameRefused if empty, too long or unsafe."""
    tidy = " ".join(value.split())
    if not tidy:
        raise NameRefused("a person needs a name")
    if len(tidy) > MAX_NAME:
        raise NameRefused(f"a name can be at most {MAX_NAME} characters")
    bad = sorted({c for c in tidy if c in UNSAFE_IN_NAMES or is_control(c) or not c.isprintable()})
    if bad:
        shown = " ".join(repr(c)[1:-1] for c in bad)
        raise NameRefused(f"a name cannot contain {shown}; please use letters, digits or spaces")
    return tidy


def printable(text: str) -> str:
    """Text fit for a terminal: escape sequences and control characters removed, lines kept."""
    return "".join(c for c in _ESCAPES.sub("", text) if not is_control(c, "\n\t"))
