"""Text from outside: one rule for people's names, and control characters kept off screens."""

from __future__ import annotations

import re
import unicodedata

MAX_NAME = 80
# A name is part of page addresses (/people/NAME): characters that break a URL path are refused,
# and so are control, invisible-formatting and bidirectional characters that fool a screen.
REFUSED_CHARS = (
    "/\\\\?#%\\x00-\\x1f\\x7f-\\x9f\\xad\\u061c\\u180e\\u200b-\\u200f\\u2028-\\u202e"
    "\\u2060-\\u206f\\ufeff\\ufff9-\\ufffb"
)
# The one rule, as a pattern the web's API documents too: 1 to 80 characters, starting with a
# visible one, none refused. (Lone surrogates, which no valid text holds, are refused as well.)
NAME_PATTERN = f"^[^\\s{REFUSED_CHARS}][^{REFUSED_CHARS}]{{0,{MAX_NAME - 1}}}$"
_NAME = re.compile(NAME_PATTERN)
_REFUSED = re.compile(f"[{REFUSED_CHARS}\\ud800-\\udfff]")
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
    """A name by the one rule (NAME_PATTERN), inner spaces tidied; NameRefused says why not."""
    if not value.strip():
        raise NameRefused("a person needs a name")
    if len(value) > MAX_NAME:
        raise NameRefused(f"a name can be at most {MAX_NAME} characters")
    bad = sorted(set(_REFUSED.findall(value)))
    if bad:
        shown = " ".join(repr(c)[1:-1] for c in bad)
        raise NameRefused(f"a name cannot contain {shown}; please use letters, digits or spaces")
    if not _NAME.match(value):
        raise NameRefused("a name must start with a letter, digit or sign, not a space")
    return " ".join(value.split())


def printable(text: str) -> str:
    """Text fit for a terminal: escape sequences and control characters removed, lines kept."""
    return "".join(c for c in _ESCAPES.sub("", text) if not is_control(c, "\n\t"))
