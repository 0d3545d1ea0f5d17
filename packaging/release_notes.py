"""Print the CHANGELOG.md section of a release tag, after checking the tag names this version.

    python packaging/release_notes.py v0.1.0 > notes.md

Exits 1, saying why, when the tag is not ``v`` + ``cerebrium_lsp.__version__`` or the changelog
has no section for it: the release workflow stops before publishing anything.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VERSION = re.compile(r'^__version__ = "([^"]+)"$', re.MULTILINE)


def package_version() -> str:
    """The version as written in cerebrium_lsp/__init__.py (read, not imported)."""
    match = VERSION.search((REPO / "cerebrium_lsp" / "__init__.py").read_text(encoding="utf-8"))
    assert match, "cerebrium_lsp/__init__.py has no __version__"
    return match.group(1)


def section(changelog: str, version: str) -> str | None:
    """The text under ``## <version>`` up to the next ``## `` heading, stripped."""
    match = re.search(
        rf"^## {re.escape(version)}[ \t]*\n(.*?)(?=^## |\Z)", changelog, re.MULTILINE | re.DOTALL
    )
    return match.group(1).strip() if match else None


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    tag, version = argv[0], package_version()
    if tag != f"v{version}":
        print(f"tag {tag} does not match cerebrium_lsp.__version__ {version}", file=sys.stderr)
        return 1
    notes = section((REPO / "CHANGELOG.md").read_text(encoding="utf-8"), version)
    if not notes:
        print(f"CHANGELOG.md has no `## {version}` section", file=sys.stderr)
        return 1
    print(notes)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
