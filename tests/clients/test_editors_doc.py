"""docs/editors.md for the editors this machine cannot run (Helix, Zed, Sublime Text): each
snippet parses in its editor's file format and points at the real server command; and every
`cerebrium-lsp` command line the page shows is accepted by the CLI."""

from __future__ import annotations

import json
import re
import shlex
import tomllib

import pytest
from clients_support import DOC_COMMAND, EDITORS_DOC, doc_blocks

from cerebrium_lsp.cli import _parser

SHOW_BUILD_PLAN = "cerebrium.showBuildPlan"


def test_helix_languages_toml() -> None:
    [block] = doc_blocks("helix")
    config = tomllib.loads(block)
    server = config["language-server"]["cerebrium-lsp"]
    assert [server["command"], *server["args"]] == DOC_COMMAND
    [language] = config["language"]
    assert language["file-types"] == [{"glob": "cerebrium.toml"}]
    assert language["grammar"] == "toml"
    assert "cerebrium-lsp" in language["language-servers"]


def test_zed_tasks_json() -> None:
    [block] = doc_blocks("zed")
    tasks = json.loads(block)
    assert {t["label"] for t in tasks} == {"cerebrium: check", "cerebrium: build plan"}
    for task in tasks:
        assert task["command"] == "cerebrium-lsp"
        _parser().parse_args(
            [a.replace("$ZED_FILE", "f").replace("$ZED_WORKTREE_ROOT", ".") for a in task["args"]]
        )


def test_sublime_lsp_settings_and_command() -> None:
    [settings] = doc_blocks("sublime")
    [commands] = doc_blocks("sublime-commands")
    clients = json.loads(settings)["clients"]
    assert clients["cerebrium-lsp"]["command"] == DOC_COMMAND
    [entry] = json.loads(commands)
    assert entry["command"] == "lsp_execute"
    assert entry["args"]["session_name"] in clients
    assert entry["args"]["command_name"] == SHOW_BUILD_PLAN


def test_every_tested_snippet_uses_the_documented_command() -> None:
    assert any('{ "cerebrium-lsp", "serve" }' in b for b in doc_blocks("nvim-legacy"))
    plugin = (EDITORS_DOC.parents[1] / "lsp" / "cerebrium_lsp.lua").read_text(encoding="utf-8")
    assert 'cmd = { "cerebrium-lsp", "serve" }' in plugin  # what nvim-0.11 enables
    assert doc_blocks("nvim-0.11") == ['vim.lsp.enable("cerebrium_lsp")']
    assert any('("cerebrium-lsp" "serve")' in b for b in doc_blocks("emacs-eglot"))


def shell_commands() -> list[str]:
    """Every `cerebrium-lsp ...` invocation of the page: in code blocks, `run:` steps and
    inline code."""
    text = EDITORS_DOC.read_text(encoding="utf-8")
    pattern = re.compile(r"(?:^|run: |`)cerebrium-lsp (?P<args>[^`|>#\n]*)")
    found = []
    for line in text.splitlines():
        found += [m["args"].strip() for m in pattern.finditer(line.strip())]
    return sorted(set(found))


@pytest.mark.parametrize("args", shell_commands())
def test_documented_command_lines_parse(args: str) -> None:
    argv = shlex.split(args)
    if argv == ["--version"]:
        return  # argparse exits on --version
    _parser().parse_args(argv)
