#!/usr/bin/env bash
# Create .venv (if missing) and install cerebrium-lsp with its development tools.
# Usage: scripts/setup.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
if [ "${1:-}" = "--dev" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
  # The SchemaStore check (packaging/schemastore/check.mjs): Ajv and friends from its lockfile.
  lock=packaging/schemastore/package-lock.json
  if [ ! -f packaging/schemastore/node_modules/.package-lock.json ] ||
    [ "$lock" -nt packaging/schemastore/node_modules/.package-lock.json ]; then
    command -v npm >/dev/null || { echo "setup: npm is needed for packaging/schemastore" >&2; exit 1; }
    (cd packaging/schemastore && npm ci --no-audit --no-fund --loglevel=error)
  fi
  # The runtime dependencies as wheels (the pinned, hashed set the VS Code extension bundles):
  # tests/release installs the built wheel into a fresh venv from these, offline.
  if [ ! -f .venv/wheelhouse/complete ] || [ vscode-extension/requirements.txt -nt .venv/wheelhouse/complete ]; then
    .venv/bin/python -m pip download --quiet --disable-pip-version-check --only-binary :all: \
      --dest .venv/wheelhouse -r vscode-extension/requirements.txt
    touch .venv/wheelhouse/complete
  fi
else
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
fi
