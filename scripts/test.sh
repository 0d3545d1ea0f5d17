#!/usr/bin/env bash
# Set up, then run lint, format check, type check and every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
echo "== ruff check" && .venv/bin/ruff check .
echo "== ruff format --check" && .venv/bin/ruff format --check .
echo "== mypy --strict cerebrium_lsp" && .venv/bin/mypy
echo "== pytest" && .venv/bin/pytest -q -p no:cacheprovider "$@"
