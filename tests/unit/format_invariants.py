"""What formatting must keep, as one check shared by the corpus and the property tests.

:func:`check_invariants` asserts, for one valid document and its formatted text:

* the data is the same (what ``tomllib`` reads; NaN compared by name);
* every comment survives with its text (trailing spaces aside), in the same order among the
  statements and array items (so with the same statement or item before and after it), and a
  comment after text on its line still is, one on a line of its own still is;
* line breaks: an LF document gets no CR, a CRLF document no bare LF;
* formatting the output again changes nothing.
"""

from __future__ import annotations

import math
import tomllib

from cerebrium_lsp.analysis.parser import parse
from cerebrium_lsp.analysis.tree import Array, InlineTable, Value
from cerebrium_lsp.format import format_text


def comparable(data: object) -> object:
    """NaN never equals itself: compare it by name."""
    if isinstance(data, float) and math.isnan(data):
        return "NaN"
    if isinstance(data, dict):
        return {key: comparable(value) for key, value in data.items()}
    if isinstance(data, list):
        return [comparable(value) for value in data]
    return data


def events(text: str) -> list[tuple[str, ...]]:
    """Statements, array items and comments in document order (an item marked where it starts
    and where it ends); a comment is ``trailing`` when more than a comma precedes it on its
    line."""
    parsed = parse(text)
    marks: list[tuple[int, tuple[str, ...]]] = []
    for table in parsed.tables:
        if table.header is not None:
            marks.append((table.span.start, ("header", *table.header.names)))
        for kv in table.entries:
            marks.append((kv.span.start, ("entry", *kv.key.names)))
            if kv.value is not None:
                _items(kv.value, marks)
    for comment in parsed.comments:
        marks.append((comment.span.start, ("comment", comment.text.rstrip())))
    marks.sort(key=lambda mark: mark[0])
    out: list[tuple[str, ...]] = []
    for offset, event in marks:
        if event[0] == "comment":
            line_start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
            trailing = text[line_start:offset].strip(" \t,") != ""  # a lone comma is no value
            out.append((*event, "trailing" if trailing else "own line"))
        else:
            out.append(event)
    return out


def _items(value: Value, marks: list[tuple[int, tuple[str, ...]]]) -> None:
    if isinstance(value, Array):
        for index, item in enumerate(value.items):
            marks.append((item.span.start, ("item", str(index))))
            _items(item, marks)
            marks.append((item.span.end, ("item end", str(index))))
    elif isinstance(value, InlineTable):
        for kv in value.entries:
            if kv.value is not None:
                _items(kv.value, marks)


def check_invariants(before: str, after: str) -> None:
    assert comparable(tomllib.loads(after)) == comparable(tomllib.loads(before))
    assert events(after) == events(before)
    crlf = before.count("\r\n")
    if crlf and crlf == before.count("\n"):
        assert after.count("\n") == after.count("\r\n"), "CRLF document got a bare LF"
    elif not crlf:
        assert "\r" not in after, "LF document got a CR"
    assert format_text(after) == after, "formatting twice differs from formatting once"
