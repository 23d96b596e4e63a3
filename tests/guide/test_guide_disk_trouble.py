"""A full disk or a read-only database: a clear message, exit 1, nothing lost, and a session
that resumes once there is room. Real file systems: a small tmpfs, filled or remounted read-only."""

from __future__ import annotations

import os
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from guide_helpers import GUIDE_COMMAND

from rubdown.cli.main import cli
from rubdown.store.db import open_store
from rubdown.store.errors import DISK_FULL, READ_ONLY
from rubdown.store.repos import SessionsRepo
from rubdown.web import create_app


def _mount(*args: str) -> bool:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    return done.returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs of our own (needs root, as the CI and setup machines run)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)):
        pytest.skip("mounting a small file system needs root")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path) -> Path:
    """Fill the file system to the last byte; the filler's path, to free it again."""
    filler = disk / "filler"
    handle = os.open(filler, os.O_CREAT | os.O_WRONLY)
    try:
        while True:
            os.write(handle, b"\0" * 65536)
    except OSError:
        for size in (4096, 512, 1):
            try:
                while True:
                    os.write(handle, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(handle)
    return filler


def _events(db: str, session_id: int) -> list[str]:
    with open_store(db) as store:
        return [e.kind for e in SessionsRepo(store).events(session_id)]


def test_a_full_disk_stops_the_guide_plainly_and_the_session_resumes(
    small_disk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RUBDOWN_DATA_DIR", str(small_disk / "data"))
    db = f"sqlite:///{small_disk / 'data' / 'rubdown.sqlite3'}"
    guide = subprocess.Popen(
        GUIDE_COMMAND, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 20
    while not (small_disk / "data" / "rubdown.sqlite3").exists() or "segment-started" not in (
        _events(db, 1) if _has_session(db) else []
    ):
        assert time.monotonic() < deadline and guide.poll() is None
        time.sleep(0.05)
    filler = fill(small_disk)
    out, err = guide.communicate(timeout=60)
    assert guide.returncode == 1, (out, err)
    assert f"Error: {DISK_FULL}" in err and "Traceback" not in err
    kept = _events(db, 1)
    assert kept[0] == "session-started" and "segment-started" in kept
    filler.unlink()
    resumed = CliRunner().invoke(
        cli, ["guide", "--resume", "--speed", "1000", "--voice", "none", "--no-ticks"]
    )
    assert resumed.exit_code == 0, resumed.output
    assert _events(db, 1)[-1] == "finished"


def _has_session(db: str) -> bool:
    try:
        with open_store(db) as store:
            return bool(SessionsRepo(store).history(1))
    except Exception:
        return False


def test_a_read_only_database_is_a_clear_message_and_exit_1(
    small_disk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RUBDOWN_DATA_DIR", str(small_disk / "data"))
    assert CliRunner().invoke(cli, ["people", "add", "Ann"]).exit_code == 0
    assert _mount("-o", "remount,ro", str(small_disk))
    result = CliRunner().invoke(cli, [*GUIDE_COMMAND[3:], "--speed", "1000"])
    assert result.exit_code == 1
    assert READ_ONLY in result.output and "Traceback" not in result.output


def test_the_web_answers_503_with_the_same_words_and_keeps_working_after(
    small_disk: Path, cat
) -> None:
    app = create_app(f"sqlite:///{small_disk / 'web.sqlite3'}", cat, cue_dir=small_disk)
    with TestClient(app, base_url="http://127.0.0.1") as web:
        sid = web.post("/api/sessions", json={"minutes": 5}).json()["id"]
        filler = fill(small_disk)
        note = {"kind": "paused", "clock_s": 3, "data": {"note": "x" * 100}}
        full = web.post(f"/api/sessions/{sid}/events", json=note)
        assert full.status_code == 503 and full.json() == {"error": DISK_FULL}
        assert full.headers["retry-after"]
        assert web.get(f"/api/sessions/{sid}").status_code == 200  # reading still works
        filler.unlink()
        assert web.post(f"/api/sessions/{sid}/events", json=note).status_code == 201


def test_a_new_data_folder_and_database_are_private_whatever_the_umask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    monkeypatch.setenv("RUBDOWN_DATA_DIR", str(folder))
    old = os.umask(0o022)
    try:
        assert CliRunner().invoke(cli, ["people", "add", "Ann"]).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "rubdown.sqlite3").stat().st_mode) == 0o600


def test_wider_existing_files_are_tightened_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    monkeypatch.setenv("RUBDOWN_DATA_DIR", str(folder))
    CliRunner().invoke(cli, ["people", "add", "Ann"])
    folder.chmod(0o755)
    (folder / "rubdown.sqlite3").chmod(0o644)
    result = CliRunner().invoke(cli, ["people", "list"])
    assert result.exit_code == 0
    assert f"Note: made {folder} private (it was 0755, now 0700)" in result.output
    assert "rubdown.sqlite3 private (it was 0644, now 0600)" in result.output
    assert stat.S_IMODE((folder / "rubdown.sqlite3").stat().st_mode) == 0o600
    assert "Note:" not in CliRunner().invoke(cli, ["people", "list"]).output


def test_sqlite_side_files_are_private_too(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    old = os.umask(0o022)
    try:
        with open_store(f"sqlite:///{path}") as store, store.engine.connect():
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
    finally:
        os.umask(old)
    assert modes and set(modes.values()) == {0o600}, modes
