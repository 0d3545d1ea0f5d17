"""Quick fixes for diagnostics, as minimal text edits that keep comments and formatting.

Each fix changes only the characters it must (a key name, a value, one line). Removing a
``key = value`` keeps any comment that stood on or inside it. ``safe`` fixes have one obvious
outcome and are applied by "fix all" (``source.fixAll`` and ``cerebrium-lsp check --fix``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cerebrium_lsp.analysis.checks.context import entry, subtable, toml_string
from cerebrium_lsp.analysis.diagnostics import Diagnostic
from cerebrium_lsp.analysis.engine import Analysis
from cerebrium_lsp.analysis.toml_document import load_toml
from cerebrium_lsp.analysis.tree import (
    Array,
    InlineTable,
    KeyPart,
    KeyValue,
    ParsedDocument,
    ResolvedTable,
    Scalar,
    Span,
    Table,
    TableArray,
)
from cerebrium_lsp.model import MODEL

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# Legacy keys whose value means the same under the new name.
_VALUE_CARRIES_OVER = {"gpu", "evaluation_interval", "load_balancing", "use_uv"}


@dataclass(frozen=True, slots=True)
class TextEdit:
    span: Span
    new_text: str


@dataclass(frozen=True, slots=True)
class Fix:
    title: str
    edits: tuple[TextEdit, ...]
    diagnostic: Diagnostic
    preferred: bool = True
    safe: bool = True  # applied by "fix all"
    kind: str = field(default="quickfix")


def toml_key(name: str) -> str:
    return name if _BARE_KEY.fullmatch(name) else toml_string(name)


# --- Locating the nodes a diagnostic is about --------------------------------------------------


@dataclass(slots=True)
class Located:
    kv: KeyValue
    table: Table  # the [header] (or root) table the entry sits under
    inline: InlineTable | None = None


def _entries(analysis: Analysis) -> Iterator[Located]:
    for table in analysis.document.parsed.tables:
        for kv in table.entries:
            yield Located(kv, table)
            yield from _inline_entries(kv, table)


def _inline_entries(kv: KeyValue, table: Table) -> Iterator[Located]:
    if isinstance(kv.value, InlineTable):
        for inner in kv.value.entries:
            yield Located(inner, table, kv.value)
            yield from _inline_entries(inner, table)


@dataclass(slots=True)
class _SpanIndex:
    """Entries and header parts by span, built once per document: fix-all asks for every
    diagnostic, and a scan each time made 10,000 diagnostics cost 10⁸ comparisons."""

    parsed: ParsedDocument
    entries: dict[Span, Located]
    header_parts: dict[Span, tuple[Table, int]]
    verdicts: dict[tuple[TextEdit, ...], bool]  # fix edits -> the file stays valid TOML


_last_index: list[_SpanIndex] = []  # the index of the document fixes were last asked for


def _span_index(analysis: Analysis) -> _SpanIndex:
    parsed = analysis.document.parsed
    if _last_index and _last_index[0].parsed is parsed:
        return _last_index[0]
    entries: dict[Span, Located] = {}
    for found in _entries(analysis):
        kv = found.kv
        for span in (kv.key.span, *(p.span for p in kv.key.parts)):
            entries.setdefault(span, found)
        if kv.value is not None:
            entries.setdefault(kv.value.span, found)
    parts: dict[Span, tuple[Table, int]] = {}
    for table in parsed.tables:
        if table.header is not None:
            for index, part in enumerate(table.header.parts):
                parts.setdefault(part.span, (table, index))
    _last_index[:] = [_SpanIndex(parsed, entries, parts, {})]
    return _last_index[0]


def entry_at(analysis: Analysis, span: Span) -> Located | None:
    """The ``key = value`` whose key, key component or value is exactly ``span``."""
    return _span_index(analysis).entries.get(span)


def header_part_at(analysis: Analysis, span: Span) -> tuple[Table, int] | None:
    return _span_index(analysis).header_parts.get(span)


def _text(analysis: Analysis, span: Span) -> str:
    return analysis.text[span.start : span.end]


def _newline(analysis: Analysis) -> str:
    return "\r\n" if "\r\n" in analysis.text else "\n"


# --- Edit builders -------------------------------------------------------------------------------


def remove_entry(analysis: Analysis, kv: KeyValue) -> TextEdit:
    """Delete a ``key = value`` with its line, keeping comments that stood on or inside it."""
    index = analysis.index
    first_line = index.line_of(kv.span.start)
    last_line = index.line_of(kv.span.end)
    start = index.line_starts[first_line]
    end = index.line_end(last_line, include_break=True)
    before = analysis.text[start : kv.span.start]
    after = analysis.text[kv.span.end : index.line_end(last_line)]
    comments = analysis.document.parsed.comments
    indent = before[: len(before) - len(before.lstrip())]
    if before.strip() or (after.strip().lstrip(",").strip() and not after.strip().startswith("#")):
        # Something else shares the line (an inline table): remove the entry and one comma.
        span = _with_comma(analysis.text, kv.span)
        inside = [c.text for c in comments if span.start <= c.span.start < span.end]
        if not inside:
            return TextEdit(span, "")
        # A multi-line array inside an inline table holds comments: move them above the line.
        start = min(start, index.line_starts[index.line_of(span.start)])
        moved = "".join(f"{indent}{comment}{_newline(analysis)}" for comment in inside)
        return TextEdit(Span(start, span.end), moved + analysis.text[start : span.start])
    kept = [c.text for c in comments if start <= c.span.start < end]
    replacement = "".join(f"{indent}{comment}{_newline(analysis)}" for comment in kept)
    return TextEdit(Span(start, end), replacement)


def _with_comma(text: str, span: Span) -> Span:
    """Widen an inline-table entry's span over its separating comma, so no stray comma stays."""
    end = span.end
    while end < len(text) and text[end] in " \t":
        end += 1
    if end < len(text) and text[end] == ",":
        end += 1
        while end < len(text) and text[end] in " \t":
            end += 1
        return Span(span.start, end)
    start = span.start
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    if start > 0 and text[start - 1] == ",":
        return Span(start - 1, span.end)
    return span


