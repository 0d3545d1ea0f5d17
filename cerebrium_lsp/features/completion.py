"""Completion for ``cerebrium.toml``.

LSP methods: ``textDocument/completion`` and ``completionItem/resolve`` (documentation is sent
lazily to clients that can resolve it).

What is offered depends on :func:`cerebrium_lsp.analysis.context.cursor_context`:

* an empty document (whitespace and comments): the file ``cerebrium init`` writes, as a snippet
  with tab stops when the client supports snippets;
* after ``[`` on a header line: the current tables of the model (legacy ones never), tables
  already in the file ranked last, with the closing ``]`` added when missing;
* at the start of a line in a table or inside an inline table: the table's keys not yet set
  (legacy keys never), inserting ``key = `` with the cursor where the value goes; in a
  dependency table, the model's example packages;
* after ``key =`` or inside its string or array: the allowed values (compute types with their
  VRAM and limits, providers, regions filtered by the table's ``provider``, Python versions, …),
  booleans, or the default and examples; quotes are added unless the cursor is in a string.

Edits replace the word being typed (``InsertReplaceEdit`` when the client supports it), with
ranges in the negotiated position encoding. Every key, value and text comes from the model.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from lsprotocol import types
from pygls.capabilities import get_capability

from cerebrium_lsp.analysis.context import (
    CursorContext,
    cursor_context,
    resolved_entry,
    resolved_table,
)
from cerebrium_lsp.analysis.tree import (
    ResolvedEntry,
    ResolvedTable,
    Scalar,
    Span,
    TableArray,
)
from cerebrium_lsp.features.common import offset_at, project_dir, to_lsp_range
from cerebrium_lsp.features.hover import (
    key_detail,
    key_markdown,
    skeleton_markdown,
    table_markdown,
    to_plaintext,
    toml_literal,
    value_markdown,
)
from cerebrium_lsp.model.catalog import MODEL
from cerebrium_lsp.model.lookup import subtables
from cerebrium_lsp.model.types import EnumValue, KeySpec, TableSpec, ValueType

if TYPE_CHECKING:
    from cerebrium_lsp.analysis.engine import Analysis
    from cerebrium_lsp.server import CerebriumLanguageServer

logger = logging.getLogger("cerebrium_lsp.features.completion")

TRIGGER_CHARACTERS = ("[", '"', "=", ".", " ")

_SCALAR_TYPES = (str, int, float, bool)

_LIST_TYPES = (ValueType.STRING_LIST, ValueType.STRING_OR_LIST)

DocFormat = Literal["markdown", "plaintext", "string"]


@dataclass(frozen=True, slots=True)
class ClientSupport:
    """What the client's completion capabilities allow."""

    snippets: bool = False
    insert_replace: bool = False
    # "markdown" / "plaintext": MarkupContent of that kind; "string": the client declared no
    # documentation format, so documentation is a plain string (MarkupContent is not allowed).
    documentation: DocFormat = "string"
    lazy_documentation: bool = False  # completionItem/resolve may fill in ``documentation``

    @classmethod
    def from_capabilities(cls, caps: types.ClientCapabilities) -> ClientSupport:
        item = get_capability(caps, "text_document.completion.completion_item", None)
        if item is None:
            return cls()
        formats = item.documentation_format or ()
        resolve = item.resolve_support.properties if item.resolve_support else ()
        documentation: DocFormat = "string"
        if types.MarkupKind.Markdown in formats:
            documentation = "markdown"
        elif types.MarkupKind.PlainText in formats:
            documentation = "plaintext"
        return cls(
            snippets=bool(item.snippet_support),
            insert_replace=bool(item.insert_replace_support),
            documentation=documentation,
            lazy_documentation="documentation" in resolve,
        )

    def render(self, markdown: str) -> str | types.MarkupContent:
        """Documentation in the form the client accepts."""
        if self.documentation == "markdown":
            return types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown)
        if self.documentation == "plaintext":
            return types.MarkupContent(
                kind=types.MarkupKind.PlainText, value=to_plaintext(markdown)
            )
        return to_plaintext(markdown)


