"""Paper fixtures: a private data folder per test, and a clock the CLI tests can set."""

from __future__ import annotations

from datetime import datetime

import pytest


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path, monkeypatch):
    """Keep every test away from the user's own people database."""
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setenv("RUBDOWN_DATA_DIR", str(data))
    monkeypatch.delenv("RUBDOWN_DATABASE_URL", raising=False)
    # Relative output paths in the tests land here, never in the working tree.
    monkeypatch.chdir(tmp_path)
    return data


@pytest.fixture
def clock(monkeypatch):
    """Set the time `prep` takes as now: clock("2026-11-24T04:29")."""

    def set_now(iso: str) -> None:
        fixed = datetime.fromisoformat(iso)
        monkeypatch.setattr("rubdown.cli.prep_cmds.now_in", lambda zone: fixed.replace(tzinfo=zone))

    return set_now
