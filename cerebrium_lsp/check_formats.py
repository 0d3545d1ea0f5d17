"""CI output formats of ``cerebrium-lsp check``: GitHub Actions workflow commands and SARIF 2.1.0.

- ``--format github`` prints one workflow command per diagnostic
  (``::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message``), which GitHub Actions
  turns into annotations on the pull request. Escaping follows ``@actions/core``: ``%``, CR and LF
  everywhere, and ``:`` and ``,`` as well inside properties.
- ``--format sarif`` prints a SARIF 2.1.0 log for code scanning (``upload-sarif``): one rule per
  diagnostic code with its documentation, one result per diagnostic, columns in UTF-16 code units
  (SARIF's default ``columnKind``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from cerebrium_lsp import __version__
from cerebrium_lsp.analysis.codes import CODES
from cerebrium_lsp.analysis.diagnostics import Related, Severity

if TYPE_CHECKING:
    from cerebrium_lsp.analysis.diagnostics import Diagnostic
    from cerebrium_lsp.analysis.text import Encoding, LineIndex
    from cerebrium_lsp.check import FileResult

TOOL_NAME = "cerebrium-lsp"
# TODO(lead): the real repository URL (README still says <owner>). SARIF needs an absolute URI
# here; every rule's helpUri points at its anchor in docs/diagnostics.md under it.
REPOSITORY_URL = "https://github.com/cerebrium-lsp/cerebrium-lsp"
DIAGNOSTICS_DOC_URL = f"{REPOSITORY_URL}/blob/main/docs/diagnostics.md"
SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
# Relative artifact URIs are resolved against this base (code scanning: the repository root).
SRCROOT = "%SRCROOT%"

GITHUB_COMMANDS: dict[Severity, str] = {
    "error": "error",
    "warning": "warning",
    "information": "notice",
    "hint": "notice",
}
SARIF_LEVELS: dict[Severity, str] = {
    "error": "error",
    "warning": "warning",
    "information": "note",
    "hint": "note",
}


# --- GitHub Actions workflow commands -------------------------------------------------------


def escape_data(text: str) -> str:
    """A workflow command's message: ``%``, CR and LF percent-encoded (``@actions/core``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: as :func:`escape_data`, plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def default_base() -> Path:
    """Where paths are made relative to: the checkout in GitHub Actions (``GITHUB_WORKSPACE``,
    which annotations and code scanning resolve against), else the working directory."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    return Path(workspace) if workspace else Path.cwd()


def to_github(results: Sequence[FileResult], base: Path | None = None) -> str:
    """One ``::error``/``::warning``/``::notice`` command per diagnostic, with 1-based lines and
    columns (columns in characters). ``col``/``endColumn`` are given only for a one-line range,
    as GitHub ignores them otherwise. Files are relative to ``base`` (default
    :func:`default_base`) when inside it."""
    lines: list[str] = []
    for result in results:
        path = _relative_path(result.path, base)
        index = result.analysis.index
        for d in result.diagnostics:
            (sl, sc), (el, ec) = _range(index, d, "utf-32")
            props = [("file", path), ("line", str(sl + 1))]
            if sl == el:
                # endColumn is the last character covered (inclusive); an empty range marks one.
                props += [("col", str(sc + 1)), ("endLine", str(el + 1))]
                props += [("endColumn", str(max(ec, sc + 1)))]
            else:
                props.append(("endLine", str(el + 1)))
            props.append(("title", _title(d.code)))
            rendered = ",".join(f"{key}={escape_property(value)}" for key, value in props)
            lines.append(f"::{GITHUB_COMMANDS[d.severity]} {rendered}::{escape_data(d.message)}\n")
    return "".join(lines)


def _title(code: str) -> str:
    entry = CODES.get(code)
    return f"{entry.title} ({code})" if entry else code


# --- SARIF 2.1.0 --------------------------------------------------------------------------


def to_sarif(results: Sequence[FileResult], base: Path | None = None) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run: the tool with a rule for every diagnostic code, and one
    result per diagnostic, located by a URI relative to ``base`` (default :func:`default_base`)
    when the file is inside it."""
    base = (base or default_base()).resolve()
    rule_ids = list(CODES)
    extra = sorted({d.code for r in results for d in r.diagnostics} - set(CODES))
    rule_ids += extra
    rule_index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    sarif_results: list[dict[str, Any]] = []
    for result in results:
        location = _artifact_location(result.path, base)
        index = result.analysis.index
        for d in result.diagnostics:
            entry: dict[str, Any] = {
                "ruleId": d.code,
                "ruleIndex": rule_index[d.code],
                "level": SARIF_LEVELS[d.severity],
                "message": {"text": d.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": location,
                            "region": _region(index, d),
                        }
                    }
                ],
            }
            if d.related:
                entry["relatedLocations"] = [
                    {
                        "id": i,
                        "message": {"text": related.message},
                        "physicalLocation": _related_location(related, location, index, base),
                    }
                    for i, related in enumerate(d.related, start=1)
                ]
            sarif_results.append(entry)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": REPOSITORY_URL,
                "rules": [_rule(rule_id) for rule_id in rule_ids],
            }
        },
        "originalUriBaseIds": {SRCROOT: {"uri": base.as_uri().rstrip("/") + "/"}},
        "columnKind": "utf16CodeUnits",
        "results": sarif_results,
    }
    return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def _rule(code: str) -> dict[str, Any]:
    entry = CODES.get(code)
    if entry is None:
        return {
            "id": code,
            "shortDescription": {"text": code},
            "defaultConfiguration": {"level": "error"},
        }
    return {
        "id": entry.name,
        "name": "".join(part.capitalize() for part in entry.name.split("-")),
        "shortDescription": {"text": entry.title},
        "fullDescription": {"text": entry.explanation},
        "help": {
            "text": f"{entry.explanation}\n\nBad:\n{entry.bad}\n\nFixed:\n{entry.fixed}",
            "markdown": f"{entry.explanation}\n\nBad:\n\n```toml\n{entry.bad}\n```\n\n"
            f"Fixed:\n\n```toml\n{entry.fixed}\n```",
        },
        "helpUri": f"{DIAGNOSTICS_DOC_URL}#{entry.name}",
        "defaultConfiguration": {"level": SARIF_LEVELS[entry.severity]},
    }


