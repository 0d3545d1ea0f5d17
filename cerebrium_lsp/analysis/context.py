"""What the cursor is on, for completion (:func:`cursor_context`) and hover (:func:`node_at`).

Completion runs on half-typed text that often does not parse: ``compute = "``, an unclosed array,
a header missing its ``]``. :func:`cursor_context` therefore combines two sources:

* the recovering syntax tree, for the enclosing ``[header]`` table and for statements that span
  lines (a multi-line array whose items are being typed);
* a small scan of the raw text of the current statement (normally the current line) up to the
  cursor, which tracks keys, ``=``, strings, arrays and inline tables the way TOML does, and never
  fails: anything it does not understand gives ``kind == "none"``.

:func:`node_at` uses only the tree: hover targets text that exists.

Pure: imports nothing from pygls or lsprotocol.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from cerebrium_lsp.analysis.parser import MAX_DEPTH
from cerebrium_lsp.analysis.tree import (
    Array,
    InlineTable,
    KeyValue,
    ParsedDocument,
    ResolvedEntry,
    ResolvedTable,
    Scalar,
    Span,
    Table,
    TableArray,
    Value,
)

ContextKind = Literal["header", "key", "value", "none"]

_BARE_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_NEWLINE = frozenset("\r\n")
_BLANK = frozenset(" \t")
# A bare value (number, boolean, date, or a half-typed word) ends at one of these.
_BARE_VALUE_END = frozenset(" \t\r\n,]}#=")
_UNQUOTED_WORD_CHARS = _BARE_KEY_CHARS | frozenset("./:")
_NO_SPAN = Span(0, 0)
# A header being typed at the start of a line: `[`, `[[`, then only header-name characters.
_HEADER_START = re.compile(r"\[\[?[ \t]*[A-Za-z0-9_.\- \t]*\Z")
# The scan reads the statement up to the cursor character by character: past this length (a
# megabyte-long line or array) there is nothing sensible to complete, and no scan is made.
MAX_SCAN = 64 * 1024


@dataclass(frozen=True, slots=True)
class CursorContext:
    """Where the cursor is, as completion needs it.

    ``span`` is the word being completed: the insert range is ``span.start .. offset`` and the
    replace range is ``span`` (it extends over the rest of the word after the cursor).
    """

    kind: ContextKind
    offset: int
    # The enclosing [header] table's path (() for the root table, before any header).
    section: tuple[str, ...] = ()
    # key/value: the table whose keys apply (section + dotted-key and inline-table prefixes).
    table: tuple[str, ...] = ()
    prefix: str = ""  # the part of the word typed before the cursor (no quotes)
    span: Span = _NO_SPAN
    # header: ``[[`` instead of ``[``; whether a ``]`` already follows on the line.
    array_header: bool = False
    closed: bool = False  # header: ``]`` present; value string: closing quote present
    # key: the key is already followed by ``=`` or ``.`` (insert only its name).
    has_value: bool = False
    in_inline_table: bool = False
    # value: the key whose value is being typed (last component; full path = table + (key,)).
    key: str = ""
    in_string: bool = False
    quote: str = ""  # the opening quote when in_string: '"' or "'"
    value_span: Span = _NO_SPAN  # value: the whole scalar, quotes included
    in_array: bool = False
    array_items: tuple[str, ...] = ()  # value in an array: the other string items
    # key: the document holds nothing but whitespace and comments around the cursor's word.
    empty_document: bool = False

    @property
    def key_path(self) -> tuple[str, ...]:
        return (*self.table, self.key) if self.key else self.table


# --- the enclosing table and the start of the current statement --------------------------------


def section_at(parsed: ParsedDocument, offset: int) -> Table:
    """The ``[header]`` table (or the root table) whose lines contain ``offset``."""
    current = parsed.tables[0]
    for table in parsed.tables:
        if table.header is not None and table.span.start < offset:
            current = table
        elif table.header is not None and table.span.start >= offset:
            break
    return current


def section_path(table: Table) -> tuple[str, ...]:
    return table.header.names if table.header is not None else ()


def _line_start(text: str, offset: int) -> int:
    return max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1


def _line_end(text: str, offset: int) -> int:
    n = len(text)
    end = n
    for ch in _NEWLINE:
        found = text.find(ch, offset)
        if found != -1 and found < end:
            end = found
    return end


def _statement_start(section: Table, offset: int, line_start: int) -> tuple[int, bool]:
    """Where the statement holding ``offset`` starts, and whether the cursor is inside a
    multi-line string (no completion there). Statements are single lines except key/values
    whose array or multi-line string continues onto later lines."""
    last: KeyValue | None = None
    for kv in section.entries:
        if kv.span.start >= line_start:
            break
        last = kv
    if last is None or last.value is None:
        return line_start, False
    value = last.value
    if isinstance(value, Array):
        if value.span.start < offset and (not value.closed or offset < value.span.end):
            return last.span.start, False
    elif (
        isinstance(value, Scalar)
        and value.style in ("ml-basic", "ml-literal")
        and value.span.start < offset
        and (not value.terminated or offset < value.span.end)
    ):
        return line_start, True
    return line_start, False


# --- the scan of the current statement ----------------------------------------------------------

_KEY_START = 0  # expecting a key (or a header / comment at the start of a statement)
_KEY = 1  # reading a bare key part, or after a complete part
_KEY_DOT = 2  # after ``.`` in a dotted key
_KEY_QUOTED = 3  # inside a quoted key part
_VALUE_START = 4  # after ``=``, ``[`` or ``,`` in an array
_STRING = 5
_BARE = 6  # a bare value: number, boolean, date, half-typed word
_AFTER_VALUE = 7
_COMMENT = 8
_HEADER = 9
_AFTER_HEADER = 10
_JUNK = 11  # something the scan does not understand; reset at the next top-level line


@dataclass(slots=True)
class _Frame:
    kind: Literal["array", "inline"]
    key_path: tuple[str, ...]  # key of the array / inline table, relative to the section
    items: list[str] = field(default_factory=list)  # array: string items seen


@dataclass(slots=True)
class _Scan:
    phase: int = _KEY_START
    frames: list[_Frame] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)  # complete parts of the key being read
    part_start: int = -1  # start of the key part (bare or quoted content) being read
    key_path: tuple[str, ...] = ()  # key whose value is being read, relative to the section
    token_start: int = -1  # bare value / string content start / header name start
    quote: str = ""
    array_header: bool = False
    comment_return: int = _KEY_START


def _scan(text: str, start: int, end: int) -> _Scan:
    s = _Scan()
    i = start
    while i < end:
        c = text[i]
        phase = s.phase
        if phase == _KEY_START:
            if c in _BLANK or c in _NEWLINE:
                i += 1
            elif c == "#":
                s.comment_return = _KEY_START
                s.phase = _COMMENT
                i += 1
            elif c == "[" and not s.frames:
                s.array_header = text.startswith("[[", i)
                i += 2 if s.array_header else 1
                s.phase = _HEADER
                s.token_start = i
            elif c == "}" and s.frames and s.frames[-1].kind == "inline":
                s.frames.pop()
                s.phase = _AFTER_VALUE
                i += 1
            elif c in _BARE_KEY_CHARS:
                s.parts = []
                s.part_start = i
                s.phase = _KEY
                i += 1
            elif c in "\"'":
                s.parts = []
                s.quote = c
                s.part_start = i + 1
                s.phase = _KEY_QUOTED
                i += 1
            else:
                s.phase = _JUNK
        elif phase in (_KEY, _KEY_DOT):
            if s.part_start >= 0:
                if c in _BARE_KEY_CHARS:
                    i += 1
                    continue
                s.parts.append(text[s.part_start : i])
                s.part_start = -1
                s.phase = _KEY
            if c in _BLANK:
                i += 1
            elif s.phase == _KEY_DOT and c in _BARE_KEY_CHARS:
                s.part_start = i
                i += 1
            elif s.phase == _KEY_DOT and c in "\"'":
                s.quote = c
                s.part_start = i + 1
                s.phase = _KEY_QUOTED
                i += 1
            elif s.phase == _KEY and c == ".":
                s.phase = _KEY_DOT
                i += 1
            elif s.phase == _KEY and c == "=":
                base = s.frames[-1].key_path if s.frames else ()
                s.key_path = (*base, *s.parts)
                # Deeper than the parser accepts: give up (each frame keeps its whole path).
                s.phase = _VALUE_START if len(s.key_path) <= MAX_DEPTH else _JUNK
                i += 1
            else:
                s.phase = _JUNK
        elif phase == _KEY_QUOTED:
            if c == s.quote:
                s.parts.append(text[s.part_start : i])
                s.part_start = -1
                s.phase = _KEY
                i += 1
            elif c == "\\" and s.quote == '"':
                i += 2
            elif c in _NEWLINE:
                s.phase = _JUNK
            else:
                i += 1
        elif phase == _VALUE_START:
            in_array = bool(s.frames) and s.frames[-1].kind == "array"
            if c in _BLANK:
                i += 1
            elif c in _NEWLINE:
                if in_array:
                    i += 1
                else:
                    s.phase = _JUNK  # a value must start on the key's line
            elif c == "#":
                s.comment_return = _VALUE_START if in_array else _KEY_START
                s.phase = _COMMENT
                i += 1
            elif c in "\"'":
                triple = text.startswith(c * 3, i)
                s.quote = c * 3 if triple else c
                i += len(s.quote)
                s.token_start = i
                s.phase = _STRING
            elif (c == "[" or c == "{") and len(s.frames) >= MAX_DEPTH:
                s.phase = _JUNK  # nested deeper than the parser accepts
            elif c == "[":
                s.frames.append(_Frame("array", s.key_path))
                i += 1
            elif c == "{":
                s.frames.append(_Frame("inline", s.key_path))
                s.phase = _KEY_START
                i += 1
            elif c == "]" and in_array:
                s.frames.pop()
                s.phase = _AFTER_VALUE
                i += 1
            elif c in _BARE_VALUE_END:
                s.phase = _JUNK
            else:
                s.token_start = i
                s.phase = _BARE
                i += 1
        elif phase == _STRING:
            if len(s.quote) == 3:
                if text.startswith(s.quote, i):
                    i += 3
                    _string_done(s, text, i - 3)
                elif c == "\\" and s.quote[0] == '"':
                    i += 2
                else:
                    i += 1
            elif c == s.quote:
                i += 1
                _string_done(s, text, i - 1)
            elif c == "\\" and s.quote == '"':
                i += 2
            elif c in _NEWLINE:
                s.phase = _JUNK  # an unterminated string on an earlier line
            else:
                i += 1
        elif phase == _BARE:
            if c in _BARE_VALUE_END:
                s.phase = _AFTER_VALUE
            else:
                i += 1
        elif phase == _AFTER_VALUE:
            top = s.frames[-1] if s.frames else None
            if c in _BLANK:
                i += 1
            elif c in _NEWLINE:
                if top is None:
                    s.phase = _KEY_START
                i += 1
            elif c == "#":
                s.comment_return = _AFTER_VALUE if top is not None else _KEY_START
                s.phase = _COMMENT
                i += 1
            elif c == "," and top is not None:
                if top.kind == "array":
                    s.key_path = top.key_path
                    s.phase = _VALUE_START
                else:
                    s.phase = _KEY_START
                i += 1
            elif (c == "]" and top is not None and top.kind == "array") or (
                c == "}" and top is not None and top.kind == "inline"
            ):
                s.frames.pop()
                i += 1
            else:
                s.phase = _JUNK
        elif phase == _COMMENT:
            if c in _NEWLINE:
                s.phase = s.comment_return
            i += 1
        elif phase in (_HEADER, _AFTER_HEADER):
            if c in _NEWLINE:
                s.phase = _KEY_START
            elif c == "]" or c == "#":
                s.phase = _AFTER_HEADER
            i += 1
        else:  # _JUNK: give up on this statement; a new top-level line starts afresh
            if c in _NEWLINE:
                s.frames.clear()
                s.phase = _KEY_START
            i += 1
    return s


def _string_done(s: _Scan, text: str, close: int) -> None:
    if s.frames and s.frames[-1].kind == "array":
        s.frames[-1].items.append(text[s.token_start : close])
    s.phase = _AFTER_VALUE


# --- building the context -----------------------------------------------------------------------


def cursor_context(parsed: ParsedDocument, offset: int) -> CursorContext:
    """Where ``offset`` is in ``parsed``, robust to half-typed and unparsable text."""
    text = parsed.text
    offset = max(0, min(offset, len(text)))
    section = section_at(parsed, offset)
    spath = section_path(section)
    line_start = _line_start(text, offset)
    start, in_ml_string = _statement_start(section, offset, line_start)
    if in_ml_string or offset - start > MAX_SCAN:
        return CursorContext("none", offset, spath, spath)
    if start != line_start and _HEADER_START.match(text, line_start, offset):
        # `[name` at column 0 inside an unclosed array: a header being typed, not an item
        start = line_start
    s = _scan(text, start, offset)
    line_end = _line_end(text, offset)
    phase = s.phase

    if phase == _HEADER:
        return _header_context(text, offset, line_end, s, spath)

    if phase in (_KEY_START, _KEY, _KEY_DOT, _KEY_QUOTED):
        return _key_context(text, offset, line_end, s, spath)

    if phase in (_VALUE_START, _STRING, _BARE) and s.key_path:
        return _value_context(text, offset, line_end, s, spath)

    return CursorContext("none", offset, spath, spath)


def _header_context(
    text: str, offset: int, line_end: int, s: _Scan, spath: tuple[str, ...]
) -> CursorContext:
    name_start = s.token_start
    while name_start < offset and text[name_start] in _BLANK:
        name_start += 1
    rest = text[offset:line_end]
    close = rest.find("]")
    comment = rest.find("#")
    stop = len(rest)
    if close != -1:
        stop = close
    if comment != -1 and comment < stop:
        stop = comment
        close = -1
    end = offset + len(rest[:stop].rstrip())
    return CursorContext(
        "header",
        offset,
        spath,
        spath,
        prefix=text[name_start:offset],
        span=Span(name_start, max(end, offset)),
        array_header=s.array_header,
        closed=close != -1,
    )


def _word_end(text: str, offset: int, line_end: int, chars: frozenset[str]) -> int:
    end = offset
    while end < line_end and text[end] in chars:
        end += 1
    return end


def _key_context(
    text: str,
    offset: int,
    line_end: int,
    s: _Scan,
    spath: tuple[str, ...],
) -> CursorContext:
    base = s.frames[-1].key_path if s.frames else ()
    if s.frames and s.frames[-1].kind != "inline":
        return CursorContext("none", offset, spath, spath)
    quoted = s.phase == _KEY_QUOTED
    if s.phase == _KEY_START:
        parts: tuple[str, ...] = ()
        word_start = offset
    elif s.part_start >= 0:
        parts = tuple(s.parts)
        word_start = s.part_start
    elif s.phase == _KEY_DOT:
        parts = tuple(s.parts)
        word_start = offset
    else:  # after a complete key and blanks: `compute |` expects `=`
        return CursorContext("none", offset, spath, spath)
    if quoted:
        close = text.find(s.quote, offset, line_end)
        word_end = close if close != -1 else offset
    else:
        word_end = _word_end(text, offset, line_end, _BARE_KEY_CHARS)
    after = text[word_end + (1 if quoted and word_end < line_end else 0) : line_end].lstrip(" \t")
    if s.phase == _KEY_START and not s.frames and after.startswith("["):
        return CursorContext("none", offset, spath, spath)  # before a header on its line
    span = Span(word_start, word_end)
    empty = (
        not spath
        and not s.frames
        and not parts
        and _blank_or_comments(text, 0, span.start)
        and _blank_or_comments(text, span.end, len(text))
    )
    return CursorContext(
        "key",
        offset,
        spath,
        (*spath, *base, *parts),
        prefix=text[word_start:offset],
        span=span,
        has_value=after[:1] in ("=", "."),
        in_inline_table=bool(s.frames),
        in_string=quoted,
        quote=s.quote if quoted else "",
        closed=quoted and word_end < line_end,
        empty_document=empty,
    )


def _blank_or_comments(text: str, start: int, end: int) -> bool:
    for line in text[start:end].splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return False
    return True


def _value_context(
    text: str, offset: int, line_end: int, s: _Scan, spath: tuple[str, ...]
) -> CursorContext:
    in_array = bool(s.frames) and s.frames[-1].kind == "array"
    table = (*spath, *s.key_path[:-1])
    key = s.key_path[-1]
    items = list(s.frames[-1].items) if in_array else []
    if s.phase == _STRING:
        if len(s.quote) == 3:
            return CursorContext("none", offset, spath, table)
        content_end = _closing_quote(text, offset, line_end, s.quote)
        closed = content_end != -1
        if not closed:
            content_end = _word_end(text, offset, line_end, _UNQUOTED_WORD_CHARS)
        value_span = Span(s.token_start - 1, content_end + 1 if closed else content_end)
        rest_from = value_span.end
        ctx_span = Span(s.token_start, content_end)
        prefix = text[s.token_start : offset]
    else:
        token_start = s.token_start if s.phase == _BARE else offset
        token_end = offset
        while token_end < line_end and text[token_end] not in _BARE_VALUE_END:
            token_end += 1
        ctx_span = value_span = Span(token_start, token_end)
        rest_from = token_end
        prefix = text[token_start:offset]
        closed = False
    if in_array:
        items.extend(_strings_before_close(text[rest_from:line_end]))
    return CursorContext(
        "value",
        offset,
        spath,
        table,
        prefix=prefix,
        span=ctx_span,
        key=key,
        in_string=s.phase == _STRING,
        quote=s.quote if s.phase == _STRING else "",
        closed=closed,
        value_span=value_span,
        in_array=in_array,
        array_items=tuple(items),
        in_inline_table=bool(s.frames) and s.frames[-1].kind == "inline",
    )


def _closing_quote(text: str, offset: int, line_end: int, quote: str) -> int:
    i = offset
    while i < line_end:
        c = text[i]
        if c == quote:
            return i
        i += 2 if c == "\\" and quote == '"' else 1
    return -1


def _strings_before_close(rest: str) -> list[str]:
    """String items on the rest of the line, up to the array's ``]``."""
    items: list[str] = []
    i = 0
    n = len(rest)
    while i < n:
        c = rest[i]
        if c in "]#":
            break
        if c in "\"'":
            close = rest.find(c, i + 1)
            if close == -1:
                break
            items.append(rest[i + 1 : close])
            i = close + 1
        else:
            i += 1
    return items


