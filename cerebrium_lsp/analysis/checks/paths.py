"""Files the config names (Dockerfile, requirement files, main.py), resolved against the folder
that holds ``cerebrium.toml``. A path that leaves that folder is reported and never read."""

from __future__ import annotations

import os
from pathlib import Path

from cerebrium_lsp.analysis.checks.context import CheckContext
from cerebrium_lsp.analysis.tree import Span


def inside_project(project_dir: Path, relative: str) -> Path | None:
    """The resolved path when it stays inside ``project_dir``, else None."""
    candidate = Path(os.path.normpath(project_dir / relative))
    base = Path(os.path.normpath(project_dir))
    if candidate == base or base in candidate.parents:
        return candidate
    return None


def check_project_file(ctx: CheckContext, relative: str, span: Span, label: str) -> None:
    """Warn on paths outside the project; with file checks on, report a missing file."""
    text = relative.strip()
    if not text:
        return
    if Path(text).is_absolute() or ctx.options.project_dir is None:
        outside = Path(text).is_absolute()
        resolved = None
    else:
        resolved = inside_project(ctx.options.project_dir, text)
        outside = resolved is None
    if outside:
        ctx.report(
            "path-outside-project",
            span,
            f"`{label}` points outside the project folder ({text}); only the project folder is "
            "uploaded, and the checker does not read files outside it. Move the file into the "
            "project.",
        )
        return
    if not ctx.file_checks or resolved is None:
        return
    if not resolved.is_file():
        what = "a folder, not a file" if resolved.is_dir() else "not found"
        ctx.report(
            "missing-file",
            span,
            f"`{label}` names {text}, which is {what} in {ctx.options.project_dir}. Relative paths "
            "resolve against the folder that holds cerebrium.toml (the CLI uses the folder you "
            "deploy from).",
        )
