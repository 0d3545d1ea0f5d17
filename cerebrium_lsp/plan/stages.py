"""The code-copy stage (the upload) and the warnings about package files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from cerebrium_lsp.analysis.project_files import (
    LARGE_FILE_BYTES,
    WALK_LIMIT,
    count,
    default_patterns,
    format_size,
)
from cerebrium_lsp.analysis.requirements import Manager, render_requirement, rendering_note
from cerebrium_lsp.analysis.upload_set import (
    UploadSet,
    no_files_hint,
    nothing_matched,
    upload_set,
)
from cerebrium_lsp.model.types import Stage
from cerebrium_lsp.plan.model import BuildFile, CodeStage, PlanMode, PlanWarning
from cerebrium_lsp.plan.settings import Settings

__all__ = ["UPLOAD_WARNING_BYTES", "code_stage", "package_warnings"]

UPLOAD_WARNING_BYTES = 1024**3  # the CLI warns when the zip exceeds 1 GB (zipper.go)
_LISTED_LARGE_FILES = 5


def code_stage(
    settings: Settings,
    mode: PlanMode,
    project_dir: Path | None,
    config_name: str,
    warnings: list[PlanWarning],
) -> CodeStage:
    include = settings.include or default_patterns("include")
    exclude = settings.exclude or default_patterns("exclude")
    upload: UploadSet | None = None
    if mode == "partner":
        note = "nothing is uploaded: a partner service runs its own image"
    elif project_dir is None:
        note = "files not listed: no project folder"
    else:
        upload = upload_set(project_dir, include, exclude, config_name)
        warnings.extend(_walk_warnings(upload, include))
        note = "the upload is the Dockerfile's build context" if mode == "dockerfile" else ""
    walk = upload.walk if upload is not None else None
    return CodeStage(
        applies=mode != "partner",
        note=note,
        include=include,
        include_default=settings.include is None,
        exclude=exclude,
        exclude_default=settings.exclude is None,
        walked=walk is not None,
        files=tuple(walk.files) if walk else (),
        total_bytes=walk.total_bytes if walk else 0,
        config_added=walk.config_added if walk else False,
        truncated=walk.truncated if walk else False,
        skipped=tuple(walk.skipped) if walk else (),
    )


def _walk_warnings(upload: UploadSet, include: tuple[str, ...]) -> Iterator[PlanWarning]:
    code = Stage.CODE
    walk = upload.walk
    if nothing_matched(walk):
        yield PlanWarning(
            "no-files-matched",
            "No file matches the include patterns (after exclude): the CLI stops with "
            f'"no files found matching include patterns".{no_files_hint(include)}',
            code,
        )
    if upload.secrets:
        listed = ", ".join(f"{s.path} ({s.why})" for s in upload.secrets)
        yield PlanWarning(
            "secret-file",
            f"Files that look like secrets are uploaded: {listed}. Add them to exclude (and "
            'keep ".*" there, since a list replaces the default).',
            code,
        )
    for folder in upload.dev_folders:
        yield PlanWarning(
            "dev-folder",
            f"The upload includes {folder.name}/ ({count(folder.files, 'file')}, "
            f'{format_size(folder.size)}): add "{folder.name}/" to exclude (and keep ".*" there, '
            "since a list replaces the default).",
            code,
        )
    large = [f for f in walk.files if f.size >= LARGE_FILE_BYTES]
    if large:
        listed = ", ".join(f"{f.path} ({format_size(f.size)})" for f in large[:_LISTED_LARGE_FILES])
        more = (
            f" and {len(large) - _LISTED_LARGE_FILES} more"
            if len(large) > _LISTED_LARGE_FILES
            else ""
        )
        yield PlanWarning(
            "large-file",
            f"Large files are uploaded with the code: {listed}{more}. Every code change uploads "
            "them again; exclude them and put them in persistent storage (`cerebrium cp`).",
            code,
        )
    if walk.total_bytes > UPLOAD_WARNING_BYTES:
        yield PlanWarning(
            "upload-size",
            f"The upload holds {format_size(walk.total_bytes)} before compression: the CLI warns "
            "above 1 GB and refuses a zip above 2 GB (use `cerebrium cp` for large files).",
            code,
        )
    if walk.truncated:
        yield PlanWarning(
            "walk-truncated",
            f"Stopped after {WALK_LIMIT:,} files and folders: the file count and size are a lower "
            "bound.",
            code,
        )
    for skipped in walk.skipped:
        yield PlanWarning("file-skipped", f"{skipped.path}: {skipped.reason}.", code)


def package_warnings(
    manager: Manager, stage: Stage, settings: Settings, file: BuildFile | None
) -> Iterator[PlanWarning]:
    """Problems with one package stage: conflicting or unreadable files, entries the CLI
    cannot decode, and lines that are not what the author meant."""
    table = settings.dependencies[manager]
    path = settings.dependency_paths.get(manager)
    if path is not None and table.entries:
        yield PlanWarning(
            "dependency-conflict",
            f"Both dependencies.paths.{manager} and [cerebrium.dependencies.{manager}] are set: "
            "the CLI stops when it packages the upload. Keep one of them.",
            stage,
        )
    if path is not None and file is not None and file.content is None:
        message = f"dependencies.paths.{manager} = {path}: {file.note}."
        yield PlanWarning("dependency-file", message, stage)
    if table.undecodable:
        names = ", ".join(table.undecodable)
        yield PlanWarning(
            "dependency-undecodable",
            f"[cerebrium.dependencies.{manager}] {names}: a table or array where a version string "
            "belongs; the CLI cannot decode it and stops. Quote dotted package names, e.g. "
            '"libglib2.0-0" = "latest".',
            stage,
        )
    if path is not None:
        return
    for name, value in table.entries:
        note = rendering_note(name, value, manager)
        if note:
            yield PlanWarning(
                "dependency-line", f"{manager}: `{render_requirement(name, value)}`: {note}.", stage
            )