def rename_part(part: KeyPart, new_name: str) -> TextEdit:
    return TextEdit(part.span, toml_key(new_name))


def replace_string(analysis: Analysis, span: Span, new_text: str) -> TextEdit:
    """Replace a string value, keeping its quote style when the new text allows it."""
    old = _text(analysis, span)
    if old.startswith("'") and "'" not in new_text and "\n" not in new_text:
        return TextEdit(span, f"'{new_text}'")
    return TextEdit(span, toml_string(new_text))


def insert_line_after(analysis: Analysis, offset: int, line: str) -> TextEdit:
    """Insert ``line`` as a new line after the line holding ``offset``."""
    index = analysis.index
    line_no = index.line_of(offset)
    end = index.line_end(line_no, include_break=True)
    newline = _newline(analysis)
    if end == len(analysis.text) and not analysis.text.endswith(("\n", "\r")):
        return TextEdit(Span(end, end), newline + line)
    return TextEdit(Span(end, end), line + newline)


def header_path(table: Table) -> tuple[str, ...]:
    """The table's header names as the CLI reads them (lower-cased); () for the root."""
    return tuple(n.lower() for n in table.header.names) if table.header is not None else ()


def header_table(analysis: Analysis, path: tuple[str, ...]) -> Table | None:
    for table in analysis.document.parsed.tables:
        if table.header is not None and header_path(table) == path:
            return table
    return None


def header_clashes(analysis: Analysis, names: tuple[str, ...], *, implied_ok: bool = True) -> bool:
    """True when a new ``[names]`` header would break TOML's rules: something other than an
    implied table is already there, or the path runs through a value or an inline table. With
    ``implied_ok`` False, for a new key: anything at all already there."""
    node: ResolvedTable = analysis.document.root
    for i, name in enumerate(names):
        child = node.children.get(name)
        if child is None:
            return False
        if isinstance(child, TableArray):
            if i == len(names) - 1:
                return True
            node = child.items[-1]
        elif isinstance(child, ResolvedTable) and child.defined_by != "inline":
            node = child
        else:
            return True
    return not implied_ok or node.defined_by != "implicit"


