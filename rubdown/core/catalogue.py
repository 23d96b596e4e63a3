"""Load the shipped content (and a user's library) into a validated Catalogue."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rubdown.core import parse
from rubdown.core.models import Catalogue
from rubdown.core.source import Pos, Problem, read_yaml

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"


class CatalogueError(Exception):
    """Content files have problems; every one of them is listed."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(sorted(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class _Builder:
    """Collects records from many files, with where each id was first defined."""

    problems: list[Problem] = field(default_factory=list)
    regions: dict[str, Any] = field(default_factory=dict)
    positions: dict[str, Any] = field(default_factory=dict)
    techniques: dict[str, Any] = field(default_factory=dict)
    routines: dict[str, Any] = field(default_factory=dict)
    conditions: dict[str, Any] = field(default_factory=dict)
    origin: dict[tuple[str, str], Pos] = field(default_factory=dict)

    def add(self, table: str, item: Any, where: Pos) -> None:
        """Add a record, refusing a second definition of the same id."""
        key = (table, item.id)
        if key in self.origin:
            first = self.origin[key]
            self.problems.append(
                where.problem(
                    f"{table[:-1]} '{item.id}' is already defined at {first.file}:{first.line}"
                )
            )
            return
        self.origin[key] = where
        getattr(self, table)[item.id] = item

    def catalogue(self) -> Catalogue:
        """The finished catalogue."""
        return Catalogue(
            regions=dict(self.regions),
            positions=dict(self.positions),
            techniques=dict(self.techniques),
            routines=dict(self.routines),
            conditions=dict(self.conditions),
        )


def _label(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return str(path.relative_to(root.parent))
        except ValueError:
            pass
    return str(path)


def _load_file(builder: _Builder, path: Path, kind: str, root: Path | None = None) -> None:
    file = _label(path, root)
    data, problems = read_yaml(path, file)
    builder.problems.extend(problems)
    if data is None and not problems:
        builder.problems.append(Problem(file, 1, 1, "file is empty"))
    if data is None:
        return
    for table, item, where in parse.READERS[kind](
        data, file, builder.catalogue(), builder.problems
    ):
        builder.add(table, item, where)


def _yaml_files(folder: Path) -> list[Path]:
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


def _load_shipped(builder: _Builder, root: Path) -> None:
    for kind in ("regions", "positions", "conditions"):
        _load_file(builder, root / f"{kind}.yaml", kind, root)
    for kind, folder in (("techniques", "techniques"), ("routine", "routines")):
        for path in _yaml_files(root / folder):
            _load_file(builder, path, kind, root)


def _load_library(builder: _Builder, folder: Path, skipped: list[Problem] | None) -> None:
    """A user's folder; with `skipped`, a file with problems is left out, not fatal."""
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "not found"
        builder.problems.append(Problem(str(folder), 1, 1, f"library folder {what}"))
        return
    for kind, sub in (("techniques", "techniques"), ("routine", "routines")):
        for path in _yaml_files(folder / sub):
            trial = _Builder(origin=dict(builder.origin))
            for table in ("regions", "positions", "techniques", "routines", "conditions"):
                getattr(trial, table).update(getattr(builder, table))
            _load_file(trial, path.resolve(), kind)
            if trial.problems and skipped is not None:
                skipped.extend(trial.problems)
                continue
            builder.problems.extend(trial.problems)
            for table in ("techniques", "routines"):
                getattr(builder, table).update(getattr(trial, table))
            builder.origin.update(trial.origin)


def default_library_dirs() -> list[Path]:
    """The user's own library folder, when it exists."""
    import os

    env = os.environ.get("RUBDOWN_LIBRARY")
    if env:
        return [Path(p) for p in env.split(os.pathsep) if p]
    from platformdirs import user_config_dir

    folder = Path(user_config_dir("rubdown")) / "library"
    return [folder] if folder.is_dir() else []


def load_catalogue(
    library_dirs: Iterable[Path] = (),
    content_dir: Path = CONTENT_DIR,
    skipped: list[Problem] | None = None,
) -> Catalogue:
    """Load, validate and cross-check the shipped content plus any library folders.

    Pass a list as `skipped` to leave out library files with problems (collected there)
    instead of failing: one broken routine of the user's should not stop every command.
    """
    builder = _Builder()
    _load_shipped(builder, content_dir)
    for folder in library_dirs:
        _load_library(builder, folder, skipped)
    if builder.problems:
        raise CatalogueError(builder.problems)
    return builder.catalogue()


def detect_kind(data: Any, path: Path | None = None) -> str | None:
    """Which kind of content file a parsed document is (its folder decides when it can)."""
    folder = path.parent.name if path is not None else ""
    if folder in ("routines", "techniques"):
        return "routine" if folder == "routines" else "techniques"
    if isinstance(data, dict):
        for key in ("regions", "positions", "techniques", "conditions"):
            if key in data:
                return key
        if "steps" in data:
            return "routine"
    return None


def check_files(paths: Sequence[Path], base: Catalogue | None = None) -> list[Problem]:
    """Every problem in the given content files, checked against the shipped catalogue."""
    builder = _Builder()
    if base is not None:
        for table in ("regions", "positions", "techniques", "routines", "conditions"):
            getattr(builder, table).update(getattr(base, table))
    parsed = []
    for path in paths:
        data, problems = read_yaml(path)
        builder.problems.extend(problems)
        if data is None:
            if not problems:
                builder.problems.append(Problem(str(path), 1, 1, "file is empty"))
            continue
        kind = detect_kind(data, path)
        if kind is None:
            where = Pos(str(path), 1, 1)
            builder.problems.append(
                where.problem(
                    "not a rubdown file: expected a routine (with 'steps') or a "
                    "'techniques', 'regions', 'positions' or 'conditions' list"
                )
            )
            continue
        parsed.append((kind, data, str(path)))
    # Dependencies first, so later files in the same run can refer to earlier ones.
    order = ("regions", "positions", "conditions", "techniques", "routine")
    for kind, data, file in sorted(parsed, key=lambda p: order.index(p[0])):
        checked = builder.catalogue()
        shipped = Path(file).resolve().is_relative_to(CONTENT_DIR)
        for table, item, where in parse.READERS[kind](data, file, checked, builder.problems):
            # A shipped file being checked again naturally redefines its own ids.
            if getattr(builder, table).get(item.id) is None or base is None or shipped:
                builder.add(table, item, where)
            else:
                builder.problems.append(
                    where.problem(f"{table[:-1]} id '{item.id}' is already used by rubdown")
                )
    return sorted(set(builder.problems))