def _region(index: LineIndex, d: Diagnostic) -> dict[str, int]:
    return _sarif_region(_range(index, d, "utf-16"))


def _sarif_region(rng: tuple[tuple[int, int], tuple[int, int]]) -> dict[str, int]:
    """1-based lines and columns; ``endColumn`` is the column just after the region, so an
    empty range (``endColumn == startColumn``) is an insertion point."""
    (sl, sc), (el, ec) = rng
    return {"startLine": sl + 1, "startColumn": sc + 1, "endLine": el + 1, "endColumn": ec + 1}


def _related_location(
    related: Related, location: dict[str, Any], index: LineIndex, base: Path
) -> dict[str, Any]:
    """In the checked file, or in another project file (a Dockerfile line)."""
    if related.location is None:
        region = _sarif_region(index.range(related.span, "utf-16"))
        return {"artifactLocation": location, "region": region}
    where = related.location.lsp_range("utf-16")
    start, end = where["start"], where["end"]
    region = _sarif_region(((start["line"], start["character"]), (end["line"], end["character"])))
    return {"artifactLocation": _artifact_location(related.location.path, base), "region": region}


def _artifact_location(path: Path, base: Path) -> dict[str, Any]:
    resolved = path.resolve()
    try:
        relative = resolved.relative_to(base)
    except ValueError:
        return {"uri": resolved.as_uri()}
    return {"uri": quote(relative.as_posix()), "uriBaseId": SRCROOT}


# --- shared -------------------------------------------------------------------------------


def _range(
    index: LineIndex, d: Diagnostic, encoding: Encoding
) -> tuple[tuple[int, int], tuple[int, int]]:
    return index.range(d.span, encoding)


def _relative_path(path: Path, base: Path | None) -> str:
    """``path`` relative to ``base`` (default :func:`default_base`) when inside it, with
    forward slashes; GitHub resolves annotation files against the workspace root."""
    root = (base or default_base()).resolve()
    resolved = path.resolve()
    try:
        return resolved.relative_to(root).as_posix()
    except ValueError:
        return resolved.as_posix()