def add_to_table(analysis: Analysis, path: tuple[str, ...], line: str) -> TextEdit:
    """Add ``line`` at the end of the ``[path]`` table, creating the table when missing."""
    table = header_table(analysis, path)
    newline = _newline(analysis)
    if table is not None:
        last = table.entries[-1].span.end if table.entries else table.span.end
        return insert_line_after(analysis, last, line)
    end = len(analysis.text)
    prefix = "" if not analysis.text or analysis.text.endswith(("\n", "\r")) else newline
    separator = newline if analysis.text.strip() else ""
    return TextEdit(
        Span(end, end), f"{prefix}{separator}[{'.'.join(path)}]{newline}{line}{newline}"
    )


# --- The fixes, by diagnostic code --------------------------------------------------------------


def fixes_for(
    analysis: Analysis, diagnostic: Diagnostic, project_dir: Path | None = None
) -> list[Fix]:
    """Every quick fix for one diagnostic (possibly none). A fix that renames or adds a table
    is kept only when it adds no TOML error (checked by parsing the result, once per fix and
    document version): whether a new name clashes depends on every other table, header,
    dotted key and array of tables."""
    fixes = _unchecked_fixes(analysis, diagnostic, project_dir)
    if diagnostic.code in _RESHAPING and fixes:
        fixes = [fix for fix in fixes if _keeps_toml_valid(analysis, fix)]
    return fixes


def _unchecked_fixes(
    analysis: Analysis, diagnostic: Diagnostic, project_dir: Path | None
) -> list[Fix]:
    handler = _HANDLERS.get(diagnostic.code)
    if handler is None:
        return []
    return handler(analysis, diagnostic, project_dir)


# Fixes of these codes rename or add tables (or move keys between them).
_RESHAPING = {"unknown-table", "legacy-table", "missing-prefix", "missing-name", "legacy-key"}


def _keeps_toml_valid(analysis: Analysis, fix: Fix) -> bool:
    verdicts = _span_index(analysis).verdicts
    key = fix.edits
    if key not in verdicts:
        after = load_toml(apply_edits(analysis.text, fix.edits)).errors
        verdicts[key] = len(after) <= len(analysis.document.errors)  # no new TOML error
    return verdicts[key]


def _replacement(diagnostic: Diagnostic) -> str | None:
    value = (diagnostic.data or {}).get("replacement")
    return value if isinstance(value, str) else None


def _fix_rename_key(analysis: Analysis, d: Diagnostic, _: Path | None) -> list[Fix]:
    new_name = _replacement(d)
    found = entry_at(analysis, d.span)
    if new_name is None or found is None:
        return []
    part = next(p for p in found.kv.key.parts if p.span == d.span)
    if _sibling_exists(analysis, found, new_name):
        return []
    return [Fix(f"Rename `{part.name}` to `{new_name}`", (rename_part(part, new_name),), d)]


def _sibling_exists(analysis: Analysis, found: Located, name: str) -> bool:
    entries = found.inline.entries if found.inline is not None else found.table.entries
    prefix = found.kv.key.names[:-1]
    return any(
        kv.key.names[:-1] == prefix and kv.key.names[-1].lower() == name.lower()
        for kv in entries
        if kv is not found.kv
    )


def _fix_rename_table(analysis: Analysis, d: Diagnostic, _: Path | None) -> list[Fix]:
    new_name = _replacement(d)
    located = header_part_at(analysis, d.span)
    if new_name is None or located is None:
        return []
    table, index = located
    assert table.header is not None
    new_path = (*(n.lower() for n in table.header.names[:index]), new_name)
    if header_table(analysis, new_path) is not None:
        return []
    names = table.header.names
    if header_clashes(analysis, (*names[:index], new_name, *names[index + 1 :])):
        return []
    part = table.header.parts[index]
    return [
        Fix(
            f"Rename [{'.'.join(table.header.names)}] to [{'.'.join(new_path)}]",
            (rename_part(part, new_name),),
            d,
        )
    ]


