"""What `make run` installs from a fresh clone: seconds taken and the size of .venv (and of a
bare `pip install .`). Slow (minutes, downloads from PyPI): run by hand, not by `make bench`."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def megabytes(folder: Path) -> float:
    """The size of a folder's files in MB."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def timed(command: list[str], cwd: Path) -> float:
    """Run a command; the seconds it took."""
    started = time.monotonic()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def main() -> None:
    """Clone HEAD twice: `scripts/setup.sh --run` in one, `pip install .` in the other."""
    work = Path(tempfile.mkdtemp(prefix="rubdown-install-"))
    try:
        clone = work / "clone"
        subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
        seconds = timed(["bash", "scripts/setup.sh", "--run"], clone)
        print(f"make run setup: {seconds:.0f} s, .venv {megabytes(clone / '.venv'):.0f} MB")
        bare = work / "bare"
        subprocess.run([sys.executable, "-m", "venv", str(bare)], check=True)
        pip = [str(bare / "bin" / "pip"), "install", "-q", "-c", "constraints.txt", "."]
        seconds = timed(pip, clone)
        print(f"pip install . (no extras): {seconds:.0f} s, {megabytes(bare):.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
