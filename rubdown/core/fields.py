"""Typed reading of one YAML mapping's fields, collecting every problem found."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rubdown.core.names import control_characters
from rubdown.core.source import Pos, Problem, pos_of

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ONE_LINE = frozenset({"id", "name", "item", "technique", "region", "position", "kind"})


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    for kind, name in ((bool, "true/false"), (dict, "a mapping"), (list, "a list"), (str, "text")):
        if isinstance(value, kind):
            return name
    return "a number" if isinstance(value, int | float) else type(value).__name__


class Fields:
    """Reads fields of one mapping; each bad field adds a located problem."""

    def __init__(self, data: Any, where: Pos, what: str, problems: list[Problem]) -> None:
        self.problems = problems
        self.what = what
        self.ok = isinstance(data, dict)
        self.data: dict[str, Any] = data if isinstance(data, dict) else {}
        self.pos: Pos = getattr(data, "pos", where)
        self.seen: set[str] = set()
        if not self.ok:
            self.problems.append(where.problem(f"{what} must be a mapping, not {_type_name(data)}"))

    def at(self, key: str) -> Pos:
        """Where a field's value stands (or the mapping, when the field is missing)."""
        return pos_of(self.data, key, self.pos)

    def add(self, key: str, message: str) -> None:
        """Record a problem about a field."""
        self.problems.append(self.at(key).problem(message))

    def _get(self, key: str, required: bool) -> Any:
        self.seen.add(key)
        if key not in self.data or self.data[key] is None:
            if required and self.ok:
                self.problems.append(self.pos.problem(f"{self.what} is missing '{key}'"))
            return None
        return self.data[key]

    def text(self, key: str, required: bool = True, default: str = "") -> str:
        """A non-empty string field."""
        value = self._get(key, required)
        if value is None:
            return default
        if isinstance(value, str) and not value.strip():
            self.add(key, f"'{key}' must not be empty")
            return default
        if not isinstance(value, str):
            self.add(key, f"'{key}' must be text, not {_type_name(value)}")
            return default
        # Names and ids are one line; longer texts may break lines, but nothing else unseen.
        bad = control_characters(value.strip(), "" if key in ONE_LINE else "\n\t")
        if bad:
            self.add(key, f"'{key}' must not contain control characters ({' '.join(bad)})")
            return default
        return value.strip()

    def ident(self, key: str = "id") -> str:
        """A kebab-case id."""
        value = self.text(key)
        if value and not ID_PATTERN.match(value):
            self.add(key, f"'{key}' must be lowercase words joined by '-', got '{value}'")
        return value

    def integer(self, key: str, lo: int, hi: int, required: bool = True) -> int | None:
        """A whole number within [lo, hi]."""
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(key, f"'{key}' must be a whole number, not {_type_name(value)}")
            return None
        if not lo <= value <= hi:
            self.add(key, f"'{key}' must be between {lo} and {hi}, got {value}")
            return None
        return value

    def number(self, key: str, lo: float, hi: float) -> float | None:
        """A number within [lo, hi]."""
        value = self._get(key, True)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(key, f"'{key}' must be a number, not {_type_name(value)}")
            return None
        if not lo <= value <= hi:
            self.add(key, f"'{key}' must be between {lo} and {hi}, got {value}")
            return None
        return float(value)

    def flag(self, key: str, default: bool = False) -> bool:
        """A true/false field."""
        value = self._get(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.add(key, f"'{key}' must be true or false, not {_type_name(value)}")
            return default
        return value

    def texts(self, key: str, required: bool = False) -> tuple[str, ...]:
        """A list of strings (a single string is not accepted: lists stay lists)."""
        value = self._get(key, required)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.add(key, f"'{key}' must be a list, not {_type_name(value)}")
            return ()
        out = []
        for i, item in enumerate(value):
            where = pos_of(value, i, self.at(key))
            bad = control_characters(item, "\n\t") if isinstance(item, str) else []
            if bad:
                message = f"'{key}' items must not contain control characters ({' '.join(bad)})"
                self.problems.append(where.problem(message))
            elif isinstance(item, str) and item.strip():
                out.append(item.strip())
            else:
                self.problems.append(where.problem(f"'{key}' items must be text"))
        if required and not out and value == []:
            self.add(key, f"'{key}' must not be empty")
        return tuple(out)

    def choice(self, key: str, choices: Iterable[str], required: bool = True) -> str:
        """A text field that must be one of the given choices."""
        value = self.text(key, required)
        allowed = tuple(choices)
        if value and value not in allowed:
            self.add(key, f"unknown {key} '{value}' (choose from: {', '.join(allowed)})")
            return ""
        return value

    def refs(
        self, key: str, known: Iterable[str], label: str, required: bool = False
    ) -> tuple[str, ...]:
        """A list of ids that must all be known."""
        allowed = set(known)
        values = self.texts(key, required)
        raw = self.data.get(key)
        for i, value in enumerate(values):
            if value not in allowed:
                where = pos_of(raw, i, self.at(key))
                self.problems.append(where.problem(f"unknown {label} '{value}'"))
        return tuple(v for v in values if v in allowed)

    def raw(self, key: str, required: bool = False) -> Any:
        """A field's raw value, for nested reading."""
        return self._get(key, required)

    def done(self) -> None:
        """Flag fields nobody asked for: usually a typo."""
        for key in self.data:
            if key not in self.seen:
                expected = ", ".join(sorted(self.seen))
                self.add(key, f"unknown field '{key}' in {self.what} (expected: {expected})")
