"""Build plan and rebuild impact in the editor.

LSP methods: ``workspace/executeCommand`` for ``cerebrium.showBuildPlan`` and
``cerebrium.showRebuildImpact`` (one argument: the document URI); the custom request
``cerebrium/buildPlan`` (``{"textDocument": {"uri"}, "format": "markdown" | "json"}``) for editor
plugins; ``textDocument/didSave``. Sends ``window/showDocument`` and
``workspace/codeLens/refresh``.

The rebuild impact compares the open document with a baseline: the file at git ``HEAD`` when it
is tracked, else the version last saved (the ``didSave`` text, or the file on disk until the
first save). The baseline is computed in a thread at most once per open and per save; impacts
are cached per document version and shared with code lenses and hover (:func:`impact_for`).
Plans walk the project folder, so they are built in a thread and cached per version.

Markdown shown with ``window/showDocument`` is written under ``$XDG_CACHE_HOME/cerebrium-lsp/
plans/`` (or a private folder in the temp directory), never next to the user's files.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import logging
import os
import stat
import tempfile
import weakref
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.exceptions import JsonRpcInvalidParams
from pygls.uris import to_fs_path

from cerebrium_lsp.features.common import guarded, project_dir

# Imported at run time, not under TYPE_CHECKING: pygls resolves the annotations of command
# handlers (``typing.get_type_hints``) to convert their arguments.
from cerebrium_lsp.server import CerebriumLanguageServer

if TYPE_CHECKING:
    from pygls.workspace import TextDocument

    from cerebrium_lsp.analysis.tree import TomlDocument
    from cerebrium_lsp.plan import Baseline, BuildPlan, Impact

logger = logging.getLogger("cerebrium_lsp.features.build_plan")

SHOW_BUILD_PLAN = "cerebrium.showBuildPlan"
SHOW_REBUILD_IMPACT = "cerebrium.showRebuildImpact"
BUILD_PLAN_REQUEST = "cerebrium/buildPlan"
BASELINE_REVISION = "HEAD"
# git_baseline allows 5 s per git call and makes two: past this the file counts as untracked.
BASELINE_TIMEOUT_S = 12.0
MAX_SAVED_BYTES = 4 * 1024 * 1024
FORMATS = ("markdown", "json")


# --- state shared with code lenses and hover ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class _ParsedBaseline:
    baseline: Baseline
    document: TomlDocument | None  # the baseline text parsed (in the job's thread)


@dataclass(slots=True)
class _BaselineJob:
    document: TextDocument  # the open document it belongs to: a re-open starts a new job
    generation: int
    task: asyncio.Task[_ParsedBaseline]


@dataclass(slots=True)
class _State:
    saved: dict[str, str] = field(default_factory=dict)  # uri -> text of its last didSave
    baselines: dict[str, _BaselineJob] = field(default_factory=dict)
    impacts: dict[str, tuple[tuple[int | None, int], Impact]] = field(default_factory=dict)
    plans: dict[str, tuple[tuple[int | None, int], asyncio.Future[BuildPlan]]] = field(
        default_factory=dict
    )


_states: weakref.WeakKeyDictionary[CerebriumLanguageServer, _State] = weakref.WeakKeyDictionary()
_generations = itertools.count(1)


def _state(ls: CerebriumLanguageServer) -> _State:
    state = _states.get(ls)
    if state is None:
        state = _states[ls] = _State()
    return state


def _key(uri: str) -> str:
    return unquote(uri)  # as the workspace keys its documents


def _forget_closed(ls: CerebriumLanguageServer, state: _State) -> None:
    """Drop what belongs to documents that are no longer open."""
    for cache in (state.saved, state.baselines, state.impacts, state.plans):
        for uri in [u for u in cache if ls.document(u) is None]:
            del cache[uri]


@dataclass(frozen=True, slots=True)
class RebuildImpact:
    """The impact of the open document's current text against its baseline."""

    baseline: Baseline
    impact: Impact
    version: int | None


def _baseline_job(
    ls: CerebriumLanguageServer, uri: str, doc: TextDocument, *, saved: str | None = None
) -> _BaselineJob:
    """The baseline job of the open document, started at its first use after an open; a
    ``saved`` text (a save) becomes the last-saved version and restarts it."""
    state = _state(ls)
    key = _key(uri)
    job = state.baselines.get(key)
    if job is not None and job.document is not doc:
        state.saved.pop(key, None)  # re-opened: what was saved in the earlier session is stale
        job = None
    if saved is not None:
        state.saved[key] = saved
    if job is None or saved is not None:
        if job is not None:
            job.task.cancel()
        else:
            _forget_closed(ls, state)
        path = _file_path(uri)
        task = asyncio.get_running_loop().create_task(_compute_baseline(path, state.saved.get(key)))
        job = state.baselines[key] = _BaselineJob(doc, next(_generations), task)
    return job


