"""Helpers for the web tests (a plain module: conftest is not importable by name)."""

from __future__ import annotations

import socket
import subprocess
import sys
import wave
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest

DOUBLE_QUOTE = '"'


class QuickEngine:
    """A speech engine that writes a short silent WAV at once, so tests need no espeak-ng."""

    name = "quick"
    voice = "test"

    def __init__(self) -> None:
        self.spoken: list[str] = []

    def available(self) -> bool:
        """Always ready."""
        return True

    def synthesize(self, text: str, out: Path, *, rate_wpm: int = 150) -> None:
        """Write 0.1 s of silence and remember the text."""
        self.spoken.append(text)
        with wave.open(str(out), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(22050)
            wav.writeframes(b"\x00\x00" * 2205)


def first_step(plan: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The index and segment of the plan's first massage step."""
    for i, seg in enumerate(plan["segments"]):
        if seg["kind"] == "step":
            return i, seg
    raise AssertionError("the plan has no step")


def step_sequence(plan: dict[str, Any]) -> list[tuple[str, str]]:
    """(region, technique) of each step in order, repeats in a row merged."""
    out: list[tuple[str, str]] = []
    for seg in plan["segments"]:
        pair = (seg["region"], seg["technique"])
        if seg["kind"] == "step" and (not out or out[-1] != pair):
            out.append(pair)
    return out


def all_no() -> dict[str, bool]:
    """Answers to the red-flag screen with no flag raised."""
    from rubdown.core.screen import RED_FLAGS

    return {flag.id: False for flag in RED_FLAGS}


# Every test in a module marked with this runs on SQLite and on PostgreSQL (conftest's db_url).
BOTH_DATABASES = pytest.mark.parametrize(
    "db_url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)


def free_ports(count: int) -> int:
    """A loopback port with the count - 1 ports after it free as well (a moment ago)."""
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port: int = probe.getsockname()[1]
        if port + count - 1 > 65535:
            continue
        try:
            for offset in range(1, count):
                with socket.socket() as after:
                    after.bind(("127.0.0.1", port + offset))
        except OSError:
            continue
        return port


@contextmanager
def rubdown_serve(
    env: dict[str, str],
    folder: Path,
    lan: bool = False,
    preexec: Callable[[], None] | None = None,
) -> Iterator[str]:
    """A real `rubdown serve` process on a free loopback port, in this environment; its URL.

    With lan, `serve --lan` bound to loopback: HTTPS on the port, the plain-HTTP trust page on
    the next one, and its output (pairing token, certificate) in folder/serve.log. preexec
    runs in the server's process before it starts (to lower a limit, say).
    """
    port = free_ports(2 if lan else 1)
    env = {**env, "RUBDOWN_DATA_DIR": str(folder), "RUBDOWN_CACHE_DIR": str(folder / "cache")}
    env["PYTHONUNBUFFERED"] = "1"  # the token line is in the log before the server answers
    command = [sys.executable, "-c", "from rubdown.cli.main import main; main()", "serve"]
    args = ["--port", str(port), "--voice", "espeak", "--db", f"sqlite:///{folder / 'db.sqlite3'}"]
    args += ["--lan", "--host", "127.0.0.1"] if lan else []
    log = folder / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, *args], env=env, stdout=out, stderr=out, preexec_fn=preexec
        )
    url = f"http://127.0.0.1:{port}"
    try:
        # The trust page is public: it answers before any pairing.
        probe = f"http://127.0.0.1:{port + 1}/trust" if lan else f"{url}/api/catalogue"
        wait_for(probe, process, log)
        yield f"https://127.0.0.1:{port}" if lan else url
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_for(probe: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Return once the server answers probe (AssertionError with its output if it ended first)."""
    import httpx

    for _ in range(600):
        if process.poll() is not None:
            raise AssertionError(f"rubdown serve ended: {log.read_text()}")
        try:
            if httpx.get(probe, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.1)  # a tenth of a second, less if it ends
    raise AssertionError(f"rubdown serve did not answer: {log.read_text()}")
