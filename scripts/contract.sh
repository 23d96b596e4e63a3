#!/usr/bin/env bash
# The API contract: schemathesis, every check, ~50 examples per operation, against a real
# `rubdown serve` on a free loopback port with its own empty data folder. Exit 0 only when
# there are no server errors and no contract failures.
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
port="$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
RUBDOWN_DATA_DIR="$work/data" RUBDOWN_CACHE_DIR="$work/cache" XDG_CONFIG_HOME="$work/config" \
  .venv/bin/rubdown serve --port "$port" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

.venv/bin/schemathesis run "http://127.0.0.1:$port/openapi.json" \
  --wait-for-schema 30 --checks all --max-examples "${CONTRACT_EXAMPLES:-50}" --workers 1 \
  --phases examples,coverage,fuzzing --seed "${CONTRACT_SEED:-20261202}" --no-color