def _file_path(uri: str) -> Path | None:
    if urlparse(uri).scheme != "file":
        return None
    path = to_fs_path(uri)
    return Path(path) if path else None


async def _compute_baseline(path: Path | None, saved: str | None) -> _ParsedBaseline:
    from cerebrium_lsp.analysis.toml_document import load_toml
    from cerebrium_lsp.plan import Baseline, choose_baseline

    def parsed(baseline: Baseline) -> _ParsedBaseline:
        # Parsed once per baseline, here: an impact after each edit only compares documents.
        text = baseline.text
        return _ParsedBaseline(baseline, load_toml(text) if text is not None else None)

    fallback = (
        Baseline(saved, "saved", "last save")
        if saved is not None
        else Baseline(None, "none", "no earlier version")
    )
    if path is None:
        return await asyncio.to_thread(parsed, fallback)

    def work() -> _ParsedBaseline:
        # Only the file's own path and a fixed revision reach git (see plan.baseline).
        return parsed(choose_baseline(path, saved if saved is not None else _read_saved(path)))

    try:
        return await asyncio.wait_for(asyncio.to_thread(work), BASELINE_TIMEOUT_S)
    except TimeoutError:
        logger.warning(
            "no baseline for %s after %.0f s: git did not answer", path, BASELINE_TIMEOUT_S
        )
    except Exception:
        logger.exception("baseline failed for %s", path)
    return await asyncio.to_thread(parsed, fallback)


def _read_saved(path: Path) -> str | None:
    """The file as last saved (on disk), or None when it is missing, huge or unreadable."""
    from cerebrium_lsp.config_files import decode

    try:
        if path.stat().st_size > MAX_SAVED_BYTES:
            return None
        return decode(path.read_bytes())[0]
    except OSError:
        return None


async def impact_for(
    ls: CerebriumLanguageServer, uri: str, *, wait_s: float | None = None
) -> RebuildImpact | None:
    """The rebuild impact of the open document at ``uri`` against its baseline (cached per
    version and baseline). ``wait_s`` bounds the wait for a baseline still being computed:
    None when it runs out, when the document is not open or not served."""
    doc = ls.document(uri)
    if doc is None or not ls.serves(uri):
        return None
    job = _baseline_job(ls, uri, doc)
    try:
        found = await asyncio.wait_for(asyncio.shield(job.task), wait_s)
    except TimeoutError:
        return None
    except asyncio.CancelledError:
        if job.task.cancelled():  # replaced by a save: use the new baseline
            return await impact_for(ls, uri, wait_s=wait_s)
        raise
    if ls.document(uri) is not doc:
        return None  # closed (or re-opened) meanwhile
    from cerebrium_lsp.analysis.toml_document import load_toml
    from cerebrium_lsp.plan import impact_between

    state = _state(ls)
    key = _key(uri)
    baseline = found.baseline
    cache_key = (doc.version, job.generation)
    cached = state.impacts.get(key)
    if cached is not None and cached[0] == cache_key:
        return RebuildImpact(baseline, cached[1], doc.version)
    # The open text reuses its analysis: an edit costs the comparison, not another parse.
    analysis = ls.analysis_for(uri)
    new = analysis.document if analysis is not None else load_toml(doc.source)
    impact = impact_between(found.document, new)
    state.impacts[key] = (cache_key, impact)
    return RebuildImpact(baseline, impact, doc.version)


def impact_title(rebuild: RebuildImpact) -> str:
    """One line for a code lens: ``Rebuild vs git HEAD: from pip stage (1 package added)``."""
    if rebuild.baseline.source == "none":
        return f"Rebuild: {rebuild.impact.summary}"
    return f"Rebuild vs {rebuild.baseline.label}: {rebuild.impact.summary}"


async def plan_for(ls: CerebriumLanguageServer, uri: str) -> tuple[int | None, BuildPlan] | None:
    """The build plan of the open document (built in a thread, cached per version and
    settings) and the version it describes; None when the document is not open or served."""
    await ls.settings_loaded()
    doc = ls.document(uri)
    analysis = ls.analysis_for(uri)
    if doc is None or analysis is None:
        return None
    from cerebrium_lsp.plan import build_plan

    state = _state(ls)
    key = _key(uri)
    cache_key = (doc.version, ls.inputs_generation)
    cached = state.plans.get(key)
    if cached is None or cached[0] != cache_key:
        _forget_closed(ls, state)
        path = _file_path(uri)
        name = path.name if path is not None else "cerebrium.toml"
        future = asyncio.ensure_future(
            asyncio.to_thread(build_plan, analysis, project_dir(uri), config_name=name)
        )
        future.add_done_callback(lambda f: _drop_failed(state, key, f))
        cached = state.plans[key] = (cache_key, future)
    return cache_key[0], await asyncio.shield(cached[1])


