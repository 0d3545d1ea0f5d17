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
import contextlib
import importlib
import logging
import sys
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping
from concurrent.futures import Future
from functools import partial
from typing import TYPE_CHECKING, Any, BinaryIO
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.exceptions import (
    FeatureRequestError,
)
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from cerebrium_lsp import __version__
from cerebrium_lsp.features.common import Encoding, project_dir, set_position_encoding
from cerebrium_lsp.lazy_features import LAZY_FEATURES, lazy_handler, load_feature
from cerebrium_lsp.log_forwarding import LogMessageHandler
from cerebrium_lsp.protocol import LspProtocol
from cerebrium_lsp.settings import Settings, parse_settings

if TYPE_CHECKING:
    from cerebrium_lsp.analysis.engine import Analysis
    from cerebrium_lsp.stdio import ChunkedStdinReader

logger = logging.getLogger("cerebrium_lsp.server")  # not __name__: may run as __main__

SETTINGS_SECTION = "cerebrium"
SETTINGS_TIMEOUT_S = 5.0
INPUT_WAIT_LIMIT_S = 0.05  # longest a job waits for a message that is still arriving
GC_IDLE_S = 1.0  # garbage is collected after this long without input ...
GC_FORCE_ALLOCATIONS = 1_000_000  # ... or once this many objects were allocated since the last
# Documents at least this long (characters) are analysed in a worker thread, so the event loop
# keeps answering other requests meanwhile (a 5 MB file takes seconds); shorter ones inline.
BACKGROUND_ANALYSIS_CHARS = 256 * 1024
SettingsListener = Callable[["CerebriumLanguageServer", Settings, Settings], None]


