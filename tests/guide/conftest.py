"""Guide fixtures: a fresh SQLite store per test, found through RUBDOWN_DATA_DIR like a user's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rubdown.store.db import Store, open_store


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data folder that rubdown uses for its database."""
    folder = tmp_path / "data"
    monkeypatch.setenv("RUBDOWN_DATA_DIR", str(folder))
    monkeypatch.delenv("RUBDOWN_DATABASE_URL", raising=False)
    return folder


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    """The store in the data folder, opened and migrated."""
    opened = open_store()
    yield opened
    opened.close()
