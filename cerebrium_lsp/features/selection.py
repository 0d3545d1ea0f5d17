"""``textDocument/selectionRange``: expand from the value (or key) under the cursor to the
key/value line, then its table, then the whole document. Strings expand from their contents to
the quoted string; arrays and inline tables expand item by item."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from cerebrium_lsp.analysis.tree import (
    Array,
    InlineTable,
    Key,
    KeyValue,
    Scalar,
    Span,
    Table,
    Value,
)
from cerebrium_lsp.features.common import guarded, offset_at, to_lsp_range

if TYPE_CHECKING:
    from cerebrium_lsp.analysis.engine import Analysis
    from cerebrium_lsp.server import CerebriumLanguageServer


def register(server: CerebriumLanguageServer) -> None:
    server.feature(types.TEXT_DOCUMENT_SELECTION_RANGE)(selection_range)


@guarded("selectionRange", list)
def selection_range(
    ls: CerebriumLanguageServer, params: types.SelectionRangeParams
) -> list[types.SelectionRange]:
    analysis = ls.analysis_for(params.text_document.uri)
    if analysis is None:
        return []
    return [_selection(analysis, offset_at(analysis, p)) for p in params.positions]


def selection_spans(analysis: Analysis, offset: int) -> list[Span]:
    """The nested spans around ``offset``, outermost (the document) first."""
    spans = [Span(0, len(analysis.text))]
    table = _table_at(analysis, offset)
    if table is None:
        return spans
    if table.header is not None:
        extent = _table_extent(table)
        if extent.contains(offset):
            spans.append(extent)
        if table.span.contains(offset):
            spans.append(table.span)
            _key(table.header, offset, spans)
            return _nested(spans)
    for kv in table.entries:
        if kv.span.contains(offset):
            _key_value(kv, offset, spans)
            break
    return _nested(spans)


def _selection(analysis: Analysis, offset: int) -> types.SelectionRange:
    result: types.SelectionRange | None = None
    for span in selection_spans(analysis, offset):
        result = types.SelectionRange(range=to_lsp_range(analysis, span), parent=result)
    assert result is not None  # the document span is always there
    return result


def _table_at(analysis: Analysis, offset: int) -> Table | None:
    found: Table | None = None
    for table in analysis.document.parsed.tables:
        if table.span.start <= offset:
            found = table
        else:
            break
    return found


def _table_extent(table: Table) -> Span:
    end = max((kv.span.end for kv in table.entries), default=table.span.end)
    return Span(table.span.start, max(end, table.span.end))


def _key_value(kv: KeyValue, offset: int, spans: list[Span]) -> None:
    spans.append(kv.span)
    if kv.key.span.contains(offset):
        _key(kv.key, offset, spans)
    elif kv.value is not None and kv.value.span.contains(offset):
        _value(kv.value, offset, spans)


def _key(key: Key, offset: int, spans: list[Span]) -> None:
    spans.append(key.span)
    for part in key.parts:
        if part.span.contains(offset):
            spans.append(part.span)
            break


def _value(value: Value, offset: int, spans: list[Span]) -> None:
    spans.append(value.span)
    if isinstance(value, Scalar):
        contents = _string_contents(value)
        if contents is not None and contents.contains(offset):
            spans.append(contents)
    elif isinstance(value, Array):
        for item in value.items:
            if item.span.contains(offset):
                _value(item, offset, spans)
                break
    elif isinstance(value, InlineTable):
        for kv in value.entries:
            if kv.span.contains(offset):
                _key_value(kv, offset, spans)
                break


def _string_contents(scalar: Scalar) -> Span | None:
    if scalar.kind != "string" or scalar.style is None:
        return None
    quote = 3 if scalar.style in ("ml-basic", "ml-literal") else 1
    end = scalar.span.end - quote if scalar.terminated else scalar.span.end
    start = scalar.span.start + quote
    return Span(start, end) if start < end else None


def _nested(spans: list[Span]) -> list[Span]:
    """Drop repeats and any span that does not contain the one before it (parents must
    contain their children)."""
    out: list[Span] = []
    for span in spans:
        if out and (
            span == out[-1] or not (out[-1].start <= span.start and span.end <= out[-1].end)
        ):
            continue
        out.append(span)
    return out
