"""A whole document in the formatted style (Taplo's defaults; docs/formatting.md has every rule).

Statements (``[header]``, ``key = value``) and comment lines each start a line with no
indentation; ``key = value`` has one space around ``=``; trailing comments of consecutive
entries are aligned; at most two blank lines in a row, none at the start, none at the end; every
line ends with the document's own line break (that of its first line), and the document with
one. Comments keep their text (trailing spaces removed), their order and their statement.

The result also says where each statement (with its trailing comment) came from and went, so
range formatting can take the part of the output that belongs to the statements it touches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from cerebrium_lsp.analysis.tree import KeyValue, ParsedDocument, Span, Table, TomlDocument
from cerebrium_lsp.format.values import (
    MAX_BLANK_LINES,
    FormatterError,
    Layout,
    Row,
    align_comments,
)

__all__ = ["COLUMN_WIDTH", "Block", "Formatted", "format_document", "format_parsed"]

# Taplo's default: an entry longer than this has its arrays laid out one item per line.
COLUMN_WIDTH = 80

_ROOT_GAP_TOKEN = re.compile(r"[ \t]+|\r?\n|#[^\r\n]*")


class Block(NamedTuple):
    """One statement or comment line: ``source`` in the input (from its first character to the
    end of its trailing comment), ``[start, end)`` its text in the output."""

    source: Span
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Formatted:
    text: str
    blocks: list[Block]


@dataclass(slots=True)
class _Item:
    node: Table | KeyValue | None  # None for a comment line
    source: Span
    blank_lines_before: int
    comment: str | None = None  # the trailing comment (or the comment line's own text)
    text: str = ""
    is_entry: bool = False  # a ``key = value``


def format_document(document: TomlDocument) -> Formatted:
    """The formatted text of a document without errors (raises :class:`FormatterError` if
    it has any: a file that does not parse is never rewritten)."""
    if document.errors:
        raise FormatterError(document.errors[0].message)
    return format_parsed(document.parsed)


def format_parsed(parsed: ParsedDocument, *, with_blocks: bool = True) -> Formatted:
    """The formatted text of a syntax tree; the caller has made sure the document has no
    errors (syntax or TOML semantics): :func:`format_document` and the command's guard.
    ``with_blocks`` False: no :class:`Block` list (only range formatting and edits use it)."""
    text = parsed.text
    first_break = text.find("\n")
    newline = "\r\n" if first_break > 0 and text[first_break - 1] == "\r" else "\n"
    layout = Layout(text, [c.span.start for c in parsed.comments], newline)
    items = _items(parsed)
    for item in items:
        node = item.node
        if isinstance(node, KeyValue):
            item.text = _entry(layout, node, item.comment)
        elif node is not None:
            header = layout.key(node.header) if node.header is not None else ""
            item.text = f"[{header}]" if node.kind == "table" else f"[[{header}]]"
            if item.comment is not None:
                item.text += " " + item.comment
    return _join(items, newline, with_blocks)


def _items(parsed: ParsedDocument) -> list[_Item]:
    """Statements and comment lines in document order, with the blank lines before each."""
    text = parsed.text
    statements: list[Table | KeyValue] = []
    for table in parsed.tables:
        if table.kind != "root":
            statements.append(table)
        statements.extend(table.entries)
    items: list[_Item] = []
    pos = 0
    line_breaks = 0
    on_statement_line: _Item | None = None
    end_of_text = len(text)
    for index in range(len(statements) + 1):
        node = statements[index] if index < len(statements) else None
        start = node.span.start if node is not None else end_of_text
        if (start == pos + 1 and text[pos] == "\n") or (
            start == pos + 2 and text[pos] == "\r" and text[pos + 1] == "\n"
        ):  # the usual gap: a line break, nothing else
            line_breaks += 1
            on_statement_line = None
            pos = start
        while pos < start:
            match = _ROOT_GAP_TOKEN.match(text, pos, start)
            if match is None:
                raise FormatterError(f"unexpected text at offset {pos}")
            token = match.group()
            if token[0] == "#":
                comment = token.rstrip()
                if on_statement_line is not None:
                    on_statement_line.comment = comment
                    on_statement_line.source = Span(on_statement_line.source.start, match.end())
                else:
                    source = Span(match.start(), match.end())
                    items.append(_Item(None, source, _blank(items, line_breaks), comment, comment))
                    line_breaks = 0
            elif token[0] != " " and token[0] != "\t":
                line_breaks += 1
                on_statement_line = None
            pos = match.end()
        if node is None:
            break
        if on_statement_line is not None:
            raise FormatterError("two statements on one line")
        blank = 0 if line_breaks == 1 or not items else _blank(items, line_breaks)
        on_statement_line = _Item(node, node.span, blank, is_entry=isinstance(node, KeyValue))
        items.append(on_statement_line)
        line_breaks = 0
        pos = node.span.end
    return items


def _blank(items: list[_Item], line_breaks: int) -> int:
    """Blank lines kept before the next line: none at the start of the document."""
    return min(max(line_breaks - 1, 0), MAX_BLANK_LINES) if items else 0


def _entry(layout: Layout, kv: KeyValue, comment: str | None) -> str:
    """``key = value``, its arrays one item per line when a line would be too long."""
    text = layout.entry(kv, 0, False)
    comment_width = len(comment) + 1 if comment is not None else 0
    if "\n" not in text:
        too_long = len(text) + comment_width > COLUMN_WIDTH
    else:
        widths = [len(line) for line in text.replace("\r\n", "\n").split("\n")]
        widths[-1] += comment_width
        too_long = max(widths) > COLUMN_WIDTH
    return layout.entry(kv, 0, True) if too_long else text


def _join(items: list[_Item], newline: str, with_blocks: bool) -> Formatted:
    separators = [newline * (blank + 1) for blank in range(MAX_BLANK_LINES + 1)]
    out: list[str] = []
    blocks: list[Block] = []
    length = 0
    i, count = 0, len(items)
    while i < count:
        j = i + 1
        commented = items[i].comment is not None
        if items[i].is_entry:  # a group: consecutive entries
            while j < count and items[j].is_entry and not items[j].blank_lines_before:
                commented = commented or items[j].comment is not None
                j += 1
        group = items[i:j]
        if commented and items[i].is_entry:
            lines = align_comments([Row(item.text, item.comment) for item in group], newline)
        else:  # no comment to align; headers and comment lines hold their comment already
            lines = [item.text for item in group]
        for item, line in zip(group, lines, strict=True):
            if out:
                separator = separators[item.blank_lines_before]
                out.append(separator)
                length += len(separator)
            out.append(line)
            end = length + len(line)
            if with_blocks:
                blocks.append(Block(item.source, length, end))
            length = end
        i = j
    if out:
        out.append(newline)
    return Formatted("".join(out), blocks)
