"""packaging/: the editor snippets (the same text docs/editors.md shows and test_editors_doc.py
checks), the Mason registry package, and lsp/cerebrium_lsp.lua as Neovim 0.11 loads it.

The Mason package is checked against the rules of the Mason registry's schema
(github.com/mason-org/mason-registry, schemas/): required fields, known top-level keys, the
PyPI source id, bin names, categories, and the lspconfig name, plus agreement with this
project's metadata."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from clients_support import DOC_COMMAND, doc_blocks, pypi_neovim

from cerebrium_lsp import __version__
from cerebrium_lsp.check_formats import REPOSITORY_URL

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
PLUGIN = REPO / "lsp" / "cerebrium_lsp.lua"

SNIPPETS = {
    "helix": "helix/languages.toml",
    "zed": "zed/tasks.json",
    "sublime": "sublime/LSP.sublime-settings",
    "sublime-commands": "sublime/Cerebrium.sublime-commands",
}


@pytest.mark.parametrize(("block", "path"), SNIPPETS.items())
def test_snippet_file_is_the_documented_block(block: str, path: str) -> None:
    [text] = doc_blocks(block)
    assert (PACKAGING / path).read_text(encoding="utf-8") == text + "\n"


# The Mason registry's package schema (schemas/package.schema.json and its components).
MASON_REQUIRED = {"name", "description", "homepage", "licenses", "languages", "source"}
MASON_KEYS = MASON_REQUIRED | {
    "categories", "bin", "share", "opt", "ci_skip", "neovim", "schemas", "deprecation"
}  # fmt: skip
MASON_CATEGORIES = {"Compiler", "DAP", "Formatter", "LSP", "Linter", "Runtime"}


@pytest.fixture(scope="module")
def mason() -> dict[str, object]:
    package = yaml.safe_load((PACKAGING / "mason" / "package.yaml").read_text(encoding="utf-8"))
    assert isinstance(package, dict)
    return package


def test_mason_package_has_the_registry_shape(mason: dict[str, object]) -> None:
    assert MASON_REQUIRED <= set(mason) <= MASON_KEYS
    assert isinstance(mason["description"], str) and mason["description"]
    assert re.match(r"^https?://", str(mason["homepage"]))
    assert isinstance(mason["categories"], list) and set(mason["categories"]) <= MASON_CATEGORIES
    assert mason["languages"] == ["TOML"]
    source = mason["source"]
    assert isinstance(source, dict) and set(source) <= {"id", "extra_packages"}
    assert re.match(r"^pkg:pypi/.+@.+", source["id"])
    bins = mason["bin"]
    assert isinstance(bins, dict)
    assert all(re.fullmatch(r"[a-zA-Z0-9_\-.]+", name) for name in bins)


def test_mason_package_matches_this_project(mason: dict[str, object]) -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert mason["name"] == project["name"]
    assert mason["licenses"] == [project["license"]]
    assert mason["homepage"] == REPOSITORY_URL
    assert mason["source"] == {"id": f"pkg:pypi/{project['name']}@{__version__}"}
    assert mason["bin"] == {name: f"pypi:{name}" for name in project["scripts"]}
    assert mason["neovim"] == {"lspconfig": PLUGIN.stem}  # lsp/<name>.lua, vim.lsp.enable(name)


def test_neovim_runtime_file_is_a_vim_lsp_config() -> None:
    """Neovim 0.11 loads lsp/cerebrium_lsp.lua to a config with the documented values."""
    script = (
        f"local c = dofile({json.dumps(str(PLUGIN))})\n"
        "io.write(vim.json.encode({ cmd = c.cmd, filetypes = c.filetypes,"
        " root_markers = c.root_markers, settings = c.settings,"
        " on_attach = type(c.on_attach) }))\n"
    )
    result = subprocess.run(
        [pypi_neovim(), "--clean", "--headless", "-l", "-"],
        input=script,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "cmd": DOC_COMMAND,
        "filetypes": ["toml"],  # Neovim's filetype for cerebrium.toml
        "root_markers": ["cerebrium.toml", ".git"],
        "settings": {"cerebrium": {"fileChecks": True}},
        "on_attach": "function",  # defines :CerebriumBuildPlan
    }
