"""The analysis entry point shared by ``check`` and every server feature."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from cerebrium_lsp.analysis.checks.context import CheckContext, subtable
from cerebrium_lsp.analysis.checks.dependencies import check_dependency_files
from cerebrium_lsp.analysis.checks.deployment import check_deployment
from cerebrium_lsp.analysis.checks.dockerfile import check_dockerfile
from cerebrium_lsp.analysis.checks.entrypoint import check_entrypoint_target
from cerebrium_lsp.analysis.checks.hardware import check_hardware
from cerebrium_lsp.analysis.checks.runtime import check_runtime
from cerebrium_lsp.analysis.checks.scaling import check_scaling
from cerebrium_lsp.analysis.checks.secrets import check_secrets, redact
from cerebrium_lsp.analysis.checks.structure import check_structure
from cerebrium_lsp.analysis.checks.upload import check_upload
from cerebrium_lsp.analysis.diagnostics import Diagnostic, Related
from cerebrium_lsp.analysis.options import AnalysisOptions, SeverityOverride
from cerebrium_lsp.analysis.text import LineIndex
from cerebrium_lsp.analysis.toml_document import load_toml
from cerebrium_lsp.analysis.tree import ResolvedTable, TomlDocument

__all__ = ["Analysis", "AnalysisOptions", "SeverityOverride", "analyze"]

log = logging.getLogger(__name__)

CrossCheck = Callable[[CheckContext, ResolvedTable], None]
CROSS_CHECKS: tuple[CrossCheck, ...] = (
    check_deployment,
    check_hardware,
    check_scaling,
    check_dependency_files,
    check_runtime,
    check_upload,
    check_entrypoint_target,
    check_dockerfile,
)


@dataclass(slots=True)
class Analysis:
    text: str
    index: LineIndex
    document: TomlDocument
    diagnostics: list[Diagnostic]


def analyze(
    text: str,
    options: AnalysisOptions | None = None,
    *,
    raise_errors: bool = False,
    previous: Analysis | None = None,
) -> Analysis:
    """Parse ``text`` (recovering from errors) and run every check.

    Never raises on any input: a check that fails is logged and skipped, so one bug cannot hide
    the other diagnostics. Tests pass ``raise_errors=True`` to see such failures.
    """
    options = options or AnalysisOptions()
    # ``previous``: the analysis of the document's previous version (the server passes it),
    # which can spare load_toml its tomllib pass (see analysis/incremental.py).
    document = load_toml(text, previous=previous.document if previous is not None else None)
    ctx = CheckContext(document=document, options=options)
    for problem in document.errors:
        ctx.report(
            problem.code,
            problem.span,
            problem.message,
            related=[Related(span, message) for span, message in problem.related],
        )
    _run(ctx, check_structure, raise_errors)
    _run(ctx, check_secrets, raise_errors)  # the whole file is uploaded, not only [cerebrium]
    cerebrium = subtable(document.root, "cerebrium")
    if cerebrium is not None:
        for check in CROSS_CHECKS:
            _run(ctx, partial(_with_root, check, cerebrium), raise_errors)
    diagnostics = _apply_overrides(ctx.diagnostics, options)
    for diagnostic in diagnostics:  # no message may repeat a credential the file holds
        diagnostic.message = redact(diagnostic.message)
        for related in diagnostic.related:
            related.message = redact(related.message)
    diagnostics.sort(key=lambda d: (d.span.start, d.span.end, d.code))
    return Analysis(text=text, index=LineIndex(text), document=document, diagnostics=diagnostics)


def _with_root(check: CrossCheck, cerebrium: ResolvedTable, ctx: CheckContext) -> None:
    check(ctx, cerebrium)


def _run(ctx: CheckContext, check: Callable[[CheckContext], None], raise_errors: bool) -> None:
    try:
        check(ctx)
    except Exception:
        if raise_errors:
            raise
        log.exception("a check failed; its diagnostics are skipped")


def _apply_overrides(diagnostics: list[Diagnostic], options: AnalysisOptions) -> list[Diagnostic]:
    if not options.severity_overrides:
        return list(diagnostics)
    kept: list[Diagnostic] = []
    for diagnostic in diagnostics:
        override = options.severity_overrides.get(diagnostic.code)
        if override == "off":
            continue
        if override is not None:
            diagnostic.severity = override
        kept.append(diagnostic)
    return kept