def _fix_replace_value(analysis: Analysis, d: Diagnostic, _: Path | None) -> list[Fix]:
    """Replace the value at the diagnostic's span with ``data.replacement`` (TOML text)."""
    new_text = _replacement(d)
    if new_text is None:
        return []
    return [Fix(f"Replace with {new_text}", (TextEdit(d.span, new_text),), d)]


def _fix_enum(analysis: Analysis, d: Diagnostic, _: Path | None) -> list[Fix]:
    new_value = _replacement(d)
    if new_value is None:
        return []
    # Enum values are strings: a number or boolean written in their place gets quotes too.
    edit = replace_string(analysis, d.span, new_value)
    return [Fix(f'Change to "{new_value}"', (edit,), d)]


def _fix_python_version(analysis: Analysis, d: Diagnostic, _: Path | None) -> list[Fix]:
    new_value = _replacement(d)
    if new_value is None:
        return []
    return [
        Fix(
            f'Use Python "{new_value}"',
            (replace_string(analysis, d.span, new_value),),
            d,
            safe=False,
        )
    ]


def _fix_legacy_key(analysis: Analysis, d: Diagnostic, _: Path | None) -> list[Fix]:
    found = entry_at(analysis, d.span)
    if found is None:
        return []
    kv = found.kv
    name = kv.key.names[-1]
    removal = Fix(
        f"Remove the legacy key `{name}`",
        (remove_entry(analysis, kv),),
        d,
        preferred=False,
        safe=False,
    )
    target = (d.data or {}).get("replacement")
    if not isinstance(target, list) or name.lower() not in _VALUE_CARRIES_OVER or kv.value is None:
        return [removal]
    new_path = tuple(str(p) for p in target)
    table_path = (*header_path(found.table), *(n.lower() for n in kv.key.names[:-1]))
    if new_path[:-1] == table_path:
        if _sibling_exists(analysis, found, new_path[-1]):
            return [removal]
        part = next(p for p in kv.key.parts if p.span == d.span)
        edits = [rename_part(part, new_path[-1])]
        if name.lower() == "gpu":
            # The old GPU names are gone too: migrate the value, or do not offer the rename.
            compute = _current_compute(analysis, kv)
            if compute is None:
                return [removal]
            if compute != _text(analysis, kv.value.span).strip("\"'"):
                edits.append(replace_string(analysis, kv.value.span, compute))
        title = f"Rename `{name}` to `{new_path[-1]}`"
        return [Fix(title, tuple(edits), d), removal]
    # Moved to another table: remove here, add there (unless it is already set there).
    destination = header_table(analysis, new_path[:-1])
    if destination is not None and any(
        e.key.names[-1].lower() == new_path[-1] for e in destination.entries
    ):
        return [removal]
    if destination is None and header_clashes(analysis, new_path[:-1]):
        return [removal]  # the table exists without a header: a new one would clash
    value_text = _text(analysis, kv.value.span)
    move = (
        remove_entry(analysis, kv),
        add_to_table(analysis, new_path[:-1], f"{new_path[-1]} = {value_text}"),
    )
    return [Fix(f"Move `{name}` to [{'.'.join(new_path[:-1])}]", move, d), removal]


def _current_compute(analysis: Analysis, kv: KeyValue) -> str | None:
    """A current compute id for a legacy ``gpu`` value (itself, its replacement, or None)."""
    value = kv.value
    if not isinstance(value, Scalar) or not isinstance(value.value, str):
        return None
    text = value.value
    if MODEL.compute_type(text) is not None:
        return text
    legacy = next((c for c in MODEL.legacy_compute if c.id.lower() == text.lower()), None)
    return legacy.replacement if legacy is not None else None


