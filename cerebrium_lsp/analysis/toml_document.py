"""Load a ``cerebrium.toml`` text: recovering parse, TOML 1.0 semantics, and a safety net.

:func:`load_toml` is the one entry point the checks use. The safety net runs ``tomllib`` over the
whole text when parsing and resolving found nothing wrong, so a document is never reported clean
while a real TOML implementation rejects it. :func:`to_python` turns resolved tables into plain
data (what ``tomllib`` would return, minus the values that did not decode), for JSON Schema
validation and the build plan.
"""

from __future__ import annotations

import tomllib

from cerebrium_lsp.analysis.incremental import value_edit_keeps_toml_valid
from cerebrium_lsp.analysis.parser import gc_paused, parse, tomllib_error_position
from cerebrium_lsp.analysis.resolve import resolve, resolve_inline_table
from cerebrium_lsp.analysis.tree import (
    Array,
    InlineTable,
    ResolvedEntry,
    ResolvedTable,
    Scalar,
    Span,
    SyntaxProblem,
    TableArray,
    TomlDocument,
    Value,
)

__all__ = ["load_toml", "to_python"]

_SKIP = object()  # a value that did not decode: left out of the Python data


def load_toml(text: str, *, previous: TomlDocument | None = None) -> TomlDocument:
    """Parse and resolve ``text``; every TOML error is in ``errors``, sorted by position.

    ``previous``: the document's previous version; when ``text`` only retypes a value in it,
    tomllib's verdict cannot have changed and its pass is skipped (analysis/incremental.py)."""
    with gc_paused():  # see gc_paused: large documents build millions of acyclic objects
        parsed = parse(text)
        root, semantic_errors = resolve(parsed)
        errors = [*parsed.errors, *semantic_errors]
        if not errors and not (
            previous is not None and value_edit_keeps_toml_valid(previous, parsed)
        ):
            missed = _tomllib_error(text)
            if missed is not None:
                errors.append(missed)
    errors.sort(key=lambda e: (e.span.start, e.span.end))
    return TomlDocument(parsed, root, errors)


def to_python(table: ResolvedTable) -> dict[str, object]:
    """Plain Python data for ``table``, as ``tomllib`` builds it; missing or invalid values
    (and unterminated strings) are left out."""
    root: dict[str, object] = {}
    # A loop, not recursion: one dotted key or header may nest tables thousands deep.
    pending: list[tuple[ResolvedTable, dict[str, object]]] = [(table, root)]
    while pending:
        node, out = pending.pop()
        for name, child in node.children.items():
            if isinstance(child, ResolvedEntry):
                value = _entry_value(child)
                if value is not _SKIP:
                    out[name] = value
                continue
            items = child.items if isinstance(child, TableArray) else [child]
            dicts: list[dict[str, object]] = [{} for _ in items]
            pending.extend(zip(items, dicts, strict=True))
            out[name] = dicts if isinstance(child, TableArray) else dicts[0]
    return root


def _entry_value(entry: ResolvedEntry) -> object:
    return _SKIP if entry.value is None else _value(entry.value)


def _value(value: Value) -> object:
    if isinstance(value, Scalar):
        valid = value.kind != "invalid" and value.terminated
        return value.value if valid else _SKIP
    if isinstance(value, Array):
        items = (_value(item) for item in value.items)
        return [item for item in items if item is not _SKIP]
    assert isinstance(value, InlineTable)
    return to_python(resolve_inline_table(value))


def _tomllib_error(text: str) -> SyntaxProblem | None:
    """tomllib's verdict on ``text`` as a ``toml-syntax`` error at the position it names (the
    end of the text when it names none)."""
    try:
        tomllib.loads(text)
    except ValueError as exc:  # TOMLDecodeError, or int()'s limit on decimal digits
        message, offset = tomllib_error_position(text, str(exc))
        start = len(text) if offset is None else offset
    except RecursionError:
        message, start = "the document is nested too deeply", len(text)
    else:
        return None
    span = Span(start, min(start + 1, len(text)))
    return SyntaxProblem("toml-syntax", f"invalid TOML: {message}", span)