# --- the skeleton `cerebrium init` writes (the CLI's init.go) -----------------------------------
# These are init's values, not the model's defaults (init writes max_replicas = 2, cooldown = 30);
# every key is checked against the model by the tests. ``_APP_NAME`` stands for the app's name.
# The third field numbers the snippet tab stops.

_APP_NAME = object()

_INIT_TEMPLATE: tuple[tuple[tuple[str, ...], tuple[tuple[str, object, int], ...]], ...] = (
    (
        ("cerebrium", "deployment"),
        (
            ("name", _APP_NAME, 1),
            ("python_version", "3.11", 0),
            ("docker_base_image_url", "debian:bookworm-slim", 0),
            ("disable_auth", True, 0),
            ("include", ("./*", "main.py", "cerebrium.toml"), 0),
            ("exclude", (".*",), 0),
        ),
    ),
    (
        ("cerebrium", "hardware"),
        (("cpu", 2.0, 0), ("memory", 2.0, 0), ("compute", "CPU", 2), ("region", "us-east-1", 0)),
    ),
    (
        ("cerebrium", "scaling"),
        (
            ("min_replicas", 0, 0),
            ("max_replicas", 2, 0),
            ("cooldown", 30, 0),
            ("replica_concurrency", 1, 0),
            ("scaling_metric", "concurrency_utilization", 0),
        ),
    ),
    (("cerebrium", "dependencies", "pip"), (("numpy", "latest", 0),)),
)

_DEFAULT_APP_NAME = "my-app"


def _snippet_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("$", "\\$").replace("}", "\\}")


def skeleton_text(app_name: str, *, snippet: bool) -> str:
    """The ``cerebrium init`` file; as a snippet, the app name and the compute type are tab
    stops."""
    out: list[str] = []
    for path, entries in _INIT_TEMPLATE:
        if out:
            out.append("")
        out.append(f"[{'.'.join(path)}]")
        for key, value, stop in entries:
            literal = toml_literal(app_name if value is _APP_NAME else value)
            if snippet:
                literal = _snippet_escape(literal)
                if stop and literal.startswith('"'):
                    literal = f'"${{{stop}:{literal[1:-1]}}}"'
                elif stop:
                    literal = f"${{{stop}:{literal}}}"
            out.append(f"{key} = {literal}")
    return "\n".join(out) + "\n"


# --- the request --------------------------------------------------------------------------------


class _Edits:
    """Builds the edit of every item of one request: same ranges, different texts."""

    __slots__ = ("_insert", "_replace", "_use_insert_replace")

    def __init__(self, analysis: Analysis, span: Span, offset: int, support: ClientSupport) -> None:
        self._replace = to_lsp_range(analysis, span)
        self._use_insert_replace = support.insert_replace
        self._insert = (
            to_lsp_range(analysis, Span(span.start, offset))
            if support.insert_replace and span.end != offset
            else self._replace
        )

    def make(self, new_text: str) -> types.TextEdit | types.InsertReplaceEdit:
        if self._use_insert_replace:
            return types.InsertReplaceEdit(
                new_text=new_text, insert=self._insert, replace=self._replace
            )
        return types.TextEdit(range=self._replace, new_text=new_text)


@dataclass(slots=True)
class _Request:
    analysis: Analysis
    ctx: CursorContext
    support: ClientSupport
    edits: _Edits

    def item(
        self,
        label: str,
        kind: types.CompletionItemKind,
        new_text: str,
        *,
        detail: str | None,
        sort: str,
        doc: dict[str, Any] | None = None,
        snippet: bool = False,
        filter_text: str | None = None,
    ) -> types.CompletionItem:
        documentation: str | types.MarkupContent | None = None
        data: dict[str, Any] | None = None
        if doc is not None:
            if self.support.lazy_documentation:
                data = doc
            else:
                markdown = documentation_for(doc)
                documentation = self.support.render(markdown) if markdown else None
        return types.CompletionItem(
            label=label,
            kind=kind,
            detail=detail,
            documentation=documentation,
            sort_text=sort,
            filter_text=filter_text,
            insert_text_format=types.InsertTextFormat.Snippet if snippet else None,
            text_edit=self.edits.make(new_text),
            data=data,
        )


