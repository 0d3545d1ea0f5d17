"""Robustness and lifecycle: the capabilities we announce, empty results for unknown or
unserved documents and out-of-range positions, malformed input logged (never popped up), the
feature guard, and shutdown/exit as the LSP spec says."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from e2e_support import (
    CONFIG,
    WORKSPACE,
    RecordingClient,
    as_json,
    change_document,
    doc_id,
    edit,
    initialize_params,
    open_document,
    rng,
    text_of,
    uri_of,
)
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidRequest
from pytest_lsp import client_capabilities

from cerebrium_lsp.features.common import guarded

pytestmark = pytest.mark.timeout(30)

UNKNOWN = "file:///nowhere/cerebrium.toml"
FAR = types.Position(line=10_000, character=10_000)


async def test_capabilities(client: RecordingClient) -> None:
    assert client.initialize_result is not None
    caps = client.initialize_result.capabilities
    assert client.initialize_result.server_info is not None
    assert client.initialize_result.server_info.name == "cerebrium-lsp"
    assert caps.position_encoding == types.PositionEncodingKind.Utf16
    assert caps.text_document_sync == types.TextDocumentSyncOptions(
        open_close=True,
        change=types.TextDocumentSyncKind.Incremental,
        will_save=False,
        will_save_wait_until=False,
        save=types.SaveOptions(include_text=True),
    )
    assert caps.document_symbol_provider is True
    assert caps.folding_range_provider is True
    assert caps.selection_range_provider is True
    assert caps.definition_provider is True
    assert caps.hover_provider is True
    assert caps.completion_provider is not None
    assert caps.document_link_provider == types.DocumentLinkOptions(resolve_provider=False)


async def all_features(client: RecordingClient, uri: str, position: types.Position) -> object:
    """Every request we serve, for ``uri`` at ``position``."""
    document = doc_id(uri)
    results = [
        await client.text_document_document_symbol_async(
            types.DocumentSymbolParams(text_document=document)
        ),
        await client.text_document_folding_range_async(
            types.FoldingRangeParams(text_document=document)
        ),
        await client.text_document_document_link_async(
            types.DocumentLinkParams(text_document=document)
        ),
        await client.text_document_definition_async(
            types.DefinitionParams(text_document=document, position=position)
        ),
        await client.text_document_hover_async(
            types.HoverParams(text_document=document, position=position)
        ),
        await client.text_document_selection_range_async(
            types.SelectionRangeParams(text_document=document, positions=[position])
        ),
    ]
    return as_json(results)


async def test_unknown_documents_get_empty_results(client: RecordingClient) -> None:
    position = types.Position(line=0, character=0)
    assert await all_features(client, UNKNOWN, position) == [[], [], [], [], None, []]
    completion = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc_id(UNKNOWN), position=position)
    )
    assert completion is None or as_json(completion) in ([], {"isIncomplete": False, "items": []})


async def test_other_toml_documents_get_empty_results(client: RecordingClient) -> None:
    path = WORKSPACE / "other" / "pyproject.toml"
    open_document(client, path.as_uri(), path.read_text())
    position = types.Position(line=1, character=2)
    assert await all_features(client, path.as_uri(), position) == [[], [], [], [], None, []]


async def test_out_of_range_positions_clamp(client: RecordingClient) -> None:
    uri = uri_of("bad_gpu")
    open_document(client, uri, text_of("bad_gpu"))
    results = await all_features(client, uri, FAR)
    assert isinstance(results, list)
    # Selection clamps to the end of the document: only the document itself contains it.
    assert results[3:] == [[], None, [as_json(types.SelectionRange(range=rng(0, 0, 5, 0)))]]


async def test_empty_and_garbage_documents(client: RecordingClient) -> None:
    uri = uri_of("shapes")
    open_document(client, uri, "")
    assert await all_features(client, uri, FAR) == [
        [],
        [],
        [],
        [],
        None,
        [as_json(types.SelectionRange(range=rng(0, 0, 0, 0)))],
    ]
    garbage = '\x00\ufffd[[[\n= = =\n"""\n[a.b\n\ud7ff' * 50
    change_document(client, uri, 2, [types.TextDocumentContentChangeWholeDocument(text=garbage)])
    results = await all_features(client, uri, types.Position(line=3, character=2))
    assert isinstance(results, list) and len(results) == 6
    assert [m.message for m in client.log_messages if m.type == types.MessageType.Error] == []


async def test_malformed_messages_are_logged_not_shown(client: RecordingClient) -> None:
    uri = uri_of("bad_gpu")
    # A change to a document that was never opened, a request with bad params, bad JSON.
    change_document(client, UNKNOWN, 2, [edit((0, 0), (0, 0), "x")])
    server = client._server
    assert server is not None and server.stdin is not None
    for body in (
        json.dumps(
            {
                "jsonrpc": "2.0",
                "id": "bad-params",
                "method": "textDocument/documentSymbol",
                "params": {"textDocument": {"uri": 5}},
            }
        ).encode(),
        b"{not json",
    ):
        server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    # The server is still there and still right.
    open_document(client, uri, text_of("bad_gpu"))
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc_id(uri))
    )
    assert symbols is not None and [s.name for s in symbols] == ["cerebrium"]
    assert client.messages == []  # nothing popped up
    errors = [m.message for m in client.log_messages if m.type == types.MessageType.Error]
    assert any("internal error" in m for m in errors)


