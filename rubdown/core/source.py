"""YAML reading that remembers where every value came from, and problems as values."""

from __future__ import annotations

import gc
import resource
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:  # the C loader is several times faster; fall back where libyaml is missing
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader


def reading_clock() -> float:
    """This thread's user CPU seconds: the reading work, not the kernel's paging or reclaim."""
    usage = resource.getrusage(resource.RUSAGE_THREAD)
    return usage.ru_utime


@contextmanager
def _collection_paused() -> Iterator[None]:
    """Hold the garbage collector so a full collection of a big process is not charged here."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


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


def _mark_pos(file: str, node: yaml.Node | yaml.Event) -> Pos:
    mark = node.start_mark
    return Pos(file, mark.line + 1, mark.column + 1) if mark is not None else Pos(file, 1, 1)


class _LocLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader whose mappings and sequences carry source positions."""

    file = "<string>"
    problems: list[Problem]
    deadline = float("inf")
    clock: Callable[[], float]

    def _in_time(self) -> None:
        if self.clock() > self.deadline:
            raise _OverBudget

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LocDict:  # noqa: ARG002
        self._in_time()
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

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LocList:  # noqa: ARG002
        self._in_time()
        result = LocList(self.construct_object(child, deep=True) for child in node.value)
        result.pos = _mark_pos(self.file, node)
        result.item_pos = [_mark_pos(self.file, child) for child in node.value]
        return result


_LocLoader.add_constructor("tag:yaml.org,2002:map", _LocLoader.construct_mapping)
_LocLoader.add_constructor("tag:yaml.org,2002:seq", _LocLoader.construct_sequence)


class _OverBudget(Exception):
    """Reading a file took longer than its time budget."""


@dataclass(frozen=True)
class Limits:
    """How much one content file may hold: far above any real file, far below harm."""

    max_bytes: int = 256 * 1024
    max_depth: int = 24
    max_nodes: int = 40_000
    max_aliases: int = 50
    max_digits: int = 18
    # Of this thread's user CPU time, with the collector held, so a busy machine does not trip it.
    seconds: float = 2.0


LIMITS = Limits()
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_RESOLVER = yaml.resolver.Resolver()


@dataclass
class _Frame:
    """One open mapping or sequence during the pre-scan."""

    is_map: bool
    anchor: str | None
    nodes_before: int
    key_next: bool = True


class _Scan:
    """Walks the event stream once, refusing what could exhaust memory, stack or time."""

    def __init__(self, file: str, limits: Limits, clock: Callable[[], float]) -> None:
        self.file, self.limits, self.clock = file, limits, clock
        self.deadline = clock() + limits.seconds
        self.stack: list[_Frame] = []
        self.sizes: dict[str, int] = {}
        self.nodes = self.aliases = 0

    def problem(self, event: yaml.Event, message: str) -> Problem:
        """A problem at the event's place in the file."""
        return _mark_pos(self.file, event).problem(message)

    def run(self, text: str) -> Problem | None:
        """The first reason not to build this document, or None when it is safe."""
        for count, event in enumerate(yaml.parse(text, Loader=_BaseLoader)):
            if count % 1024 == 0 and self.clock() > self.deadline:
                return self.problem(event, _too_slow(self.limits))
            found = self.step(event)
            if found is not None:
                return found
        return None

    def step(self, event: yaml.Event) -> Problem | None:
        """Check one event; open and close collections."""
        if isinstance(event, yaml.CollectionEndEvent):
            frame = self.stack.pop()
            if frame.anchor:
                self.sizes[frame.anchor] = self.nodes - frame.nodes_before
            return None
        if not isinstance(event, yaml.NodeEvent):
            return None
        found = self.node(event)
        if found is None and isinstance(event, yaml.CollectionStartEvent):
            is_map = isinstance(event, yaml.MappingStartEvent)
            self.stack.append(_Frame(is_map, event.anchor, self.nodes - 1))
            if len(self.stack) > self.limits.max_depth:
                depth = self.limits.max_depth
                return self.problem(event, f"nested too deeply (more than {depth} levels)")
        return found

    def node(self, event: yaml.NodeEvent) -> Problem | None:
        """Count a node (an alias counts as everything it stands for)."""
        parent = self.stack[-1] if self.stack else None
        if parent is not None and parent.is_map:
            if parent.key_next and not isinstance(event, yaml.ScalarEvent):
                return self.problem(event, "a key must be plain text, not a list or mapping")
            parent.key_next = not parent.key_next
        if isinstance(event, yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > self.limits.max_aliases:
                return self.problem(event, f"more than {self.limits.max_aliases} aliases (*name)")
            self.nodes += self.sizes.get(event.anchor or "", 1)
        else:
            self.nodes += 1
        if isinstance(event, yaml.ScalarEvent):
            if event.anchor:
                self.sizes[event.anchor] = 1
            found = self.number(event)
            if found is not None:
                return found
        if self.nodes > self.limits.max_nodes:
            return self.problem(event, f"too many values (more than {self.limits.max_nodes})")
        return None

    def number(self, event: yaml.ScalarEvent) -> Problem | None:
        """Refuse numbers too long to be meant (and slow or impossible to convert)."""
        if event.style or not event.implicit[0]:
            return None
        tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, (True, False))  # type: ignore[no-untyped-call]
        if tag not in _NUMBER_TAGS:
            return None
        digits = sum(c.isdigit() for c in event.value)
        if digits <= self.limits.max_digits:
            return None
        most = self.limits.max_digits
        return self.problem(event, f"a number of {digits} digits (at most {most} are read)")