def complete(
    analysis: Analysis,
    offset: int,
    support: ClientSupport,
    trigger: str | None = None,
    app_name: str = _DEFAULT_APP_NAME,
) -> list[types.CompletionItem] | None:
    """The completion items at ``offset``, or None where nothing applies."""
    ctx = cursor_context(analysis.document.parsed, offset)
    if not _trigger_applies(ctx, trigger):
        return None
    if ctx.kind == "header":
        request = _Request(analysis, ctx, support, _Edits(analysis, ctx.span, offset, support))
        return _header_items(request)
    if ctx.kind == "key":
        request = _Request(analysis, ctx, support, _Edits(analysis, ctx.span, offset, support))
        if ctx.empty_document:
            return [_skeleton_item(request, app_name)]
        return _key_items(request)
    if ctx.kind == "value":
        return _value_items(analysis, ctx, support, offset)
    return None


def _trigger_applies(ctx: CursorContext, trigger: str | None) -> bool:
    """Trigger characters open the list only where they mean something: a space only right
    after ``=``, ``=`` only before a value, ``[`` on a header or in an array value."""
    if trigger is None:
        return True
    if trigger == " ":
        return ctx.kind == "value" and not ctx.in_string and not ctx.prefix
    if trigger == "=":
        return ctx.kind == "value" and not ctx.in_string
    if trigger == "[":
        return ctx.kind == "header" or (ctx.kind == "value" and ctx.in_array)
    if trigger == '"':
        return ctx.kind == "value" and ctx.in_string
    return ctx.kind != "none"


# --- headers --------------------------------------------------------------------------------------


def _defined_tables(root: ResolvedTable, skip_header_at: int) -> set[tuple[str, ...]]:
    """Lower-cased paths of the tables the document defines (by header, dotted key or inline
    table), except the header being typed on the cursor's line."""
    found: set[tuple[str, ...]] = set()
    stack: list[ResolvedTable] = [root]
    while stack:
        table = stack.pop()
        for child in table.children.values():
            items = child.items if isinstance(child, TableArray) else [child]
            for sub in items:
                if not isinstance(sub, ResolvedTable):
                    continue
                editing = sub.header is not None and sub.header.span.start == skip_header_at
                if sub.defined_by != "implicit" and not editing:
                    found.add(tuple(p.lower() for p in sub.path))
                stack.append(sub)
    return found


def _header_items(request: _Request) -> list[types.CompletionItem] | None:
    ctx = request.ctx
    if ctx.array_header:
        return None  # the model has no arrays of tables
    text = request.analysis.text
    bracket = text.rfind("[", 0, ctx.span.start)
    present = _defined_tables(request.analysis.document.root, bracket)
    closing = "" if ctx.closed else "]"
    items: list[types.CompletionItem] = []
    for index, table in enumerate(MODEL.current_tables()):
        label = table.dotted
        if tuple(table.path) in present:
            rank = 2
            detail = f"{table.title} · already in this file"
        else:
            rank = 0 if table.keys or table.entries is not None else 1
            detail = table.title
        items.append(
            request.item(
                label,
                types.CompletionItemKind.Module,
                label + closing,
                detail=detail,
                sort=f"{rank}{index:03d}",
                doc={"t": "table", "p": list(table.path)},
            )
        )
    return items


# --- keys -----------------------------------------------------------------------------------------


def _names_set_elsewhere(request: _Request) -> set[str]:
    """Lower-cased names already set in the context's table, not counting the key being
    typed or renamed at the cursor."""
    ctx = request.ctx
    table = resolved_table(request.analysis.document.root, ctx.table)
    if table is None:
        return set()
    names: set[str] = set()
    for name, child in table.children.items():
        if isinstance(child, ResolvedEntry) and child.part.span.start == ctx.span.start:
            continue
        names.add(name.lower())
    return names


