"""Options that change what the analysis checks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from cerebrium_lsp.analysis.diagnostics import Severity

SeverityOverride = Severity | Literal["off"]


@dataclass(frozen=True, slots=True)
class AnalysisOptions:
    # Folder that holds the cerebrium.toml: relative paths in the file resolve against it.
    project_dir: Path | None = None
    # Checks that read other files (main.py, Dockerfile, paths.*). Off for files checked away
    # from their project, such as the corpus.
    file_checks: bool = True
    # Per-code severity overrides ("off" drops the diagnostic).
    severity_overrides: Mapping[str, SeverityOverride] = field(default_factory=dict)
