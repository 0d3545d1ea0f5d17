"""What every check receives: the document, the options, and a way to report."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from cerebrium_lsp.analysis.codes import default_severity
from cerebrium_lsp.analysis.diagnostics import Diagnostic, Related, Severity, Tag
from cerebrium_lsp.analysis.options import AnalysisOptions
from cerebrium_lsp.analysis.tree import (
    ResolvedEntry,
    ResolvedTable,
    Scalar,
    Span,
    TableArray,
    TomlDocument,
    Value,
)


@dataclass(slots=True)
class CheckContext:
    document: TomlDocument
    options: AnalysisOptions
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def report(
        self,
        code: str,
        span: Span,
        message: str,
        *,
        severity: Severity | None = None,
        related: list[Related] | None = None,
        tags: tuple[Tag, ...] = (),
        data: dict[str, Any] | None = None,
    ) -> None:
        self.diagnostics.append(
            Diagnostic(
                span=span,
                severity=severity or default_severity(code),
                code=code,
                message=message,
                related=related or [],
                tags=tags,
                data=data,
            )
        )

    @property
    def file_checks(self) -> bool:
        return self.options.file_checks and self.options.project_dir is not None


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string, for quick-fix replacements: JSON's escapes are a subset
    of TOML's, and TOML also forbids a raw DEL."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


# --- Case-insensitive views of the resolved document (the CLI lower-cases every key) ----------


def child(table: ResolvedTable | None, name: str) -> ResolvedEntry | ResolvedTable | None:
    """The child named ``name`` (lower case), matched case-insensitively; first one wins."""
    if table is None:
        return None
    exact = table.children.get(name)
    if exact is not None and not isinstance(exact, TableArray):
        return exact
    for key, value in table.children.items():
        if key.lower() == name and not isinstance(value, TableArray):
            return value
    return None


def subtable(table: ResolvedTable | None, *names: str) -> ResolvedTable | None:
    current = table
    for name in names:
        found = child(current, name)
        if not isinstance(found, ResolvedTable):
            return None
        current = found
    return current


def entry(table: ResolvedTable | None, name: str) -> ResolvedEntry | None:
    found = child(table, name)
    return found if isinstance(found, ResolvedEntry) else None


def value_of(table: ResolvedTable | None, name: str) -> Value | None:
    found = entry(table, name)
    return found.value if found else None


def scalar_value(table: ResolvedTable | None, name: str) -> object:
    """The decoded Python value of a scalar entry, or None when absent/invalid/not a scalar."""
    value = value_of(table, name)
    if isinstance(value, Scalar) and value.terminated:
        return value.value
    return None


def string_value(table: ResolvedTable | None, name: str) -> str | None:
    value = scalar_value(table, name)
    return value if isinstance(value, str) else None


def number_value(table: ResolvedTable | None, name: str) -> float | None:
    value = scalar_value(table, name)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    return None


def table_span(table: ResolvedTable) -> Span:
    """Where a table is named: its header key, its dotted-key component, or the document start."""
    if table.header is not None and table.header.header is not None:
        return table.header.header.span
    if table.name_span is not None:
        return table.name_span
    return Span(0, 0)
