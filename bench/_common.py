"""What the bench scripts share: a percentile, and a server process on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

RUBDOWN = [sys.executable, "-c", "from rubdown.cli.main import main; main()"]


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def serve(
    command: Callable[[int], list[str]], env: dict[str, str] | None = None, wait_s: float = 60
) -> tuple[subprocess.Popen[bytes], str]:
    """Run command(port) until its /api/catalogue answers; the process and its URL."""
    port = free_port()
    process = subprocess.Popen(command(port), env=env, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/catalogue", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the server did not start: {' '.join(command(port))}")


def rubdown_serve(db_url: str, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`rubdown serve` on a free loopback port with its own data folder; it and its URL."""
    env = {**os.environ, "RUBDOWN_DATA_DIR": str(folder), "RUBDOWN_CACHE_DIR": str(folder)}
    return serve(lambda port: [*RUBDOWN, "serve", "--port", str(port), "--db", db_url], env)
