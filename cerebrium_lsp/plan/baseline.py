"""The version of ``cerebrium.toml`` an edit is compared with: the one in git (``HEAD`` or a
given revision) when the file is tracked, otherwise the version last saved.

``git`` runs with a fixed argument list built only from the file's own path and the revision
(checked against a strict pattern), ``--`` separators, no shell, no pager, no prompts, and a
timeout. A missing ``git``, a folder that is not a repository, an untracked file or any git
error gives ``None``, quietly.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

__all__ = ["GIT_TIMEOUT", "Baseline", "choose_baseline", "git_baseline", "valid_revision"]

GIT_TIMEOUT = 5.0  # seconds per git call
_MAX_BYTES = 4 * 1024 * 1024  # a larger blob is no cerebrium.toml
# Revisions such as HEAD, HEAD~2, main, origin/main, v1.2.0, a1b2c3d, HEAD@{1}; never an
# option (a leading "-") and never a path (":"), so "REV:path" stays one object name.
_REVISION = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./~^@{}+-]{0,199}")
_ENV_OVERRIDES = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_PAGER": "cat",
    "LC_ALL": "C",
}


def valid_revision(rev: str) -> bool:
    return bool(_REVISION.fullmatch(rev)) and ".." not in rev


def git_baseline(path: Path, rev: str = "HEAD", *, timeout: float = GIT_TIMEOUT) -> str | None:
    """The text of ``path`` at ``rev`` in the git repository that holds it, or None."""
    if not valid_revision(rev):
        return None
    git = shutil.which("git")
    if git is None:
        return None
    try:
        file = path.resolve()
    except (OSError, RuntimeError):
        return None
    top = _git(git, file.parent, ("rev-parse", "--show-toplevel"), timeout)
    if top is None:
        return None
    try:
        relative = file.relative_to(Path(top.decode("utf-8", "surrogateescape").strip()).resolve())
    except (ValueError, OSError, RuntimeError):
        return None
    blob = _git(
        git, file.parent, ("show", "--no-textconv", f"{rev}:{relative.as_posix()}", "--"), timeout
    )
    if blob is None or len(blob) > _MAX_BYTES:
        return None
    return blob.decode("utf-8", errors="replace").removeprefix("\ufeff")


def _git(git: str, folder: Path, args: tuple[str, ...], timeout: float) -> bytes | None:
    env = {**os.environ, **_ENV_OVERRIDES}
    argv = [git, "--no-pager", "-c", "core.fsmonitor=false", "-C", str(folder), *args]
    try:
        done = subprocess.run(  # fixed argv, no shell
            argv,
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=timeout,
            env=env,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


@dataclass(frozen=True, slots=True)
class Baseline:
    text: str | None
    source: Literal["git", "saved", "none"]
    label: str  # e.g. "git HEAD", "last save"


def choose_baseline(path: Path, saved_text: str | None, rev: str = "HEAD") -> Baseline:
    """The version in git at ``rev`` when the file is tracked, else the saved text (the
    server passes the file's content on disk)."""
    tracked = git_baseline(path, rev)
    if tracked is not None:
        return Baseline(tracked, "git", f"git {rev}")
    if saved_text is not None:
        return Baseline(saved_text, "saved", "last save")
    return Baseline(None, "none", "no earlier version")
