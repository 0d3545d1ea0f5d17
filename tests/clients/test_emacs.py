"""Real Emacs + eglot in batch mode against the real server, configured with docs/editors.md.

One Emacs process (about a second) loads the documented init snippet, opens a broken
cerebrium.toml and records what Emacs received: Flymake's diagnostics, eglot's
completion-at-point candidates inside `compute = ""`, the hover on `python_version`, and the build
plan buffer of the documented `cerebrium-build-plan` command.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from clients_support import (
    BAD_DIAGNOSTICS,
    DOC_COMMAND,
    GPU_LABELS,
    SCRIPTS,
    SERVER_COMMAND,
    EditorRun,
    copy_fixture,
    doc_blocks,
    elisp_list,
    expected_messages,
    isolated_env,
    require_executable,
    run_editor,
    with_server_command,
)

pytestmark = pytest.mark.timeout(120)

# Flymake's diagnostic types for LSP severities 1 (error) and 2 (warning).
FLYMAKE_TYPES = {1: "eglot-error", 2: "eglot-warning"}


@pytest.fixture(scope="module")
def emacs(tmp_path_factory: pytest.TempPathFactory) -> EditorRun:
    binary = require_executable("emacs", "Emacs (apt-get install emacs-nox elpa-eglot)")
    tmp = tmp_path_factory.mktemp("emacs")
    target = copy_fixture("bad", tmp)
    init = tmp / "init.el"
    config = "\n\n".join(doc_blocks("emacs-eglot"))
    init.write_text(
        with_server_command(config, elisp_list(DOC_COMMAND), elisp_list(SERVER_COMMAND)),
        encoding="utf-8",
    )
    env = isolated_env(tmp / "home")
    env["TARGET"] = str(target)
    run = run_editor(
        [
            binary,
            "--batch",
            "-q",  # not -Q: Debian's site-start puts the elpa-eglot folder on the load path
            "--eval",
            "(progn (require 'package) (package-initialize))",
            "-l",
            str(init),
            "-l",
            str(SCRIPTS / "eglot_e2e.el"),
        ],
        env,
        tmp / "out.json",
        cwd=target.parent,
        logs=[],
    )
    if "require 'eglot" in run.result.get("error", ""):
        pytest.fail("eglot is missing: run scripts/setup-clients.sh")
    run.result["target"] = str(target)
    print(
        f"emacs {run.result['emacs']} eglot {run.result['eglot']}: {run.seconds:.2f} s, "
        f"{run.result['timings']}"
    )
    return run


def step(run: EditorRun, name: str) -> None:
    error = (run.result.get("errors") or {}).get(name)
    assert not error, f"{name} failed in Emacs {run.result['emacs']}:\n{error}"


def test_attached_by_documented_config(emacs: EditorRun) -> None:
    assert emacs.result["major_mode"] == "conf-toml-mode"
    assert emacs.result["server"]  # eglot connected to the buffer's project


def test_diagnostics(emacs: EditorRun) -> None:
    """Flymake's regions as 0-based (line, column) plus the LSP code and message."""
    diagnostics = emacs.result["diagnostics"]
    got = sorted((d["code"], d["type"], tuple(d["start"]), tuple(d["end"])) for d in diagnostics)
    expected = sorted(
        (code, FLYMAKE_TYPES[severity], start, end)
        for code, severity, start, end in BAD_DIAGNOSTICS
    )
    assert got == expected
    assert {d["source"] for d in diagnostics} == {"cerebrium"}
    # eglot shows "source [code]: message".
    messages = expected_messages(Path(emacs.result["target"]))
    assert {d["code"]: d["text"] for d in diagnostics} == {
        code: f"cerebrium [{code}]: {message}" for code, message in messages.items()
    }


def test_completion_lists_gpu_types(emacs: EditorRun) -> None:
    step(emacs, "completion")
    labels = set(emacs.result["completion"])
    assert labels >= GPU_LABELS, sorted(labels)


def test_hover_on_python_version(emacs: EditorRun) -> None:
    step(emacs, "hover")
    assert "python_version" in emacs.result["hover"]
    assert "full rebuild" in emacs.result["hover"]


def test_build_plan_command(emacs: EditorRun) -> None:
    """M-x cerebrium-build-plan (documented) runs cerebrium.showBuildPlan and shows the plan."""
    step(emacs, "build_plan")
    plan = emacs.result["build_plan"]
    assert plan["name"] == "*cerebrium build plan*"  # eglot 1.9 has no window/showDocument
    assert "Build plan" in plan["text"]
    assert "clients-test" in plan["text"]


def test_diagnostics_follow_the_files_they_read(emacs: EditorRun) -> None:
    """eglot registers the server's file watcher: deleting main.py brings `missing-file` to
    Flymake without an edit of cerebrium.toml, and restoring it clears the diagnostic."""
    step(emacs, "watched_files")
    assert emacs.result["watched_files"] is True
