#!/usr/bin/env bash
# Install what rubdown needs on a Debian or Ubuntu machine, and nothing more.
#   bash scripts/setup.sh --run   what running needs (`make run`): speech (espeak-ng; Piper and
#                                 its voice come with rubdown's pip install), lame for compressed
#                                 cue audio, sox with MP3 support and alsa-utils for playing it,
#                                 Pango for PDF sheets, and rubdown with its 'pdf' and 'listen'
#                                 extras in .venv (voice commands work after `make run`).
#   bash scripts/setup.sh         everything for development and `make test`: also PostgreSQL,
#                                 Chromium, poppler, every extra, the dev tools and axe-core.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=dev
[ "${1:-}" = "--run" ] && mode=run

APT_PACKAGES=(
  python3-venv espeak-ng lame sox libsox-fmt-mp3 alsa-utils
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
)
if [ "$mode" = dev ]; then
  # libnss3-tools: certutil, for the browser test that trusts rubdown's HTTPS certificate.
  APT_PACKAGES+=(postgresql chromium poppler-utils libnss3-tools)
fi
PIP_TARGET='.[pdf,listen]'
[ "$mode" = dev ] && PIP_TARGET='.[dev]'

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
# Node may come from elsewhere (NodeSource ships npm inside its nodejs package).
if [ "$mode" = dev ]; then command -v npm >/dev/null 2>&1 || missing+=(npm); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}"
fi

# The virtualenv is rebuilt only when pyproject.toml or constraints.txt changes; a development
# install also serves `make run`.
stamp=".venv/.rubdown-installed-$mode"
[ "$mode" = run ] && [ -f .venv/.rubdown-installed-dev ] && stamp=".venv/.rubdown-installed-dev"
if [ ! -x .venv/bin/python ] || [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] \
  || [ constraints.txt -nt "$stamp" ]; then
  echo "setup: installing rubdown ($mode) into .venv"
  python3 -m venv .venv
  .venv/bin/pip install -q --upgrade pip
  # constraints.txt pins the versions the suite last passed with, so a new release elsewhere
  # cannot break a fresh machine; refresh it with `pip freeze --exclude-editable`.
  .venv/bin/pip install -q -c constraints.txt -e "$PIP_TARGET"
  touch "$stamp"
fi

# axe-core for the accessibility checks of the web pages (from the npm registry).
if [ "$mode" = dev ] && [ ! -f .cache/axe/node_modules/axe-core/axe.min.js ]; then
  echo "setup: installing axe-core"
  mkdir -p .cache/axe
  npm install --silent --no-audit --no-fund --prefix .cache/axe axe-core@4 >/dev/null
fi
# Lighthouse for bench/lighthouse.py (npm; 12.2.3 is the last release for Node 20), run
# against Debian's chromium through CHROME_PATH.
if [ "$mode" = dev ] && [ ! -f .cache/lighthouse/node_modules/lighthouse/cli/index.js ]; then
  echo "setup: installing lighthouse"
  mkdir -p .cache/lighthouse
  npm install --silent --no-audit --no-fund --prefix .cache/lighthouse -E lighthouse@12.2.3 >/dev/null
fi
# ESLint for the JavaScript under rubdown/web/static (eslint.config.mjs), from the npm registry.
if [ "$mode" = dev ] && [ ! -x .cache/eslint/node_modules/.bin/eslint ]; then
  echo "setup: installing eslint"
  mkdir -p .cache/eslint
  npm install --silent --no-audit --no-fund --prefix .cache/eslint \
    eslint@9.39.5 @eslint/js@9.39.5 globals@15 >/dev/null
fi
echo "setup: ready (.venv/bin/rubdown)"