class CerebriumLanguageServer(LanguageServer):
    """The server object every handler receives as its first parameter."""

    def __init__(self) -> None:
        super().__init__(
            "cerebrium-lsp",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=LspProtocol,
        )
        self.settings = Settings()
        # Bumped whenever an analysis input other than the text changes: the settings, or files
        # in a project folder (invalidate_analyses). Pull result ids and cached plans key on it.
        self.inputs_generation = 0
        self.pull_diagnostics = False  # decided at initialize from the client's capabilities
        self.shutdown_requested = False
        self._initialization_options: object = None
        self._settings_problems: list[str] = []
        self._settings_loaded = asyncio.Event()
        self._settings_listeners: list[SettingsListener] = []
        self._analyses: dict[str, tuple[int | None, Analysis | None]] = {}
        # uri -> ((version, inputs generation), future) of an analysis running in a thread
        self._background: dict[str, tuple[tuple[int | None, int], asyncio.Future[None]]] = {}
        self._analysis_lock = threading.Lock()  # one background analysis at a time
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._stdin: ChunkedStdinReader | None = None  # set by start_io
        self._lazy_loaded: dict[str, dict[str, Callable[..., Any]]] = {}

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
        if len(doc.source) >= BACKGROUND_ANALYSIS_CHARS and self._analyze_in_background(key, doc):
            return None  # features answer empty until the worker thread is done
        # The previous version's analysis lets a value edit skip the tomllib pass.
        analysis = self._analyze(doc, cached[1] if cached is not None else None)
        self._analyses[key] = (doc.version, analysis)
        if len(self._lazy_loaded) < len(LAZY_FEATURES):
            self._load_lazy_features_soon()
        return analysis

    def _load_lazy_features_soon(self) -> None:
        """After the first analysis (whose diagnostics go out first), import the lazily
        registered feature modules, so the first completion or hover does not wait for them,
        and the build plan package (hover's rebuild impact and the code lenses use it)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        for name in LAZY_FEATURES:
            loop.call_soon(load_feature, self, name)
        loop.call_soon(importlib.import_module, "cerebrium_lsp.plan")

    async def analysis_ready(self, uri: str) -> None:
        """Return once the analysis of the open document's current version is cached (a large
        document's is computed in a worker thread while this waits)."""
        key = unquote(uri)
        while True:
            self.analysis_for(uri)  # cached, computed inline, or started in the background
            pending = self._background.get(key)
            if pending is None:
                return
            await asyncio.shield(pending[1])  # a cancelled waiter must not cancel the work

    def forget(self, uri: str) -> None:
        """Drop the cached analysis of a closed document."""
        self._analyses.pop(unquote(uri), None)
        self._background.pop(unquote(uri), None)

    def invalidate_analyses(self, uris: Iterable[str]) -> None:
        """Drop the cached analyses of these open documents because files they read (in their
        project folder) changed on disk; the next use recomputes them."""
        for uri in uris:
            self.forget(uri)  # also discards a background analysis that read the old files
        self.inputs_generation += 1

    def _analyze_in_background(self, key: str, doc: TextDocument) -> bool:
        """Analyse a snapshot of ``doc`` in a daemon thread (one at a time; a job whose version
        is outdated by the time it starts is skipped); its result is cached on the event loop.
        False when no event loop runs (then the caller analyses inline)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return False
        stamp = (doc.version, self.inputs_generation)
        pending = self._background.get(key)
        if pending is not None and pending[0] == stamp:
            return True
        future: asyncio.Future[None] = loop.create_future()
        self._background[key] = (stamp, future)
        snapshot = TextDocument(doc.uri, source=doc.source, version=doc.version)

        def run() -> None:
            with self._analysis_lock:
                current = self._background.get(key)
                wanted = current is not None and current[1] is future
                analysis = self._analyze(snapshot) if wanted else None
            # RuntimeError: the event loop is closed, the server shut down meanwhile.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(
                    self._background_done, key, stamp, future, wanted, analysis
                )

        threading.Thread(target=run, name="cerebrium-analysis", daemon=True).start()
        return True

    def _background_done(
        self,
        key: str,
        stamp: tuple[int | None, int],
        future: asyncio.Future[None],
        ran: bool,
        analysis: Analysis | None,
    ) -> None:
        pending = self._background.get(key)
        if pending is not None and pending[1] is future:
            del self._background[key]
            doc = self.document(key)
            if ran and doc is not None and (doc.version, self.inputs_generation) == stamp:
                self._analyses[key] = (doc.version, analysis)
        if not future.done():
            future.set_result(None)

    def _analyze(self, doc: TextDocument, previous: Analysis | None = None) -> Analysis | None:
        from cerebrium_lsp.analysis.engine import AnalysisOptions, analyze

        options = AnalysisOptions(
            project_dir=project_dir(doc.uri),
            file_checks=self.settings.file_checks,
            severity_overrides=dict(self.settings.severity),
        )
        started = time.perf_counter()
        try:
            analysis = analyze(doc.source, options, previous=previous)
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

    def pending(self, key: str) -> bool:
        """True while a job scheduled under ``key`` has not finished."""
        task = self._tasks.get(key)
        return task is not None and not task.done()

    async def input_handled(self) -> None:
        """Return once every message that has already arrived has been handled, so a job that
        waits for this works on the newest document and answers no request late (bounded: a
        message only partly written so far is not waited for long)."""
        if self._stdin is not None:
            await self._stdin.wait_idle(INPUT_WAIT_LIMIT_S)
        else:
            await asyncio.sleep(0)

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
        self.inputs_generation += 1
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

    # --- transport ------------------------------------------------------------------------

    def start_io(self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
        """Serve over stdin/stdout, reading stdin in whole chunks (:mod:`cerebrium_lsp.stdio`)
        rather than pygls' thread round trip per line; explicit streams go to pygls."""
        from pygls import IS_WASM

        if stdin is not None or stdout is not None or IS_WASM:
            super().start_io(stdin, stdout)
            return
        from pygls.io_ import StdoutWriter, run_async

        from cerebrium_lsp.stdio import ChunkedStdinReader

        async def run() -> None:
            self._stdin = ChunkedStdinReader(sys.stdin.buffer, asyncio.get_running_loop())
            collector = asyncio.get_running_loop().create_task(self._collect_when_idle())
            await run_async(
                stop_event=stop,
                reader=self._stdin,
                protocol=self.protocol,
                logger=logger,
                error_handler=self.report_server_error,
            )
            collector.cancel()

        stop = self._stop_event = threading.Event()
        self.protocol.set_writer(StdoutWriter(sys.stdout.buffer))
        try:
            asyncio.run(run())
        except BrokenPipeError:
            logger.error("the connection to the client is lost: shutting down")
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            self.shutdown()  # type: ignore[no-untyped-call]

    async def _collect_when_idle(self) -> None:
        """Run the cyclic garbage collector while no message is being handled, not in the
        middle of an edit's analysis: a collection triggered by the thousands of tree nodes an
        analysis allocates costs milliseconds on the path to the diagnostics. Collects after
        ``GC_IDLE_S`` without input, or at once past ``GC_FORCE_ALLOCATIONS`` (a long burst).
        After the first idle collection, what survived (the libraries, the config model) is
        frozen out of later collections."""
        import gc

        loop = asyncio.get_running_loop()
        gc.disable()
        frozen = False
        try:
            while True:
                await asyncio.sleep(GC_IDLE_S / 2)
                reader = self._stdin
                pending = gc.get_count()[0]
                quiet = reader is None or loop.time() - reader.last_input >= GC_IDLE_S
                # Not while a large document is analysed in a thread: its millions of new
                # objects are not garbage, and a full collection would stall the loop ~0.4 s.
                busy = bool(self._background)
                if pending and not busy and (quiet or pending > GC_FORCE_ALLOCATIONS):
                    gc.collect()
                    if not frozen:
                        gc.freeze()
                        frozen = True
        finally:
            gc.enable()

    # --- logging --------------------------------------------------------------------------

    def forward_logging(self) -> None:
        """Send ``logging`` records to the client as ``window/logMessage``: ours from INFO,
        other libraries' from WARNING. Nothing goes to stdout (the JSON-RPC channel)."""
        handler = LogMessageHandler(self)
        root = logging.getLogger()
        root.addHandler(handler)
        logging.getLogger("cerebrium_lsp").setLevel(logging.INFO)


