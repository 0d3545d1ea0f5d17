"""One repository URL: every GitHub URL of this project in the docs, packaging, metadata and
snippets is ``REPOSITORY_URL`` (the one SARIF logs carry), and no placeholder is left."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from cerebrium_lsp.check_formats import REPOSITORY_URL

REPO = Path(__file__).resolve().parents[2]
# A GitHub URL naming a repository called cerebrium-lsp, or a lazy.nvim-style "owner/cerebrium-lsp".
MENTION = re.compile(r"(?:https://github\.com/|\")([\w.<>-]+)/cerebrium-lsp\b")


def _files() -> list[Path]:
    files = [REPO / "README.md", REPO / "CHANGELOG.md", REPO / "pyproject.toml"]
    files += sorted((REPO / "docs").glob("*.md"))
    files += sorted((REPO / "lsp").glob("*.lua"))
    packaging = (REPO / "packaging").rglob("*")
    files += [p for p in packaging if p.is_file() and "node_modules" not in p.parts]
    return files


def test_every_mention_is_the_repository_url() -> None:
    owner = REPOSITORY_URL.removeprefix("https://github.com/").removesuffix("/cerebrium-lsp")
    assert f"https://github.com/{owner}/cerebrium-lsp" == REPOSITORY_URL
    found = 0
    for path in _files():
        text = path.read_text(encoding="utf-8", errors="replace")
        assert "<owner>" not in text, path
        for match in MENTION.finditer(text):
            found += 1
            assert match.group(1) == owner, f"{path.relative_to(REPO)}: {match.group(0)}"
    assert found >= 5  # README (pre-commit, lazy.nvim), docs/editors.md, Mason, pyproject


def test_package_metadata_names_the_repository() -> None:
    urls = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]
    assert urls["Homepage"] == REPOSITORY_URL
    assert all(url.startswith(REPOSITORY_URL) for url in urls.values()), urls
