"""Load the shipped content (and a user's library) into a validated Catalogue."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rubdown.core import parse
from rubdown.core.models import Catalogue
from rubdown.core.motion import motion_key
from rubdown.core.parse_motion import read_motions
from rubdown.core.shapes import default_view, shipped_shapes
from rubdown.core.source import Pos, Problem, read_yaml

READERS: dict[str, parse.Reader] = {**parse.READERS, "motions": read_motions}
TABLES = ("regions", "positions", "techniques", "motions", "routines", "conditions")

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
    motions: dict[str, Any] = field(default_factory=dict)
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
        """The finished catalogue, each technique carrying its motions."""
        by_technique: dict[str, list[Any]] = {}
        for motion in self.motions.values():
            by_technique.setdefault(motion.technique, []).append(motion)
        return Catalogue(
            regions=dict(self.regions),
            positions=dict(self.positions),
            techniques={
                tid: replace(t, motions=tuple(by_technique.get(tid, ())))
                for tid, t in self.techniques.items()
            },
            routines=dict(self.routines),
            conditions=dict(self.conditions),
            motions=dict(self.motions),
        )

    def check_motions(self, techniques: Iterable[str] | None = None) -> None:
        """Every region a technique works needs a motion on each map its positions use."""
        for tid in self.techniques if techniques is None else techniques:
            for region, view in needed_motions(self.techniques[tid], self.positions):
                if motion_key(tid, region, view) not in self.motions:
                    seen = "" if view == "back" else f" on the {view} view"
                    self.problems.append(
                        self.origin[("techniques", tid)].problem(
                            f"technique '{tid}' has no motion for '{region}'{seen}: add one "
                            "to a motions/*.yaml file (see docs/content-format.md)"
                        )
                    )


def needed_motions(technique: Any, positions: dict[str, Any]) -> list[tuple[str, str]]:
    """(region, view) pairs a technique needs a motion for: each map that can show it there."""
    shapes = shipped_shapes()
    views = sorted({positions[p].view for p in technique.positions if p in positions})
    out: list[tuple[str, str]] = []
    for region in technique.regions:
        drawn = [v for v in views if region in shapes.get(v, {})]
        fallback = default_view(region, shapes)
        out.extend((region, v) for v in drawn or ([fallback] if fallback else []))
    return out


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
    for table, item, where in READERS[kind](data, file, builder.catalogue(), builder.problems):
        builder.add(table, item, where)


def _yaml_files(folder: Path) -> list[Path]:
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


def _load_shipped(builder: _Builder, root: Path) -> None:
    for kind in ("regions", "positions", "conditions"):
        _load_file(builder, root / f"{kind}.yaml", kind, root)
    for kind, folder in KIND_FOLDERS:
        for path in _yaml_files(root / folder):
            _load_file(builder, path, kind, root)
    builder.check_motions()


KIND_FOLDERS = (("techniques", "techniques"), ("motions", "motions"), ("routine", "routines"))


def _load_library(builder: _Builder, folder: Path, skipped: list[Problem] | None) -> None:
    """A user's folder; with `skipped`, a file with problems is left out, not fatal."""
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "not found"
        builder.problems.append(Problem(str(folder), 1, 1, f"library folder {what}"))
        return
    before = set(builder.techniques)
    for kind, sub in KIND_FOLDERS:
        for path in _yaml_files(folder / sub):
            _load_trial(builder, path.resolve(), kind, skipped)
        if kind == "motions":
            _drop_motionless(builder, sorted(set(builder.techniques) - before), skipped)


def _load_trial(builder: _Builder, path: Path, kind: str, skipped: list[Problem] | None) -> None:
    """Load one library file on trial: with `skipped`, a file with problems is left out."""
    trial = _Builder(origin=dict(builder.origin))
    for table in TABLES:
        getattr(trial, table).update(getattr(builder, table))
    _load_file(trial, path, kind)
    if trial.problems and skipped is not None:
        skipped.extend(trial.problems)
        return
    builder.problems.extend(trial.problems)
    for table in ("techniques", "motions", "routines"):
        getattr(builder, table).update(getattr(trial, table))
    builder.origin.update(trial.origin)


def _drop_motionless(builder: _Builder, new: list[str], skipped: list[Problem] | None) -> None:
    """A library technique needs a motion for each of its regions, or it is left out."""
    if skipped is None:
        builder.check_motions(new)
        return
    check = _Builder(techniques=builder.techniques, motions=builder.motions, origin=builder.origin)
    for tid in new:
        check.problems.clear()
        check.check_motions([tid])
        if check.problems:
            skipped.extend(check.problems)
            del builder.techniques[tid]


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
    if folder in ("routines", "techniques", "motions"):
        return "routine" if folder == "routines" else folder
    if isinstance(data, dict):
        for key in ("regions", "positions", "techniques", "motions", "conditions"):
            if key in data:
                return key
        if "steps" in data:
            return "routine"
    return None


def _read_kinds(paths: Sequence[Path], problems: list[Problem]) -> list[tuple[str, Any, str]]:
    """Each readable file with the kind of content it holds; a problem for each other one."""
    parsed = []
    for path in paths:
        data, found = read_yaml(path)
        problems.extend(found)
        if data is None:
            if not found:
                problems.append(Problem(str(path), 1, 1, "file is empty"))
            continue
        kind = detect_kind(data, path)
        if kind is None:
            problems.append(
                Pos(str(path), 1, 1).problem(
                    "not a rubdown file: expected a routine (with 'steps') or a "
                    "'techniques', 'motions', 'regions', 'positions' or 'conditions' list"
                )
            )
            continue
        parsed.append((kind, data, str(path)))
    return parsed


def check_files(paths: Sequence[Path], base: Catalogue | None = None) -> list[Problem]:
    """Every problem in the given content files, checked against the shipped catalogue."""
    builder = _Builder()
    if base is not None:
        for table in TABLES:
            getattr(builder, table).update(getattr(base, table))
    parsed = _read_kinds(paths, builder.problems)
    # Dependencies first, so later files in the same run can refer to earlier ones.
    order = ("regions", "positions", "conditions", "techniques", "motions", "routine")
    checked_techniques: list[str] = []
    for kind, data, file in sorted(parsed, key=lambda p: order.index(p[0])):
        checked = builder.catalogue()
        shipped = Path(file).resolve().is_relative_to(CONTENT_DIR)
        for table, item, where in READERS[kind](data, file, checked, builder.problems):
            # A shipped file being checked again naturally redefines its own ids.
            if getattr(builder, table).get(item.id) is None or base is None or shipped:
                builder.add(table, item, where)
                if table == "techniques":
                    checked_techniques.append(item.id)
            else:
                builder.problems.append(
                    where.problem(f"{table[:-1]} id '{item.id}' is already used by rubdown")
                )
    builder.check_motions(checked_techniques)
    return sorted(set(builder.problems))
