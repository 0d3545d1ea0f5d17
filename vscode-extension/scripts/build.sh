#!/usr/bin/env bash
# Build the VS Code extension: npm dependencies, the bundled server (bundled/libs), the schema
# for Even Better TOML, the esbuild bundle, and the .vsix (vsce package). Idempotent.
#
# Usage: vscode-extension/scripts/build.sh [--check]
#   --check  also run the type check, lint and unit tests (what CI runs)
# Env:   PYTHON  the Python used to build bundled/libs (default: <repo>/.venv/bin/python, else python3)
set -euo pipefail
EXT="$(cd "$(dirname "$0")/.." && pwd)"
REPO="$(cd "$EXT/.." && pwd)"
cd "$EXT"
log() { echo "[build] $*" >&2; }
started=$SECONDS

if [ -n "${PYTHON:-}" ]; then PY="$PYTHON"
elif [ -x "$REPO/.venv/bin/python" ]; then PY="$REPO/.venv/bin/python"
else PY="python3"; fi
PIP=("$PY" -m pip --disable-pip-version-check --quiet --quiet)

# --- npm (exact versions from package-lock.json) -------------------------------------------
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# --- the bundled server --------------------------------------------------------------------
# Pure-Python wheels only (--only-binary :all: --implementation py), pinned and hashed, so one
# universal .vsix runs on every platform; see docs/architecture.md, "VS Code extension".
log "bundled/libs from requirements.txt + cerebrium-lsp (with $("$PY" --version))"
rm -rf bundled/libs .build
mkdir -p bundled/libs .build/src .build/wheel
"${PIP[@]}" install --target bundled/libs --no-deps --only-binary :all: --implementation py \
  --require-hashes -r requirements.txt
# Our wheel, built from a copy of the sources so the build leaves nothing in the work tree.
cp "$REPO/pyproject.toml" "$REPO/README.md" .build/src/
(cd "$REPO" && tar --exclude=__pycache__ -cf - cerebrium_lsp) | tar -xf - -C .build/src
"${PIP[@]}" wheel --no-deps --wheel-dir .build/wheel .build/src >.build/wheel.log 2>&1 ||
  { cat .build/wheel.log >&2; exit 1; }
"${PIP[@]}" install --target bundled/libs --no-deps .build/wheel/cerebrium_lsp-*.whl
rm -rf bundled/libs/bin
find bundled/libs -name __pycache__ -type d -prune -exec rm -rf {} +

# The bundled server must run from bundled/libs alone, as the extension starts it: python -S
# (no site-packages) -P (not the working directory), PYTHONPATH=bundled/libs.
log "smoke test: python -S -P with PYTHONPATH=bundled/libs"
(cd / && PYTHONPATH="$EXT/bundled/libs" PYTHONNOUSERSITE=1 "$PY" -S -P - "$EXT/bundled/libs" <<'PY'
import sys, sysconfig
libs = sys.argv[1]
import cerebrium_lsp.server as server
server.build_server()
from cerebrium_lsp.analysis.engine import AnalysisOptions, analyze
from cerebrium_lsp.features import completion, hover, diagnostics  # noqa: F401
from cerebrium_lsp.plan import build_plan, rebuild_impact, to_markdown  # noqa: F401
result = analyze('[cerebrium.hardware]\ncompute = "AMPERE_A1O"\n', AnalysisOptions(project_dir=None))
assert any("AMPERE_A10" in d.message for d in result.diagnostics), result.diagnostics
stdlib = {sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib")}
outside = sorted(
    name for name, m in list(sys.modules.items())
    if getattr(m, "__file__", None) and name != "__main__"
    and not m.__file__.startswith(libs)
    and not any(m.__file__.startswith(p) for p in stdlib)
)
assert not outside, f"imported from outside bundled/libs and the stdlib: {outside}"
assert "jsonschema" not in sys.modules and "rpds" not in sys.modules
print("bundled server OK:", server.__file__)
PY
)

# --- schema for Even Better TOML, bundle, package -------------------------------------------
log "schemas/cerebrium.taplo.json (hints only, see scripts/taplo-schema.mjs)"
node scripts/taplo-schema.mjs "$REPO/schema/cerebrium.schema.json" schemas/cerebrium.taplo.json

if [ "${1:-}" = "--check" ]; then
  log "tsc --noEmit";  npm run --silent typecheck
  log "eslint";        npm run --silent lint
  log "unit tests";    npm test --silent
fi

log "esbuild (production)"
node esbuild.mjs --production
log "vsce package (its vscode:prepublish checks bundled/libs: scripts/check-bundled.mjs)"
rm -f cerebrium-toml.vsix
CEREBRIUM_SOURCES_DIR="$EXT/.build/src" npx vsce package --no-dependencies --allow-missing-repository --no-rewrite-relative-links \
  --out cerebrium-toml.vsix </dev/null

# The .vsix as users install it: the server and its dependencies, the grammar, the bundle.
"$PY" - cerebrium-toml.vsix <<'PY'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
required = [
    f"extension/{path}"
    for path in (
        "package.json", "readme.md", "images/icon.png", "images/screenshot.png", "dist/extension.js",
        "bundled/libs/cerebrium_lsp/__main__.py", "bundled/libs/cerebrium_lsp/server.py",
        "bundled/libs/pygls/__init__.py", "bundled/libs/lsprotocol/__init__.py",
        "syntaxes/toml.tmLanguage.json", "language-configuration.json", "schemas/cerebrium.taplo.json",
    )
]
missing = [name for name in required if name not in names]
compiled = sorted(name for name in names if "__pycache__" in name or name.endswith(".pyc"))
if missing or compiled:
    sys.exit(f"[build] the .vsix lacks {missing} or carries byte-code {compiled[:3]}")
server = sum(name.startswith("extension/bundled/libs/cerebrium_lsp/") for name in names)
print(f"[build] .vsix contents checked: {len(names)} files, {server} of them the server", file=sys.stderr)
PY
log "built $EXT/cerebrium-toml.vsix ($(du -k cerebrium-toml.vsix | cut -f1) KiB) in $((SECONDS - started)) s"
