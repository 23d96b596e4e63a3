#!/usr/bin/env bash
# Run every check rubdown has: lint (Python and JavaScript), format, types, copied-wording,
# the JavaScript unit tests (node --test), and all tests (storage
# tests on SQLite and on a throwaway PostgreSQL server, browser tests in Debian's chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

pg_dir="$(pwd)/.tmp/pg"
cleanup() { bash scripts/pg.sh stop "$pg_dir" >/dev/null 2>&1 || true; }
trap cleanup EXIT

echo "== lint and types"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.cache/eslint/node_modules/.bin/eslint rubdown/web/static tests/js

if [ -x ../shared/tools/seed-overlap ]; then
  echo "== wording"
  ../shared/tools/seed-overlap .
fi

echo "== javascript (node --test, against what Python computes)"
.venv/bin/python tests/js/write_fixtures.py .tmp/js-fixtures
RUBDOWN_JS_FIXTURES=.tmp/js-fixtures node --test tests/js/

echo "== tests"
RUBDOWN_TEST_PG_URL="$(bash scripts/pg.sh start "$pg_dir" "${RUBDOWN_PG_PORT:-54329}")"
export RUBDOWN_TEST_PG_URL RUBDOWN_REQUIRE_PG=1
# Keep the user's real data and caches out of the tests.
export RUBDOWN_DATA_DIR="$(pwd)/.tmp/data" RUBDOWN_CACHE_DIR="$(pwd)/.tmp/cache"
.venv/bin/python -m pytest -m "browser or not browser" -q "$@"

echo "== API contract (schemathesis against rubdown serve)"
bash scripts/contract.sh
