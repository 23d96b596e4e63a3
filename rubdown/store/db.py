"""Where the database lives, opening it, and bringing its schema up to date."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import platformdirs
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from rubdown.store.errors import DISK_FULL, READ_ONLY, StorageUnavailable, StoreError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
URL_ENV = "RUBDOWN_DATABASE_URL"
DATA_DIR_ENV = "RUBDOWN_DATA_DIR"
# Health data is for the one user: the folder and the database files are theirs alone.
FOLDER_MODE, FILE_MODE = 0o700, 0o600
SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal")
log = logging.getLogger("rubdown")
# Any fixed number: every rubdown process takes this PostgreSQL advisory lock to migrate.
MIGRATION_LOCK = 0x7275_6264


def data_dir() -> Path:
    """The folder for rubdown's own files, created private (0700) if missing."""
    folder = Path(os.environ.get(DATA_DIR_ENV) or platformdirs.user_data_dir("rubdown"))
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    except OSError as exc:
        raise StoreError(f"cannot create the data folder {folder}: {exc.strerror}") from None
    tighten(folder, FOLDER_MODE)
    return folder


def tighten(path: Path, mode: int) -> None:
    """Make path no wider than mode for group and others, with a note if it was wider."""
    try:
        current = stat.S_IMODE(path.stat().st_mode)
        if current & 0o077:
            path.chmod(mode)
            log.warning("made %s private (it was %04o, now %04o)", path, current, mode)
    except FileNotFoundError:
        return
    except OSError as exc:
        log.warning("could not make %s private: %s", path, exc.strerror)


def _private_sqlite_file(url: Any) -> None:
    """Create the SQLite file 0600 (whatever the umask) and tighten its side files."""
    name = url.database
    if url.get_backend_name() != "sqlite" or not name or name == ":memory:":
        return
    path = Path(name)
    if not path.exists() and path.parent.is_dir():
        try:
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
        except OSError:
            return  # SQLite will say why it cannot open the file
        path.chmod(FILE_MODE)
    for suffix in SQLITE_SIDE_FILES:
        tighten(path.with_name(path.name + suffix), FILE_MODE)


def _on_read_only_disk(url: Any) -> bool:
    """Whether a SQLite file's folder is on a read-only file system (it cannot be opened)."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return False
    try:
        return bool(os.statvfs(Path(url.database).parent).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _storage_trouble(context: Any) -> None:
    """A full disk or a read-only database as StorageUnavailable, from SQLite or PostgreSQL."""
    original = context.original_exception
    code = (getattr(original, "sqlite_errorcode", 0) or 0) & 0xFF
    state = getattr(original, "sqlstate", None)
    text = str(original).lower()
    if code == sqlite3.SQLITE_FULL or state == "53100" or "no space left" in text:
        raise StorageUnavailable(DISK_FULL) from None
    if code == sqlite3.SQLITE_READONLY or state == "25006" or "read-only file system" in text:
        raise StorageUnavailable(READ_ONLY) from None


def database_url(explicit: str | None = None) -> str:
    """The database URL: the one given, else $RUBDOWN_DATABASE_URL, else a SQLite file."""
    if explicit:
        return explicit
    from_env = os.environ.get(URL_ENV)
    if from_env:
        return from_env
    return f"sqlite:///{data_dir() / 'rubdown.sqlite3'}"


@dataclass(frozen=True)
class Store:
    """An open database: the engine and a factory for ORM sessions."""

    engine: Engine
    sessionmaker: sessionmaker[Session]
    # SQLite has one writer at a time: threads of this process queue here, fairly, instead of
    # spinning in SQLite's busy handler (which can starve a writer past its timeout).
    write_lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    @property
    def url(self) -> str:
        """The URL with any password hidden, fit for messages."""
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def is_sqlite(self) -> bool:
        """Whether this is a SQLite database."""
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that will write: on SQLite it takes the write lock before reading.

        Without BEGIN IMMEDIATE, SQLite reads (the next event number, the session's status)
        outside the write lock, so two writers could both read the same value.
        """
        if not self.is_sqlite:
            with self.sessionmaker.begin() as session:
                yield session
            return
        # Every SQLite transaction begins IMMEDIATE (_begin_immediate): the write lock first.
        with self.write_lock, self.sessionmaker.begin() as session:
            yield session

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        """Use as a context manager that closes on exit."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the store."""
        self.close()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL + synchronous=FULL make each commit survive kill -9 and power loss."""
    # SQLAlchemy then emits BEGIN itself (see _begin_immediate) instead of the driver.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # A second process (a web view beside the guide) waits rather than failing at once.
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def _begin_immediate(connection: Any) -> None:
    """Take the write lock at BEGIN: two requests journalling at once get seq numbers in turn."""
    # A deferred transaction reads max(seq) on a snapshot another writer may overtake.
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except StorageUnavailable as exc:
        if str(exc) != READ_ONLY:
            raise
        # A read-only database can still be read; writing then fails with its own message.
        connection.exec_driver_sql("BEGIN")


def _create_engine(url: str) -> Engine:
    """Build the engine, turning a malformed URL or missing driver into a StoreError."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise StoreError(f"cannot use database URL {url!r}: {exc}") from None
    safe = parsed.render_as_string(hide_password=True)
    try:
        engine = create_engine(parsed, pool_pre_ping=parsed.get_backend_name() != "sqlite")
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise StoreError(f"cannot use database URL {safe!r}: {exc}") from None
    except ImportError as exc:
        if parsed.get_backend_name() == "postgresql":
            from rubdown.extras import MissingExtra

            raise StoreError(str(MissingExtra("postgres"))) from None
        raise StoreError(f"the database driver for {safe!r} is not installed: {exc}") from None
    if engine.dialect.name == "sqlite":
        _private_sqlite_file(parsed)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin_immediate)
    event.listen(engine, "handle_error", _storage_trouble)
    return engine


def _first_line(exc: BaseException) -> str:
    """The useful part of a driver error, without SQLAlchemy's background link."""
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip().splitlines()
    return text[0] if text else type(original).__name__


def _lock_for_migration(connection: Connection) -> None:
    """Let one process migrate at a time; the others wait, then find the schema up to date."""
    # On SQLite the transaction already began IMMEDIATE (_begin_immediate): the write lock is
    # held for the whole migration, taken before Alembic reads its version.
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})


def migrate(engine: Engine) -> None:
    """Run the bundled Alembic migrations up to head on this engine."""
    from alembic import command
    from alembic.config import Config
    from alembic.util import CommandError

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as connection:
            _lock_for_migration(connection)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except CommandError as exc:
        # Typically a database written by a newer rubdown with revisions we do not know.
        raise StoreError(f"cannot upgrade the database schema: {exc}") from None


def open_store(url: str | None = None) -> Store:
    """Open (creating if needed) the database at url and migrate it to the current schema."""
    engine = _create_engine(database_url(url))
    safe = engine.url.render_as_string(hide_password=True)
    try:
        migrate(engine)
    except StoreError:
        engine.dispose()
        raise
    except SQLAlchemyError as exc:
        engine.dispose()
        if _on_read_only_disk(engine.url):
            raise StorageUnavailable(READ_ONLY) from None
        raise StoreError(f"cannot open the database at {safe}: {_first_line(exc)}") from None
    if engine.dialect.name == "sqlite":
        _private_sqlite_file(engine.url)  # the WAL files exist now
    return Store(engine=engine, sessionmaker=sessionmaker(engine, expire_on_commit=False))
