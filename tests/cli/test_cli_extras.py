"""Without an extra installed, the command that needs it names the extra: exit 2, no traceback."""

from __future__ import annotations

import subprocess
import sys
import wave
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
    assert f"pip install '.[{extra}]' in rubdown's folder" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_the_html_sheet_needs_no_extra(tmp_path: Path) -> None:
    done = _run("weasyprint", "sheet", "--minutes", "10", "-o", "x.html", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "x.html").read_text().lower().startswith("<!doctype html>")


RUBDOWN = [sys.executable, "-c", "from rubdown.cli.main import main; main()"]


def silent_wav(path: Path) -> Path:
    """A second of 16 kHz silence."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\0\0" * 16000)
    return path


def test_the_blocker_really_hides_pocketsphinx(without_listen_extra: dict[str, str]) -> None:
    probe = [sys.executable, "-c", "import pocketsphinx"]
    done = subprocess.run(probe, env=without_listen_extra, capture_output=True, text=True)
    assert "No module named 'pocketsphinx'" in done.stderr
    assert subprocess.run(probe, capture_output=True).returncode == 0, "the extra is installed"


@pytest.mark.parametrize(
    "args",
    [
        ("guide", "--minutes", "10", "--voice", "none", "--no-ticks", "--listen"),
        ("guide", "--minutes", "10", "--voice", "none", "--listen", "--wake"),
        ("hear", "quiet.wav", "--json"),
    ],
)
def test_without_the_listen_extra_listening_says_why_and_how_to_install_it(
    tmp_path: Path, without_listen_extra: dict[str, str], args: tuple[str, ...]
) -> None:
    silent_wav(tmp_path / "quiet.wav")
    env = {**without_listen_extra, "RUBDOWN_DATA_DIR": str(tmp_path / "data")}
    env["RUBDOWN_CACHE_DIR"] = str(tmp_path / "cache")
    done = subprocess.run(
        [*RUBDOWN, *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, done.stderr
    assert "voice commands" in done.stderr
    assert "'listen' extra, which is not installed" in done.stderr
    assert "pip install '.[listen]' in rubdown's folder" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == "", "said before any plan is shown or session begun"
