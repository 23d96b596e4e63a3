"""Shared fixtures: the shipped catalogue, loaded once."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from typing import NoReturn

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from rubdown.core.catalogue import load_catalogue
from rubdown.core.models import Catalogue

PG_URL_ENV = "RUBDOWN_TEST_PG_URL"
REQUIRE_PG_ENV = "RUBDOWN_REQUIRE_PG"


def _pg_unavailable(reason: str) -> NoReturn:
    """Fail when CI demands PostgreSQL, else skip."""
    if os.environ.get(REQUIRE_PG_ENV) == "1":
        pytest.fail(f"{REQUIRE_PG_ENV}=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh database for this test run on the server at $RUBDOWN_TEST_PG_URL, dropped after."""
    base = os.environ.get(PG_URL_ENV)
    if not base:
        _pg_unavailable(f"{PG_URL_ENV} is not set (scripts/pg.sh start DIR PORT prints one)")
    name = f"rubdown_t_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except SQLAlchemyError as exc:
        admin.dispose()
        pytest.fail(f"cannot create a test database on {PG_URL_ENV}: {exc}")
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def empty_pg(url: str) -> None:
    """Drop every table (and alembic's version table) so each test migrates from scratch."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def fresh_pg(pg_database: str) -> str:
    """The test run's PostgreSQL database, emptied for this test."""
    empty_pg(pg_database)
    return pg_database


@pytest.fixture(scope="session")
def cat() -> Catalogue:
    """The shipped catalogue."""
    return load_catalogue()


# Loaded by every Python started with it on PYTHONPATH: the path finder no longer finds
# pocketsphinx, exactly as when rubdown was installed without its listen extra.
WITHOUT_POCKETSPHINX = """
import sys
from importlib.machinery import PathFinder


class WithoutPocketsphinx(PathFinder):
    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name.partition(".")[0] == "pocketsphinx":
            return None
        return super().find_spec(name, path, target)


sys.meta_path[:] = [WithoutPocketsphinx if f is PathFinder else f for f in sys.meta_path]
"""


@pytest.fixture(scope="session")
def without_listen_extra(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment for subprocesses in which pocketsphinx cannot be imported."""
    folder = tmp_path_factory.mktemp("no-pocketsphinx")
    (folder / "sitecustomize.py").write_text(WITHOUT_POCKETSPHINX)
    path = os.pathsep.join(p for p in (str(folder), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path}


# Property tests run 300 examples by default; HYPOTHESIS_PROFILE=thorough runs many more.
settings.register_profile("default", max_examples=300)
settings.register_profile("thorough", max_examples=5000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
