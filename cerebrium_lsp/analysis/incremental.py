"""What the analysis of the previous version of a document tells about the next one.

:func:`value_edit_keeps_toml_valid` decides, from the previous document and the new parse, when
the ``tomllib`` safety net of :func:`cerebrium_lsp.analysis.toml_document.load_toml` cannot
change its verdict, so the server need not run it again: typing inside a value (the commonest
edit), or adding or removing blank and comment lines (pressing Enter, deleting an empty line),
costs a parse and the checks, not a second full parse by ``tomllib``.

The rules are narrow on purpose. The previous text had no TOML error (so ``tomllib`` accepted
it) and the new text differs from it in one region only, which is either

- inside one scalar value in both versions: a single-line string (between its quotes, with no
  line break, quote or backslash typed) or a bare value (number, boolean, date), which starts
  at the same offset in both, is terminated and decoded by ``tomllib`` in the new version.
  Replacing one valid value token by another leaves everything ``tomllib`` checks beyond that
  value (structure, keys, tables) as it was; or
- whole lines that are blank or hold only a comment (no control character), in both versions,
  and not inside a string. TOML allows such lines between any two lines of a valid document
  outside strings (between statements, and between the values of a multi-line array; an inline
  table cannot span lines), so inserting or removing them keeps it valid.

A client that sends the whole text on every change gets the same: the region is found by
comparing the texts (:func:`changed_region`), however the change arrived.

Serves no LSP method itself.
"""

from __future__ import annotations

import re

from cerebrium_lsp.analysis.tree import (
    Array,
    InlineTable,
    ParsedDocument,
    Scalar,
    TomlDocument,
    Value,
)

_SINGLE_LINE = ("basic", "literal")
_NOT_TYPED_IN_STRING = frozenset("\"'\\\r\n")
# A line (without its LF) that is blank or a comment: TOML forbids control characters other than
# tab in comments, and a line ends only at LF or CRLF.
_TRIVIA_LINE = re.compile(r"[ \t]*(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?\r?")


def changed_region(old: str, new: str) -> tuple[int, int, int]:
    """``(start, old_end, new_end)``: the texts are equal before ``start`` and after the ends."""
    limit = min(len(old), len(new))
    low, high = 0, limit
    while low < high:  # the longest common prefix, compared in C a slice at a time
        middle = (low + high + 1) // 2
        if old[:middle] == new[:middle]:
            low = middle
        else:
            high = middle - 1
    start = low
    low, high = 0, limit - start
    while low < high:
        middle = (low + high + 1) // 2
        if old[len(old) - middle :] == new[len(new) - middle :]:
            low = middle
        else:
            high = middle - 1
    return start, len(old) - low, len(new) - low


def value_edit_keeps_toml_valid(previous: TomlDocument, parsed: ParsedDocument) -> bool:
    """True when ``parsed`` (the new text, parsed without errors) is ``previous`` (no errors)
    with one scalar value retyped as another valid one, or with blank or comment lines added
    or removed: see the module docstring."""
    if previous.errors or parsed.errors:
        return False
    old, new = previous.text, parsed.text
    if old == new:
        return True
    start, old_end, new_end = changed_region(old, new)
    if _trivia_lines_changed(previous.parsed, parsed, start, old_end, new_end):
        return True
    before = _scalar_around(previous.parsed, start, old_end)
    after = _scalar_around(parsed, start, new_end)
    if before is None or after is None or before.span.start != after.span.start:
        return False
    if after.span.end - before.span.end != new_end - old_end:
        return False
    if after.kind == "invalid" or not before.terminated or not after.terminated:
        return False
    if before.kind == "string" or after.kind == "string":
        if before.style != after.style or after.style not in _SINGLE_LINE:
            return False
        inside = after.span.start + 1 <= start and new_end <= after.span.end - 1
        return inside and not _NOT_TYPED_IN_STRING.intersection(new[start:new_end])
    return True  # a bare value (number, boolean, date) retyped as another valid one


def _trivia_lines_changed(
    before: ParsedDocument, after: ParsedDocument, start: int, old_end: int, new_end: int
) -> bool:
    """True when the texts differ by whole lines that are blank or a comment in both, inside no
    string (where such a line would be content)."""
    old, new = before.text, after.text
    line_start = old.rfind("\n", 0, start) + 1  # the texts agree before ``start``
    line_end = old.find("\n", old_end)  # ... and after the ends
    old_stop = len(old) if line_end < 0 else line_end + 1
    old_lines = old[line_start:old_stop].split("\n")
    new_lines = new[line_start : new_end + old_stop - old_end].split("\n")
    # The common prefix and suffix of the texts can cut a line (an indented comment inserted
    # above an indented line shares the indentation): compare whole lines instead.
    same = min(len(old_lines), len(new_lines))
    head = 0
    while head < same and old_lines[head] == new_lines[head]:
        head += 1
    tail = 0
    while tail < same - head and old_lines[-1 - tail] == new_lines[-1 - tail]:
        tail += 1
    at = line_start + sum(len(line) + 1 for line in old_lines[:head])
    for document, lines in ((before, old_lines), (after, new_lines)):
        changed = lines[head : len(lines) - tail]
        if not all(_TRIVIA_LINE.fullmatch(line) for line in changed):
            return False
        if changed and head + len(changed) == len(lines) and changed[-1].endswith("\r"):
            return False  # a carriage return at the end of the text is no line break
        end = min(at + sum(len(line) + 1 for line in changed), len(document.text))
        if _scalar_around(document, min(at, len(document.text)), end) is not None:
            return False
    return True


def _scalar_around(document: ParsedDocument, start: int, end: int) -> Scalar | None:
    """The scalar value whose span contains ``[start, end]``."""
    for table in document.tables:
        if table.span.start > end:
            break
        if table.body_end < start:
            continue
        for entry in table.entries:
            if entry.span.end < start:
                continue
            if entry.span.start > end:
                break
            if entry.value is not None:
                found = _in_value(entry.value, start, end)
                if found is not None:
                    return found
    return None


def _in_value(value: Value, start: int, end: int) -> Scalar | None:
    if not (value.span.start <= start and end <= value.span.end):
        return None
    if isinstance(value, Scalar):
        return value
    if isinstance(value, Array):
        items: list[Value] = value.items
    else:
        assert isinstance(value, InlineTable)
        items = [e.value for e in value.entries if e.value is not None]
    for item in items:
        found = _in_value(item, start, end)
        if found is not None:
            return found
    return None
