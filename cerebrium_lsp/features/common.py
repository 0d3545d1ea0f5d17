"""Helpers every feature module shares: span <-> LSP position conversion in the negotiated
encoding, and the guard that turns an unexpected exception into a log line and an empty result.

Serves no LSP method itself.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast
from urllib.parse import urlparse

from lsprotocol import types
from pygls.uris import to_fs_path

if TYPE_CHECKING:
    from cerebrium_lsp.analysis.engine import Analysis
    from cerebrium_lsp.analysis.tree import Span

Encoding = Literal["utf-16", "utf-8", "utf-32"]

logger = logging.getLogger("cerebrium_lsp.features")

F = TypeVar("F", bound=Callable[..., Any])

# The empty range at the start of a file: where code lenses sit and where a link to a file lands.
FILE_START = types.Range(
    start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
)

# The encoding negotiated at ``initialize``. One server process serves one client, so this is a
# fact of the session; the server sets it once (``set_position_encoding``) before any request.
_negotiated: Encoding = "utf-16"


def set_position_encoding(encoding: Encoding) -> None:
    global _negotiated
    _negotiated = encoding


def position_encoding() -> Encoding:
    return _negotiated


def to_lsp_position(
    analysis: Analysis, offset: int, encoding: Encoding | None = None
) -> types.Position:
    line, character = analysis.index.position(offset, encoding or _negotiated)
    return types.Position(line=line, character=character)


def to_lsp_range(analysis: Analysis, span: Span, encoding: Encoding | None = None) -> types.Range:
    """The LSP range of ``span`` in the negotiated encoding (offsets past the end clamp)."""
    enc = encoding or _negotiated
    (sl, sc), (el, ec) = analysis.index.range(span, enc)
    return types.Range(
        start=types.Position(line=sl, character=sc), end=types.Position(line=el, character=ec)
    )


def offset_at(
    analysis: Analysis, position: types.Position, encoding: Encoding | None = None
) -> int:
    """The code-point offset of an LSP position; positions past a line or the document clamp."""
    return analysis.index.offset(position.line, position.character, encoding or _negotiated)


def project_dir(uri: str) -> Path | None:
    """The folder of a ``file://`` document: relative paths in it resolve against it."""
    if urlparse(uri).scheme != "file":
        return None
    path = to_fs_path(uri)
    return Path(path).parent if path else None


def guarded(feature: str, empty: Callable[[], object]) -> Callable[[F], F]:
    """Wrap a handler (plain or ``async``): an unexpected exception is logged with the feature
    name and ``empty()`` is returned instead. Cancellation still propagates."""

    def decorate(handler: F) -> F:
        if inspect.iscoroutinefunction(handler):

            @functools.wraps(handler)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                try:
                    return await handler(*args, **kwargs)
                except Exception:
                    logger.exception("%s failed", feature)
                    return empty()

            return cast(F, run_async)

        @functools.wraps(handler)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return handler(*args, **kwargs)
            except Exception:
                logger.exception("%s failed", feature)
                return empty()

        return cast(F, run)

    return decorate
