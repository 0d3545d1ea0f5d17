"""One version: ``cerebrium_lsp.__version__`` is written once; the package metadata reads it, and
the CLI, the VS Code extension and the changelog agree with it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from cerebrium_lsp import __version__

REPO = Path(__file__).resolve().parents[2]


def test_version_is_a_release_number() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__), __version__


def test_pyproject_reads_the_version_from_the_package() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in pyproject["project"]
    assert "version" in pyproject["project"]["dynamic"]
    dynamic = pyproject["tool"]["setuptools"]["dynamic"]["version"]
    assert dynamic == {"attr": "cerebrium_lsp.__version__"}


def test_cli_prints_the_version() -> None:
    cli = Path(sys.executable).parent / "cerebrium-lsp"
    result = subprocess.run(
        [str(cli), "--version"], capture_output=True, text=True, timeout=30, check=True
    )
    assert result.stdout.splitlines()[0].startswith(f"cerebrium-lsp {__version__}")


def test_vscode_extension_has_the_same_version() -> None:
    package = json.loads((REPO / "vscode-extension" / "package.json").read_text(encoding="utf-8"))
    assert package["version"] == __version__


def test_changelog_newest_section_is_this_version() -> None:
    headings = re.findall(
        r"^## (\S+)", (REPO / "CHANGELOG.md").read_text(encoding="utf-8"), re.MULTILINE
    )
    assert headings, "CHANGELOG.md has no `## <version>` section"
    assert headings[0] == __version__, "add a CHANGELOG.md section for the new version"


def _release_notes(tag: str) -> subprocess.CompletedProcess[str]:
    script = REPO / "packaging" / "release_notes.py"
    return subprocess.run(
        [sys.executable, str(script), tag], capture_output=True, text=True, timeout=30, check=False
    )


def test_release_notes_are_the_changelog_section_of_the_tag() -> None:
    notes = _release_notes(f"v{__version__}")
    assert notes.returncode == 0, notes.stderr
    assert notes.stdout.strip() and not notes.stdout.startswith("#")
    assert "\n## " not in notes.stdout  # only this version's section


def test_release_notes_refuse_a_tag_of_another_version() -> None:
    notes = _release_notes("v99.0.0")
    assert notes.returncode == 1
    assert f"does not match cerebrium_lsp.__version__ {__version__}" in notes.stderr


def test_vscode_extension_changelog_has_this_version() -> None:
    """The Marketplace and Open VSX show the extension's own changelog."""
    text = (REPO / "vscode-extension" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## {re.escape(__version__)}\s*$", text, re.MULTILINE)
