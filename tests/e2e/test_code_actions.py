"""``textDocument/codeAction`` end to end, for the VS Code, Neovim and Emacs profiles: the exact
actions for a file with several mistakes, quick-fix edits applied to the text, ``source.fixAll``,
``context.only`` filtering, files with syntax errors, and edits in UTF-8 columns.

One server per profile serves the module (each test opens its own document), as in
``test_hover.py``.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import AsyncIterator, Sequence
from typing import Any

import attrs
import pytest
import pytest_lsp
from e2e_support import (
    PROFILES,
    SERVER_COMMAND,
    WORKSPACE,
    RecordingClient,
    as_json,
    diagnostics_for,
    doc_id,
    initialize_params,
    make_client,
    open_document,
    rng,
    shutdown,
)
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

pytestmark = [pytest.mark.timeout(30), pytest.mark.asyncio(loop_scope="module")]


def make_action_client() -> RecordingClient:
    """The shared test client, reading ``(Command | CodeAction)[]`` as editors do: lsprotocol's
    hook takes any object with a ``command`` field for a ``Command``, so a ``CodeAction`` that
    carries one would come back mangled (editors test whether ``command`` is a string)."""
    client = make_client()
    converter = client.protocol._converter

    def structure(obj: Any, _: type) -> types.Command | types.CodeAction:
        if isinstance(obj.get("command"), str):
            return converter.structure(obj, types.Command)
        return converter.structure(obj, types.CodeAction)

    converter.register_structure_hook(types.Command | types.CodeAction, structure)
    return client


CONFIG = ClientServerConfig(server_command=SERVER_COMMAND, client_factory=make_action_client)


@pytest_lsp.fixture(config=CONFIG, params=PROFILES, scope="module")
async def client(request: Any, lsp_client: LanguageClient) -> AsyncIterator[None]:
    assert isinstance(lsp_client, RecordingClient)
    lsp_client.initialize_result = await lsp_client.initialize_session(
        initialize_params(client_capabilities(request.param))
    )
    yield
    await shutdown(lsp_client)


@contextlib.asynccontextmanager
async def session(capabilities: types.ClientCapabilities) -> AsyncIterator[RecordingClient]:
    client = await CONFIG.start()
    assert isinstance(client, RecordingClient)
    try:
        client.initialize_result = await client.initialize_session(initialize_params(capabilities))
        yield client
    finally:
        try:
            await shutdown(client)
        finally:
            await client.stop()


_documents = itertools.count()


def fresh_uri(name: str = "actions") -> str:
    """A document of its own for each test (no main.py in its folder: one more error)."""
    return (WORKSPACE / f"{name}-{next(_documents)}" / "cerebrium.toml").as_uri()


MISTAKES = """\
# Demo app
[cerebrium.deployment]
name = "demo"
python_version = "3.9"

[cerebrium.hardware]
compute = "AMPERE_A1O"
cpus = 2
gpu_count = "1"

[cerebrium.scaling]
min_replicas = 0
evaluation_interval = 30
"""
# (title, kind, isPreferred) in order: quick fixes by diagnostic, fix all, preview.
QUICK_FIXES = [
    ('Use Python "3.13"', "quickfix", True),
    ('Change to "AMPERE_A10"', "quickfix", True),
    ("Rename `cpus` to `cpu`", "quickfix", True),
    ("Replace with 1", "quickfix", True),
    ("Rename `evaluation_interval` to `evaluation_interval_seconds`", "quickfix", True),
    ("Remove the legacy key `evaluation_interval`", "quickfix", False),
]
FIX_ALL = ("Apply all safe fixes (4 problems)", "source.fixAll.cerebrium", None)
PREVIEW = ("Preview build plan", "source", None)
FIXED_ALL = """\
# Demo app
[cerebrium.deployment]
name = "demo"
python_version = "3.9"

[cerebrium.hardware]
compute = "AMPERE_A10"
cpu = 2
gpu_count = 1