# --- hover: the node under the cursor -----------------------------------------------------------

NodeKind = Literal["header", "key", "value"]


@dataclass(frozen=True, slots=True)
class NodeAt:
    """The syntax node under the cursor.

    ``path`` is the full dotted path of what is hovered: the table of a header, the key (up to
    and including the hovered component of a dotted key), or, for a value, the key holding it.
    ``span`` is the exact text hovered: the header name, the key component or the scalar.
    """

    kind: NodeKind
    path: tuple[str, ...]
    span: Span
    section: tuple[str, ...]
    kv: KeyValue | None = None  # key/value: the ``key = value`` the node belongs to
    scalar: Scalar | None = None  # value: the scalar hovered
    in_array: bool = False
    names_table: bool = False  # key: a dotted prefix or a key holding an inline table


def node_at(parsed: ParsedDocument, offset: int) -> NodeAt | None:
    """The header, key component or scalar value at ``offset``, or None."""
    for table in parsed.tables:
        if table.header is not None and table.span.contains(offset):
            path = table.header.names
            return NodeAt("header", path, table.header.span, path)
        if table.span.start > offset:
            break
    section = section_at(parsed, offset)
    spath = section_path(section)
    for kv in section.entries:
        if kv.span.start > offset:
            break
        found = _in_entry(kv, offset, spath, spath, False)
        if found is not None:
            return found
    return None


