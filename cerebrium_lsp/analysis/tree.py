"""Syntax tree of a (possibly broken) TOML document.

Produced by :mod:`cerebrium_lsp.analysis.parser`, which recovers from errors, so every node may be
incomplete: a string may be unterminated, an array unclosed, a value missing after ``=``.

All offsets are indices into the document ``str`` (code points); conversion to LSP positions
happens at the edge, in :mod:`cerebrium_lsp.analysis.text`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ScalarKind = Literal["string", "integer", "float", "boolean", "datetime", "date", "time", "invalid"]
StringStyle = Literal["basic", "literal", "ml-basic", "ml-literal"]


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open range ``[start, end)`` of code-point offsets into the document text."""

    start: int
    end: int

    def contains(self, offset: int) -> bool:
        """True when ``offset`` lies inside the span or exactly at its end (a cursor after it)."""
        return self.start <= offset <= self.end


@dataclass(slots=True)
class KeyPart:
    """One component of a (possibly dotted) key: ``a``, ``"b.c"`` or ``'d'``."""

    name: str  # decoded name, exactly as TOML reads it (case kept)
    span: Span  # the component's text, quotes included
    quoted: bool


@dataclass(slots=True)
class Key:
    """A dotted key such as ``cerebrium.hardware`` or a single bare key."""

    parts: list[KeyPart]
    span: Span

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parts)


@dataclass(slots=True)
class Scalar:
    """A string, number, boolean or date-time, decoded by a real TOML implementation.

    ``value`` is the Python value ``tomllib`` gives (``str``, ``int``, ``float``, ``bool``,
    ``datetime``/``date``/``time``), or ``None`` when the text does not decode (``kind`` is then
    ``"invalid"``, or ``"string"`` with ``terminated`` False for an unterminated string, whose
    ``value`` holds the partial text typed so far, escapes undecoded).
    """

    kind: ScalarKind
    value: object
    span: Span
    raw: str
    style: StringStyle | None = None  # for strings only
    terminated: bool = True


@dataclass(slots=True)
class Array:
    items: list[Value]
    span: Span  # from ``[`` to ``]`` (or to where the unclosed array was cut off)
    closed: bool = True


@dataclass(slots=True)
class InlineTable:
    entries: list[KeyValue]
    span: Span  # from ``{`` to ``}``
    closed: bool = True


Value = Scalar | Array | InlineTable


@dataclass(slots=True)
class KeyValue:
    """``key = value``. ``value`` is None when nothing (valid) follows the ``=`` yet."""

    key: Key
    value: Value | None
    span: Span  # from the key's start to the value's end (or the end of what was typed)
    equals: int | None  # offset of ``=``, None when missing


@dataclass(slots=True)
class Table:
    """A ``[header]`` or ``[[header]]`` with the key/value lines under it.

    The implicit root table (lines before the first header) has ``header`` None and kind
    ``"root"``. ``span`` covers the header brackets (empty at 0 for the root); ``body_end`` is the
    offset where the next header starts (or the document ends).
    """

    kind: Literal["root", "table", "array"]
    header: Key | None
    span: Span
    entries: list[KeyValue] = field(default_factory=list)
    body_end: int = 0
    closed: bool = True  # False for a header missing its ``]``


@dataclass(slots=True)
class Comment:
    span: Span  # from ``#`` to the end of the line (line break excluded)
    text: str


@dataclass(slots=True)
class SyntaxProblem:
    """One TOML error (syntax or TOML semantics such as a duplicate key)."""

    code: str  # e.g. "toml-syntax", "duplicate-key", "duplicate-table"
    message: str
    span: Span
    related: list[tuple[Span, str]] = field(default_factory=list)  # (span, message)


@dataclass(slots=True)
class ParsedDocument:
    text: str
    tables: list[Table]  # in document order, the root first
    comments: list[Comment]
    errors: list[SyntaxProblem]


# --- The resolved document: what TOML 1.0 says the tables are -----------------------------------


@dataclass(slots=True)
class ResolvedEntry:
    """A key holding a value (not a table) inside a resolved table."""

    name: str
    part: KeyPart  # the key component that names this entry (last part of a dotted key)
    kv: KeyValue  # the whole ``key = value`` it came from

    @property
    def value(self) -> Value | None:
        return self.kv.value


@dataclass(slots=True)
class ResolvedTable:
    """A table after TOML's rules are applied: ``[a.b]`` headers, dotted keys ``b.c = 1`` and
    inline tables ``b = {c = 1}`` that define the same table all land in one object.

    ``defined_by`` says how the table came to exist: ``"header"`` ([a.b]), ``"dotted"``
    (a dotted key), ``"inline"`` (an inline table), ``"implicit"`` (only as a prefix of another
    header, e.g. ``a`` for ``[a.b]``), ``"array-item"`` (one ``[[a]]`` element) or ``"root"``.
    """

    path: tuple[str, ...]
    defined_by: Literal["header", "dotted", "inline", "implicit", "array-item", "root"]
    name_span: Span | None  # the key component that first named the table; None for the root
    header: Table | None = None  # the [header] table node, when defined by one
    inline: InlineTable | None = None
    children: dict[str, ResolvedEntry | ResolvedTable | TableArray] = field(default_factory=dict)

    def entries(self) -> list[ResolvedEntry]:
        return [c for c in self.children.values() if isinstance(c, ResolvedEntry)]

    def subtables(self) -> list[ResolvedTable]:
        return [c for c in self.children.values() if isinstance(c, ResolvedTable)]


@dataclass(slots=True)
class TableArray:
    """``[[name]]`` elements, in order."""

    name: str
    path: tuple[str, ...]
    items: list[ResolvedTable]
    name_span: Span


@dataclass(slots=True)
class TomlDocument:
    """What :func:`cerebrium_lsp.analysis.toml_document.load_toml` returns: the recovered
    syntax tree, the resolved tables, and every TOML error (syntax and TOML 1.0 semantics)."""

    parsed: ParsedDocument
    root: ResolvedTable
    errors: list[SyntaxProblem]

    @property
    def text(self) -> str:
        return self.parsed.text
