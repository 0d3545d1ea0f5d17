"""``textDocument/documentSymbol``: the tables and keys as TOML resolves them (``[a.b]``
headers, dotted keys and inline tables nest under ``a``), each table titled from the config
model and each key showing a summary of its value. Clients without hierarchical symbol support
get the same symbols flattened.

At most :data:`MAX_SYMBOLS` symbols, in document order: a real config has a few hundred, and a
generated file with a hundred thousand would hold the event loop for seconds and give the client
an outline nobody can read (VS Code's JSON server caps its symbols the same way)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.capabilities import get_capability

from cerebrium_lsp.analysis.checks.secrets import redact, secret_in_value
from cerebrium_lsp.analysis.tree import (
    Array,
    InlineTable,
    ResolvedEntry,
    ResolvedTable,
    Scalar,
    Span,
    TableArray,
    Value,
)
from cerebrium_lsp.features.common import guarded, to_lsp_range

if TYPE_CHECKING:
    from cerebrium_lsp.analysis.engine import Analysis
    from cerebrium_lsp.model.types import ConfigModel, TableSpec
    from cerebrium_lsp.server import CerebriumLanguageServer

logger = logging.getLogger(__name__)

DETAIL_WIDTH = 60
MAX_SYMBOLS = 5_000
_SCALAR_KINDS = {
    "string": types.SymbolKind.String,
    "integer": types.SymbolKind.Number,
    "float": types.SymbolKind.Number,
    "boolean": types.SymbolKind.Boolean,
}


def register(server: CerebriumLanguageServer) -> None:
    server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)(document_symbol)


@guarded("documentSymbol", list)
def document_symbol(
    ls: CerebriumLanguageServer, params: types.DocumentSymbolParams
) -> list[types.DocumentSymbol] | list[types.SymbolInformation]:
    uri = params.text_document.uri
    analysis = ls.analysis_for(uri)
    if analysis is None:
        return []
    from cerebrium_lsp.model.catalog import MODEL

    caps = ls.client_capabilities
    builder = _Builder(
        analysis,
        MODEL,
        tags=get_capability(caps, "text_document.document_symbol.tag_support") is not None,
    )
    symbols = builder.children(analysis.document.root)
    if builder.truncated:
        logger.info(
            "%s: only the first %d symbols are listed (the document has more)", uri, MAX_SYMBOLS
        )
    if get_capability(
        caps, "text_document.document_symbol.hierarchical_document_symbol_support", False
    ):
        return symbols
    return flatten(symbols, uri)


def flatten(
    symbols: Sequence[types.DocumentSymbol], uri: str, container: str | None = None
) -> list[types.SymbolInformation]:
    out: list[types.SymbolInformation] = []
    for s in symbols:
        out.append(
            types.SymbolInformation(
                name=s.name,
                kind=s.kind,
                location=types.Location(uri=uri, range=s.range),
                container_name=container,
                tags=s.tags,
            )
        )
        out.extend(flatten(s.children or [], uri, s.name))
    return out


class _Builder:
    def __init__(self, analysis: Analysis, model: ConfigModel, *, tags: bool) -> None:
        self.analysis = analysis
        self.model = model
        self.tags = tags
        self.budget = MAX_SYMBOLS  # symbols still allowed
        self.truncated = False
        self._extents: dict[int, Span] = {}  # id(table) -> table_extent, nested tables reuse it

    def children(self, table: ResolvedTable) -> list[types.DocumentSymbol]:
        table_spec = self.model.table(table.path)
        ordered = sorted(table.children.values(), key=self._start)
        symbols: list[types.DocumentSymbol] = []
        for child in ordered:
            if self.budget <= 0:
                self.truncated = True
                break
            self.budget -= 1
            if isinstance(child, ResolvedEntry):
                symbols.append(self.entry(table_spec, child))
            elif isinstance(child, ResolvedTable):
                symbols.append(self.table(child.path[-1], child))
            else:
                symbols.append(self.table_array(child))
        return symbols

    def _start(self, child: ResolvedEntry | ResolvedTable | TableArray) -> int:
        if isinstance(child, ResolvedEntry):
            return min(child.kv.span.start, child.part.span.start)
        if isinstance(child, ResolvedTable):
            return self.extent(child).start
        return min([child.name_span.start, *(self.extent(t).start for t in child.items)])

    def extent(self, table: ResolvedTable) -> Span:
        cached = self._extents.get(id(table))
        if cached is None:
            cached = self._extents[id(table)] = table_extent(table, self.extent)
        return cached

    def table(self, name: str, table: ResolvedTable) -> types.DocumentSymbol:
        spec = self.model.table(table.path)
        extent = self.extent(table)
        selection = table.name_span or extent
        return types.DocumentSymbol(
            name=_display(name),
            kind=types.SymbolKind.Object,
            range=to_lsp_range(self.analysis, extent),
            selection_range=to_lsp_range(self.analysis, selection),
            detail=spec.title if spec is not None else None,
            tags=self._deprecated(spec is not None and spec.deprecated is not None),
            children=self.children(table),
        )

    def table_array(self, array: TableArray) -> types.DocumentSymbol:
        spec = self.model.table(array.path)
        items: list[types.DocumentSymbol] = []
        for i, item in enumerate(array.items):
            if self.budget <= 0:
                self.truncated = True
                break
            self.budget -= 1
            items.append(self.table(f"[{i}]", item))
        extent = _union([array.name_span, *(self.extent(t) for t in array.items)])
        return types.DocumentSymbol(
            name=_display(array.name),
            kind=types.SymbolKind.Array,
            range=to_lsp_range(self.analysis, extent),
            selection_range=to_lsp_range(self.analysis, array.name_span),
            detail=spec.title if spec is not None else None,
            children=items,
        )

    def entry(self, table_spec: TableSpec | None, entry: ResolvedEntry) -> types.DocumentSymbol:
        value = entry.value
        if isinstance(value, Scalar):
            kind = _SCALAR_KINDS.get(value.kind, types.SymbolKind.Constant)
        elif isinstance(value, Array):
            kind = types.SymbolKind.Array
        elif isinstance(value, InlineTable):
            kind = types.SymbolKind.Object
        else:
            kind = types.SymbolKind.Property
        key_spec = table_spec.key(entry.name) if table_spec is not None else None
        return types.DocumentSymbol(
            name=_display(entry.name),
            kind=kind,
            range=to_lsp_range(self.analysis, _union([entry.kv.span, entry.part.span])),
            selection_range=to_lsp_range(self.analysis, entry.part.span),
            detail=self.detail(entry.name, value),
            tags=self._deprecated(key_spec is not None and key_spec.deprecated is not None),
        )

    def summary(self, span: Span) -> str:
        text = redact(" ".join(self.analysis.text[span.start : span.end].split()))
        return text if len(text) <= DETAIL_WIDTH else text[: DETAIL_WIDTH - 1] + "…"

    def detail(self, name: str, value: Value | None) -> str | None:
        """The value's summary; never a credential (``secret-in-config``)."""
        if value is None:
            return None
        text = value.value if isinstance(value, Scalar) else None
        if isinstance(text, str) and secret_in_value(name, text) is not None:
            return "…"
        return self.summary(value.span)

    def _deprecated(self, deprecated: bool) -> list[types.SymbolTag] | None:
        return [types.SymbolTag.Deprecated] if deprecated and self.tags else None


