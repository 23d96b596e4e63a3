"""YAML reading that remembers where every value came from, and problems as values."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:  # the C loader is several times faster; fall back where libyaml is missing
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a content file, with where it is."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


@dataclass(frozen=True)
class Pos:
    """A 1-based line and column in a file."""

    file: str
    line: int
    column: int

    def problem(self, message: str) -> Problem:
        """A problem located here."""
        return Problem(self.file, self.line, self.column, message)


class LocDict(dict[str, Any]):
    """A mapping that knows where it and each of its values stand."""

    pos: Pos
    key_pos: dict[str, Pos]


class LocList(list[Any]):
    """A sequence that knows where it and each of its items stand."""

    pos: Pos
    item_pos: list[Pos]


def _mark_pos(file: str, node: yaml.Node) -> Pos:
    return Pos(file, node.start_mark.line + 1, node.start_mark.column + 1)


class _LocLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader whose mappings and sequences carry source positions."""

    file = "<string>"
    problems: list[Problem]

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LocDict:
        result = LocDict()
        result.pos = _mark_pos(self.file, node)
        result.key_pos = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                self.problems.append(
                    _mark_pos(self.file, key_node).problem(f"duplicate key '{key}'")
                )
            result[key] = self.construct_object(value_node, deep=True)
            result.key_pos[key] = _mark_pos(self.file, value_node)
        return result

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LocList:
        result = LocList(self.construct_object(child, deep=True) for child in node.value)
        result.pos = _mark_pos(self.file, node)
        result.item_pos = [_mark_pos(self.file, child) for child in node.value]
        return result


_LocLoader.add_constructor("tag:yaml.org,2002:map", _LocLoader.construct_mapping)
_LocLoader.add_constructor("tag:yaml.org,2002:seq", _LocLoader.construct_sequence)


def parse_yaml(text: str, file: str) -> tuple[Any, list[Problem]]:
    """Parse YAML text into located values, collecting problems instead of raising."""
    loader = _LocLoader(text)
    loader.file = file
    loader.problems = []
    try:
        return loader.get_single_data(), loader.problems
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = err.problem or err.context or "not valid YAML"
        return None, [*loader.problems, Problem(file, line, col, f"YAML syntax: {reason}")]
    except yaml.YAMLError as err:
        return None, [*loader.problems, Problem(file, 1, 1, f"YAML: {err}")]
    finally:
        loader.dispose()


def read_yaml(path: Path, label: str | None = None) -> tuple[Any, list[Problem]]:
    """Read and parse a YAML file; unreadable files become problems too."""
    name = label or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [Problem(name, 1, 1, "file not found")]
    except (OSError, UnicodeDecodeError) as err:
        return None, [Problem(name, 1, 1, f"cannot read file: {err}")]
    return parse_yaml(text, name)


def pos_of(container: Any, key: str | int, fallback: Pos) -> Pos:
    """Where a key's value (or a list item) stands, or the fallback."""
    if isinstance(container, LocDict) and isinstance(key, str):
        return container.key_pos.get(key, container.pos)
    if isinstance(container, LocList) and isinstance(key, int) and key < len(container.item_pos):
        return container.item_pos[key]
    return getattr(container, "pos", fallback)
