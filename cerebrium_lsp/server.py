"""The language server: shared state, lifecycle and the list of feature modules.

Serves ``initialize`` (position encoding, capabilities), ``initialized``,
``workspace/didChangeConfiguration`` and ``shutdown``; sends ``workspace/configuration``,
``client/registerCapability`` and ``window/logMessage``. Every other method lives in a module of
:mod:`cerebrium_lsp.features`, registered by :func:`build_server`.

Only what ``initialize`` needs is imported at start: the analysis engine loads with the first
document.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Generator, Mapping
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.exceptions import FeatureRequestError, JsonRpcInvalidRequest
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.protocol.json_rpc import RPCRequest
from pygls.workspace import TextDocument, Workspace

from cerebrium_lsp import __version__
from cerebrium_lsp.features.common import Encoding, project_dir, set_position_encoding
from cerebrium_lsp.settings import Settings, parse_settings

if TYPE_CHECKING:
    from cerebrium_lsp.analysis.engine import Analysis

logger = logging.getLogger("cerebrium_lsp.server")  # not __name__: may run as __main__

SETTINGS_SECTION = "cerebrium"
SETTINGS_TIMEOUT_S = 5.0
SettingsListener = Callable[["CerebriumLanguageServer", Settings, Settings], None]


class CerebriumLanguageServer(LanguageServer):
    """The server object every handler receives as its first parameter."""

    def __init__(self) -> None:
        super().__init__(
            "cerebrium-lsp",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=_Protocol,
        )
        self.settings = Settings()
        self.settings_generation = 0  # bumped on every settings change (pull result ids)
        self.pull_diagnostics = False  # decided at initialize from the client's capabilities
        self.shutdown_requested = False
        self._initialization_options: object = None
        self._settings_problems: list[str] = []
        self._settings_loaded = asyncio.Event()
        self._settings_listeners: list[SettingsListener] = []
        self._analyses: dict[str, tuple[int | None, Analysis | None]] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}

    # --- documents and analysis -----------------------------------------------------------

    @property
    def position_encoding(self) -> Encoding:
        """The encoding of ``Position.character`` negotiated at initialize."""
        try:
            negotiated = self.workspace.position_encoding
        except RuntimeError:  # not initialized yet
            return "utf-16"
        value = getattr(negotiated, "value", negotiated)
        if value == "utf-8":
            return "utf-8"
        if value == "utf-32":
            return "utf-32"
        return "utf-16"

    def serves(self, uri: str) -> bool:
        """True for documents the settings' ``files`` globs select (other TOML is left alone)."""
        return self.settings.serves_path(unquote(urlparse(uri).path))

    def document(self, uri: str) -> TextDocument | None:
        """The open document at ``uri``, or None (never reads from disk)."""
        try:
            documents: dict[str, TextDocument] = self.workspace.text_documents
        except RuntimeError:  # not initialized yet
            return None
        return documents.get(unquote(uri))

    def analysis_for(self, uri: str) -> Analysis | None:
        """The analysis of the open document's current version, computed at most once per
        version and shared by every feature; None for unknown or unserved documents."""
        doc = self.document(uri)
        if doc is None or not self.serves(uri):
            return None
        key = unquote(uri)
        cached = self._analyses.get(key)
        if cached is not None and cached[0] == doc.version:
            return cached[1]
        analysis = self._analyze(doc)
        self._analyses[key] = (doc.version, analysis)
        return analysis

    def forget(self, uri: str) -> None:
        """Drop the cached analysis of a closed document."""
        self._analyses.pop(unquote(uri), None)

    def _analyze(self, doc: TextDocument) -> Analysis | None:
        from cerebrium_lsp.analysis.engine import AnalysisOptions, analyze

        options = AnalysisOptions(
            project_dir=project_dir(doc.uri),
            file_checks=self.settings.file_checks,
            severity_overrides=dict(self.settings.severity),
        )
        started = time.perf_counter()
        try:
            analysis = analyze(doc.source, options)
        except Exception:
            logger.exception("analysis failed for %s (version %s)", doc.uri, doc.version)
            return None
        logger.debug(
            "analysed %s v%s in %.1f ms",
            doc.uri,
            doc.version,
            (time.perf_counter() - started) * 1e3,
        )
        return analysis

    # --- background jobs ------------------------------------------------------------------

    def schedule(self, key: str, delay_s: float, job: Callable[[], Awaitable[None]]) -> None:
        """Run ``job`` after ``delay_s`` seconds, replacing (cancelling) any job with ``key``."""
        self.cancel(key)

        async def run() -> None:
            if delay_s > 0:
                await asyncio.sleep(delay_s)
            await job()

        task = asyncio.get_running_loop().create_task(run())
        self._tasks[key] = task
        task.add_done_callback(lambda t: self._job_done(key, t))

    def cancel(self, key: str) -> None:
        task = self._tasks.pop(key, None)
        if task is not None:
            task.cancel()

    def cancel_all(self) -> None:
        for key in list(self._tasks):
            self.cancel(key)

    def _job_done(self, key: str, task: asyncio.Task[None]) -> None:
        if self._tasks.get(key) is task:
            del self._tasks[key]
        if not task.cancelled() and (exc := task.exception()) is not None:
            logger.error("background job %s failed", key, exc_info=exc)

    # --- session and settings -------------------------------------------------------------

    def begin_session(self, params: types.InitializeParams) -> None:
        """At ``initialize``: note what the client supports and take the settings it passed as
        ``initializationOptions`` (``{"cerebrium": {...}}`` or the section itself)."""
        caps = params.capabilities
        self.pull_diagnostics = get_capability(caps, "text_document.diagnostic") is not None
        set_position_encoding(self.position_encoding)
        options = params.initialization_options
        if isinstance(options, Mapping) and isinstance(options.get(SETTINGS_SECTION), Mapping):
            options = options[SETTINGS_SECTION]
        self._initialization_options = options
        # No document is open yet and nothing may be sent before the initialize result: adopt
        # the settings without notifying the listeners.
        self.settings, self._settings_problems = parse_settings(options)
        if self._settings_problems:
            self._log_settings_problems(self._settings_problems)
        if not get_capability(caps, "workspace.configuration", False):
            self._settings_loaded.set()
        logger.info(
            "cerebrium-lsp %s: %s position encoding, %s diagnostics",
            __version__,
            self.position_encoding,
            "pull" if self.pull_diagnostics else "push",
        )

    def on_settings_changed(self, listener: SettingsListener) -> None:
        self._settings_listeners.append(listener)

    async def settings_loaded(self) -> None:
        """Wait (bounded) until the first ``workspace/configuration`` answer is in, so nothing
        is published under settings the user did not choose."""
        if self._settings_loaded.is_set():
            return
        try:
            await asyncio.wait_for(self._settings_loaded.wait(), SETTINGS_TIMEOUT_S)
        except TimeoutError:
            logger.warning(
                "no settings from the client after %.0f s: using defaults", SETTINGS_TIMEOUT_S
            )
            self._settings_loaded.set()

    def apply_settings(self, raw: object) -> None:
        """Adopt settings from the client's JSON; bad values fall back to defaults, reported in
        one log message (once per distinct set of problems)."""
        new, problems = parse_settings(raw)
        if problems and problems != self._settings_problems:
            self._log_settings_problems(problems)
        self._settings_problems = problems
        old = self.settings
        if new == old:
            return
        self.settings = new
        self.settings_generation += 1
        self._analyses.clear()
        for listener in self._settings_listeners:
            try:
                listener(self, old, new)
            except Exception:
                logger.exception("settings listener failed")

    def _log_settings_problems(self, problems: list[str]) -> None:
        logger.warning(
            "invalid %s settings, using defaults for: %s", SETTINGS_SECTION, "; ".join(problems)
        )

    async def load_settings(self) -> None:
        """Read the ``cerebrium`` section with ``workspace/configuration`` (falling back to the
        ``initializationOptions`` when the client has none for us). Until the answer is in,
        :meth:`settings_loaded` waits, so nothing is computed under the old settings."""
        self._settings_loaded.clear()
        try:
            raw: object = None
            if get_capability(self.client_capabilities, "workspace.configuration", False):
                params = types.ConfigurationParams(
                    items=[types.ConfigurationItem(section=SETTINGS_SECTION)]
                )
                try:
                    result = await asyncio.wait_for(
                        self.workspace_configuration_async(params), SETTINGS_TIMEOUT_S
                    )
                    raw = result[0] if result else None
                except Exception as exc:
                    logger.warning("workspace/configuration failed: %s", exc)
            self.apply_settings(raw if raw is not None else self._initialization_options)
        finally:
            self._settings_loaded.set()

    # --- errors ---------------------------------------------------------------------------

    def report_server_error(self, error: Exception, source: Any) -> None:
        """Log internal errors (to ``window/logMessage``) instead of popping them up."""
        if source is FeatureRequestError:
            return  # already answered with an error response and logged by pygls
        logger.error("internal error (%s): %s", getattr(source, "__name__", source), error)

    # --- logging --------------------------------------------------------------------------

    def forward_logging(self) -> None:
        """Send ``logging`` records to the client as ``window/logMessage``: ours from INFO,
        other libraries' from WARNING. Nothing goes to stdout (the JSON-RPC channel)."""
        handler = _LogMessageHandler(self)
        root = logging.getLogger()
        root.addHandler(handler)
        logging.getLogger("cerebrium_lsp").setLevel(logging.INFO)


