"""``textDocument/foldingRange``: each ``[table]`` (header to its last key/value line),
multi-line arrays, inline tables and strings, and blocks of two or more comment lines.

Ranges are whole lines (every client supports that); a closing ``]``, ``}`` or ``\"\"\"`` that
starts its line stays visible.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from cerebrium_lsp.analysis.tree import Array, InlineTable, KeyValue, Scalar, Span, Value
from cerebrium_lsp.features.common import guarded

if TYPE_CHECKING:
    from collections.abc import Callable

    from cerebrium_lsp.analysis.engine import Analysis
    from cerebrium_lsp.server import CerebriumLanguageServer

    _Add = Callable[[int, int, types.FoldingRangeKind | None], None]


def register(server: CerebriumLanguageServer) -> None:
    server.feature(types.TEXT_DOCUMENT_FOLDING_RANGE)(folding_range)


@guarded("foldingRange", list)
def folding_range(
    ls: CerebriumLanguageServer, params: types.FoldingRangeParams
) -> list[types.FoldingRange]:
    analysis = ls.analysis_for(params.text_document.uri)
    if analysis is None:
        return []
    return folding_ranges(analysis)


def folding_ranges(analysis: Analysis) -> list[types.FoldingRange]:
    index = analysis.index
    found: dict[tuple[int, int], types.FoldingRangeKind | None] = {}

    def add(start_line: int, end_line: int, kind: types.FoldingRangeKind | None = None) -> None:
        if end_line > start_line and (start_line, end_line) not in found:
            found[(start_line, end_line)] = kind

    def add_bracketed(span: Span, closed: bool) -> None:
        start = index.line_of(span.start)
        end = index.line_of(span.end)
        if closed and _starts_line(analysis, span.end - 1):
            end -= 1  # keep the closing delimiter's line visible
        add(start, end)

    # A loop, not a recursive closure: a closure that calls itself is a reference cycle, which
    # kept every analysis folded alive until the next garbage collection (a soak of 10,000
    # edits doubled the server's memory).
    values: list[Value | None] = []
    for table in analysis.document.parsed.tables:
        entries: list[KeyValue] = table.entries
        if table.header is not None:
            last = max((kv.span.end for kv in entries), default=table.span.end)
            add(index.line_of(table.span.start), index.line_of(max(last, table.span.end)))
        values.extend(kv.value for kv in entries)
    while values:
        value = values.pop()
        if isinstance(value, Array):
            add_bracketed(value.span, value.closed)
            values.extend(value.items)
        elif isinstance(value, InlineTable):
            add_bracketed(value.span, value.closed)
            values.extend(kv.value for kv in value.entries)
        elif isinstance(value, Scalar) and value.style in ("ml-basic", "ml-literal"):
            delimiter = value.span.end - 3 if value.terminated else value.span.end
            add_bracketed(Span(value.span.start, delimiter + 1), value.terminated)

    _comment_blocks(analysis, add)
    return [
        types.FoldingRange(start_line=start, end_line=end, kind=kind)
        for (start, end), kind in sorted(found.items())
    ]


def _starts_line(analysis: Analysis, offset: int) -> bool:
    """True when only whitespace precedes ``offset`` on its line."""
    line_start = analysis.index.line_starts[analysis.index.line_of(offset)]
    return not analysis.text[line_start:offset].strip()


def _comment_blocks(analysis: Analysis, add: _Add) -> None:
    index = analysis.index
    block_start: int | None = None
    previous: int | None = None
    for comment in analysis.document.parsed.comments:
        if not _starts_line(analysis, comment.span.start):
            continue  # a trailing comment after a key/value
        line = index.line_of(comment.span.start)
        if previous is not None and line == previous + 1:
            previous = line
            continue
        if block_start is not None and previous is not None:
            add(block_start, previous, types.FoldingRangeKind.Comment)
        block_start = previous = line
    if block_start is not None and previous is not None:
        add(block_start, previous, types.FoldingRangeKind.Comment)
