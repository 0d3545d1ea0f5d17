"""One value (and one key) in the formatted style: Taplo's default layout, rebuilt on our tree.

Scalars keep their exact source text (strings, numbers and dates are never rewritten). Inline
tables are ``{ a = 1, b = 2 }`` (``{}`` when empty). An array is one line, ``[1, 2, 3]``,
unless it holds a comment (its own or a nested value's) or is forced onto several lines because
its entry is longer than the column width; then every item gets its own line, indented by two
spaces per level, with a comma after each, blank lines (at most two) and comments kept where
they are, and trailing comments of consecutive items aligned.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from cerebrium_lsp.analysis.tree import Array, InlineTable, Key, KeyValue, Scalar, Value

__all__ = ["INDENT", "MAX_BLANK_LINES", "FormatterError", "Layout", "Row", "align_comments"]

INDENT = "  "
MAX_BLANK_LINES = 2

# What may stand between two items of an array (or before the first / after the last): spaces,
# line breaks, one comma and comments. Anything else means the tree and the text disagree.
_GAP_TOKEN = re.compile(r"[ \t]+|\r?\n|,|#[^\r\n]*")


class FormatterError(Exception):
    """The text holds something the formatter does not expect (it only formats documents without
    errors): refuse rather than risk changing what the file means."""


@dataclass(slots=True)
class Row:
    """One line of a multi-line array: an item (with its comma) or a comment line."""

    text: str
    comment: str | None = None
    blank_lines_before: int = 0
    is_item: bool = True


class Layout:
    """Renders keys and values of one document's text; ``newline`` is the document's line break
    (line breaks inside multi-line strings are part of the value and stay as they are)."""

    def __init__(self, text: str, comment_starts: list[int], newline: str) -> None:
        self.text = text
        self.comment_starts = comment_starts  # sorted start offsets of every comment
        self.newline = newline

    def key(self, key: Key) -> str:
        """A dotted key without the spaces around its dots; quoted parts exactly as written."""
        text = self.text
        parts = key.parts
        if len(parts) == 1:  # most keys: no dots to join
            span = parts[0].span
            return text[span.start : span.end]
        return ".".join([text[part.span.start : part.span.end] for part in parts])

    def entry(self, kv: KeyValue, level: int, force: bool) -> str:
        if kv.value is None:
            raise FormatterError("a key without a value")
        return f"{self.key(kv.key)} = {self.value(kv.value, level, force)}"

    def value(self, value: Value, level: int, force: bool) -> str:
        """``force``: lay arrays out on several lines (the entry is too long for one)."""
        if isinstance(value, Scalar):
            return value.raw
        if isinstance(value, InlineTable):
            if not value.entries:
                return "{}"
            self.check_inline_gaps(value)
            inner = ", ".join(self.entry(kv, level, force) for kv in value.entries)
            return "{ " + inner + " }"
        if force or self.holds_comment(value):
            return self.multi_line_array(value, level, force)
        return "[" + ", ".join(self.value(item, level, False) for item in value.items) + "]"

    def holds_comment(self, value: Array) -> bool:
        starts = self.comment_starts
        i = bisect_left(starts, value.span.start)
        return i < len(starts) and starts[i] < value.span.end

    def check_inline_gaps(self, table: InlineTable) -> None:
        """TOML allows no comment or line break between the braces outside a value."""
        pos = table.span.start + 1
        for kv in table.entries:
            if not _blank_or_comma(self.text, pos, kv.span.start):
                raise FormatterError("unexpected text in an inline table")
            pos = kv.span.end
        if not _blank_or_comma(self.text, pos, table.span.end - 1):
            raise FormatterError("unexpected text in an inline table")

    def multi_line_array(self, array: Array, level: int, force: bool) -> str:
        nl = self.newline
        rows: list[Row] = []
        opening_comment: str | None = None
        line_breaks = 0  # since the last row (or the opening bracket)
        item_on_line: Row | None = None  # the row of an item that ends on the current line
        pos = array.span.start + 1
        for item in [*array.items, None]:
            end = item.span.start if item is not None else array.span.end - 1
            for token in self.gap_tokens(pos, end):
                if token[0] == "\n" or token[0] == "\r":
                    line_breaks += 1
                    item_on_line = None
                elif token[0] == "#":
                    comment = token.rstrip()
                    if item_on_line is not None:
                        item_on_line.comment = comment
                    elif not rows and line_breaks == 0:
                        opening_comment = comment  # on the line of the ``[``
                    else:
                        rows.append(Row(comment, None, _blank(line_breaks), is_item=False))
                        line_breaks = 0
            if item is None:
                break
            text = self.value(item, level + 1, force) + ","
            item_on_line = Row(text, None, _blank(line_breaks))
            rows.append(item_on_line)
            line_breaks = 0
            pos = item.span.end
        closing_blank = _blank(line_breaks)
        indent = INDENT * (level + 1)
        out = ["[" if opening_comment is None else "[ " + opening_comment]
        for group in _groups(rows):
            first = group[0]
            out.append(nl * (first.blank_lines_before + 1))
            if not first.is_item:
                out.append(indent + first.text)
                continue
            out.append(nl.join(indent + line for line in align_comments(group, nl)))
        out.append(nl * (closing_blank + 1) + INDENT * level + "]")
        return "".join(out)

    def gap_tokens(self, start: int, end: int) -> list[str]:
        tokens = []
        text = self.text
        pos = start
        while pos < end:
            match = _GAP_TOKEN.match(text, pos, end)
            if match is None:
                raise FormatterError(f"unexpected text at offset {pos}")
            if match.group()[0] not in " \t,":
                tokens.append(match.group())
            pos = match.end()
        return tokens


def align_comments(rows: list[Row], newline: str) -> list[str]:
    """Each row's text and trailing comment, the comments of the group in one column (one space
    after the longest text), unless a text spans lines: then one space after each."""
    if any(newline in row.text or "\n" in row.text for row in rows):
        return [row.text if row.comment is None else f"{row.text} {row.comment}" for row in rows]
    width = max(len(row.text) for row in rows)
    return [
        row.text if row.comment is None else f"{row.text.ljust(width)} {row.comment}"
        for row in rows
    ]


def _groups(rows: list[Row]) -> list[list[Row]]:
    """Rows split where a blank line or a comment line comes between them: the groups whose
    comments are aligned (a comment line forms a group of its own)."""
    groups: list[list[Row]] = []
    for row in rows:
        if groups and row.is_item and groups[-1][-1].is_item and row.blank_lines_before == 0:
            groups[-1].append(row)
        else:
            groups.append([row])
    return groups


def _blank(line_breaks: int) -> int:
    return min(max(line_breaks - 1, 0), MAX_BLANK_LINES)


def _blank_or_comma(text: str, start: int, end: int) -> bool:
    return text[start:end].strip(" \t,") == ""
