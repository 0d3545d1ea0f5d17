"""``textDocument/definition``: on a ``dockerfile_path`` or ``dependencies.paths.*`` value,
go to the file it names (when it exists); on the entrypoint's ``main:app``, go to ``main.py``
(from ``main``) or to the line that defines ``app`` (from ``app``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.capabilities import get_capability

from cerebrium_lsp.analysis.checks.context import subtable
from cerebrium_lsp.analysis.checks.entrypoint import locate_target
from cerebrium_lsp.analysis.diagnostics import FileLocation
from cerebrium_lsp.features.common import (
    FILE_START,
    guarded,
    offset_at,
    position_encoding,
    project_dir,
    to_lsp_range,
)
from cerebrium_lsp.features.links import path_values

if TYPE_CHECKING:
    from pathlib import Path

    from cerebrium_lsp.analysis.engine import Analysis
    from cerebrium_lsp.analysis.python_names import Definition
    from cerebrium_lsp.analysis.tree import Span
    from cerebrium_lsp.server import CerebriumLanguageServer


def register(server: CerebriumLanguageServer) -> None:
    server.feature(types.TEXT_DOCUMENT_DEFINITION)(definition)


@guarded("definition", list)
def definition(
    ls: CerebriumLanguageServer, params: types.DefinitionParams
) -> list[types.Location] | list[types.LocationLink]:
    uri = params.text_document.uri
    analysis = ls.analysis_for(uri)
    if analysis is None:
        return []
    offset = offset_at(analysis, params.position)
    project = project_dir(uri)
    for value in path_values(analysis, project):
        if value.span.contains(offset):
            return _answer(ls, analysis, value.span, value.target, FILE_START)
    cerebrium = subtable(analysis.document.root, "cerebrium")
    if project is not None and cerebrium is not None:
        found = locate_target(cerebrium, project, offset)
        if found is not None:
            where = FILE_START if found.definition is None else _range(found.path, found.definition)
            return _answer(ls, analysis, found.origin, found.path, where)
    return []


def _answer(
    ls: CerebriumLanguageServer, analysis: Analysis, origin: Span, target: Path, at: types.Range
) -> list[types.Location] | list[types.LocationLink]:
    uri = target.as_uri()
    if get_capability(ls.client_capabilities, "text_document.definition.link_support", False):
        return [
            types.LocationLink(
                target_uri=uri,
                target_range=at,
                target_selection_range=at,
                origin_selection_range=to_lsp_range(analysis, origin),
            )
        ]
    return [types.Location(uri=uri, range=at)]


def _range(path: Path, where: Definition) -> types.Range:
    """A definition's range in the negotiated encoding (its columns are code points)."""
    location = FileLocation(path, where.line, where.start, where.end, where.line_text)
    lsp = location.lsp_range(position_encoding())
    return types.Range(start=types.Position(**lsp["start"]), end=types.Position(**lsp["end"]))
