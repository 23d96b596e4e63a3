"""A real `rubdown serve` under a player, a remote and other clients writing at once (short
version of bench/sessions.py): no 5xx, every acknowledged event stored once, seq contiguous."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from sessions import run  # bench/ is not a package: found through sys.path above
from web_helpers import BOTH_DATABASES

SECONDS = 3.0
CLIENTS = 3


pytestmark = BOTH_DATABASES


def test_writers_at_once_lose_nothing_and_never_fail(db_url: str) -> None:
    figures, problems = run(db_url, SECONDS, CLIENTS)
    assert problems == []
    assert figures["server_errors"] == 0, figures
    assert set(figures["statuses"]) <= {200, 201}, figures
    assert figures["events_acknowledged"] > 0 and figures["presses_acknowledged"] > 0