def _key_insert(request: _Request, spec: KeySpec | None, name: str) -> tuple[str, bool]:
    """The text for a key item and whether it is a snippet."""
    ctx = request.ctx
    if ctx.has_value or ctx.in_string:
        return name, False
    if not request.support.snippets:
        return f"{name} = ", False
    value_type = spec.type if spec is not None else ValueType.STRING
    if value_type in (ValueType.STRING, ValueType.STRING_OR_LIST):
        return f'{name} = "$1"', True
    if value_type is ValueType.STRING_LIST:
        return f'{name} = ["$1"]', True
    return f"{name} = $0", True


def _key_items(request: _Request) -> list[types.CompletionItem] | None:
    ctx = request.ctx
    table = MODEL.table(ctx.table)
    present = _names_set_elsewhere(request)
    items: list[types.CompletionItem] = []
    if table is not None and table.deprecated is None:
        for index, spec in enumerate(table.keys):
            if spec.deprecated is not None or spec.name in present:
                continue
            new_text, snippet = _key_insert(request, spec, spec.name)
            items.append(
                request.item(
                    spec.name,
                    types.CompletionItemKind.Property,
                    new_text,
                    detail=key_detail(spec),
                    sort=f"{0 if spec.required else 1}{index:03d}",
                    doc={"t": "key", "p": list(table.path), "k": spec.name},
                    snippet=snippet,
                )
            )
        if table.entries is not None:
            items.extend(_entry_items(request, table, present))
    if table is None or not (table.keys or table.entries is not None):
        items.extend(_subtable_items(request, present))
    return items or None


def _entry_items(
    request: _Request, table: TableSpec, present: set[str]
) -> list[types.CompletionItem]:
    """Example packages of a dependency table (no fixed keys there)."""
    assert table.entries is not None
    items: list[types.CompletionItem] = []
    for index, (name, version) in enumerate(table.entries.examples):
        if name.lower() in present:
            continue
        if request.ctx.has_value or request.ctx.in_string:
            new_text, snippet = name, False
        elif request.support.snippets:
            new_text, snippet = f'{name} = "${{1:{_snippet_escape(version)}}}"', True
        else:
            new_text, snippet = f"{name} = {toml_literal(version)}", False
        items.append(
            request.item(
                name,
                types.CompletionItemKind.Value,
                new_text,
                detail=f"{name} = {toml_literal(version)} · example",
                sort=f"5{index:03d}",
                doc={"t": "table", "p": list(table.path)},
                snippet=snippet,
            )
        )
    return items


def _subtable_items(request: _Request, present: set[str]) -> list[types.CompletionItem]:
    """``hardware.`` in ``[cerebrium]``: dotted keys that open a known sub-table."""
    ctx = request.ctx
    if ctx.in_string:
        return []
    items: list[types.CompletionItem] = []
    for index, table in enumerate(subtables(tuple(p.lower() for p in ctx.table))):
        name = table.path[-1]
        if table.deprecated is not None or name in present:
            continue
        items.append(
            request.item(
                name,
                types.CompletionItemKind.Module,
                name if ctx.has_value else name + ".",
                detail=f"{table.title} · [{table.dotted}]",
                sort=f"8{index:03d}",
                doc={"t": "table", "p": list(table.path)},
            )
        )
    return items


def _skeleton_item(request: _Request, app_name: str) -> types.CompletionItem:
    snippet = request.support.snippets
    return request.item(
        "cerebrium.toml (cerebrium init)",
        types.CompletionItemKind.Snippet,
        skeleton_text(app_name, snippet=snippet),
        detail="the file `cerebrium init` writes",
        sort="0000",
        doc={"t": "skeleton", "n": app_name},
        snippet=snippet,
        filter_text=request.ctx.prefix or "cerebrium",
    )


