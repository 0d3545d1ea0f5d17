"""Checks of the upload set: the files ``include``/``exclude`` select from the project folder
(the build plan's walk, :mod:`cerebrium_lsp.analysis.upload_set`). Patterns that match nothing,
files that look like secrets, development folders and a large upload. Only with file checks on
and a project folder; partner services upload nothing."""

from __future__ import annotations

from pathlib import Path

from cerebrium_lsp.analysis.checks.context import (
    CheckContext,
    child,
    entry,
    subtable,
    table_span,
    toml_string,
)
from cerebrium_lsp.analysis.checks.runtime import PARTNERS
from cerebrium_lsp.analysis.diagnostics import Diagnostic
from cerebrium_lsp.analysis.project_files import (
    LARGE_FILE_BYTES,
    count,
    default_patterns,
    format_size,
    normalize_patterns,
    selects,
)
from cerebrium_lsp.analysis.tree import Array, ResolvedEntry, ResolvedTable, Scalar, Span, Value
from cerebrium_lsp.analysis.upload_set import (
    DEFAULT_EXCLUDE,
    UploadSet,
    no_files_hint,
    nothing_matched,
    upload_set,
)
from cerebrium_lsp.analysis.weak_types import weak_list

__all__ = ["check_upload"]

_LISTED = 5  # files or folders named in one message, at most
CONFIG_NAME = "cerebrium.toml"  # the walk's default: the analysis does not know the file's name


def check_upload(ctx: CheckContext, cerebrium: ResolvedTable) -> None:
    project = ctx.options.project_dir
    runtime = subtable(cerebrium, "runtime")
    if not ctx.file_checks or project is None or not project.is_dir():
        return  # no folder on disk (a document not saved yet): nothing to walk
    if any(subtable(runtime, name) is not None for name in PARTNERS):
        return
    deployment = subtable(cerebrium, "deployment")
    include_entry = entry(deployment, "include")
    exclude_entry = entry(deployment, "exclude")
    if _half_typed(include_entry) or _half_typed(exclude_entry):
        return  # the patterns are still being typed: no walk per keystroke, no flicker
    include = _written(include_entry)
    exclude = _written(exclude_entry)
    upload = upload_set(
        project, include or default_patterns("include"), exclude or default_patterns("exclude")
    )
    at = _Anchors(cerebrium, include_entry if include else None, exclude_entry if exclude else None)
    if nothing_matched(upload.walk) and not _unsaved_config_selected(project, include, exclude):
        _report_nothing_matched(ctx, at, include or default_patterns("include"))
        return
    _report_secrets(ctx, at, upload, exclude)
    _report_dev_folders(ctx, at, upload, exclude)
    _report_size(ctx, at, upload)


def _unsaved_config_selected(
    project: Path, include: tuple[str, ...], exclude: tuple[str, ...]
) -> bool:
    """The config is not on disk yet (a new document) but the patterns select it: once saved,
    it is a match, so the patterns are not wrong."""
    if (project / CONFIG_NAME).exists():
        return False
    return selects(
        include or default_patterns("include"), exclude or default_patterns("exclude"), CONFIG_NAME
    )


def _half_typed(node: ResolvedEntry | None) -> bool:
    value = node.value if node is not None else None
    if isinstance(value, Array):
        return not value.closed or any(_half_typed_scalar(item) for item in value.items)
    return _half_typed_scalar(value)


def _half_typed_scalar(value: Value | None) -> bool:
    return isinstance(value, Scalar) and not value.terminated


def _written(node: ResolvedEntry | None) -> tuple[str, ...]:
    """The patterns as the CLI decodes them; () when missing or empty (the default applies)."""
    return weak_list(node.value if node is not None else None) or ()


class _Anchors:
    """Where each finding is reported: on the key that let the files in."""

    def __init__(
        self, cerebrium: ResolvedTable, include: ResolvedEntry | None, exclude: ResolvedEntry | None
    ) -> None:
        self.include = include
        self.exclude = exclude
        node = child(cerebrium, "deployment")
        self.table = table_span(node) if isinstance(node, ResolvedTable) else table_span(cerebrium)

    def patterns_value(self) -> Span:
        """The `include` value, else the `exclude` value (which then excludes everything)."""
        for node in (self.include, self.exclude):
            if node is not None and node.value is not None:
                return node.value.span
        return self.table

    def key(self) -> Span:
        """The `exclude` key (its fix adds there), else `include`, else the table."""
        for node in (self.exclude, self.include):
            if node is not None:
                return node.part.span
        return self.table


