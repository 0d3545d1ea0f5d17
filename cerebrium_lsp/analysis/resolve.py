"""TOML 1.0 table semantics: turn a :class:`ParsedDocument` into resolved tables.

``[a.b]`` headers, implicit parent tables, dotted keys, inline tables and arrays of tables all
land in one :class:`ResolvedTable` tree, and every definition TOML forbids is reported on its
second occurrence with ``related`` pointing at the first.

The rules follow TOML 1.0 as ``tomllib`` and the toml-test suite apply them:

* a table exists once it is named; a header may define a table that so far was only implied
  (``[a]`` after ``[a.b]``), once;
* dotted keys create tables too, and keep extending them within the same section; after that
  section such a table is closed to headers (``[a.b]``) and to dotted keys from other sections,
  though headers may still add sub-tables below it;
* tables defined by a header are closed to dotted keys (``b.c = 1`` under ``[a]`` after
  ``[a.b]``), inline tables and ``=`` arrays are closed to everything, and ``[[a]]`` can only
  extend an array of tables.

A key whose value is missing (``gpu_cou`` typed alone, ``name =``) already carries a syntax
error; it is kept as an entry so completion can see it, but never reported as a conflict.
"""

from __future__ import annotations

import re
from typing import Literal

from cerebrium_lsp.analysis.parser import quote_source
from cerebrium_lsp.analysis.tree import (
    Array,
    InlineTable,
    Key,
    KeyPart,
    KeyValue,
    ParsedDocument,
    ResolvedEntry,
    ResolvedTable,
    Span,
    SyntaxProblem,
    Table,
    TableArray,
)

__all__ = ["resolve", "resolve_inline_table"]

_Child = ResolvedEntry | ResolvedTable | TableArray
_BARE = re.compile(r"[A-Za-z0-9_-]+")
_FIRST = "first defined here"


def resolve(parsed: ParsedDocument) -> tuple[ResolvedTable, list[SyntaxProblem]]:
    """Apply TOML 1.0 table rules to ``parsed``: the root table and the semantic errors."""
    resolver = _Resolver()
    current = resolver.root
    for table in parsed.tables:
        if table.kind != "root":
            resolver.end_section()
            current = resolver.open_section(table)
        for kv in table.entries:
            resolver.add_key_value(current, kv)
    return resolver.root, resolver.errors


def resolve_inline_table(inline: InlineTable, path: tuple[str, ...] = ()) -> ResolvedTable:
    """The table an inline table defines (errors ignored: :func:`resolve` reports them)."""
    return _Resolver().inline_table(path, None, inline)