def _in_entry(
    kv: KeyValue, offset: int, base: tuple[str, ...], spath: tuple[str, ...], in_array: bool
) -> NodeAt | None:
    parts = kv.key.parts
    for i, part in enumerate(parts):
        if part.span.contains(offset):
            path = (*base, *(p.name for p in parts[: i + 1]))
            last = i == len(parts) - 1
            names_table = not last or isinstance(kv.value, InlineTable)
            return NodeAt("key", path, part.span, spath, kv=kv, names_table=names_table)
    if kv.value is not None and kv.value.span.contains(offset):
        return _in_value(kv, kv.value, offset, (*base, *kv.key.names), spath, in_array)
    return None


def _in_value(
    kv: KeyValue,
    value: Value,
    offset: int,
    path: tuple[str, ...],
    spath: tuple[str, ...],
    in_array: bool,
) -> NodeAt | None:
    if isinstance(value, Scalar):
        return NodeAt("value", path, value.span, spath, kv=kv, scalar=value, in_array=in_array)
    if isinstance(value, Array):
        for item in value.items:
            if item.span.contains(offset):
                return _in_value(kv, item, offset, path, spath, True)
        return None
    for entry in value.entries:
        found = _in_entry(entry, offset, path, spath, in_array)
        if found is not None:
            return found
    return None


