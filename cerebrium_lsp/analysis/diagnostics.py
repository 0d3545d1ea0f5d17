"""The diagnostic record every check produces, and its LSP JSON form.

Severity policy (docs/diagnostics.md): **error** = the Cerebrium CLI or backend rejects it;
**warning** = accepted but almost certainly not what the user meant; **information** = worth
knowing; **hint** = a suggestion.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from cerebrium_lsp.analysis.text import Encoding, LineIndex
from cerebrium_lsp.analysis.tree import Span

Severity = Literal["error", "warning", "information", "hint"]
Tag = Literal["unnecessary", "deprecated"]

SOURCE = "cerebrium"
SEVERITY_NUMBERS: dict[Severity, int] = {"error": 1, "warning": 2, "information": 3, "hint": 4}
TAG_NUMBERS: dict[Tag, int] = {"unnecessary": 1, "deprecated": 2}


@dataclass(frozen=True, slots=True)
class FileLocation:
    """A place in another file of the project (a Dockerfile line): 0-based line, code-point
    columns, and the line's text to express them in the negotiated encoding."""

    path: Path
    line: int
    start: int
    end: int
    line_text: str

    def lsp_range(self, encoding: Encoding = "utf-16") -> dict[str, Any]:
        (_, sc), (_, ec) = LineIndex(self.line_text).range(Span(self.start, self.end), encoding)
        return {
            "start": {"line": self.line, "character": sc},
            "end": {"line": self.line, "character": ec},
        }


@dataclass(slots=True)
class Related:
    span: Span
    message: str
    location: FileLocation | None = None  # in another file; ``span`` is then unused


@dataclass(slots=True)
class Diagnostic:
    span: Span
    severity: Severity
    code: str
    message: str
    related: list[Related] = field(default_factory=list)
    tags: tuple[Tag, ...] = ()
    # Machine-readable facts for quick fixes (e.g. {"replacement": "AMPERE_A10"}); JSON-safe.
    data: dict[str, Any] | None = None

    def to_lsp(self, index: LineIndex, uri: str, encoding: Encoding = "utf-16") -> dict[str, Any]:
        """The LSP ``Diagnostic`` JSON object (0-based lines, characters in ``encoding``)."""
        out: dict[str, Any] = {
            "range": lsp_range(index, self.span, encoding),
            "severity": SEVERITY_NUMBERS[self.severity],
            "code": self.code,
            "source": SOURCE,
            "message": self.message,
        }
        if self.tags:
            out["tags"] = [TAG_NUMBERS[t] for t in self.tags]
        if self.related:
            out["relatedInformation"] = [
                {
                    "location": (
                        {"uri": r.location.path.as_uri(), "range": r.location.lsp_range(encoding)}
                        if r.location is not None
                        else {"uri": uri, "range": lsp_range(index, r.span, encoding)}
                    ),
                    "message": r.message,
                }
                for r in self.related
            ]
        if self.data is not None:
            out["data"] = self.data
        return out


def lsp_range(index: LineIndex, span: Span, encoding: Encoding = "utf-16") -> dict[str, Any]:
    (sl, sc), (el, ec) = index.range(span, encoding)
    return {"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}}
