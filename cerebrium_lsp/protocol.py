"""pygls adjusted to the LSP specification where it differs or leaks: the protocol class the
server runs (:class:`LspProtocol`) and the workspace whose documents split lines the LSP way."""

from __future__ import annotations

from collections.abc import Callable, Generator
from functools import partial
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidRequest, JsonRpcServerNotInitialized
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.protocol.json_rpc import RPCRequest
from pygls.workspace import TextDocument, Workspace

if TYPE_CHECKING:
    from cerebrium_lsp.server import CerebriumLanguageServer


class LspProtocol(LanguageServerProtocol):
    """pygls' protocol with six adjustments: prefer UTF-16 when the client offers it, split
    lines the LSP way, advertise pull diagnostics only to clients that declare them, answer
    requests after ``shutdown`` with InvalidRequest and requests whose params do not decode with
    InvalidParams rather than never, and follow the rules for messages before (and a repeated)
    ``initialize``."""

    _server: CerebriumLanguageServer

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(
        self, params: types.InitializeParams
    ) -> Generator[Any, Any, types.InitializeResult]:
        prefer_utf16(params.capabilities)
        result: types.InitializeResult = yield from super().lsp_initialize(params)
        ws = self.workspace
        self._workspace = LspWorkspace(
            ws.root_uri,
            self._server._text_document_sync_kind,
            list(ws.folders.values()),
            ws.position_encoding,
        )
        if not self._server.pull_diagnostics:
            result.capabilities.diagnostic_provider = None
        return result

    _initialize_received = False

    def _execute_handler(
        self,
        msg_id: Any,
        handler: Callable[..., Any],
        callback: Callable[..., Any],
        args: tuple[Any, ...] | None = None,
        kwargs: dict[str, Any] | None = None,
    ) -> None:
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        if callback == self._check_handler_result:
            # A notification: pygls keeps its future (under a random id) in _request_futures
            # forever, one per didChange (10,000 edits: +15 MB). Forget it once it is done.
            future = self._request_futures.get(msg_id)
            if future is not None:
                future.add_done_callback(partial(self._forget_notification, msg_id))

    def _forget_notification(self, msg_id: Any, future: Any) -> None:
        # Not when cancelled: shutdown cancels every future while iterating over them.
        if not future.cancelled():
            self._request_futures.pop(msg_id, None)

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            request_id = data.get("id")
            if "method" in data and isinstance(request_id, int | str):
                # pygls only logs a request whose params do not decode; answer it (InvalidParams),
                # or the client waits for the response forever.
                self._send_response(request_id, None, error.to_response_error())
            raise

    def handle_message(self, message: Any) -> None:
        if self._shutdown and isinstance(message, RPCRequest):
            error = JsonRpcInvalidRequest("the server is shutting down")
            self._send_response(message.id, None, error.to_response_error())
            return
        method = getattr(message, "method", None)
        if method is not None and method != types.EXIT and not self._before_initialize(message):
            return
        super().handle_message(message)

    def _before_initialize(self, message: Any) -> bool:
        """The LSP rules for ``initialize``: before it, requests get ServerNotInitialized and
        notifications are dropped; a second one is refused. False when ``message`` is done."""
        request = isinstance(message, RPCRequest)
        if message.method == types.INITIALIZE:
            if not self._initialize_received:
                self._initialize_received = True
                return True
            if request:
                error = JsonRpcInvalidRequest("initialize was already received")
                self._send_response(message.id, None, error.to_response_error())
            return False
        if self._initialize_received:
            return True
        if request:
            refusal = JsonRpcServerNotInitialized("the server is not initialized yet")
            self._send_response(message.id, None, refusal.to_response_error())
        return False


def prefer_utf16(capabilities: types.ClientCapabilities) -> None:
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


class LspWorkspace(Workspace):
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
