"""Every diagnostic code's documented bad example triggers it and its fixed example does not;
docs/diagnostics.md is generated from the same table."""

from __future__ import annotations

from pathlib import Path

import pytest

from cerebrium_lsp.analysis.codes import CODES, render_markdown
from cerebrium_lsp.analysis.engine import AnalysisOptions, analyze

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder holding the files the fixed examples name."""
    for name in ("main.py", "Dockerfile", "requirements.txt"):
        (tmp_path / name).write_text("# placeholder\n")
    return tmp_path


def codes_of(text: str, project: Path) -> set[str]:
    analysis = analyze(text, AnalysisOptions(project_dir=project), raise_errors=True)
    return {d.code for d in analysis.diagnostics}


def with_files(project: Path, code: str) -> Path:
    """The project plus the files the code's examples are documented beside."""
    for relative, text in CODES[code].files:
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for relative, size in CODES[code].sized_files:
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            handle.truncate(size)  # sparse: the size without the bytes
    return project


@pytest.mark.parametrize("code", sorted(CODES))
def test_bad_example_triggers_the_code(code: str, project: Path) -> None:
    assert code in codes_of(CODES[code].bad, with_files(project, code))


@pytest.mark.parametrize("code", sorted(CODES))
def test_fixed_example_does_not(code: str, project: Path) -> None:
    assert code not in codes_of(CODES[code].fixed, with_files(project, code))


def test_docs_are_generated_from_the_codes() -> None:
    committed = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    assert committed == render_markdown(), (
        "docs/diagnostics.md is stale: run "
        "`python -m cerebrium_lsp.analysis.codes > docs/diagnostics.md`"
    )
