"""Code actions: quick fixes for our diagnostics, "fix all" and "Preview build plan".

LSP method: ``textDocument/codeAction``.

* ``quickfix``: the fixes of :mod:`cerebrium_lsp.analysis.fixes` for each diagnostic in the
  request's context that matches (by code and range) one of the current analysis; the fix is
  computed from our diagnostic, never from what the client sent.
* ``source.fixAll.cerebrium`` (so also ``source.fixAll``): every safe fix at once, offered when
  there is one.
* ``source``: "Preview build plan", which runs ``cerebrium.showBuildPlan`` with the document URI;
  offered anywhere in the file, syntax errors included.

``context.only`` selects kinds hierarchically (``source`` includes ``source.fixAll.cerebrium``).
Edits use the negotiated position encoding and ``documentChanges`` (with the document version)
when the client supports them. A client without code-action literals gets the preview as a
plain ``Command``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.capabilities import get_capability

from cerebrium_lsp.features.build_plan import SHOW_BUILD_PLAN
from cerebrium_lsp.features.common import guarded, project_dir, to_lsp_range
from cerebrium_lsp.features.diagnostics import lsp_diagnostics

if TYPE_CHECKING:
    from cerebrium_lsp.analysis.engine import Analysis
    from cerebrium_lsp.analysis.fixes import Fix, TextEdit
    from cerebrium_lsp.server import CerebriumLanguageServer

FIX_ALL = "source.fixAll.cerebrium"
PREVIEW_TITLE = "Preview build plan"
KINDS: list[types.CodeActionKind | str] = [
    types.CodeActionKind.QuickFix,
    types.CodeActionKind.Source,
    types.CodeActionKind.SourceFixAll,
    FIX_ALL,
]

Action = types.CodeAction | types.Command


def register(server: CerebriumLanguageServer) -> None:
    server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=KINDS, resolve_provider=False),
    )(code_action)


def wanted(kind: str, only: Sequence[types.CodeActionKind | str] | None) -> bool:
    """True when ``kind`` is asked for: no ``only``, or ``kind`` is one of its kinds or below
    one (``source.fixAll.cerebrium`` is below ``source.fixAll`` and ``source``)."""
    if not only:
        return True
    for requested in only:
        base = requested.value if isinstance(requested, types.CodeActionKind) else requested
        if kind == base or kind.startswith(base + "."):
            return True
    return False


@guarded("code actions", list)
def code_action(ls: CerebriumLanguageServer, params: types.CodeActionParams) -> list[Action]:
    uri = params.text_document.uri
    doc = ls.document(uri)
    analysis = ls.analysis_for(uri)
    if doc is None or analysis is None:
        return []
    preview = types.Command(title=PREVIEW_TITLE, command=SHOW_BUILD_PLAN, arguments=[uri])
    only = params.context.only
    if not get_capability(
        ls.client_capabilities, "text_document.code_action.code_action_literal_support"
    ):
        return [preview] if wanted(types.CodeActionKind.Source.value, only) else []
    edits = _EditBuilder(ls, analysis, uri, doc.version)
    actions: list[Action] = []
    if wanted(types.CodeActionKind.QuickFix.value, only):
        actions.extend(_quick_fixes(ls, analysis, uri, params.context.diagnostics, edits))
    if wanted(FIX_ALL, only):
        actions.extend(_fix_all(ls, analysis, uri, edits))
    if wanted(types.CodeActionKind.Source.value, only):
        actions.append(
            types.CodeAction(title=PREVIEW_TITLE, kind=types.CodeActionKind.Source, command=preview)
        )
    return actions


def _quick_fixes(
    ls: CerebriumLanguageServer,
    analysis: Analysis,
    uri: str,
    sent: Sequence[types.Diagnostic],
    edits: _EditBuilder,
) -> list[Action]:
    from cerebrium_lsp.analysis.fixes import fixes_for

    ours = list(zip(analysis.diagnostics, lsp_diagnostics(ls, uri) or [], strict=False))
    folder = project_dir(uri)
    actions: list[Action] = []
    done: set[int] = set()
    for diagnostic in sent:
        for index, (found, lsp) in enumerate(ours):
            if index in done or lsp.code != diagnostic.code or lsp.range != diagnostic.range:
                continue
            done.add(index)
            for fix in fixes_for(analysis, found, folder):
                actions.append(
                    types.CodeAction(
                        title=fix.title,
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[lsp],
                        is_preferred=fix.preferred,
                        edit=edits.workspace_edit(fix.edits),
                    )
                )
            break
    return actions


def _fix_all(
    ls: CerebriumLanguageServer, analysis: Analysis, uri: str, edits: _EditBuilder
) -> list[Action]:
    from cerebrium_lsp.analysis.fixes import safe_fixes

    fixes: list[Fix] = safe_fixes(analysis, project_dir(uri))
    if not fixes:
        return []
    fixed = {id(f.diagnostic) for f in fixes}
    published = lsp_diagnostics(ls, uri) or []
    diagnostics = [
        lsp
        for found, lsp in zip(analysis.diagnostics, published, strict=False)
        if id(found) in fixed
    ]
    count = len(fixes)
    return [
        types.CodeAction(
            title=f"Apply all safe fixes ({count} problem{'s' if count != 1 else ''})",
            kind=FIX_ALL,
            diagnostics=diagnostics,
            edit=edits.workspace_edit([e for fix in fixes for e in fix.edits]),
        )
    ]


class _EditBuilder:
    """Fix edits as a ``WorkspaceEdit`` for this client and document version."""

    def __init__(
        self, ls: CerebriumLanguageServer, analysis: Analysis, uri: str, version: int | None
    ) -> None:
        self._analysis = analysis
        self._uri = uri
        self._version = version
        self._encoding = ls.position_encoding
        self._document_changes = bool(
            get_capability(ls.client_capabilities, "workspace.workspace_edit.document_changes")
        )

    def workspace_edit(self, edits: Sequence[TextEdit]) -> types.WorkspaceEdit:
        text_edits = [
            types.TextEdit(
                range=to_lsp_range(self._analysis, e.span, self._encoding), new_text=e.new_text
            )
            for e in sorted(edits, key=lambda e: (e.span.start, e.span.end))
        ]
        if self._document_changes:
            identifier = types.OptionalVersionedTextDocumentIdentifier(
                uri=self._uri, version=self._version
            )
            return types.WorkspaceEdit(
                document_changes=[
                    types.TextDocumentEdit(text_document=identifier, edits=text_edits)
                ]
            )
        return types.WorkspaceEdit(changes={self._uri: text_edits})