def _drop_failed(state: _State, key: str, future: asyncio.Future[BuildPlan]) -> None:
    if future.cancelled() or future.exception() is not None:
        entry = state.plans.get(key)
        if entry is not None and entry[1] is future:
            del state.plans[key]


# --- didSave -----------------------------------------------------------------------------------


@guarded("build plan (didSave)", lambda: None)
async def did_save(ls: CerebriumLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
    """Take the saved text as the new baseline of an untracked file (a tracked one may have been
    committed meanwhile: git is asked again), then ask the client to refresh code lenses."""
    uri = params.text_document.uri
    doc = ls.document(uri)
    if doc is None or not ls.serves(uri):
        return
    saved = params.text if params.text is not None else doc.source
    job = _baseline_job(ls, uri, doc, saved=saved)
    try:
        await asyncio.shield(job.task)  # bounded: the job gives up on git after a timeout
    except asyncio.CancelledError:
        if not job.task.cancelled():
            raise
        return  # a newer save took over, and refreshes
    if get_capability(ls.client_capabilities, "workspace.code_lens.refresh_support", False):
        ls.workspace_code_lens_refresh(None).add_done_callback(_log_failure("codeLens/refresh"))


def _log_failure(what: str) -> Callable[[Future[Any]], None]:
    def done(future: Future[Any]) -> None:
        if not future.cancelled() and (exc := future.exception()) is not None:
            logger.warning("%s failed: %s", what, exc)

    return done


# --- commands ----------------------------------------------------------------------------------


def _document_uri(ls: CerebriumLanguageServer, argument: object) -> str:
    """The URI of an open, served document from a command argument (a URI string, or an
    object with ``uri``); anything else is an InvalidParams error."""
    if isinstance(argument, Mapping):
        argument = argument.get("uri")
    elif hasattr(argument, "_asdict"):  # pygls hands JSON objects over as namedtuples
        argument = argument._asdict().get("uri")
    if not isinstance(argument, str) or not argument:
        raise JsonRpcInvalidParams("expected the URI of a cerebrium.toml document")
    if ls.document(argument) is None or not ls.serves(argument):
        raise JsonRpcInvalidParams(f"{argument} is not an open cerebrium.toml document")
    return argument


def _single_argument(arguments: Sequence[object]) -> object:
    if len(arguments) != 1:
        raise JsonRpcInvalidParams(f"expected 1 argument (the document URI), got {len(arguments)}")
    return arguments[0]


async def show_build_plan(ls: CerebriumLanguageServer, *arguments: Any) -> dict[str, Any] | None:
    """``cerebrium.showBuildPlan [uri]``: the plan as Markdown, opened in the editor when the
    client supports ``window/showDocument``. Returns ``{"uri", "markdown"}`` (``uri``: the
    Markdown file shown, or None)."""
    uri = _document_uri(ls, _single_argument(arguments))
    return await _show_build_plan(ls, uri)


@guarded("build plan (showBuildPlan)", lambda: None)
async def _show_build_plan(ls: CerebriumLanguageServer, uri: str) -> dict[str, Any] | None:
    from cerebrium_lsp.plan import to_markdown

    planned = await plan_for(ls, uri)
    if planned is None:
        return None
    return await _show(ls, uri, "build-plan", to_markdown(planned[1]))


async def show_rebuild_impact(
    ls: CerebriumLanguageServer, *arguments: Any
) -> dict[str, Any] | None:
    """``cerebrium.showRebuildImpact [uri]``: what the edits since the baseline re-run, as
    Markdown; shown and returned like the build plan."""
    uri = _document_uri(ls, _single_argument(arguments))
    return await _show_rebuild_impact(ls, uri)


@guarded("build plan (showRebuildImpact)", lambda: None)
async def _show_rebuild_impact(ls: CerebriumLanguageServer, uri: str) -> dict[str, Any] | None:
    from cerebrium_lsp.plan import impact_to_markdown

    rebuild = await impact_for(ls, uri)
    if rebuild is None:
        return None
    label = rebuild.baseline.label if rebuild.baseline.source != "none" else ""
    return await _show(ls, uri, "rebuild-impact", impact_to_markdown(rebuild.impact, label))


async def _show(ls: CerebriumLanguageServer, uri: str, kind: str, markdown: str) -> dict[str, Any]:
    if not get_capability(ls.client_capabilities, "window.show_document.support", False):
        return {"uri": None, "markdown": markdown}
    try:
        file = await asyncio.to_thread(write_markdown, uri, kind, markdown)
    except OSError as error:
        logger.warning("could not write the %s of %s: %s", kind, uri, error)
        return {"uri": None, "markdown": markdown}
    shown = file.as_uri()
    # Not awaited: a client may answer only after it has the command's result.
    ls.window_show_document(
        types.ShowDocumentParams(uri=shown, external=False, take_focus=True)
    ).add_done_callback(_log_failure("window/showDocument"))
    return {"uri": shown, "markdown": markdown}


# --- where shown Markdown goes -----------------------------------------------------------------


def write_markdown(uri: str, kind: str, markdown: str) -> Path:
    """Write ``markdown`` to ``<cache>/<hash of uri>-<kind>.md`` (atomically) and return it."""
    folder = cache_folder()
    digest = hashlib.sha256(_key(uri).encode("utf-8")).hexdigest()[:16]
    target = folder / f"{digest}-{kind}.md"
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{digest}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(markdown)
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def cache_folder() -> Path:
    """``$XDG_CACHE_HOME/cerebrium-lsp/plans``, else ``<temp>/cerebrium-lsp-<user>/plans``,
    created private. A temp folder that is not ours alone (another user could have planted it)
    is not used: a fresh private one is, for the rest of the session."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and Path(xdg).is_absolute():
        folder = Path(xdg) / "cerebrium-lsp" / "plans"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return folder
    top = Path(tempfile.gettempdir()) / f"cerebrium-lsp-{_user()}"
    try:
        top.mkdir(mode=0o700, exist_ok=True)
        if _private(top):
            folder = top / "plans"
            folder.mkdir(mode=0o700, exist_ok=True)
            return folder
    except OSError:
        pass
    return _private_temp_folder()


@lru_cache(maxsize=1)
def _private_temp_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="cerebrium-lsp-plans-"))


def _user() -> str:
    getuid = getattr(os, "getuid", None)
    if getuid is not None:
        return str(getuid())
    name = os.environ.get("USERNAME") or os.environ.get("USER") or "user"
    return "".join(c for c in name if c.isalnum() or c in "-_") or "user"


def _private(folder: Path) -> bool:
    """A real folder (no symlink) that only we own and can write to (POSIX)."""
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode):
        return False
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return True  # Windows: the per-user temp folder is already private
    return info.st_uid == getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


# --- cerebrium/buildPlan -----------------------------------------------------------------------


def _plain(value: object) -> Any:
    """JSON data from what pygls hands a custom request (namedtuples for objects)."""
    if hasattr(value, "_asdict"):
        return {k: _plain(v) for k, v in value._asdict().items()}
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


async def build_plan_request(ls: CerebriumLanguageServer, params: Any) -> dict[str, Any] | None:
    """``cerebrium/buildPlan``: ``{"uri", "version", "markdown" | "plan", "impact"}`` for the
    open document; ``format`` "markdown" (default) or "json" (the ``plan --format json``
    document). ``impact`` is ``plan --diff --format json`` (with its Markdown as ``markdown``
    in the Markdown format), or None."""
    data = _plain(params)
    if not isinstance(data, Mapping):
        raise JsonRpcInvalidParams("expected {textDocument: {uri}, format}")
    uri = _document_uri(ls, data.get("textDocument"))
    output: Literal["markdown", "json"] = data.get("format") or "markdown"
    if output not in FORMATS:
        raise JsonRpcInvalidParams(f"unknown format {output!r}: use one of {', '.join(FORMATS)}")
    return await _build_plan_result(ls, uri, output)


@guarded("build plan (cerebrium/buildPlan)", lambda: None)
async def _build_plan_result(
    ls: CerebriumLanguageServer, uri: str, output: Literal["markdown", "json"]
) -> dict[str, Any] | None:
    from cerebrium_lsp.plan import impact_to_json, impact_to_markdown, to_json, to_markdown

    planned = await plan_for(ls, uri)
    if planned is None:
        return None
    version, plan = planned
    result: dict[str, Any] = {"uri": uri, "version": version}
    if output == "json":
        result["plan"] = to_json(plan)
    else:
        result["markdown"] = to_markdown(plan)
    rebuild = await impact_for(ls, uri)
    if rebuild is None:
        result["impact"] = None
        return result
    label = rebuild.baseline.label if rebuild.baseline.source != "none" else ""
    impact = impact_to_json(rebuild.impact, label)
    if output == "markdown":
        impact["markdown"] = impact_to_markdown(rebuild.impact, label)
    result["impact"] = impact
    return result


def register(server: CerebriumLanguageServer) -> None:
    server.command(SHOW_BUILD_PLAN)(show_build_plan)
    server.command(SHOW_REBUILD_IMPACT)(show_rebuild_impact)
    server.feature(BUILD_PLAN_REQUEST)(build_plan_request)
    server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=True))(did_save)
