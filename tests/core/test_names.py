"""One rule for people's names, and control sequences kept off the terminal."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rubdown.core.names import NameRefused, is_control, person_name, printable


@pytest.mark.parametrize(
    "given_name, kept",
    [("Ann", "Ann"), ("Ann   Marie ", "Ann Marie"), ("Zoë", "Zoë"), ("李", "李"), ("O'N", "O'N")],
)
def test_ordinary_names_are_kept_with_spaces_tidied(given_name: str, kept: str) -> None:
    assert person_name(given_name) == kept


@pytest.mark.parametrize(
    "bad, says",
    [
        ("", "needs a name"),
        ("   ", "needs a name"),
        (" Ann", "must start with"),
        ("x" * 81, "at most 80"),
        ("Ann/Bo", "cannot contain /"),
        ("50%", "cannot contain %"),
        ("Ann\x1b[31m", "cannot contain \\x1b"),
        ("A\x00B", "cannot contain \\x00"),
        ("Bell\x07", "cannot contain \\x07"),
        ("\u202eevil", "cannot contain \\u202e"),
    ],
)
def test_names_that_break_a_page_address_or_a_terminal_are_refused(bad: str, says: str) -> None:
    with pytest.raises(NameRefused, match=says.replace("\\", "\\\\")):
        person_name(bad)


@pytest.mark.parametrize(
    "text, shown",
    [
        ("plain", "plain"),
        ("\x1b[2J\x1b[31mred\x1b[0m", "red"),
        ("title\x1b]0;owned\x07", "title"),
        ("a\x00b\x07c", "abc"),
        ("two\nlines\tok", "two\nlines\tok"),
    ],
)
def test_printable_removes_escape_sequences_and_control_characters(text: str, shown: str) -> None:
    assert printable(text) == shown


@given(st.text())
def test_printable_never_leaves_a_control_character(text: str) -> None:
    out = printable(text)
    assert not any(is_control(c, "\n\t") for c in out)