class _Resolver:
    def __init__(self) -> None:
        self.root = ResolvedTable((), "root", None)
        self.errors: list[SyntaxProblem] = []
        # Tables no header and no dotted key of another section may define again: the ones
        # defined by a header, and the ones dotted keys created or extended in an earlier
        # section (tomllib's EXPLICIT_NEST). Keyed by id(); the value keeps the object alive.
        self.closed: dict[int, ResolvedTable] = {}
        self.dotted_this_section: list[ResolvedTable] = []

    # --- sections: [table] and [[array]] headers ------------------------------------------------

    def end_section(self) -> None:
        for table in self.dotted_this_section:
            self.closed[id(table)] = table
        self.dotted_this_section.clear()

    def open_section(self, node: Table) -> ResolvedTable:
        """The table the header ``node`` opens; a detached one when the header is broken or
        conflicts, so its keys are still checked among themselves but cannot clash elsewhere."""
        key = node.header
        detached = ResolvedTable(
            key.names if key else (),
            "array-item" if node.kind == "array" else "header",
            key.parts[-1].span if key and key.parts else None,
            header=node,
        )
        if key is None or not key.parts:
            return detached
        parent = self.header_parent(node, key)
        if parent is None:
            return detached
        if node.kind == "array":
            return self.add_array_item(parent, node, key) or detached
        return self.define_table(parent, node, key) or detached

    def header_parent(self, node: Table, key: Key) -> ResolvedTable | None:
        """Walk (and create) the tables a header names before its last part."""
        table = self.root
        for part in key.parts[:-1]:
            child = _child(table, part.name)
            if child is None:
                table = self.new_table(table, part, "implicit")
            elif isinstance(child, TableArray):
                table = child.items[-1]  # [a.b] after [[a]] extends a's last element
            elif isinstance(child, ResolvedTable) and child.defined_by != "inline":
                table = child
            else:
                self.conflict(node.span, _header_text(node), False, table, part, child)
                return None
        return table

    def define_table(self, parent: ResolvedTable, node: Table, key: Key) -> ResolvedTable | None:
        part = key.parts[-1]
        child = _child(parent, part.name)
        if child is None:
            table = self.new_table(parent, part, "header")
            table.header = node
            self.closed[id(table)] = table
            return table
        if isinstance(child, ResolvedTable) and self.only_implied(child):
            child.defined_by = "header"
            child.header = node
            self.closed[id(child)] = child
            return child
        self.conflict(node.span, _header_text(node), True, parent, part, child)
        return None

    def only_implied(self, table: ResolvedTable) -> bool:
        """True for a table no header or finished section has defined yet: a header may."""
        return table.defined_by in ("implicit", "dotted") and id(table) not in self.closed

    def add_array_item(self, parent: ResolvedTable, node: Table, key: Key) -> ResolvedTable | None:
        part = key.parts[-1]
        child = _child(parent, part.name)
        item = ResolvedTable(key.names, "array-item", part.span, header=node)
        if child is None:
            parent.children[part.name] = TableArray(part.name, key.names, [item], part.span)
            return item
        if isinstance(child, TableArray):
            child.items.append(item)
            return item
        self.conflict(node.span, _header_text(node), True, parent, part, child)
        return None

    # --- key = value ----------------------------------------------------------------------------

    def add_key_value(self, table: ResolvedTable, kv: KeyValue) -> None:
        """Add ``kv`` to ``table``, creating the tables its dotted key names."""
        quiet = kv.value is None  # a half-typed key: keep it, never report it as a conflict
        for part in kv.key.parts[:-1]:
            child = _child(table, part.name)
            if child is None:
                table = self.new_table(table, part, "dotted")
            elif (
                isinstance(child, ResolvedTable)
                and child.defined_by != "inline"
                and id(child) not in self.closed
            ):
                table = child
            else:
                if not quiet:
                    self.conflict(kv.key.span, _key_text(kv), False, table, part, child)
                return
            if not quiet:
                self.dotted_this_section.append(table)
        part = kv.key.parts[-1]
        child = _child(table, part.name)
        if child is not None:
            if not quiet:
                self.conflict(kv.key.span, _key_text(kv), True, table, part, child)
            return
        table.children[part.name] = self.new_entry(table, part, kv)

    def new_entry(self, table: ResolvedTable, part: KeyPart, kv: KeyValue) -> _Child:
        value = kv.value
        if isinstance(value, InlineTable):
            return self.inline_table((*table.path, part.name), part.span, value)
        if isinstance(value, Array):
            self.check_array(value, (*table.path, part.name))
        return ResolvedEntry(part.name, part, kv)

    def inline_table(
        self, path: tuple[str, ...], name_span: Span | None, inline: InlineTable
    ) -> ResolvedTable:
        table = ResolvedTable(path, "inline", name_span, inline=inline)
        for kv in inline.entries:
            self.add_key_value(table, kv)
        return table

    def check_array(self, array: Array, path: tuple[str, ...]) -> None:
        """Inline tables inside arrays follow the same rules (no duplicate keys, …)."""
        for item in array.items:
            if isinstance(item, InlineTable):
                self.inline_table(path, None, item)
            elif isinstance(item, Array):
                self.check_array(item, path)

    def new_table(
        self, parent: ResolvedTable, part: KeyPart, how: Literal["implicit", "dotted", "header"]
    ) -> ResolvedTable:
        table = ResolvedTable((*parent.path, part.name), how, part.span)
        parent.children[part.name] = table
        return table

    # --- errors ----------------------------------------------------------------------------------

    def conflict(
        self,
        span: Span,
        new: str,
        redefines: bool,
        parent: ResolvedTable,
        part: KeyPart,
        first: _Child,
    ) -> None:
        """Report ``new`` (``key "a.b"``, ``[a.b]`` or ``[[a.b]]``, at ``span``) clashing with
        ``first``, the existing ``part.name`` of ``parent``. ``redefines`` is True when ``part``
        is the last part of the new name (a second definition), False when ``new`` only walks
        through ``first`` to define something inside it."""
        path = quote_source(_dotted((*parent.path, part.name)))
        is_key, is_header = new.startswith("key"), new.startswith("[") and not new.startswith("[[")
        if redefines and is_header and isinstance(first, ResolvedTable):
            how = "" if first.defined_by == "header" else f": first {_how_defined(first)}"
            code, message = "duplicate-table", f"table {new} is defined twice{how}"
        elif redefines and is_key:
            how = "" if isinstance(first, ResolvedEntry) else f": {_existing(first, path)}"
            code = "duplicate-key"
            message = (
                f"duplicate {new}{how}: TOML allows a key once per table and the CLI refuses "
                "the file. Remove one of the two definitions."
            )
        else:
            holds_value = isinstance(first, ResolvedEntry) and not isinstance(first.value, Array)
            code = "duplicate-key" if holds_value else "toml-semantics"
            message = f"cannot define {new}: {_existing(first, path)}"
        first_span = _definition_span(first)
        related = [(first_span, _FIRST)] if first_span is not None else []
        self.errors.append(SyntaxProblem(code, message, span, related))


