"""Code lenses on the first line of ``cerebrium.toml``: "Preview build plan" and the rebuild
impact of the edits since the baseline (git ``HEAD``, else the last save).

LSP method: ``textDocument/codeLens``. The lenses run ``cerebrium.showBuildPlan`` and
``cerebrium.showRebuildImpact`` (see :mod:`.build_plan`, which also asks the client to refresh
lenses after a save, when the baseline changes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from cerebrium_lsp.features.build_plan import (
    SHOW_BUILD_PLAN,
    SHOW_REBUILD_IMPACT,
    impact_for,
    impact_title,
)
from cerebrium_lsp.features.common import FILE_START, guarded

if TYPE_CHECKING:
    from cerebrium_lsp.server import CerebriumLanguageServer

PREVIEW_TITLE = "Preview build plan"


def register(server: CerebriumLanguageServer) -> None:
    server.feature(types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=False))(
        code_lens
    )


@guarded("code lens", list)
async def code_lens(
    ls: CerebriumLanguageServer, params: types.CodeLensParams
) -> list[types.CodeLens]:
    uri = params.text_document.uri
    if ls.document(uri) is None or not ls.serves(uri):
        return []
    lenses = [
        types.CodeLens(
            range=FILE_START,
            command=types.Command(title=PREVIEW_TITLE, command=SHOW_BUILD_PLAN, arguments=[uri]),
        )
    ]
    rebuild = await impact_for(ls, uri)
    if rebuild is not None:
        lenses.append(
            types.CodeLens(
                range=FILE_START,
                command=types.Command(
                    title=impact_title(rebuild), command=SHOW_REBUILD_IMPACT, arguments=[uri]
                ),
            )
        )
    return lenses