# --- lifecycle handlers ---------------------------------------------------------------------


def initialize(ls: CerebriumLanguageServer, params: types.InitializeParams) -> None:
    ls.begin_session(params)


async def initialized(ls: CerebriumLanguageServer, params: types.InitializedParams) -> None:
    if get_capability(
        ls.client_capabilities, "workspace.did_change_configuration.dynamic_registration", False
    ):
        # Sent before the configuration request and not awaited: a client that never answers
        # must not hold up the settings.
        registration = types.Registration(
            id=str(uuid.uuid4()),
            method=types.WORKSPACE_DID_CHANGE_CONFIGURATION,
            register_options=types.DidChangeConfigurationRegistrationOptions(
                section=SETTINGS_SECTION
            ),
        )
        sent = ls.client_register_capability(types.RegistrationParams(registrations=[registration]))
        sent.add_done_callback(_log_registration_failure)
    await ls.load_settings()


def _log_registration_failure(future: Future[None]) -> None:
    if not future.cancelled() and (exc := future.exception()) is not None:
        logger.warning("could not register for configuration changes: %s", exc)


async def did_change_configuration(
    ls: CerebriumLanguageServer, params: types.DidChangeConfigurationParams
) -> None:
    if get_capability(ls.client_capabilities, "workspace.configuration", False):
        await ls.load_settings()
        return
    # Push-only clients send the settings themselves.
    raw = params.settings
    if isinstance(raw, Mapping) and SETTINGS_SECTION in raw:
        ls.apply_settings(raw[SETTINGS_SECTION])