def _fix_legacy_table(analysis: Analysis, d: Diagnostic, _: Path | None) -> list[Fix]:
    target = (d.data or {}).get("replacement")
    located = header_part_at(analysis, d.span)
    if not isinstance(target, list) or located is None:
        return []
    table, index = located
    assert table.header is not None
    old_prefix = tuple(n.lower() for n in table.header.names[: index + 1])
    new_prefix = tuple(str(p) for p in target)
    if len(new_prefix) != len(old_prefix) or new_prefix[:-1] != old_prefix[:-1]:
        return []
    edits = []
    for other in analysis.document.parsed.tables:
        if other.header is None:
            continue
        names = header_path(other)
        if names[: len(old_prefix)] != old_prefix:
            continue
        new_names = (*new_prefix, *names[len(old_prefix) :])
        if header_table(analysis, new_names) is not None:
            return []
        edits.append(rename_part(other.header.parts[index], new_prefix[-1]))
    return [Fix(f"Rename [{'.'.join(old_prefix)}…] to [{'.'.join(new_prefix)}…]", tuple(edits), d)]


def _fix_duplicate_key(analysis: Analysis, d: Diagnostic, _: Path | None) -> list[Fix]:
    found = entry_at(analysis, d.span)
    if found is None:
        return []
    kv = found.kv
    fixes = []
    name = kv.key.names[-1]
    if name.lower() == "healthcheck_endpoint" and not _sibling_exists(
        analysis, found, "readycheck_endpoint"
    ):
        part = kv.key.parts[-1]
        fixes.append(
            Fix(
                "Rename the second `healthcheck_endpoint` to `readycheck_endpoint`",
                (rename_part(part, "readycheck_endpoint"),),
                d,
                safe=False,
            )
        )
    fixes.append(
        Fix(
            f"Remove this second `{name}`",
            (remove_entry(analysis, kv),),
            d,
            preferred=not fixes,
            safe=False,
        )
    )
    return fixes


def _fix_port_mismatch(analysis: Analysis, d: Diagnostic, _: Path | None) -> list[Fix]:
    data = d.data or {}
    port, entry_port = data.get("port"), data.get("entrypoint_port")
    if not isinstance(entry_port, int):
        return []
    fixes = []
    custom = ("cerebrium", "runtime", "custom")
    port_kv = next(
        (
            f.kv
            for f in _entries(analysis)
            if header_path(f.table) == custom and f.kv.key.names[-1].lower() == "port"
        ),
        None,
    )
    if port_kv is not None and port_kv.value is not None:
        set_port = TextEdit(port_kv.value.span, str(entry_port))
    else:
        entry_kv = entry_at(analysis, d.span)
        anchor = entry_kv.kv.span.end if entry_kv else d.span.end
        set_port = insert_line_after(analysis, anchor, f"port = {entry_port}")
    fixes.append(Fix(f"Set `port` to {entry_port} (the entrypoint's port)", (set_port,), d))
    if isinstance(port, int) and _text(analysis, d.span) == str(entry_port):
        fixes.append(
            Fix(
                f"Make the entrypoint listen on {port} (`port`)",
                (TextEdit(d.span, str(port)),),
                d,
                preferred=False,
                safe=False,
            )
        )
    return fixes


def _fix_missing_name(analysis: Analysis, d: Diagnostic, project_dir: Path | None) -> list[Fix]:
    name = _app_name(project_dir)
    found = entry_at(analysis, d.span)
    if found is not None and found.kv.value is not None:
        return [
            Fix(f'Name the app "{name}"', (replace_string(analysis, found.kv.value.span, name),), d)
        ]
    deployment = header_table(analysis, ("cerebrium", "deployment"))
    line = f"name = {toml_string(name)}"
    if header_clashes(analysis, ("cerebrium", "deployment", "name"), implied_ok=False):
        return []  # `name` is there, but as a table or an array of tables: no key can be added
    if deployment is not None:
        edit = insert_line_after(analysis, deployment.span.end, line)
    elif header_clashes(analysis, ("cerebrium", "deployment")):
        return []  # defined by dotted keys or an inline table: no header can be added
    else:
        first = next((t for t in analysis.document.parsed.tables if t.header is not None), None)
        newline = _newline(analysis)
        at = first.span.start if first is not None else len(analysis.text)
        block = f"[cerebrium.deployment]{newline}{line}{newline}{newline}"
        if at and not analysis.text.endswith(("\n", "\r")) and first is None:
            block = newline + block
        edit = TextEdit(Span(at, at), block)
    return [Fix(f'Add deployment.name = "{name}"', (edit,), d)]


