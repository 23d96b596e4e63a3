"""Broken and hostile content files: the issue's attacks, and hundreds of mutations of good ones.

Every file here is wrong in some way, so `rubdown check` must report at least one problem for
it, located as file:line:column, quickly, and without a traceback or a crash.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

ROUTINE = """\
id: my-quick-neck
name: My quick neck
position: seated
minutes: 10
description: A short one for the neck.
steps:
  - technique: lay-on-hands
    region: shoulders
    reps: 5
    pressure: 2
  - technique: finger-pad-circles
    region: neck
    reps: 10
  - technique: long-glide
    region: upper-back
    reps: 8
    pressure: 2
"""

TECHNIQUE = """\
techniques:
  - id: my-glide
    name: My glide
    kind: glide
    regions: [upper-back]
    positions: [seated]
    hand_part: flat palms
    stroke_rule: even
    stroke_text: Both hands sweep down the back.
    pressure: {default: 2, min: 1, max: 2}
    seconds_per_rep: 10
    reps: {default: 6, min: 2, max: 20}
    per_side: false
    cue: Long slow sweeps.
    names: {upper-back: My glide down the upper back}
    cautions:
      - Lightly over the spine.
"""

# Values that are wrong for every field they replace (types, ranges, sizes, characters).
BAD_VALUES = (
    "9" * 30,
    "-" + "9" * 4400,
    "1" + "0" * 400,
    "1.0e+999",
    "-.inf",
    ".nan",
    "-7",
    "[1, [2, [3]]]",
    "{a: 1}",
    '"\\x1b[31mred\\x1b[0m"',
    '"nul\\0here"',
    '"bell\\a"',
    '"\\u202eevil"',
    "true",
    "2001-12-14",
    "!!binary aGVsbG8=",
    "*nowhere",
    '""',
    "!!python/object:os.system ls",
)
ROUTINE_FIELDS = ("id", "name", "position", "minutes", "description")
STEP_FIELDS = ("technique", "region", "reps", "pressure")
TECHNIQUE_FIELDS = (
    "id",
    "name",
    "kind",
    "regions",
    "positions",
    "stroke_rule",
    "pressure",
    "seconds_per_rep",
    "reps",
    "per_side",
    "names",
    "cautions",
)


def _replace(text: str, key: str, value: str, nth: int = 0) -> str:
    """The text with the nth `key:` line's value replaced."""
    lines = text.splitlines(keepends=True)
    seen = 0
    for i, line in enumerate(lines):
        stripped = line.lstrip(" -")
        if stripped.startswith(f"{key}:"):
            if seen == nth:
                head = line[: line.index(f"{key}:") + len(key) + 1]
                lines[i] = f"{head} {value}\n"
                return "".join(lines)
            seen += 1
    raise KeyError(key)


def issue_files() -> Iterator[tuple[str, bytes]]:
    """The attacks the issue lists, at the sizes it names."""
    yield "digits-4400.yaml", _replace(ROUTINE, "minutes", "9" * 4400).encode()
    nested = "[" * 1000 + "]" * 1000
    yield "nested-1000.yaml", _replace(ROUTINE, "steps", nested).encode()
    block = "steps:\n" + "".join("  " * (i + 1) + "- steps:\n" for i in range(1000))
    yield "nested-block-1000.yaml", ROUTINE.split("steps:")[0].encode() + block.encode()
    yield "unclosed-100000.yaml", ("steps: " + "[" * 100_000 + "\n").encode()
    yield "minutes-1e400.yaml", _replace(ROUTINE, "minutes", "1" + "0" * 400).encode()
    yield "laughs-key.yaml", _laughs(9, 9, as_key=True).encode()
    yield "laughs-value.yaml", _laughs(9, 9, as_key=False).encode()
    step = "  - {technique: long-glide, region: upper-back}\n"
    yield "steps-50000.yaml", (ROUTINE + step * 50_000).encode()
    yield "names-nul-esc-bel.yaml", _replace(ROUTINE, "name", '"a\\0b\\x1b[2Jc\\a"').encode()


