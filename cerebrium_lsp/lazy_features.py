"""Feature modules imported by the first request they serve, not at start-up: their methods
and options are declared here so ``initialize`` can advertise them, and stand-ins answer until
the module is loaded."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from lsprotocol import types

if TYPE_CHECKING:
    from cerebrium_lsp.server import CerebriumLanguageServer


# Feature modules that cost more to import than the first request needs (the config model,
# the Markdown builders: about 100 ms of the start-up): their methods and options are declared
# here, stand-ins answer for them, and the module is imported by the first request it serves
# (or just after the first analysis). tests/unit/test_lazy_features.py checks that these are
# exactly what each module registers.
LAZY_FEATURES: dict[str, tuple[tuple[str, Any], ...]] = {
    "completion": (
        (
            types.TEXT_DOCUMENT_COMPLETION,
            types.CompletionOptions(
                trigger_characters=["[", '"', "=", ".", " "], resolve_provider=True
            ),
        ),
        (types.COMPLETION_ITEM_RESOLVE, None),
    ),
    "hover": ((types.TEXT_DOCUMENT_HOVER, None),),
    "symbols": ((types.TEXT_DOCUMENT_DOCUMENT_SYMBOL, None),),
    "links": (
        (types.TEXT_DOCUMENT_DOCUMENT_LINK, types.DocumentLinkOptions(resolve_provider=False)),
    ),
    "definition": ((types.TEXT_DOCUMENT_DEFINITION, None),),
    "inlay_hints": (
        (types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=False)),
    ),
    "formatting": (
        (types.TEXT_DOCUMENT_FORMATTING, types.DocumentFormattingOptions()),
        (types.TEXT_DOCUMENT_RANGE_FORMATTING, types.DocumentRangeFormattingOptions()),
    ),
}


class Recorder:
    """Stands in for the server while a lazily loaded feature module registers: keeps its
    handlers, hands every other call to the server."""

    def __init__(self, server: CerebriumLanguageServer) -> None:
        self._server = server
        self.handlers: dict[str, Callable[..., Any]] = {}
        self.options: dict[str, Any] = {}

    def feature(self, method: str, options: Any = None) -> Callable[[Any], Any]:
        def keep(handler: Callable[..., Any]) -> Callable[..., Any]:
            self.handlers[method] = handler
            self.options[method] = options
            return handler

        return keep

    def __getattr__(self, name: str) -> Any:
        return getattr(self._server, name)


def load_feature(server: CerebriumLanguageServer, name: str) -> dict[str, Callable[..., Any]]:
    """Import the lazily registered feature module ``name`` (once) and put its handlers in
    place of the stand-ins; returns them by method."""
    loaded = server._lazy_loaded.get(name)
    if loaded is not None:
        return loaded

    from pygls.feature_manager import wrap_with_server

    module = importlib.import_module(f"cerebrium_lsp.features.{name}")
    recorder = Recorder(server)
    module.register(recorder)
    features = server.protocol.fm.features
    for method, handler in recorder.handlers.items():
        features[method] = wrap_with_server(handler, server)  # type: ignore[no-untyped-call]
    server._lazy_loaded[name] = recorder.handlers
    return recorder.handlers


def lazy_handler(name: str, method: str) -> Callable[..., Awaitable[Any]]:
    """The stand-in for ``method``: loads the module, then serves this one request with its
    handler (plain or ``async``); later requests go to the handler directly."""

    async def stand_in(ls: CerebriumLanguageServer, params: Any) -> Any:
        result = load_feature(ls, name)[method](ls, params)
        if inspect.isawaitable(result):
            result = await result
        return result

    return stand_in
