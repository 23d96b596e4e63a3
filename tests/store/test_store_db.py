"""Opening the database, its location, pragmas and migrations."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from rubdown.store import StoreError
from rubdown.store.db import Store, database_url, open_store
from rubdown.store.models import Base
from rubdown.store.repos import PeopleRepo


def head_revision() -> str:
    """The newest migration: there must be exactly one."""
    from importlib import resources

    config = Config()
    config.set_main_option("script_location", str(resources.files("rubdown.store") / "migrations"))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, heads
    return heads[0]


def test_migrated_schema_matches_the_orm_metadata(store: Store) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        assert context.get_current_revision() == head_revision()


# Each process imports first, then waits for the same instant, so the migrations overlap.
MIGRATE_AT_ONCE = """
import sys, time
from rubdown.store.db import open_store
import alembic.command
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))
open_store(sys.argv[1]).close()
print("opened")
"""


def test_processes_opening_a_new_database_at_once_all_succeed(db_url: str) -> None:
    at = time.time() + 3.0  # after every process has imported sqlalchemy and alembic
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", MIGRATE_AT_ONCE, db_url, str(at)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0, 0], [err for _, err in results]
    assert all(out.strip() == "opened" for out, _ in results)
    with open_store(db_url) as store:
        assert PeopleRepo(store).list() == []


def test_opening_again_keeps_the_data(db_url: str) -> None:
    with open_store(db_url) as first:
        PeopleRepo(first).add("Ann")
    with open_store(db_url) as second:
        assert [p.name for p in PeopleRepo(second).list()] == ["Ann"]
        with second.engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == head_revision()


def test_sqlite_connections_use_wal_full_sync_and_foreign_keys(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'db.sqlite3'}") as store, store.engine.connect() as c:
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert c.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("not a url at all", "cannot use database URL"),
        ("nosuchdialect://x/y", "cannot use database URL"),
        ("postgresql+psycopg://nobody@127.0.0.1:1/none", "cannot open the database"),
        ("sqlite:////nonexistent-dir/sub/db.sqlite3", "cannot open the database"),
    ],
)
def test_a_bad_url_raises_a_store_error_with_a_clear_message(url: str, words: str) -> None:
    with pytest.raises(StoreError, match=words) as caught:
        open_store(url)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


@pytest.mark.parametrize(
    "url", ["postgresql+psycopg://me:s3cret@127.0.0.1:1/none", "mysql://me:s3cret@localhost/db"]
)
def test_store_errors_hide_the_password(url: str) -> None:
    with pytest.raises(StoreError) as caught:
        open_store(url)
    assert "s3cret" not in str(caught.value)


def test_database_url_prefers_explicit_then_env_then_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data" / "nested"
    monkeypatch.setenv("RUBDOWN_DATA_DIR", str(data))
    monkeypatch.delenv("RUBDOWN_DATABASE_URL", raising=False)
    assert database_url() == f"sqlite:///{data / 'rubdown.sqlite3'}"
    assert data.is_dir()
    monkeypatch.setenv("RUBDOWN_DATABASE_URL", "sqlite:///from-env.db")
    assert database_url() == "sqlite:///from-env.db"
    assert database_url("sqlite:///explicit.db") == "sqlite:///explicit.db"


def test_default_store_is_created_in_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RUBDOWN_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("RUBDOWN_DATABASE_URL", raising=False)
    with open_store() as store:
        assert store.is_sqlite
    assert (tmp_path / "rubdown.sqlite3").is_file()


def test_importing_the_package_does_not_import_sqlalchemy() -> None:
    code = "import sys, rubdown.store; print('sqlalchemy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_package_exposes_open_store_lazily() -> None:
    import rubdown.store

    assert rubdown.store.open_store is open_store