[cerebrium.scaling]
min_replicas = 0
evaluation_interval_seconds = 30
"""
WHOLE_FILE = rng(0, 0, 13, 0)


# --- helpers ---------------------------------------------------------------------------------


async def code_actions(
    client: RecordingClient,
    uri: str,
    diagnostics: Sequence[types.Diagnostic],
    only: list[str] | None = None,
    range_: types.Range = WHOLE_FILE,
) -> list[types.CodeAction | types.Command]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc_id(uri),
            range=range_,
            context=types.CodeActionContext(diagnostics=list(diagnostics), only=only),
        )
    )
    return list(result or [])


def summary(actions: Sequence[types.CodeAction | types.Command]) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for action in actions:
        assert isinstance(action, types.CodeAction), action
        kind = action.kind.value if isinstance(action.kind, types.CodeActionKind) else action.kind
        out.append((action.title, kind, action.is_preferred))
    return out


def offset(text: str, position: types.Position) -> int:
    """Offset of an LSP position given in UTF-16 code units."""
    lines = text.splitlines(keepends=True)
    start = sum(len(line) for line in lines[: position.line])
    line = lines[position.line] if position.line < len(lines) else ""
    units = 0
    for index, char in enumerate(line):
        if units >= position.character:
            return start + index
        units += 2 if ord(char) > 0xFFFF else 1
    return start + len(line)


def edits_of(
    client: RecordingClient, uri: str, edit: types.WorkspaceEdit | None
) -> list[types.TextEdit]:
    """The edits of ``uri``, checking the shape the client asked for (``documentChanges`` with
    the document version, else ``changes``)."""
    assert edit is not None
    caps = client.capabilities
    document_changes = bool(
        caps
        and caps.workspace
        and caps.workspace.workspace_edit
        and caps.workspace.workspace_edit.document_changes
    )
    if document_changes:
        assert edit.changes is None
        [change] = edit.document_changes or []
        assert isinstance(change, types.TextDocumentEdit)
        assert change.text_document.uri == uri
        assert change.text_document.version == 1
        return [e for e in change.edits if isinstance(e, types.TextEdit)]
    assert edit.document_changes is None
    assert edit.changes is not None and set(edit.changes) == {uri}
    return list(edit.changes[uri])


def apply(text: str, edits: Sequence[types.TextEdit]) -> str:
    spans = [(offset(text, e.range.start), offset(text, e.range.end), e.new_text) for e in edits]
    for start, end, new_text in sorted(spans, reverse=True):
        text = text[:start] + new_text + text[end:]
    return text


async def open_mistakes(client: RecordingClient) -> tuple[str, list[types.Diagnostic]]:
    uri = fresh_uri()
    open_document(client, uri, MISTAKES)
    diagnostics = await diagnostics_for(client, uri, 1)
    assert [d.code for d in diagnostics] == [
        "missing-file",
        "python-version",
        "invalid-value",
        "unknown-key",
        "type-coerced",
        "legacy-key",
    ]
    return uri, diagnostics


# --- tests -----------------------------------------------------------------------------------


async def test_capability_declares_the_kinds(client: RecordingClient) -> None:
    assert client.initialize_result is not None
    provider = client.initialize_result.capabilities.code_action_provider
    assert isinstance(provider, types.CodeActionOptions)
    kinds = [getattr(k, "value", k) for k in provider.code_action_kinds or []]
    assert kinds == ["quickfix", "source", "source.fixAll", "source.fixAll.cerebrium"]


async def test_exact_actions_for_a_file_with_several_mistakes(client: RecordingClient) -> None:
    uri, diagnostics = await open_mistakes(client)
    actions = await code_actions(client, uri, diagnostics)
    assert summary(actions) == [*QUICK_FIXES, FIX_ALL, PREVIEW]
    by_code = {d.code: d for d in diagnostics}
    fixes = [a for a in actions if isinstance(a, types.CodeAction) and a.kind == "quickfix"]
    codes = [
        "python-version",
        "invalid-value",
        "unknown-key",
        "type-coerced",
        "legacy-key",
        "legacy-key",
    ]
    for action, code in zip(fixes, codes, strict=True):
        assert list(action.diagnostics or []) == [by_code[code]]
    preview = actions[-1]
    assert isinstance(preview, types.CodeAction) and preview.edit is None
    assert as_json(preview.command) == as_json(
        types.Command(
            title="Preview build plan", command="cerebrium.showBuildPlan", arguments=[uri]
        )
    )


@pytest.mark.parametrize(
    ("title", "expected_line", "fixed_line"),
    [
        ('Change to "AMPERE_A10"', 'compute = "AMPERE_A1O"\n', 'compute = "AMPERE_A10"\n'),
        ("Rename `cpus` to `cpu`", "cpus = 2\n", "cpu = 2\n"),
        ("Replace with 1", 'gpu_count = "1"\n', "gpu_count = 1\n"),
        ('Use Python "3.13"', 'python_version = "3.9"\n', 'python_version = "3.13"\n'),
        ("Remove the legacy key `evaluation_interval`", "evaluation_interval = 30\n", ""),
    ],
)
async def test_applying_a_quick_fix_gives_the_expected_file(
    client: RecordingClient, title: str, expected_line: str, fixed_line: str
) -> None:
    uri, diagnostics = await open_mistakes(client)
    actions = await code_actions(client, uri, diagnostics, only=["quickfix"])
    [action] = [a for a in actions if isinstance(a, types.CodeAction) and a.title == title]
    assert MISTAKES.count(expected_line) == 1
    expected = MISTAKES.replace(expected_line, fixed_line)
    assert apply(MISTAKES, edits_of(client, uri, action.edit)) == expected


async def test_quick_fixes_only_for_the_diagnostics_in_the_context(
    client: RecordingClient,
) -> None:
    uri, diagnostics = await open_mistakes(client)
    by_code = {d.code: d for d in diagnostics}
    actions = await code_actions(client, uri, [by_code["unknown-key"]], only=["quickfix"])
    assert summary(actions) == [("Rename `cpus` to `cpu`", "quickfix", True)]


async def test_client_diagnostics_that_do_not_match_ours_get_no_fix(
    client: RecordingClient,
) -> None:
    uri, diagnostics = await open_mistakes(client)
    [typo] = [d for d in diagnostics if d.code == "unknown-key"]
    moved = attrs.evolve(typo, range=rng(7, 1, 7, 4))  # same code, another range
    renamed = attrs.evolve(typo, code="invalid-value")  # same range, another code
    forged = attrs.evolve(typo, data={"replacement": "rm -rf"})  # our data is used, not theirs
    assert await code_actions(client, uri, [moved, renamed], only=["quickfix"]) == []
    actions = await code_actions(client, uri, [forged], only=["quickfix"])
    assert summary(actions) == [("Rename `cpus` to `cpu`", "quickfix", True)]
    [action] = actions
    assert isinstance(action, types.CodeAction)
    assert [e.new_text for e in edits_of(client, uri, action.edit)] == ["cpu"]


@pytest.mark.parametrize("only", [["source.fixAll"], ["source.fixAll.cerebrium"]])
async def test_fix_all_applies_every_safe_fix(client: RecordingClient, only: list[str]) -> None:
    uri, diagnostics = await open_mistakes(client)
    actions = await code_actions(client, uri, [], only=only)
    assert summary(actions) == [FIX_ALL]
    [action] = actions
    assert isinstance(action, types.CodeAction)
    assert [d.code for d in action.diagnostics or []] == [
        "invalid-value",
        "unknown-key",
        "type-coerced",
        "legacy-key",
    ]
    assert all(d in diagnostics for d in action.diagnostics or [])
    assert apply(MISTAKES, edits_of(client, uri, action.edit)) == FIXED_ALL


@pytest.mark.parametrize(
    ("only", "expected"),
    [
        (["quickfix"], QUICK_FIXES),
        (["source"], [FIX_ALL, PREVIEW]),
        (["source.organizeImports"], []),
        (["refactor"], []),
        (["quickfix", "source.fixAll"], [*QUICK_FIXES, FIX_ALL]),
    ],
)
async def test_context_only_selects_kinds(
    client: RecordingClient, only: list[str], expected: list[tuple[object, ...]]
) -> None:
    uri, diagnostics = await open_mistakes(client)
    assert summary(await code_actions(client, uri, diagnostics, only=only)) == expected


async def test_clean_file_offers_only_the_preview(client: RecordingClient) -> None:
    text = '[cerebrium.deployment]\nname = "demo"\n'
    uri = fresh_uri("actions-clean")
    open_document(client, uri, text)
    actions = await code_actions(client, uri, [], range_=rng(1, 3, 1, 3))
    assert summary(actions) == [PREVIEW]


async def test_preview_is_offered_when_the_file_has_syntax_errors(
    client: RecordingClient,
) -> None:
    text = '[cerebrium.deployment\nname = "demo"\ncompute = \n'
    uri = fresh_uri("actions-broken")
    open_document(client, uri, text)
    diagnostics = await diagnostics_for(client, uri, 1)
    assert any(d.severity == types.DiagnosticSeverity.Error for d in diagnostics)
    actions = await code_actions(client, uri, diagnostics, range_=rng(2, 0, 2, 0))
    assert PREVIEW in summary(actions)
    assert summary(actions)[-1] == PREVIEW


async def test_unserved_documents_get_no_actions(client: RecordingClient) -> None:
    uri = (WORKSPACE / "other" / "pyproject.toml").as_uri()
    open_document(client, uri, '[project]\nname = "x"\n')
    assert await code_actions(client, uri, [], range_=rng(0, 0, 0, 0)) == []


@pytest.mark.parametrize(("encoding", "start", "end"), [("utf-8", 53, 57), ("utf-16", 50, 54)])
async def test_fix_edits_use_the_negotiated_encoding(encoding: str, start: int, end: int) -> None:
    caps = attrs.evolve(
        client_capabilities("visual_studio_code"),
        general=types.GeneralClientCapabilities(
            position_encodings=[types.PositionEncodingKind(encoding)]
        ),
    )
    text = '[cerebrium]\ndeployment = { name = "démo-🚀", python_version = 3.11 }\n'
    uri = fresh_uri("actions-unicode")
    async with session(caps) as client:
        open_document(client, uri, text)
        diagnostics = await diagnostics_for(client, uri, 1)
        [float_version] = [d for d in diagnostics if d.code == "python-version-float"]
        assert float_version.range == rng(1, start, 1, end)
        actions = await code_actions(client, uri, [float_version], only=["quickfix"])
        [action] = actions
        assert isinstance(action, types.CodeAction) and action.edit is not None
        [change] = action.edit.document_changes or []
        assert isinstance(change, types.TextDocumentEdit)
        assert list(change.edits) == [
            types.TextEdit(range=rng(1, start, 1, end), new_text='"3.11"')
        ]


async def test_clients_without_code_action_literals_get_the_preview_command() -> None:
    caps = client_capabilities("visual_studio_code")
    assert caps.text_document is not None and caps.text_document.code_action is not None
    caps.text_document.code_action.code_action_literal_support = None
    uri = fresh_uri()
    async with session(caps) as client:
        open_document(client, uri, MISTAKES)
        diagnostics = await diagnostics_for(client, uri, 1)
        actions = await code_actions(client, uri, diagnostics)
        preview = types.Command(
            title="Preview build plan", command="cerebrium.showBuildPlan", arguments=[uri]
        )
        assert as_json(actions) == as_json([preview])
