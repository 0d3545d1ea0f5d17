"""Results that read other files follow those files: ``workspace/didChangeWatchedFiles``.

Some diagnostics (``missing-file``: the Dockerfile, requirement files, ``main.py``) and the
build plan read the project folder, the folder that holds ``cerebrium.toml``. When the client
reports files created, changed or deleted in the project folder of an open document, the
document's analysis is dropped and its diagnostics are published again (push), or the client is
asked to pull them again (``workspace/diagnostic/refresh``); clients that support it are also
asked to refresh code lenses (``workspace/codeLens/refresh``).

A burst of events (a ``git checkout``, a ``pip install``) costs one re-analysis per document:
the documents concerned are collected until no event came for ``QUIET_S``, or at most
``MAX_WAIT_S`` after the burst's first event, so a folder written to without pause still
refreshes. Ignored: changes to the open ``cerebrium.toml`` documents themselves (the editor's
text is what is analysed) and anything inside the tool folders of ``IGNORED_FOLDERS``.

The server asks for the events at ``initialized`` with :func:`watcher_registration` (dynamic
registration). A client that cannot register sends none; its results catch up with the next
edit of the document.
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
import weakref
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.uris import to_fs_path

from cerebrium_lsp.features import diagnostics
from cerebrium_lsp.features.common import guarded

if TYPE_CHECKING:
    from collections.abc import Iterable

    from cerebrium_lsp.server import CerebriumLanguageServer

logger = logging.getLogger("cerebrium_lsp.features.watched_files")

JOB_KEY = "watched-files"
QUIET_S = 0.2  # a burst ends after this long without an event ...
MAX_WAIT_S = 1.0  # ... or this long after its first event
# Folders of tools, caches and version control: the config names no file in them, and a
# ``git checkout`` or ``pip install`` changes thousands of files there. The folder itself being
# created or deleted still counts (the build plan warns when one would be uploaded).
IGNORED_FOLDERS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".venv",
        "venv",
        "virtualenv",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
    }
)
WATCH_ALL_KINDS = types.WatchKind.Create | types.WatchKind.Change | types.WatchKind.Delete


def register(server: CerebriumLanguageServer) -> None:
    server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)(did_change_watched_files)


def watcher_registration() -> types.Registration:
    """The ``client/registerCapability`` entry that asks for the file events."""
    # Every file: the config can name any path (``dockerfile_path``, requirement files, the
    # entrypoint's file, include/exclude globs), so no narrower glob covers what the analysis
    # reads. Events outside every open project cost one path comparison here.
    watcher = types.FileSystemWatcher(glob_pattern="**/*", kind=WATCH_ALL_KINDS)
    return types.Registration(
        id=str(uuid.uuid4()),
        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=[watcher]),
    )


@dataclass(slots=True)
class _Burst:
    uris: set[str] = field(default_factory=set)  # open documents whose project folder changed
    started: float = 0.0  # event-loop time of the burst's first event


_bursts: weakref.WeakKeyDictionary[CerebriumLanguageServer, _Burst] = weakref.WeakKeyDictionary()


def _burst(ls: CerebriumLanguageServer) -> _Burst:
    burst = _bursts.get(ls)
    if burst is None:
        burst = _bursts[ls] = _Burst()
    return burst


@guarded("watched files", lambda: None)
def did_change_watched_files(
    ls: CerebriumLanguageServer, params: types.DidChangeWatchedFilesParams
) -> None:
    changed = [path for event in params.changes if (path := _local_path(event.uri)) is not None]
    affected = affected_documents(ls, changed)
    if not affected:
        return
    burst = _burst(ls)
    now = asyncio.get_running_loop().time()
    if not ls.pending(JOB_KEY):
        burst.started = now
    burst.uris.update(affected)
    delay_s = min(QUIET_S, max(0.0, burst.started + MAX_WAIT_S - now))
    ls.schedule(JOB_KEY, delay_s, partial(_refresh, ls))  # replaces the pending job


def affected_documents(ls: CerebriumLanguageServer, changed: Iterable[Path]) -> set[str]:
    """The URIs of the open, served documents whose project folder holds a changed path."""
    projects: list[tuple[str, Path]] = []
    open_documents: set[Path] = set()
    for doc in list(ls.workspace.text_documents.values()):
        path = _local_path(doc.uri)
        if path is not None and ls.serves(doc.uri):
            projects.append((doc.uri, path.parent))
            open_documents.add(path)
    affected: set[str] = set()
    if not projects:
        return affected
    for path in changed:
        if path in open_documents:
            continue
        affected.update(uri for uri, project in projects if _in_project(path, project))
    return affected


def _in_project(path: Path, project: Path) -> bool:
    if project.is_relative_to(path):
        return True  # the project folder itself or a folder above it (moved, deleted)
    if not path.is_relative_to(project):
        return False
    return IGNORED_FOLDERS.isdisjoint(path.relative_to(project).parts[:-1])


def _local_path(uri: str) -> Path | None:
    """The normalised file-system path of a ``file:`` URI; None for any other URI."""
    if urlparse(uri).scheme != "file":
        return None
    path = to_fs_path(uri)
    return Path(os.path.normpath(path)) if path else None


async def _refresh(ls: CerebriumLanguageServer) -> None:
    """At the end of a burst: drop the analyses of the documents concerned, then republish."""
    burst = _burst(ls)
    uris = [uri for uri in burst.uris if ls.document(uri) is not None]  # not closed meanwhile
    burst.uris.clear()
    if not uris:
        return
    # A changed file's size or content leaves its folder's time alone: drop the cached walk.
    # Imported here: upload_set loads the config model, which start-up must not pay for.
    from cerebrium_lsp.analysis.upload_set import forget_uploads

    forget_uploads(path.parent for uri in uris if (path := _local_path(uri)) is not None)
    ls.invalidate_analyses(uris)
    diagnostics.recheck(ls, uris)
    if get_capability(ls.client_capabilities, "workspace.code_lens.refresh_support", False):
        # Not awaited: a client that never answers must not block the server.
        ls.workspace_code_lens_refresh(None).add_done_callback(_log_lens_refresh_failure)


def _log_lens_refresh_failure(future: Future[None]) -> None:
    if not future.cancelled() and (exc := future.exception()) is not None:
        logger.warning("workspace/codeLens/refresh failed: %s", exc)