def table_extent(table: ResolvedTable, extent_of: Callable[[ResolvedTable], Span]) -> Span:
    """Everything that defines ``table``: its header and key/value lines, its inline table,
    its dotted keys, and its sub-tables (one span from the first to the last). ``extent_of``
    gives a sub-table's extent (the builder's cache, so nested tables are measured once)."""
    parts: list[Span] = []
    if table.name_span is not None:
        parts.append(table.name_span)
    if table.header is not None:
        header = table.header
        end = max((kv.span.end for kv in header.entries), default=header.span.end)
        parts.append(Span(header.span.start, max(end, header.span.end)))
    if table.inline is not None:
        parts.append(table.inline.span)
    for child in table.children.values():
        if isinstance(child, ResolvedEntry):
            parts.append(child.kv.span)
        elif isinstance(child, ResolvedTable):
            parts.append(extent_of(child))
        else:
            parts.append(_union([child.name_span, *(extent_of(t) for t in child.items)]))
    return _union(parts)


def _union(spans: list[Span]) -> Span:
    if not spans:
        return Span(0, 0)
    return Span(min(s.start for s in spans), max(s.end for s in spans))


def _display(name: str) -> str:
    # Clients reject empty symbol names; show an empty quoted key as TOML writes it.
    if not name:
        return '""'
    # A package key may be a URL holding a token: never shown.
    return redact(name).replace("\n", "\\n").replace("\r", "\\r")