def _app_name(project_dir: Path | None) -> str:
    raw = project_dir.name if project_dir is not None else ""
    cleaned = re.sub(r"[^a-z0-9-]+", "-", raw.lower()).strip("-")
    return cleaned[:30] or "my-app"


def _fix_gpu_count_ignored(analysis: Analysis, d: Diagnostic, _: Path | None) -> list[Fix]:
    found = entry_at(analysis, d.span)
    if found is None:
        return []
    return [Fix("Remove `gpu_count`", (remove_entry(analysis, found.kv),), d, safe=False)]


def _fix_add_excludes(analysis: Analysis, d: Diagnostic, _: Path | None) -> list[Fix]:
    """Add the patterns the upload check names (``data["exclude"]``) to `exclude`: at the
    front of the written list, or as a new `exclude` that keeps the default ".*" (the check
    puts it first). Not safe: whether the app reads these files at run time is the author's
    call."""
    patterns = (d.data or {}).get("exclude")
    if (
        not isinstance(patterns, list)
        or not patterns
        or not all(isinstance(p, str) for p in patterns)
    ):
        return []
    items = ", ".join(toml_string(p) for p in patterns)
    deployment = subtable(analysis.document.root, "cerebrium", "deployment")
    written = entry(deployment, "exclude")
    if written is not None:
        value = written.value
        if not isinstance(value, Array) or not value.closed:
            return []  # a comma-split string or a half-typed list: no obvious edit
        at = value.items[0].span.start if value.items else value.span.start + 1
        edit = TextEdit(Span(at, at), f"{items}, " if value.items else items)
    elif header_table(analysis, ("cerebrium", "deployment")) is None or header_clashes(
        analysis, ("cerebrium", "deployment", "exclude"), implied_ok=False
    ):
        return []  # no [cerebrium.deployment] header to add the key under
    else:
        edit = add_to_table(analysis, ("cerebrium", "deployment"), f"exclude = [{items}]")
    return [Fix(f"Add {items} to `exclude`", (edit,), d, safe=False)]


def _fix_suggested(analysis: Analysis, d: Diagnostic, _: Path | None) -> list[Fix]:
    """Replace the diagnostic's span with ``data.replacement``, titled ``data.title``: the one
    obvious candidate a check found (``main:app`` -> ``main:server``, ``port`` -> the EXPOSEd
    one). Not safe: the project's files only suggest it."""
    new_text = _replacement(d)
    title = (d.data or {}).get("title")
    if new_text is None or not isinstance(title, str):
        return []
    return [Fix(title, (TextEdit(d.span, new_text),), d, safe=False)]


_HANDLERS = {
    "unknown-key": _fix_rename_key,
    "key-case": _fix_rename_key,
    "unknown-table": _fix_rename_table,
    "missing-prefix": lambda a, d, p: _fix_prefix(a, d),
    "invalid-value": _fix_enum,
    "python-version": _fix_python_version,
    "python-version-float": _fix_replace_value,
    "type-coerced": _fix_replace_value,
    "type-mismatch": _fix_replace_value,
    "string-for-list": _fix_replace_value,
    "version-spec": _fix_replace_value,
    "dotted-package-name": _fix_replace_value,
    "endpoint-path": _fix_replace_value,
    "entrypoint-string": _fix_replace_value,
    "gpu-count": _fix_replace_value,
    "cpu-limit": _fix_replace_value,
    "memory-limit": _fix_replace_value,
    "scaling-metric": _fix_replace_value,
    "legacy-key": _fix_legacy_key,
    "legacy-table": _fix_legacy_table,
    "duplicate-key": _fix_duplicate_key,
    "port-mismatch": _fix_port_mismatch,
    "missing-name": _fix_missing_name,
    "gpu-count-ignored": _fix_gpu_count_ignored,
    "entrypoint-target": _fix_suggested,
    "dockerfile-port": _fix_suggested,
    "secret-file": _fix_add_excludes,
    "dev-folder": _fix_add_excludes,
}


