#!/usr/bin/env bash
# Install everything rubdown needs on a Debian or Ubuntu machine: system packages (speech,
# audio tools, PostgreSQL for the storage tests, Chromium for browser tests, Pango for PDFs),
# a virtualenv in .venv with rubdown and its dev tools, and axe-core for accessibility tests.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  python3-venv espeak-ng sox alsa-utils
  postgresql chromium poppler-utils
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
# Node may come from elsewhere (NodeSource ships npm inside its nodejs package).
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}"
fi

# The virtualenv is rebuilt only when pyproject.toml or constraints.txt changes.
stamp=".venv/.rubdown-installed"
if [ ! -x .venv/bin/python ] || [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] \
  || [ constraints.txt -nt "$stamp" ]; then
  echo "setup: installing rubdown into .venv"
  python3 -m venv .venv
  .venv/bin/pip install -q --upgrade pip
  # constraints.txt pins the versions the suite last passed with, so a new release elsewhere
  # cannot break a fresh machine; refresh it with `pip freeze --exclude-editable`.
  .venv/bin/pip install -q -c constraints.txt -e '.[dev]'
  touch "$stamp"
fi

# axe-core for the accessibility checks of the web pages (from the npm registry).
if [ ! -f .cache/axe/node_modules/axe-core/axe.min.js ]; then
  echo "setup: installing axe-core"
  mkdir -p .cache/axe
  npm install --silent --no-audit --no-fund --prefix .cache/axe axe-core@4 >/dev/null
fi
echo "setup: ready (.venv/bin/rubdown)"
