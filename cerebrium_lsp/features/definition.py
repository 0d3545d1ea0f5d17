"""``textDocument/definition``: on a ``dockerfile_path`` or ``dependencies.paths.*`` value,
go to the file it names (when it exists)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.capabilities import get_capability

from cerebrium_lsp.features.common import FILE_START, guarded, offset_at, project_dir, to_lsp_range
from cerebrium_lsp.features.links import path_values

if TYPE_CHECKING:
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
    for value in path_values(analysis, project_dir(uri)):
        if not value.span.contains(offset):
            continue
        target = value.target.as_uri()
        if get_capability(ls.client_capabilities, "text_document.definition.link_support", False):
            return [
                types.LocationLink(
                    target_uri=target,
                    target_range=FILE_START,
                    target_selection_range=FILE_START,
                    origin_selection_range=to_lsp_range(analysis, value.span),
                )
            ]
        return [types.Location(uri=target, range=FILE_START)]
    return []