def _fix_prefix(analysis: Analysis, d: Diagnostic) -> list[Fix]:
    new_name = _replacement(d)
    located = header_part_at(analysis, d.span)
    if new_name is None or located is None:
        return []
    table, index = located
    if index != 0 or table.header is None:
        return []
    names = table.header.names
    if header_clashes(analysis, ("cerebrium", names[0].lower(), *names[1:])):
        return []
    part = table.header.parts[0]
    return [
        Fix(
            f"Move under [cerebrium]: [{new_name}]",
            (TextEdit(part.span, f"cerebrium.{toml_key(part.name.lower())}"),),
            d,
        )
    ]


# --- Applying fixes ------------------------------------------------------------------------------


def apply_edits(text: str, edits: list[TextEdit] | tuple[TextEdit, ...]) -> str:
    """Apply non-overlapping edits (in any order) to ``text``."""
    result = text
    for edit in sorted(edits, key=lambda e: (e.span.start, e.span.end), reverse=True):
        result = result[: edit.span.start] + edit.new_text + result[edit.span.end :]
    return result


def safe_fixes(analysis: Analysis, project_dir: Path | None = None) -> list[Fix]:
    """One preferred safe fix per diagnostic, skipping any whose edits overlap an earlier one,
    and only fixes that add no TOML error together (one parse for all, see
    :func:`_compatible`, rather than one per fix)."""
    chosen: list[Fix] = []
    taken: list[Span] = []
    for diagnostic in analysis.diagnostics:
        for fix in _unchecked_fixes(analysis, diagnostic, project_dir):
            if not (fix.safe and fix.preferred):
                continue
            if any(_overlaps(e.span, t) for e in fix.edits for t in taken):
                continue
            chosen.append(fix)
            taken.extend(e.span for e in fix.edits)
            break
    if chosen:
        chosen = _compatible(analysis.text, chosen, len(analysis.document.errors))
    return chosen


def _compatible(text: str, fixes: list[Fix], errors_before: int) -> list[Fix]:
    """``fixes`` without those that clash when applied together: two fixes sound alone can
    break the file together (renaming [cerebrium.deplment] while adding the missing
    [cerebrium.deployment] defines the table twice; two typos fixed to the same key). Each
    round drops every fix a TOML error of the result points at; a bounded number of rounds, then
    nothing rather than a broken file."""
    for _ in range(_MAX_ROUNDS):
        placed = _placed_edits(fixes)
        errors = load_toml(apply_edits(text, [e for _, _, e in placed])).errors
        if len(errors) <= errors_before:  # no new TOML error (a broken file stays as broken)
            return fixes
        # The fix an error is reported on (the second definition), else the one it names.
        culprits = _touching(placed, [e.span for e in errors]) or _touching(
            placed, [span for e in errors for span, _ in e.related]
        )
        if not culprits:
            break
        fixes = [fix for i, fix in enumerate(fixes) if i not in culprits]
    return []


_MAX_ROUNDS = 4


def _touching(placed: list[tuple[int, Span, TextEdit]], spans: list[Span]) -> set[int]:
    return {i for i, new_span, _ in placed for span in spans if _overlaps(span, new_span)}


def _placed_edits(fixes: list[Fix]) -> list[tuple[int, Span, TextEdit]]:
    """(index of the fix, span of its new text in the edited text, edit) for every edit."""
    edits = sorted(
        ((i, e) for i, fix in enumerate(fixes) for e in fix.edits),
        key=lambda item: (item[1].span.start, item[1].span.end),
    )
    placed = []
    shift = 0
    for i, edit in edits:
        start = edit.span.start + shift
        placed.append((i, Span(start, start + len(edit.new_text)), edit))
        shift += len(edit.new_text) - (edit.span.end - edit.span.start)
    return placed


def _overlaps(a: Span, b: Span) -> bool:
    if a.start == a.end or b.start == b.end:
        return a.start == b.start or (b.start < a.start < b.end) or (a.start < b.start < a.end)
    return a.start < b.end and b.start < a.end


def fix_all_text(analysis: Analysis, project_dir: Path | None = None) -> str:
    edits = [e for fix in safe_fixes(analysis, project_dir) for e in fix.edits]
    return apply_edits(analysis.text, edits)
