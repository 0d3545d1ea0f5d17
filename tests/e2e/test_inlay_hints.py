"""Inlay hints (``textDocument/inlayHint``) as VS Code, Neovim and Emacs request them: after
compute types, ``gpu_count``, a numeric ``python_version``, an ``include`` written as one string
and ``min_replicas = 0``; never where a diagnostic says the same; placed in the negotiated
encoding after non-ASCII text; only in the requested range; following edits; on half-typed
documents; off by the ``inlayHints.enabled`` setting, with a refresh when the settings change."""

from __future__ import annotations

import asyncio

import attrs
import pytest
from e2e_support import (
    RecordingClient,
    change_document,
    diagnostics_for,
    edit,
    open_document,
    rng,
    session,
    uri_of,
)
from lsprotocol import types
from pytest_lsp import client_capabilities

pytestmark = pytest.mark.timeout(30)

APP = """\
[cerebrium.deployment]
name = "hints"
python_version = "3.11"
include = "main.py, src/"
exclude = ".*,dist/"

[cerebrium.hardware]
compute = "AMPERE_A10"
gpu_count = 2

[cerebrium.scaling]
min_replicas = 0
"""
APP_HINTS = [
    # the CLI keeps the space: " src/" is not "src/" (the diagnostic suggests the trimmed list)
    (3, 25, '→ ["main.py", " src/"]'),
    # exclude = ".*,dist/": its diagnostic already lists the two patterns, so no hint
    (7, 22, "NVIDIA A10 · 24 GB · $1.10/h"),
    (8, 13, "2 × 24 GB = 48 GB VRAM"),
    (11, 16, "scales to zero · cold starts"),
]

# A typo, then a compute type: the hint's column counts the non-ASCII text before it.
LIST = """\
[cerebrium.deployment]
name = "café-😀"

[cerebrium.hardware]
compute = ["ÄDA_L4😀", "AMPERE_A10"]
"""
LIST_HINT_COLUMN = {"utf-16": 35, "utf-8": 38, "utf-32": 34}

WHOLE = rng(0, 0, 100, 0)


def labels(hints: list[types.InlayHint] | None) -> list[tuple[int, int, str]]:
    return [(h.position.line, h.position.character, str(h.label)) for h in hints or []]


async def hints(
    client: RecordingClient, uri: str, where: types.Range = WHOLE
) -> list[types.InlayHint] | None:
    return await client.text_document_inlay_hint_async(
        types.InlayHintParams(text_document=types.TextDocumentIdentifier(uri=uri), range=where)
    )


async def opened(client: RecordingClient, text: str) -> str:
    """Open ``text`` as the clean project's cerebrium.toml; return its URI once analysed."""
    uri = uri_of("clean")
    open_document(client, uri, text)
    await diagnostics_for(client, uri, 1)
    return uri


def encoding_capabilities(encoding: str) -> types.ClientCapabilities:
    general = types.GeneralClientCapabilities(
        position_encodings=[types.PositionEncodingKind(encoding)]
    )
    return attrs.evolve(client_capabilities("visual_studio_code"), general=general)


async def test_hints_after_the_values(client: RecordingClient) -> None:
    assert client.initialize_result is not None
    provider = client.initialize_result.capabilities.inlay_hint_provider
    assert provider == types.InlayHintOptions(resolve_provider=False)
    uri = await opened(client, APP)
    found = await hints(client, uri)
    assert labels(found) == APP_HINTS
    assert found is not None
    for hint in found:
        assert hint.padding_left is True
        assert hint.kind is None
        assert len(str(hint.label)) <= 30
        assert isinstance(hint.tooltip, str) and hint.tooltip
    assert "per GPU-hour at list price" in str(found[1].tooltip)


async def test_only_the_requested_range(client: RecordingClient) -> None:
    uri = await opened(client, APP)
    assert labels(await hints(client, uri, rng(6, 0, 9, 0))) == APP_HINTS[1:3]
    assert labels(await hints(client, uri, rng(11, 0, 11, 16))) == APP_HINTS[3:]
    assert labels(await hints(client, uri, rng(0, 0, 2, 0))) == []


async def test_hints_follow_edits(client: RecordingClient) -> None:
    uri = await opened(client, APP)
    change_document(client, uri, 2, [edit((7, 11), (7, 21), "HOPPER_H100")])
    change_document(client, uri, 3, [edit((8, 12), (8, 13), "4")])
    assert labels(await hints(client, uri, rng(6, 0, 9, 0))) == [
        (7, 23, "NVIDIA H100 · 80 GB · $3.40/h"),
        (8, 13, "4 × 80 GB = 320 GB VRAM"),
    ]
    # gpu_count beyond what the type allows is an error: no hint derived from it
    change_document(client, uri, 4, [edit((8, 12), (8, 13), "9")])
    assert labels(await hints(client, uri, rng(6, 0, 9, 0))) == [
        (7, 23, "NVIDIA H100 · 80 GB · $3.40/h")
    ]


async def test_half_typed_document(client: RecordingClient) -> None:
    text = '[cerebrium.hardware]\ncompute = "ADA_L4"\ngpu_count = \n[cerebrium.scal'
    uri = await opened(client, text)
    assert labels(await hints(client, uri)) == [(1, 18, "NVIDIA L4 · 24 GB · $0.80/h")]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
async def test_position_after_non_ascii_text(encoding: str) -> None:
    async with session(encoding_capabilities(encoding)) as client:
        uri = await opened(client, LIST)
        column = LIST_HINT_COLUMN[encoding]
        assert labels(await hints(client, uri)) == [(4, column, "NVIDIA A10 · 24 GB · $1.10/h")]
        # a range ending just before the hint leaves it out; one ending at it keeps it
        assert labels(await hints(client, uri, rng(4, 0, 4, column - 1))) == []
        assert len(labels(await hints(client, uri, rng(4, 0, 4, column)))) == 1


async def test_python_version_number_when_its_diagnostic_is_off() -> None:
    text = "[cerebrium.deployment]\nname = 'x'\npython_version = 3.10\n"
    async with session("neovim") as client:
        uri = await opened(client, text)
        # the diagnostic already says the CLI sends "3.1": no hint repeats it
        assert labels(await hints(client, uri)) == []
    configuration = {"severity": {"python-version-float": "off"}}
    async with session("neovim", configuration=configuration) as client:
        uri = await opened(client, text)
        assert labels(await hints(client, uri)) == [(2, 21, 'sent as "3.1"')]


@pytest.mark.parametrize("profile", ["visual_studio_code", "neovim", "emacs"])
async def test_setting_turns_them_off(profile: str) -> None:
    configuration = {"inlayHints": {"enabled": False}}
    async with session(profile, configuration=configuration) as client:
        uri = await opened(client, APP)
        assert labels(await hints(client, uri)) == []


async def test_settings_change_asks_for_a_refresh() -> None:
    caps = client_capabilities("visual_studio_code")
    assert caps.workspace is not None
    caps = attrs.evolve(
        caps,
        workspace=attrs.evolve(
            caps.workspace,
            inlay_hint=types.InlayHintWorkspaceClientCapabilities(refresh_support=True),
        ),
    )
    async with session(caps) as client:
        refreshed = asyncio.Event()

        @client.feature(types.WORKSPACE_INLAY_HINT_REFRESH)
        def refresh(params: None) -> None:
            refreshed.set()

        uri = await opened(client, APP)
        assert labels(await hints(client, uri)) == APP_HINTS
        client.set_configuration({"inlayHints": {"enabled": False}}, section="cerebrium")
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
        await asyncio.wait_for(refreshed.wait(), 10)
        assert labels(await hints(client, uri)) == []