def _child(table: ResolvedTable, name: str) -> _Child | None:
    """The existing child named ``name``; a key without a value does not count."""
    child = table.children.get(name)
    if isinstance(child, ResolvedEntry) and child.value is None:
        return None
    return child


def _existing(first: _Child, path: str) -> str:
    """Why ``first`` (named ``path``, quoted) cannot take the new definition."""
    if isinstance(first, ResolvedEntry):
        if isinstance(first.value, Array):
            return f"{path} is an array written with '=', which cannot be extended"
        return f"{path} already holds a value"
    if isinstance(first, TableArray):
        return f"{path} is an array of tables"
    if first.defined_by == "inline":
        return f"{path} is an inline table, which cannot be extended"
    return f"table {path} is already defined {_how_defined(first)}"


def _how_defined(table: ResolvedTable) -> str:
    if table.defined_by == "inline":
        return "as an inline table"
    if table.defined_by == "header" and table.header is not None:
        return f"by {_header_text(table.header)}"
    return "by dotted keys"  # a dotted or implicit table closed by dotted keys


def _definition_span(child: _Child) -> Span | None:
    if isinstance(child, ResolvedEntry):
        return child.kv.key.span
    if isinstance(child, TableArray):
        return child.items[0].header.span if child.items[0].header else child.name_span
    if child.header is not None:
        return child.header.span
    return child.name_span


def _key_text(kv: KeyValue) -> str:
    """A key for a message (built only when there is one to give: most keys never need it)."""
    return f"key {quote_source(_dotted(kv.key.names))}"


def _header_text(node: Table) -> str:
    names = _dotted(node.header.names) if node.header else ""
    return f"[[{names}]]" if node.kind == "array" else f"[{names}]"


def _dotted(names: tuple[str, ...]) -> str:
    """A key path as TOML writes it: bare names as they are, others quoted."""
    import json  # only for messages: the formatter's start-up does without it

    # JSON's string escapes are a subset of TOML's basic-string escapes
    return ".".join(n if _BARE.fullmatch(n) else json.dumps(n, ensure_ascii=False) for n in names)