def _too_slow(limits: Limits) -> str:
    return f"file takes too long to read (over {limits.seconds:g} s): make it smaller"


def parse_yaml(
    text: str,
    file: str,
    limits: Limits = LIMITS,
    clock: Callable[[], float] = reading_clock,
) -> tuple[Any, list[Problem]]:
    """Parse YAML text into located values, collecting problems instead of raising."""
    with _collection_paused():
        return _parse_bounded(text, file, limits, clock)


def _parse_bounded(
    text: str, file: str, limits: Limits, clock: Callable[[], float]
) -> tuple[Any, list[Problem]]:
    """Pre-scan, then build, each within the limits."""
    try:
        refused = _Scan(file, limits, clock).run(text)
    except yaml.YAMLError as err:
        return None, [_yaml_problem(err, file, text)]
    if refused is not None:
        return None, [refused]
    loader = _LocLoader(text)
    loader.file, loader.problems = file, []
    loader.deadline, loader.clock = clock() + limits.seconds, clock
    try:
        return loader.get_single_data(), loader.problems
    except _OverBudget:
        return None, [Problem(file, 1, 1, _too_slow(limits))]
    except yaml.YAMLError as err:
        return None, [*loader.problems, _yaml_problem(err, file, text)]
    finally:
        loader.dispose()


def _yaml_problem(err: yaml.YAMLError, file: str, text: str) -> Problem:
    """A YAML error as a located problem, on one line."""
    if isinstance(err, yaml.MarkedYAMLError):
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return Problem(file, line, col, f"YAML syntax: {err.problem or err.context or 'invalid'}")
    if isinstance(err, yaml.reader.ReaderError):
        at = max(0, min(int(err.position), len(text)))
        line, col = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
        char = chr(err.character) if isinstance(err.character, int) else str(err.character)
        return Problem(file, line, col, f"the character {char!r} is not allowed in YAML")
    return Problem(file, 1, 1, "YAML: " + " ".join(str(err).split()))


def read_yaml(
    path: Path, label: str | None = None, limits: Limits = LIMITS
) -> tuple[Any, list[Problem]]:
    """Read and parse a YAML file; unreadable, oversized or binary files become problems too."""
    name = label or str(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(limits.max_bytes + 1)
    except FileNotFoundError:
        return None, [Problem(name, 1, 1, "file not found")]
    except OSError as err:
        return None, [Problem(name, 1, 1, f"cannot read file: {err.strerror or err}")]
    if len(raw) > limits.max_bytes:
        size = limits.max_bytes // 1024
        return None, [Problem(name, 1, 1, f"file is larger than {size} KB: not a rubdown file")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        return None, [Problem(name, line, column, "cannot read file: not UTF-8 text")]
    return parse_yaml(text, name, limits)


def pos_of(container: Any, key: str | int, fallback: Pos) -> Pos:
    """Where a key's value (or a list item) stands, or the fallback."""
    if isinstance(container, LocDict) and isinstance(key, str):
        return container.key_pos.get(key, container.pos)
    if isinstance(container, LocList) and isinstance(key, int) and key < len(container.item_pos):
        return container.item_pos[key]
    return getattr(container, "pos", fallback)