def shutdown(ls: CerebriumLanguageServer, params: None) -> None:
    ls.shutdown_requested = True
    ls.cancel_all()


def build_server() -> CerebriumLanguageServer:
    """A server with the lifecycle handlers and every feature module registered."""
    from cerebrium_lsp.features import (
        completion,
        definition,
        diagnostics,
        folding,
        hover,
        links,
        selection,
        symbols,
    )

    server = CerebriumLanguageServer()
    server.feature(types.INITIALIZE)(initialize)
    server.feature(types.INITIALIZED)(initialized)
    server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)(did_change_configuration)
    server.feature(types.SHUTDOWN)(shutdown)
    for module in (diagnostics, completion, hover, symbols, folding, selection, links, definition):
        module.register(server)
    return server


def serve() -> None:
    """Run the server over stdio until ``exit``; the exit code follows the LSP spec (0 after
    ``shutdown``, else 1)."""
    server = build_server()
    server.forward_logging()
    server.start_io()
    raise SystemExit(0 if server.shutdown_requested else 1)


# --- pygls adjustments ----------------------------------------------------------------------


class _Protocol(LanguageServerProtocol):
    """pygls' protocol with four adjustments: prefer UTF-16 when the client offers it, split
    lines the LSP way, advertise pull diagnostics only to clients that declare them, and answer
    requests after ``shutdown`` with InvalidRequest rather than never."""

    _server: CerebriumLanguageServer

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(
        self, params: types.InitializeParams
    ) -> Generator[Any, Any, types.InitializeResult]:
        _prefer_utf16(params.capabilities)
        result: types.InitializeResult = yield from super().lsp_initialize(params)
        ws = self.workspace
        self._workspace = _LspWorkspace(
            ws.root_uri,
            self._server._text_document_sync_kind,
            list(ws.folders.values()),
            ws.position_encoding,
        )
        if not self._server.pull_diagnostics:
            result.capabilities.diagnostic_provider = None
        return result

    def handle_message(self, message: Any) -> None:
        if self._shutdown and isinstance(message, RPCRequest):
            error = JsonRpcInvalidRequest("the server is shutting down")
            self._send_response(message.id, None, error.to_response_error())
            return
        super().handle_message(message)


