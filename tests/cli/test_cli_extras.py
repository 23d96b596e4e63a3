"""Without an extra installed, the command that needs it names the extra: exit 2, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# Python treats a module set to None in sys.modules as not installed: the same as a plain
# `pip install .` without the extra, for that one library.
WITHOUT = "import sys; sys.modules[{module!r}] = None; from rubdown.cli.main import main; main()"


def _run(module: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT.format(module=module), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


@pytest.mark.parametrize(
    "module, args, extra",
    [
        ("weasyprint", ("sheet", "--minutes", "10", "-o", "x.pdf"), "pdf"),
        ("matplotlib", ("stats", "--plot", "chart.png"), "plot"),
        ("psycopg", ("people", "list", "--db", "postgresql+psycopg://u@127.0.0.1:1/x"), "postgres"),
    ],
)
def test_a_missing_extra_is_named_with_the_command_to_install_it(
    tmp_path: Path, module: str, args: tuple[str, ...], extra: str
) -> None:
    done = _run(module, *args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert f"pip install 'rubdown[{extra}]'" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_the_html_sheet_needs_no_extra(tmp_path: Path) -> None:
    done = _run("weasyprint", "sheet", "--minutes", "10", "-o", "x.html", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "x.html").read_text().lower().startswith("<!doctype html>")
