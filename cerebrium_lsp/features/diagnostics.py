"""Diagnostics: ``textDocument/didOpen``, ``didChange`` and ``didClose`` drive
``textDocument/publishDiagnostics`` (push); ``textDocument/diagnostic`` answers clients that
declare pull support, and those get no pushes.

Push: on open at once, on change after ``debounce_ms`` of quiet (a new version cancels the
pending job, so a burst costs one analysis), only if the document is still at the version the
job was scheduled for; on close an empty list. Pull: ``resultId`` = settings generation +
document version, so an unchanged document gets an ``unchanged`` report.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from lsprotocol import types

from cerebrium_lsp.features.common import guarded

if TYPE_CHECKING:
    from cattrs import Converter

    from cerebrium_lsp.server import CerebriumLanguageServer
    from cerebrium_lsp.settings import Settings

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


def _schedule(ls: CerebriumLanguageServer, uri: str, version: int | None, delay_s: float) -> None:
    async def job() -> None:
        await ls.settings_loaded()
        publish(ls, uri, version)

    ls.schedule(_job_key(uri), delay_s, job)


def publish(ls: CerebriumLanguageServer, uri: str, version: int | None) -> None:
    """Publish the diagnostics of ``uri`` if it is still open at ``version``."""
    doc = ls.document(uri)
    if doc is None or doc.version != version:
        return  # closed, or a newer version has its own job
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
        _schedule(ls, doc.uri, doc.version, 0)


@guarded("diagnostics (didChange)", lambda: None)
def did_change(ls: CerebriumLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    doc = params.text_document
    if not ls.pull_diagnostics and ls.serves(doc.uri):
        _schedule(ls, doc.uri, doc.version, ls.settings.debounce_ms / 1000)


@guarded("diagnostics (didClose)", lambda: None)
def did_close(ls: CerebriumLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.cancel(_job_key(uri))
    ls.forget(uri)
    if not ls.pull_diagnostics and ls.serves(uri):
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )


def settings_changed(ls: CerebriumLanguageServer, old: Settings, new: Settings) -> None:
    """Re-check open documents under the new settings (push), or ask pull clients to."""
    if ls.pull_diagnostics:
        if _refresh_supported(ls):
            ls.workspace_diagnostic_refresh(None)
        return
    for doc in list(ls.workspace.text_documents.values()):
        if ls.serves(doc.uri):
            _schedule(ls, doc.uri, doc.version, 0)
        elif old.serves_path(_path(doc.uri)):
            ls.cancel(_job_key(doc.uri))
            ls.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=doc.uri, diagnostics=[])
            )


def _refresh_supported(ls: CerebriumLanguageServer) -> bool:
    from pygls.capabilities import get_capability

    return bool(
        get_capability(ls.client_capabilities, "workspace.diagnostics.refresh_support", False)
    )


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
    doc = ls.document(uri)
    if doc is None:
        return _empty_report()
    result_id = f"{ls.settings_generation}:{doc.version}"
    if params.previous_result_id == result_id:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
    items = lsp_diagnostics(ls, uri)
    if items is None:
        return _empty_report()
    return types.RelatedFullDocumentDiagnosticReport(items=items, result_id=result_id)