def _prefer_utf16(capabilities: types.ClientCapabilities) -> None:
    """pygls takes the client's first choice; we take UTF-16 (the LSP default and what
    ``check`` reports) whenever the client offers it, else its first choice."""
    general = capabilities.general
    offered = general.position_encodings if general is not None else None
    if offered and types.PositionEncodingKind.Utf16 in offered:
        rest = [e for e in offered if e != types.PositionEncodingKind.Utf16]
        general.position_encodings = [types.PositionEncodingKind.Utf16, *rest]  # type: ignore[union-attr]


class _LspTextDocument(TextDocument):
    """pygls splits lines with ``str.splitlines``, which also breaks at U+2028, U+0085, form
    feed and others; LSP lines end only at ``\\n``, ``\\r\\n`` or ``\\r``. A document holding one
    of those would have incremental edits applied at the wrong place."""

    @property
    def lines(self) -> tuple[str, ...]:
        pieces = self.source.splitlines(True)
        if all(p.endswith(("\n", "\r")) for p in pieces[:-1]):
            return tuple(pieces)
        lines: list[str] = []
        pending = ""
        for piece in pieces:
            pending += piece
            if piece.endswith(("\n", "\r")):
                lines.append(pending)
                pending = ""
        if pending:
            lines.append(pending)
        return tuple(lines)


class _LspWorkspace(Workspace):
    def _create_text_document(
        self,
        doc_uri: str,
        source: str | None = None,
        version: int | None = None,
        language_id: str | None = None,
    ) -> TextDocument:
        return _LspTextDocument(
            doc_uri,
            source=source,
            version=version,
            language_id=language_id,
            sync_kind=self._sync_kind,
            position_codec=self.position_codec,
        )


class _LogMessageHandler(logging.Handler):
    _LEVELS = (
        (logging.ERROR, types.MessageType.Error),
        (logging.WARNING, types.MessageType.Warning),
        (logging.INFO, types.MessageType.Info),
    )

    def __init__(self, server: CerebriumLanguageServer) -> None:
        super().__init__()
        self._server = server
        self._local = threading.local()
        self.setFormatter(logging.Formatter("%(name)s: %(message)s"))

    def filter(self, record: logging.LogRecord) -> bool:
        ours = record.name == "cerebrium_lsp" or record.name.startswith("cerebrium_lsp.")
        return record.levelno >= (logging.INFO if ours else logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(self._local, "busy", False):
            return  # a record logged while sending one (pygls logs its own send errors)
        self._local.busy = True
        try:
            kind = next(
                (k for level, k in self._LEVELS if record.levelno >= level), types.MessageType.Log
            )
            self._server.window_log_message(
                types.LogMessageParams(type=kind, message=self.format(record))
            )
        except Exception:
            self.handleError(record)
        finally:
            self._local.busy = False


if __name__ == "__main__":
    serve()