def _laughs(levels: int, width: int, as_key: bool) -> str:
    """A billion-laughs document: each anchor repeats the one before `width` times."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{refs}]")
    last = f"*a{levels - 1}"
    lines.append(f"steps:\n  - {{{last} : 1}}" if as_key else f"steps: {last}")
    return "\n".join(lines) + "\n"


def mutated_files() -> Iterator[tuple[str, bytes]]:
    """Good files with one thing broken: each field given each bad value, and worse."""
    for field in ROUTINE_FIELDS:
        for i, value in enumerate(BAD_VALUES):
            yield f"routine-{field}-{i}.yaml", _replace(ROUTINE, field, value).encode()
    for field in STEP_FIELDS:
        for i, value in enumerate(BAD_VALUES):
            yield f"step-{field}-{i}.yaml", _replace(ROUTINE, field, value, 1).encode()
    for field in TECHNIQUE_FIELDS:
        for i, value in enumerate(BAD_VALUES):
            if (field, value) != ("per_side", "true"):  # the one good value in the list
                yield f"technique-{field}-{i}.yaml", _replace(TECHNIQUE, field, value).encode()
    yield from _structural()


def _structural() -> Iterator[tuple[str, bytes]]:
    """Truncations, stray bytes, bad encodings, duplicates, depth and alias shapes."""
    header = ROUTINE.index("steps:")
    for cut in range(0, header, 3):
        yield f"cut-{cut}.yaml", ROUTINE[:cut].encode()
    data = ROUTINE.encode()
    for i, at in enumerate(range(5, len(data), len(data) // 12)):
        yield f"byte-nul-{i}.yaml", data[:at] + b"\x00" + data[at:]
        yield f"byte-esc-{i}.yaml", data[:at] + b"\x1b[31m" + data[at:]
        yield f"latin1-{i}.yaml", data[:at] + b"\xe9\xff" + data[at:]
    for field in (*ROUTINE_FIELDS, "steps"):
        line = next(x for x in ROUTINE.splitlines() if x.startswith(f"{field}:"))
        yield f"duplicate-{field}.yaml", (ROUTINE + line + "\n").encode()
    for depth in (25, 40, 200, 5000):
        yield f"flow-depth-{depth}.yaml", ("steps: " + "[" * depth + "]" * depth + "\n").encode()
        yield f"map-depth-{depth}.yaml", ("steps: " + "{a: " * depth + "1" + "}" * depth).encode()
    for levels, width in ((3, 40), (6, 9), (12, 2), (30, 2)):
        yield f"aliases-{levels}x{width}.yaml", _laughs(levels, width, as_key=False).encode()
    yield from _odd_documents()


def _odd_documents() -> Iterator[tuple[str, bytes]]:
    """Whole documents that are not a rubdown file at all."""
    odd = {
        "empty": b"",
        "comment-only": b"# nothing here\n",
        "null": b"~\n",
        "scalar": b"just text\n",
        "list": b"- a\n- b\n",
        "two-documents": (ROUTINE + "---\n" + ROUTINE).encode(),
        "tabs": ROUTINE.replace("  - technique", "\t- technique").encode(),
        "unknown-field": (ROUTINE + "colour: blue\n").encode(),
        "merge-key": ("base: &b {id: x}\n<<: *b\n" + ROUTINE).encode(),
        "bom-only": b"\xef\xbb\xbf",
        "utf16": ROUTINE.encode("utf-16"),
        "huge-line": (ROUTINE + "x: " + "y" * 300_000 + "\n").encode(),
        "many-keys": ("".join(f"k{i}: {i}\n" for i in range(45_000))).encode(),
        "undefined-alias": _replace(ROUTINE, "steps", "*steps").encode(),
        "python-tag": b"!!python/object/apply:os.system [ls]\n",
        "set-tag": _replace(ROUTINE, "steps", "!!set {a, b}").encode(),
        "steps-mapping": _replace(ROUTINE, "steps", "{a: 1}").encode(),
        "steps-empty": _replace(ROUTINE, "steps", "[]").split("  - ")[0].encode(),
        "complex-key": ("? [a, b]\n: 1\n" + ROUTINE).encode(),
    }
    for name, data in odd.items():
        yield f"odd-{name}.yaml", data


def write_all(folder: Path) -> list[Path]:
    """Write every broken file into folder (issue attacks under issue/); their paths."""
    paths = []
    for sub, files in (("issue", issue_files()), ("mutated", mutated_files())):
        (folder / sub).mkdir(parents=True, exist_ok=True)
        for name, data in files:
            path = folder / sub / name
            path.write_bytes(data)
            paths.append(path)
    return paths
