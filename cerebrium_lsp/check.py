"""``cerebrium-lsp check``: analyse files on disk and print the diagnostics the server publishes."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO, cast, get_args

from cerebrium_lsp.analysis.diagnostics import SEVERITY_NUMBERS, Diagnostic, Severity
from cerebrium_lsp.analysis.engine import Analysis, analyze
from cerebrium_lsp.analysis.options import AnalysisOptions, SeverityOverride
from cerebrium_lsp.config_files import CONFIG_NAME, decode, find_configs


@dataclass(slots=True)
class FileResult:
    path: Path
    analysis: Analysis
    diagnostics: list[Diagnostic]


class UsageError(Exception):
    """A problem with the command line or a path: reported with exit code 2."""


def check_file(path: Path, options: AnalysisOptions, *, fix: bool = False) -> FileResult:
    try:
        data = path.read_bytes()
    except IsADirectoryError as error:
        raise UsageError(f"{path}: is a directory") from error
    except FileNotFoundError as error:
        raise UsageError(f"{path}: no such file") from error
    except OSError as error:
        raise UsageError(f"{path}: cannot read: {error.strerror}") from error
    text, decode_errors = decode(data)
    project = AnalysisOptions(
        # The folder as named, symlinks kept: the CLI deploys from the folder you are in, and the
        # server uses the editor's path the same way.
        project_dir=path.absolute().parent,
        file_checks=options.file_checks,
        severity_overrides=options.severity_overrides,
    )
    analysis = analyze(text, project)
    if fix and not decode_errors:
        analysis = _fix_on_disk(path, data, analysis, project)
    diagnostics = sorted(
        [*decode_errors, *analysis.diagnostics], key=lambda d: (d.span.start, d.span.end)
    )
    return FileResult(path, analysis, diagnostics)


def _fix_on_disk(path: Path, data: bytes, analysis: Analysis, options: AnalysisOptions) -> Analysis:
    """Apply every safe fix, write the file back (keeping a BOM), and analyse the result."""
    from cerebrium_lsp.analysis.fixes import fix_all_text, safe_fixes

    applied = len(safe_fixes(analysis, options.project_dir))
    fixed = fix_all_text(analysis, options.project_dir)
    if fixed == analysis.text:
        return analysis
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    try:
        temporary = path.with_name(f".{path.name}.cerebrium-lsp-fix")
        temporary.write_bytes(bom + fixed.encode("utf-8"))
        temporary.replace(path)
    except OSError as error:
        raise UsageError(f"{path}: cannot write the fixes: {error.strerror}") from error
    print(f"{path}: applied {applied} fix{'es' if applied != 1 else ''}", file=sys.stderr)
    return analyze(fixed, options)


def _collect(paths: Sequence[str]) -> list[Path]:
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(find_configs(path))
        elif path.exists():
            found.append(path)
        else:
            raise UsageError(f"{raw}: no such file or directory")
    return found


def _parse_overrides(args: Sequence[str]) -> dict[str, SeverityOverride]:
    allowed = set(get_args(Severity)) | {"off"}
    overrides: dict[str, SeverityOverride] = {}
    for arg in args:
        code, sep, level = arg.partition("=")
        if not sep or level not in allowed:
            raise UsageError(
                f"--severity {arg}: expected CODE=LEVEL with LEVEL one of {', '.join(sorted(allowed))}"
            )
        overrides[code] = cast(SeverityOverride, level)
    return overrides


def _print_text(results: list[FileResult], out: TextIO) -> None:
    for result in results:
        index = result.analysis.index
        for d in result.diagnostics:
            line, column = index.position(d.span.start, "utf-32")
            out.write(
                f"{result.path}:{line + 1}:{column + 1}: {d.severity} [{d.code}] {d.message}\n"
            )
    counts = {
        s: sum(1 for r in results for d in r.diagnostics if d.severity == s)
        for s in SEVERITY_NUMBERS
    }
    noun = "file" if len(results) == 1 else "files"
    out.write(
        f"{len(results)} {noun} checked: {counts['error']} errors, {counts['warning']} warnings, "
        f"{counts['information'] + counts['hint']} notes\n"
    )


def to_json(results: list[FileResult]) -> dict[str, Any]:
    files = []
    for result in results:
        uri = result.path.resolve().as_uri()
        index = result.analysis.index
        files.append(
            {
                "path": str(result.path),
                "diagnostics": [d.to_lsp(index, uri) for d in result.diagnostics],
            }
        )
    return {"files": files}


def run_check(
    paths: Sequence[str],
    *,
    output_format: str = "text",
    fail_on: str = "error",
    file_checks: bool = True,
    severity_args: Sequence[str] = (),
    fix: bool = False,
    out: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    try:
        options = AnalysisOptions(
            file_checks=file_checks, severity_overrides=_parse_overrides(severity_args)
        )
        configs = _collect(paths)
        results = [check_file(path, options, fix=fix) for path in configs]
    except UsageError as error:
        print(f"cerebrium-lsp check: {error}", file=sys.stderr)
        return 2
    if not configs:
        print(f"cerebrium-lsp check: no {CONFIG_NAME} found in {', '.join(paths)}", file=sys.stderr)
    if output_format == "json":
        json.dump(to_json(results), out, indent=2, ensure_ascii=False)
        out.write("\n")
    elif output_format == "github":
        from cerebrium_lsp.check_formats import to_github

        out.write(to_github(results))
    elif output_format == "sarif":
        from cerebrium_lsp.check_formats import to_sarif

        json.dump(to_sarif(results), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        _print_text(results, out)
    failing = {"error"} if fail_on == "error" else {"error", "warning"}
    return 1 if any(d.severity in failing for r in results for d in r.diagnostics) else 0
