#!/usr/bin/env bash
# Set up, then check the bundled examples: the good ones pass, the bad ones show what we catch.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "== cerebrium-lsp check examples/good (expected: no errors)"
.venv/bin/cerebrium-lsp check examples/good
echo
echo "== cerebrium-lsp check examples/bad (expected: the mistakes below, exit code 1)"
status=0
.venv/bin/cerebrium-lsp check examples/bad || status=$?
if [ "$status" -ne 1 ]; then
  echo "unexpected exit code $status from checking examples/bad" >&2
  exit 1
fi
echo
echo "== cerebrium-lsp plan examples/good/gpu-llm (the build plan, before anything is uploaded)"
.venv/bin/cerebrium-lsp plan examples/good/gpu-llm/cerebrium.toml
