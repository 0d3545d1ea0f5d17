"""Finding and reading ``cerebrium.toml`` files, for ``check``, ``format`` and ``plan``.

Kept apart from ``check.py`` so ``cerebrium-lsp format`` (and its pre-commit hook) starts
without importing the checks it does not run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cerebrium_lsp.analysis.diagnostics import Diagnostic

__all__ = ["CONFIG_NAME", "SKIPPED_DIRS", "decode", "find_configs"]

CONFIG_NAME = "cerebrium.toml"
# Folders never searched: VCS data, dependencies and virtual environments.
SKIPPED_DIRS = {
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "__pycache__",
    ".venv",
    "venv",
    ".tox",
    ".nox",
}


def find_configs(root: Path) -> Iterator[Path]:
    """Every cerebrium.toml below ``root``, skipping VCS folders, dependencies and venvs."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in SKIPPED_DIRS and not (Path(folder, d) / "pyvenv.cfg").exists()
        )
        if CONFIG_NAME in files:
            yield Path(folder) / CONFIG_NAME


def decode(data: bytes) -> tuple[str, list[Diagnostic]]:
    """Text of a file: UTF-8 with a leading BOM dropped (editors do not count it as a column).
    Invalid UTF-8 becomes U+FFFD plus one error at the first bad byte, so the rest is still
    checked."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        # Imported here: format decodes many files and builds no diagnostic for a valid one.
        from cerebrium_lsp.analysis.diagnostics import Diagnostic
        from cerebrium_lsp.analysis.tree import Span

        text = data.decode("utf-8", errors="replace")
        offset = len(data[: error.start].decode("utf-8", errors="replace"))
        problem = Diagnostic(
            span=Span(offset, offset + 1),
            severity="error",
            code="toml-syntax",
            message=f"The file is not valid UTF-8 (byte 0x{data[error.start]:02x} at byte offset "
            f"{error.start}); TOML files must be UTF-8. Re-save the file as UTF-8.",
        )
        return text, [problem]