def _report_nothing_matched(ctx: CheckContext, at: _Anchors, include: tuple[str, ...]) -> None:
    span = at.patterns_value()
    if any(_error_inside(d, span) for d in ctx.diagnostics):
        return  # the value itself is wrong (a one-string list, a number): that error says it
    listed = ", ".join(toml_string(p) for p in include)
    ctx.report(
        "no-files-matched",
        span,
        f"No file in {ctx.options.project_dir} matches the include patterns [{listed}] "
        "(after exclude): `cerebrium deploy` stops with “no files found matching include "
        "patterns”. Expected at least one file; check the paths against the project folder "
        f"(a pattern such as src/*.py or src/, relative to cerebrium.toml).{no_files_hint(include)}",
    )


def _error_inside(diagnostic: Diagnostic, span: Span) -> bool:
    inside = span.start <= diagnostic.span.start and diagnostic.span.end <= span.end
    return inside and diagnostic.severity == "error"


def _report_secrets(
    ctx: CheckContext, at: _Anchors, upload: UploadSet, exclude: tuple[str, ...]
) -> None:
    if not upload.secrets:
        return
    secrets = upload.secrets
    listed = ", ".join(f"{s.path} ({s.why})" for s in secrets[:_LISTED])
    more = f" and {len(secrets) - _LISTED} more" if len(secrets) > _LISTED else ""
    patterns = _patterns_to_add([s.pattern for s in secrets], exclude)
    why = (
        ' Root dot-files such as .env are in because `exclude` replaces the default [".*"] '
        "that keeps them out."
        if exclude and any(s.hidden_by_default for s in secrets)
        else ""
    )
    ctx.report(
        "secret-file",
        at.key(),
        f"Files that look like secrets are uploaded with the code: {listed}{more}.{why} "
        "They end up in the build and the image. Expected: credentials kept out of the upload "
        f"and stored as Cerebrium secrets. {_add_hint(patterns)}",
        data={"exclude": patterns} if patterns else None,
    )


def _patterns_to_add(patterns: list[str], exclude: tuple[str, ...]) -> list[str]:
    """The patterns to add to ``exclude`` (the written list, () when the default applies) so
    these files stay out: a new list starts with the default ".*" it replaces."""
    present = set(normalize_patterns(exclude))
    wanted = [] if exclude else [DEFAULT_EXCLUDE]
    for pattern in patterns:
        if pattern and pattern not in wanted and normalize_patterns([pattern])[0] not in present:
            wanted.append(pattern)
    return wanted if any(patterns) else []


def _add_hint(patterns: list[str]) -> str:
    if not patterns:
        return "Add them to `exclude`."
    listed = ", ".join(toml_string(p) for p in patterns)
    return f'Add {listed} to `exclude` (keep ".*" there: a non-empty list replaces the default).'


def _report_dev_folders(
    ctx: CheckContext, at: _Anchors, upload: UploadSet, exclude: tuple[str, ...]
) -> None:
    folders = upload.dev_folders
    if not folders:
        return
    listed = ", ".join(
        f"{f.name}/ ({count(f.files, 'file')}, {format_size(f.size)})" for f in folders
    )
    patterns = _patterns_to_add([f"{f.name}/" for f in folders], exclude)
    ctx.report(
        "dev-folder",
        at.key(),
        f"The upload includes development folders: {listed}. The build does not need them and "
        f"every deploy uploads them again. {_add_hint(patterns)}",
        data={"exclude": patterns} if patterns else None,
    )


def _report_size(ctx: CheckContext, at: _Anchors, upload: UploadSet) -> None:
    walk = upload.walk
    if walk.total_bytes < LARGE_FILE_BYTES:
        return
    ranked = sorted(walk.files, key=lambda f: f.size, reverse=True)
    # The files that make the size: the biggest, and the next ones holding 1% of it or more.
    largest = [f for f in ranked[:_LISTED] if f.size * 100 >= walk.total_bytes] or ranked[:1]
    listed = ", ".join(f"{f.path} ({format_size(f.size)})" for f in largest)
    bound = " at least" if walk.truncated else ""
    ctx.report(
        "upload-size",
        at.key(),
        f"The upload holds{bound} {format_size(walk.total_bytes)} in "
        f"{count(len(walk.files), 'file')}; the largest: {listed}. Every code change uploads "
        "it again; the CLI warns above 1 GB and refuses a zip above 2 GB. Expected: weights and "
        "data in persistent storage (`cerebrium cp`); add them to `exclude`.",
    )
