#!/usr/bin/env bash
# Set up, then run lint, format check, type check and every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
echo "== setup-clients (Neovim, Emacs + eglot, pre-commit)" && scripts/setup-clients.sh
echo "== ruff check" && .venv/bin/ruff check .
echo "== ruff format --check" && .venv/bin/ruff format --check .
echo "== mypy --strict cerebrium_lsp" && .venv/bin/mypy
echo "== vscode-extension: build, type check, lint, unit tests, package" && vscode-extension/scripts/build.sh --check
echo "== vscode-extension: end-to-end in code-server" && vscode-extension/scripts/e2e.sh vscode-extension/cerebrium-toml.vsix
echo "== pytest" && .venv/bin/pytest -q -p no:cacheprovider "$@"
