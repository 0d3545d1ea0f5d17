"""``textDocument/formatting`` and ``textDocument/rangeFormatting``: the ``cerebrium-lsp format``
output as minimal edits (the changed spans only), or for a range, the statements it touches.

A document with any error gets no edits and a ``window/logMessage`` saying where its first
error is: a file that does not parse is never rewritten. ``cerebrium.format.enabled: false``
turns both off. ``FormattingOptions`` (tab size, spaces, final newline) are not applied: the
output is the CLI's and the pre-commit hook's whatever the editor's settings, so the files of
a team do not change with who saved them last (docs/formatting.md).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING
from urllib.parse import unquote

from lsprotocol import types

from cerebrium_lsp.analysis.text import LineIndex
from cerebrium_lsp.analysis.toml_document import load_toml
from cerebrium_lsp.analysis.tree import Span, TomlDocument
from cerebrium_lsp.features.common import guarded, position_encoding
from cerebrium_lsp.format import Formatted, FormatterError, format_document
from cerebrium_lsp.format.edits import Edit, document_edits, range_edits

if TYPE_CHECKING:
    from cerebrium_lsp.server import CerebriumLanguageServer

# Larger documents are formatted in a worker thread (about 0.4 s per megabyte), so the
# server keeps answering meanwhile.
_IN_LOOP_CHARS = 256 * 1024


def register(server: CerebriumLanguageServer) -> None:
    server.feature(types.TEXT_DOCUMENT_FORMATTING, types.DocumentFormattingOptions())(formatting)
    server.feature(types.TEXT_DOCUMENT_RANGE_FORMATTING, types.DocumentRangeFormattingOptions())(
        range_formatting
    )


@guarded("formatting", list)
async def formatting(
    ls: CerebriumLanguageServer, params: types.DocumentFormattingParams
) -> list[types.TextEdit]:
    found = await _formatted(ls, params.text_document.uri)
    if found is None:
        return []
    document, formatted = found
    return _to_lsp(document.text, document_edits(document.text, formatted))


@guarded("rangeFormatting", list)
async def range_formatting(
    ls: CerebriumLanguageServer, params: types.DocumentRangeFormattingParams
) -> list[types.TextEdit]:
    found = await _formatted(ls, params.text_document.uri)
    if found is None:
        return []
    document, formatted = found
    index = LineIndex(document.text)
    encoding = position_encoding()
    start, end = params.range.start, params.range.end
    span = Span(
        index.offset(start.line, start.character, encoding),
        index.offset(end.line, end.character, encoding),
    )
    if span.end < span.start:
        span = Span(span.end, span.start)
    return _to_lsp(document.text, range_edits(document.text, formatted, span), index)


async def _formatted(
    ls: CerebriumLanguageServer, uri: str
) -> tuple[TomlDocument, Formatted] | None:
    """The document and its formatted text; None (with the reason logged to the client) when
    formatting is off, the document is not served, or it has errors."""
    await ls.settings_loaded()  # never format under settings the user did not choose
    if not ls.settings.format_enabled or not ls.serves(uri):
        return None
    analysis = ls.analysis_for(uri)
    if analysis is not None:
        document = analysis.document
    else:  # a very large document, analysed in the background: parse it off the event loop
        text_document = ls.document(uri)
        if text_document is None:
            return None
        document = await asyncio.to_thread(load_toml, text_document.source)
    if document.errors:
        error = document.errors[0]
        line, column = LineIndex(document.text).position(error.span.start, "utf-32")
        _log(
            ls,
            f"{_name(uri)} not formatted: it has errors, the first at line {line + 1}, "
            f"column {column + 1}: {error.message}. Fix the errors, then format again.",
        )
        return None
    try:
        if len(document.text) < _IN_LOOP_CHARS:
            return document, format_document(document)
        return document, await asyncio.to_thread(format_document, document)
    except FormatterError as error:
        _log(ls, f"{_name(uri)} not formatted: {error} (please report this)")
        return None


def _to_lsp(text: str, edits: list[Edit], index: LineIndex | None = None) -> list[types.TextEdit]:
    index = index or LineIndex(text)
    encoding = position_encoding()
    out = []
    for span, new_text in edits:
        (sl, sc), (el, ec) = index.range(span, encoding)
        start = types.Position(line=sl, character=sc)
        end = types.Position(line=el, character=ec)
        out.append(types.TextEdit(range=types.Range(start=start, end=end), new_text=new_text))
    return out


def _log(ls: CerebriumLanguageServer, message: str) -> None:
    ls.window_log_message(types.LogMessageParams(type=types.MessageType.Warning, message=message))


def _name(uri: str) -> str:
    return unquote(uri.rsplit("/", 1)[-1]) or uri