# --- values ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Candidate:
    value: object  # str, number, bool or tuple (a list literal)
    detail: str
    rank: int
    enum: EnumValue | None = None


def _value_items(
    analysis: Analysis, ctx: CursorContext, support: ClientSupport, offset: int
) -> list[types.CompletionItem] | None:
    table = MODEL.table(ctx.table)
    spec = table.key(ctx.key) if table is not None else None
    if table is None or spec is None or spec.deprecated is not None:
        return None
    if ctx.in_array and spec.type not in _LIST_TYPES:
        return None  # an array where a single value belongs: nothing fits
    candidates = _candidates(analysis, ctx, table, spec)
    if not candidates:
        return None
    span = ctx.span
    text = analysis.text
    request = _Request(analysis, ctx, support, _Edits(analysis, span, offset, support))
    lead = " " if not ctx.in_string and span.start > 0 and text[span.start - 1] == "=" else ""
    closing = ctx.quote if ctx.in_string and not ctx.closed else ""
    items: list[types.CompletionItem] = []
    for index, candidate in enumerate(candidates):
        value = candidate.value
        label = value if isinstance(value, str) else toml_literal(value)
        if ctx.in_string:
            if not isinstance(value, str):
                continue
            new_text = _in_string(value, ctx.quote) + closing
        else:
            new_text = lead + toml_literal(value)
        if candidate.enum is not None:
            kind = types.CompletionItemKind.EnumMember
            doc: dict[str, Any] | None = {
                "t": "value",
                "p": list(table.path),
                "k": spec.name,
                "v": candidate.enum.value,
            }
        else:
            kind = (
                types.CompletionItemKind.Constant
                if isinstance(value, bool)
                else types.CompletionItemKind.Value
            )
            doc = {"t": "key", "p": list(table.path), "k": spec.name}
        items.append(
            request.item(
                label,
                kind,
                new_text,
                detail=candidate.detail or None,
                sort=f"{candidate.rank}{index:03d}",
                doc=doc,
            )
        )
    return items or None


def _in_string(value: str, quote: str) -> str:
    if quote == "'":
        return value  # literal strings have no escapes (values with ' are not offered there)
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _candidates(
    analysis: Analysis, ctx: CursorContext, table: TableSpec, spec: KeySpec
) -> list[_Candidate]:
    if spec.enum:
        return _enum_candidates(analysis, ctx, table, spec)
    if spec.type is ValueType.BOOLEAN:
        if ctx.in_string:
            return []
        return [
            _Candidate(value, "default" if spec.default is value else "", 0)
            for value in (True, False)
        ]
    out: list[_Candidate] = []
    seen: set[str] = set()
    for rank, value in ((0, spec.default), *((1, e) for e in spec.examples)):
        if value is None or isinstance(value, dict):
            continue
        if isinstance(value, list | tuple):
            if ctx.in_array or ctx.in_string:
                continue
            value = tuple(value)
        elif not isinstance(value, _SCALAR_TYPES):
            continue
        literal = toml_literal(value)
        if literal in seen or (
            ctx.in_array and isinstance(value, str) and value in ctx.array_items
        ):
            continue
        seen.add(literal)
        out.append(_Candidate(value, "default" if rank == 0 else "example", rank))
    return out


def _enum_candidates(
    analysis: Analysis, ctx: CursorContext, table: TableSpec, spec: KeySpec
) -> list[_Candidate]:
    regions = _all_regions(spec)
    provider = _sibling_provider(analysis, ctx, table) if regions else None
    out: list[_Candidate] = []
    for value in spec.enum:
        if value.deprecated:
            continue
        if ctx.in_array and value.value in ctx.array_items:
            continue
        rank = 0
        if regions:
            region = MODEL.region(value.value)
            assert region is not None
            pinned_elsewhere = provider is not None and region.provider != provider
            if pinned_elsewhere and region.availability != "keyword":
                continue  # another provider's region, or one whose provider is not documented
            rank = _REGION_RANK.get(region.availability, 3)
        detail = value.detail
        if spec.default == value.value and "default" not in detail:
            detail = f"{detail} · default" if detail else "default"
        out.append(_Candidate(value.value, detail, rank, value))
    return out