async def test_guard_logs_the_feature_and_returns_empty(caplog: pytest.LogCaptureFixture) -> None:
    @guarded("demo feature", list)
    def broken(ls: object, params: object) -> list[int]:
        raise ValueError("boom")

    @guarded("async demo", lambda: None)
    async def broken_async(ls: object, params: object) -> int:
        raise ValueError("bang")

    with caplog.at_level(logging.ERROR, logger="cerebrium_lsp"):
        assert broken(None, None) == []
        assert await broken_async(None, None) is None
    assert [r.getMessage() for r in caplog.records] == ["demo feature failed", "async demo failed"]


async def start(profile: str = "visual_studio_code") -> RecordingClient:
    client = await CONFIG.start()
    assert isinstance(client, RecordingClient)
    await client.initialize_session(initialize_params(client_capabilities(profile)))
    return client


async def test_requests_after_shutdown_are_refused_and_exit_is_zero() -> None:
    client = await start()
    try:
        uri = uri_of("bad_gpu")
        open_document(client, uri, text_of("bad_gpu"))
        await client.shutdown_async(None)
        with pytest.raises(JsonRpcInvalidRequest):
            await client.text_document_document_symbol_async(
                types.DocumentSymbolParams(text_document=doc_id(uri))
            )
        client.exit(None)
        assert client._server is not None
        assert await asyncio.wait_for(client._server.wait(), 10) == 0
    finally:
        await client.stop()


async def test_exit_without_shutdown_is_one() -> None:
    client = await start()
    try:
        client.exit(None)
        assert client._server is not None
        assert await asyncio.wait_for(client._server.wait(), 10) == 1
    finally:
        await client.stop()


def test_one_analysis_per_version_shared_by_features() -> None:
    """In process: ``analysis_for`` caches per (uri, version) and serves only our documents."""
    from pygls.workspace import Workspace

    from cerebrium_lsp.server import build_server

    server = build_server()
    assert server.position_encoding == "utf-16"  # before initialize
    assert server.analysis_for(uri_of("clean")) is None  # no workspace yet
    server.protocol._workspace = Workspace(WORKSPACE.as_uri())
    uri = uri_of("clean")
    server.workspace.put_text_document(
        types.TextDocumentItem(uri=uri, language_id="toml", version=1, text=text_of("clean"))
    )
    first = server.analysis_for(uri)
    assert first is not None
    assert server.analysis_for(uri) is first
    server.workspace.update_text_document(
        types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        types.TextDocumentContentChangeWholeDocument(text=text_of("bad_gpu")),
    )
    second = server.analysis_for(uri)
    assert second is not None and second is not first
    assert [d.code for d in second.diagnostics] == ["invalid-value"]
    assert server.analysis_for(uri) is second

    other = (WORKSPACE / "other" / "pyproject.toml").as_uri()
    server.workspace.put_text_document(
        types.TextDocumentItem(uri=other, language_id="toml", version=1, text="[a]\n")
    )
    assert not server.serves(other)
    assert server.analysis_for(other) is None
    assert server.analysis_for(UNKNOWN) is None
