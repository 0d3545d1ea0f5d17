"""The analysis entry point shared by ``check`` and every server feature."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from cerebrium_lsp.analysis.diagnostics import Diagnostic, Severity
from cerebrium_lsp.analysis.text import LineIndex
from cerebrium_lsp.analysis.tree import TomlDocument

SeverityOverride = Severity | Literal["off"]


@dataclass(frozen=True, slots=True)
class AnalysisOptions:
    # Folder that holds the cerebrium.toml: relative paths in the file resolve against it.
    project_dir: Path | None = None
    # Checks that read other files (main.py, Dockerfile, paths.*). Off for files checked away
    # from their project, such as the corpus.
    file_checks: bool = True
    severity_overrides: Mapping[str, SeverityOverride] = field(default_factory=dict)


@dataclass(slots=True)
class Analysis:
    text: str
    index: LineIndex
    document: TomlDocument
    diagnostics: list[Diagnostic]


def analyze(text: str, options: AnalysisOptions | None = None) -> Analysis:
    """Parse ``text`` (recovering from errors) and run every check. Never raises on any input."""
    raise NotImplementedError  # filled in by the checks work
