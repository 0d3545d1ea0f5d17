"""``cerebrium-lsp plan [FILE] [--format markdown|json|dockerfile] [--diff REV]``.

Prints the build plan of a ``cerebrium.toml`` (FILE may also be the folder that holds it), or
with ``--diff REV`` the rebuild impact of the file compared with its version at git ``REV``.
Problems with the command line or the file are one line on stderr and exit code 2, never a
traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from cerebrium_lsp.analysis.engine import AnalysisOptions, analyze
from cerebrium_lsp.config_files import decode
from cerebrium_lsp.plan.baseline import git_baseline, valid_revision
from cerebrium_lsp.plan.build import build_plan
from cerebrium_lsp.plan.impact import rebuild_impact
from cerebrium_lsp.plan.render import (
    impact_to_json,
    impact_to_markdown,
    to_dockerfile,
    to_json,
    to_markdown,
)

__all__ = ["DEFAULT_FILE", "FORMATS", "run_plan"]

DEFAULT_FILE = "cerebrium.toml"
FORMATS = ("markdown", "json", "dockerfile")
EXIT_OK = 0
EXIT_USAGE = 2


class _UsageError(Exception):
    """Reported as one line on stderr with exit code 2."""


def run_plan(file: str, output_format: str, diff_rev: str | None) -> int:
    """Run the ``plan`` command; returns the exit code."""
    try:
        _check_arguments(output_format, diff_rev)
        path = _config_path(file)
        text = _read(path)
        if diff_rev is not None:
            output = _impact(path, text, diff_rev, output_format)
        else:
            output = _plan(path, text, output_format)
    except _UsageError as error:
        print(f"cerebrium-lsp plan: {error}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as error:  # never a traceback for user input
        print(f"cerebrium-lsp plan: internal error: {error!r}", file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(output)
    return EXIT_OK


def _check_arguments(output_format: str, diff_rev: str | None) -> None:
    if output_format not in FORMATS:
        raise _UsageError(f"unknown format {output_format!r}: use one of {', '.join(FORMATS)}")
    if diff_rev is None:
        return
    if output_format == "dockerfile":
        raise _UsageError("--diff prints the rebuild impact: use --format markdown or json")
    if not valid_revision(diff_rev):
        raise _UsageError(f"--diff {diff_rev!r}: not a git revision name")


def _config_path(file: str) -> Path:
    path = Path(file or DEFAULT_FILE)
    if path.is_dir():
        path = path / DEFAULT_FILE
    if not path.exists():
        raise _UsageError(f"{path}: no such file")
    if not path.is_file():
        raise _UsageError(f"{path}: not a file")
    return path


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _UsageError(f"{path}: cannot read: {error.strerror or error}") from error
    text, _problems = decode(data)  # invalid UTF-8 is reported by `check`; the plan goes on
    return text


def _plan(path: Path, text: str, output_format: str) -> str:
    project = path.resolve().parent
    analysis = analyze(text, AnalysisOptions(project_dir=project))
    plan = build_plan(analysis, project, config_name=path.name)
    if output_format == "json":
        return json.dumps(to_json(plan), indent=2, ensure_ascii=False) + "\n"
    if output_format == "dockerfile":
        return to_dockerfile(plan)
    return to_markdown(plan)


def _impact(path: Path, text: str, rev: str, output_format: str) -> str:
    baseline = git_baseline(path, rev)
    if baseline is None:
        print(
            f"cerebrium-lsp plan: {path} is not in git at {rev} (or git is unavailable): "
            "nothing to compare with",
            file=sys.stderr,
        )
    impact = rebuild_impact(baseline, text)
    label = f"git {rev}" if baseline is not None else ""
    if output_format == "json":
        return json.dumps(impact_to_json(impact, label), indent=2, ensure_ascii=False) + "\n"
    return impact_to_markdown(impact, label)
