"""Diagnostics: ``textDocument/didOpen``, ``didChange`` and ``didClose`` drive
``textDocument/publishDiagnostics`` (push); ``textDocument/diagnostic`` answers clients that
declare pull support, and those get no pushes.

Push: a job per document publishes the diagnostics of the document's newest version. With
``debounceMs`` 0 (the default) the job runs as soon as every message that has already arrived
has been handled: an edit made while the server is idle is analysed at once (no delay added to
the last edit), edits that arrive before the job runs join it (a burst costs one analysis, of
the newest version), and requests that came with the edit (completion) are answered first. With
``debounceMs`` > 0 each edit restarts a quiet window of that length, and the job runs when it
ends. On open at once; on close an empty list. Pull: ``resultId`` = inputs generation (bumped
when the settings or files the analysis reads change) + document version, so an unchanged
document gets an ``unchanged`` report. When files a document reads change
(:mod:`.watched_files`), :func:`recheck` publishes again, or asks pull clients to pull again
(``workspace/diagnostic/refresh``), as a settings change does.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from concurrent.futures import Future
from functools import lru_cache
from typing import TYPE_CHECKING

from lsprotocol import types

from cerebrium_lsp.features.common import guarded

if TYPE_CHECKING:
    from cattrs import Converter

    from cerebrium_lsp.server import CerebriumLanguageServer
    from cerebrium_lsp.settings import Settings

logger = logging.getLogger("cerebrium_lsp.features.diagnostics")

IDENTIFIER = "cerebrium"


def register(server: CerebriumLanguageServer) -> None:
    server.feature(types.TEXT_DOCUMENT_DID_OPEN)(did_open)
    server.feature(types.TEXT_DOCUMENT_DID_CHANGE)(did_change)
    server.feature(types.TEXT_DOCUMENT_DID_CLOSE)(did_close)
    server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(
            identifier=IDENTIFIER, inter_file_dependencies=False, workspace_diagnostics=False
        ),
    )(document_diagnostic)
    server.on_settings_changed(settings_changed)


def lsp_diagnostics(ls: CerebriumLanguageServer, uri: str) -> list[types.Diagnostic] | None:
    """The open document's diagnostics as LSP objects (the same JSON ``check`` prints, in the
    negotiated encoding); None if we do not serve it."""
    analysis = ls.analysis_for(uri)
    if analysis is None:
        return None
    encoding = ls.position_encoding
    converter = _converter()
    out: list[types.Diagnostic] = []
    # The analysis already applied ``settings.severity`` (``AnalysisOptions.severity_overrides``).
    for diagnostic in analysis.diagnostics:
        as_json = diagnostic.to_lsp(analysis.index, uri, encoding)
        out.append(converter.structure(as_json, types.Diagnostic))
    return out


@lru_cache(maxsize=1)
def _converter() -> Converter:
    from lsprotocol.converters import get_converter

    return get_converter()


# --- push ------------------------------------------------------------------------------------


def _job_key(uri: str) -> str:
    return f"diagnostics:{uri}"


def _schedule(ls: CerebriumLanguageServer, uri: str, delay_s: float) -> None:
    """Publish ``uri``'s newest version once the server is idle (``delay_s`` 0: a pending job
    already covers any newer version) or ``delay_s`` after this call (the window restarts)."""
    key = _job_key(uri)
    if delay_s <= 0 and ls.pending(key):
        return

    async def job() -> None:
        await ls.settings_loaded()
        await ls.input_handled()
        await ls.analysis_ready(uri)  # a large document is analysed off the event loop
        publish(ls, uri)

    ls.schedule(key, delay_s, job)


def publish(ls: CerebriumLanguageServer, uri: str, version: int | None = None) -> None:
    """Publish the diagnostics of ``uri`` at its current version (if ``version`` is given: only
    if the document is still at that version)."""
    doc = ls.document(uri)
    if doc is None or (version is not None and doc.version != version):
        return  # closed, or a newer version has its own job
    version = doc.version
    diagnostics = lsp_diagnostics(ls, uri)
    if diagnostics is None:
        return
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
    )


@guarded("diagnostics (didOpen)", lambda: None)
def did_open(ls: CerebriumLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    doc = params.text_document
    if not ls.pull_diagnostics and ls.serves(doc.uri):
        _schedule(ls, doc.uri, 0)


@guarded("diagnostics (didChange)", lambda: None)
def did_change(ls: CerebriumLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    doc = params.text_document
    if not ls.pull_diagnostics and ls.serves(doc.uri):
        _schedule(ls, doc.uri, ls.settings.debounce_ms / 1000)


@guarded("diagnostics (didClose)", lambda: None)
def did_close(ls: CerebriumLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.cancel(_job_key(uri))
    ls.forget(uri)
    if not ls.pull_diagnostics and ls.serves(uri):
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )


def recheck(ls: CerebriumLanguageServer, uris: Iterable[str]) -> None:
    """The diagnostics of the open documents ``uris`` may have changed without an edit (files
    they read changed): publish them again once idle (push), or ask the client to pull (pull)."""
    if ls.pull_diagnostics:
        _request_refresh(ls)
        return
    for uri in uris:
        if ls.serves(uri):
            _schedule(ls, uri, 0)


def settings_changed(ls: CerebriumLanguageServer, old: Settings, new: Settings) -> None:
    """Re-check open documents under the new settings (push), or ask pull clients to."""
    if ls.pull_diagnostics:
        _request_refresh(ls)
        return
    for doc in list(ls.workspace.text_documents.values()):
        if ls.serves(doc.uri):
            _schedule(ls, doc.uri, 0)
        elif old.serves_path(_path(doc.uri)):
            ls.cancel(_job_key(doc.uri))
            ls.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=doc.uri, diagnostics=[])
            )


def _request_refresh(ls: CerebriumLanguageServer) -> None:
    """Ask a pull client to pull every document again (if it supports being asked). Not
    awaited: a client that never answers must not block the server."""
    from pygls.capabilities import get_capability

    if get_capability(ls.client_capabilities, "workspace.diagnostics.refresh_support", False):
        ls.workspace_diagnostic_refresh(None).add_done_callback(_log_refresh_failure)


def _log_refresh_failure(future: Future[None]) -> None:
    if not future.cancelled() and (exc := future.exception()) is not None:
        logger.warning("workspace/diagnostic/refresh failed: %s", exc)


def _path(uri: str) -> str:
    from urllib.parse import unquote, urlparse

    return unquote(urlparse(uri).path)


# --- pull ------------------------------------------------------------------------------------


def _empty_report() -> types.DocumentDiagnosticReport:
    return types.RelatedFullDocumentDiagnosticReport(items=[])


@guarded("diagnostics (pull)", _empty_report)
async def document_diagnostic(
    ls: CerebriumLanguageServer, params: types.DocumentDiagnosticParams
) -> types.DocumentDiagnosticReport:
    await ls.settings_loaded()
    uri = params.text_document.uri
    await ls.analysis_ready(uri)  # a large document is analysed off the event loop
    doc = ls.document(uri)
    if doc is None:
        return _empty_report()
    result_id = f"{ls.inputs_generation}:{doc.version}"
    if params.previous_result_id == result_id:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
    items = lsp_diagnostics(ls, uri)
    if items is None:
        return _empty_report()
    return types.RelatedFullDocumentDiagnosticReport(items=items, result_id=result_id)
