"""What the analysis of the previous version of a document tells about the next one.

:func:`value_edit_keeps_toml_valid` decides, from the previous document and the new parse, when
the ``tomllib`` safety net of :func:`cerebrium_lsp.analysis.toml_document.load_toml` cannot
change its verdict, so the server need not run it again: typing inside a value (the commonest
edit) costs a parse and the checks, not a second full parse by ``tomllib``.

The rule is narrow on purpose. The previous text had no TOML error (so ``tomllib`` accepted it),
the new text differs from it in one region only, and that region lies inside one scalar value
in both versions: a single-line string (between its quotes, with no line break, quote or
backslash typed) or a bare value (number, boolean, date), which starts at the same offset in
both, is terminated and decoded by ``tomllib`` in the new version. Replacing one valid value
token by another leaves everything ``tomllib`` checks beyond that value (structure, keys,
tables) as it was.

Serves no LSP method itself.
"""

from __future__ import annotations

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
    with one scalar value retyped as another valid one: see the module docstring."""
    if previous.errors or parsed.errors:
        return False
    old, new = previous.text, parsed.text
    if old == new:
        return True
    start, old_end, new_end = changed_region(old, new)
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