# Generally available regions first, then the "global" keyword, then those on request.
_REGION_RANK = {"available": 0, "keyword": 1, "on-request": 2}


def _all_regions(spec: KeySpec) -> bool:
    """True for a key whose allowed values are the model's regions."""
    return bool(spec.enum) and all(MODEL.region(v) is not None for v in spec.enum_values)


def _sibling_provider(analysis: Analysis, ctx: CursorContext, table: TableSpec) -> str | None:
    """For a region key: the provider set in the same table (the key whose values are the
    model's providers), if it is a known provider."""
    for key in table.keys:
        if key.enum and all(MODEL.provider(v) is not None for v in key.enum_values):
            entry = resolved_entry(analysis.document.root, (*ctx.table, key.name))
            value = entry.value if entry is not None else None
            if isinstance(value, Scalar) and isinstance(value.value, str):
                found = MODEL.provider(value.value)
                return found.id if found is not None else None
    return None


# --- documentation (inline or through completionItem/resolve) -------------------------------------


def documentation_for(doc: dict[str, Any]) -> str | None:
    """The Markdown documentation an item's ``data`` names."""
    kind = doc.get("t")
    if kind == "skeleton":
        return skeleton_markdown(skeleton_text(str(doc.get("n", _DEFAULT_APP_NAME)), snippet=False))
    path = tuple(str(p) for p in doc.get("p", ()))
    table = MODEL.table(path)
    if table is None:
        return None
    if kind == "table":
        return table_markdown(table, full=False)
    spec = table.key(str(doc.get("k", "")))
    if spec is None:
        return None
    if kind == "key":
        return key_markdown(table, spec, full=False)
    if kind == "value":
        wanted = doc.get("v")
        for value in spec.enum:
            if value.value == wanted:
                return value_markdown(table, spec, value)
    return None


# --- registration -----------------------------------------------------------------------------------

_support_cache: dict[int, tuple[types.ClientCapabilities, ClientSupport]] = {}


def client_support(ls: CerebriumLanguageServer) -> ClientSupport:
    caps = ls.client_capabilities
    cached = _support_cache.get(id(caps))
    if cached is not None and cached[0] is caps:
        return cached[1]
    support = ClientSupport.from_capabilities(caps)
    _support_cache.clear()
    _support_cache[id(caps)] = (caps, support)
    return support


def register(server: CerebriumLanguageServer) -> None:
    server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=list(TRIGGER_CHARACTERS), resolve_provider=True),
    )(completion)
    server.feature(types.COMPLETION_ITEM_RESOLVE)(completion_item_resolve)


def completion(
    ls: CerebriumLanguageServer, params: types.CompletionParams
) -> types.CompletionList | None:
    try:
        uri = params.text_document.uri
        analysis = ls.analysis_for(uri)
        if analysis is None:
            return None
        context = params.context
        trigger = (
            context.trigger_character
            if context is not None
            and context.trigger_kind == types.CompletionTriggerKind.TriggerCharacter
            else None
        )
        folder = project_dir(uri)
        items = complete(
            analysis,
            offset_at(analysis, params.position),
            client_support(ls),
            trigger,
            app_name=folder.name if folder is not None and folder.name else _DEFAULT_APP_NAME,
        )
    except Exception:
        logger.exception("completion failed")
        return None
    if items is None:
        return None
    return types.CompletionList(is_incomplete=False, items=items)


def completion_item_resolve(
    ls: CerebriumLanguageServer, item: types.CompletionItem
) -> types.CompletionItem:
    try:
        if item.documentation is None and isinstance(item.data, dict):
            markdown = documentation_for(item.data)
            if markdown:
                item.documentation = client_support(ls).render(markdown)
    except Exception:
        logger.exception("completionItem/resolve failed")
    return item