# --- resolved-document helpers ------------------------------------------------------------------


def resolved_table(root: ResolvedTable, path: tuple[str, ...]) -> ResolvedTable | None:
    """The resolved table at ``path``, matching names case-insensitively as the CLI does
    (``[Cerebrium]`` and ``[cerebrium]`` are two TOML tables but one CLI table: every match is
    tried). For an array of tables, its last element."""
    if not path:
        return root
    for child in _children(root, path[0]):
        if isinstance(child, TableArray):
            if not child.items:
                continue
            child = child.items[-1]
        if isinstance(child, ResolvedTable):
            found = resolved_table(child, path[1:])
            if found is not None:
                return found
    return None


def resolved_entry(root: ResolvedTable, path: tuple[str, ...]) -> ResolvedEntry | None:
    """The ``key = value`` entry at ``path`` (table path + key), case-insensitively."""
    if not path:
        return None
    table = resolved_table(root, path[:-1])
    if table is None:
        return None
    for child in _children(table, path[-1]):
        if isinstance(child, ResolvedEntry):
            return child
    return None


def _children(table: ResolvedTable, name: str) -> list[ResolvedEntry | ResolvedTable | TableArray]:
    """The children named ``name`` case-insensitively, the exact spelling first."""
    exact = table.children.get(name)
    lowered = name.lower()
    others = [
        child for key, child in table.children.items() if key != name and key.lower() == lowered
    ]
    return [exact, *others] if exact is not None else others


def present_names(table: ResolvedTable | None) -> frozenset[str]:
    """Lower-cased names of the keys and sub-tables a resolved table already holds."""
    if table is None:
        return frozenset()
    return frozenset(name.lower() for name in table.children)
