"""``logging`` records sent to the client as ``window/logMessage`` (stdout is the JSON-RPC
channel), with every credential masked."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from lsprotocol import types

if TYPE_CHECKING:
    from cerebrium_lsp.server import CerebriumLanguageServer


class LogMessageHandler(logging.Handler):
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
            from cerebrium_lsp.analysis.checks.secrets import redact

            # pygls logs the params of a message it cannot handle: never a credential.
            message = redact(self.format(record))
            self._server.window_log_message(types.LogMessageParams(type=kind, message=message))
        except Exception:
            self.handleError(record)
        finally:
            self._local.busy = False