# --- lifecycle handlers ---------------------------------------------------------------------


def initialize(ls: CerebriumLanguageServer, params: types.InitializeParams) -> None:
    ls.begin_session(params)


async def initialized(ls: CerebriumLanguageServer, params: types.InitializedParams) -> None:
    # Registrations are sent before the configuration request and not awaited: a client that
    # never answers must not hold up the settings.
    caps = ls.client_capabilities
    if get_capability(caps, "workspace.did_change_configuration.dynamic_registration", False):
        registration = types.Registration(
            id=str(uuid.uuid4()),
            method=types.WORKSPACE_DID_CHANGE_CONFIGURATION,
            register_options=types.DidChangeConfigurationRegistrationOptions(
                section=SETTINGS_SECTION
            ),
        )
        _register(ls, registration, "configuration changes")
    if get_capability(caps, "workspace.did_change_watched_files.dynamic_registration", False):
        from cerebrium_lsp.features.watched_files import watcher_registration

        _register(ls, watcher_registration(), "file changes")
    await ls.load_settings()


def _register(ls: CerebriumLanguageServer, registration: types.Registration, what: str) -> None:
    sent = ls.client_register_capability(types.RegistrationParams(registrations=[registration]))
    sent.add_done_callback(partial(_log_registration_failure, what))


def _log_registration_failure(what: str, future: Future[None]) -> None:
    if not future.cancelled() and (exc := future.exception()) is not None:
        logger.warning("could not register for %s: %s", what, exc)


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
        build_plan,
        code_actions,
        code_lens,
        diagnostics,
        folding,
        selection,
        watched_files,
    )

    server = CerebriumLanguageServer()
    server.feature(types.INITIALIZE)(initialize)
    server.feature(types.INITIALIZED)(initialized)
    server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)(did_change_configuration)
    server.feature(types.SHUTDOWN)(shutdown)
    for name, methods in LAZY_FEATURES.items():
        for method, options in methods:
            server.feature(method, options)(lazy_handler(name, method))
    for module in (
        diagnostics,
        folding,
        selection,
        code_actions,
        code_lens,
        build_plan,
        watched_files,
    ):
        module.register(server)
    return server


def serve() -> None:
    """Run the server over stdio until ``exit``; the exit code follows the LSP spec (0 after
    ``shutdown``, else 1)."""
    server = build_server()
    server.forward_logging()
    server.start_io()
    raise SystemExit(0 if server.shutdown_requested else 1)


if __name__ == "__main__":
    serve()
