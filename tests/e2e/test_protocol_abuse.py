"""Protocol abuse: whatever a client sends, the server answers with the LSP spec's error or an
empty result, keeps serving, and stays responsive.

Requests before ``initialize`` and a second ``initialize``; params that do not decode (negative
or huge positions, missing fields); positions past the end of a line or the document; unknown,
odd and never-opened URIs; ``didChange`` with a version gap, out of order, or edits that split a
surrogate pair; cancellation of in-flight requests; 1,000 rapid edits (the last version's
diagnostics are the ones that stay); a 5 MB document (other requests are answered while it is
analysed); ``shutdown`` while an analysis runs; no credential in anything the server sends.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any

import pytest
from e2e_support import (
    CONFIG,
    RecordingClient,
    as_json,
    change_document,
    close_document,
    diagnostics_for,
    doc_id,
    edit,
    open_document,
    session,
    text_of,
    uri_of,
    wait_for_publish,
)
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from cerebrium_lsp.analysis.engine import AnalysisOptions, analyze
from cerebrium_lsp.analysis.text import LineIndex

pytestmark = pytest.mark.timeout(90)

INVALID_REQUEST = -32600
INVALID_PARAMS = -32602
SERVER_NOT_INITIALIZED = -32002
REQUEST_CANCELLED = -32800

_raw_ids = itertools.count()


def raw_request(client: RecordingClient, method: str, params: Any) -> asyncio.Future[Any]:
    """Send a request exactly as given (JSON), bypassing the client's own checks; the future
    holds the result or the error response."""
    msg_id = f"raw-{next(_raw_ids)}"
    future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    client.protocol._request_futures[msg_id] = future
    send_raw(client, {"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
    return future


def send_raw(client: RecordingClient, message: dict[str, Any]) -> None:
    body = json.dumps(message).encode()
    server = client._server
    assert server is not None and server.stdin is not None
    server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)


async def error_code(future: asyncio.Future[Any]) -> int:
    with pytest.raises(JsonRpcException) as raised:
        await asyncio.wait_for(future, 10)
    return raised.value.code


async def still_serving(client: RecordingClient) -> None:
    """A round trip on a real document: the server is alive and right."""
    uri = uri_of("bad_gpu")
    open_document(client, uri, text_of("bad_gpu"), version=10_000)
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc_id(uri))
    )
    assert symbols and symbols[0].name == "cerebrium"  # hierarchical or flat


def hover_params(uri: str, line: int, character: int) -> dict[str, Any]:
    return {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}


# --- initialize ---------------------------------------------------------------------------------


async def test_requests_before_initialize_get_server_not_initialized() -> None:
    client = await CONFIG.start()
    assert isinstance(client, RecordingClient)
    try:
        uri = uri_of("clean")
        # Notifications before initialize are dropped (didOpen too), requests refused.
        send_raw(
            client,
            {
                "jsonrpc": "2.0",
                "method": "textDocument/didOpen",
                "params": {
                    "textDocument": {"uri": uri, "languageId": "toml", "version": 1, "text": "x"}
                },
            },
        )
        for method, params in (
            ("textDocument/hover", hover_params(uri, 0, 0)),
            ("textDocument/documentSymbol", {"textDocument": {"uri": uri}}),
            ("shutdown", None),
        ):
            assert await error_code(raw_request(client, method, params)) == SERVER_NOT_INITIALIZED
        await client.initialize_session(
            types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=None)
        )
        # The dropped didOpen left nothing behind; a second initialize is refused.
        assert client.published == []
        assert await error_code(raw_request(client, "initialize", {"capabilities": {}})) == (
            INVALID_REQUEST
        )
        await still_serving(client)
        assert [m for m in client.log_messages if m.type == types.MessageType.Error] == []
    finally:
        await client.shutdown_session()
        await client.stop()


# --- params and positions ------------------------------------------------------------------------


async def test_params_that_do_not_decode_get_invalid_params() -> None:
    async with session("visual_studio_code") as client:
        uri = uri_of("clean")
        open_document(client, uri, text_of("clean"))
        for params in (
            hover_params(uri, -1, 0),
            hover_params(uri, 0, -5),
            hover_params(uri, 2**31, 0),
            hover_params(uri, 2**40, 2**40),
            {"textDocument": {"uri": uri}},
            {"position": {"line": 0, "character": 0}},
            None,
            [],
        ):
            code = await error_code(raw_request(client, types.TEXT_DOCUMENT_HOVER, params))
            assert code == INVALID_PARAMS, params
        await still_serving(client)


async def test_positions_past_the_end_clamp(client: RecordingClient) -> None:
    uri = uri_of("unicode")
    text = text_of("unicode")
    open_document(client, uri, text)
    last_line = LineIndex(text).line_count - 1
    for line, character in ((0, 10_000), (last_line, 10_000), (10_000, 0), (2**31 - 1, 2**31 - 1)):
        position = types.Position(line=line, character=character)
        document = doc_id(uri)
        await client.text_document_hover_async(types.HoverParams(document, position))
        await client.text_document_completion_async(types.CompletionParams(document, position))
        await client.text_document_definition_async(types.DefinitionParams(document, position))
        selection = await client.text_document_selection_range_async(
            types.SelectionRangeParams(document, [position])
        )
        assert selection is not None and len(selection) == 1
        end = selection[0].range.end
        assert (end.line, end.character) <= (last_line, 10_000)
    await still_serving(client)


ODD_URIS = (
    "file:///nowhere/cerebrium.toml",
    "untitled:Untitled-1",
    "file:///%00/cerebrium.toml",
    "file:///" + "a/" * 2000 + "cerebrium.toml",
    "http://example.com/cerebrium.toml",
    "not a uri at all",
    "",
)


async def test_unknown_and_odd_uris_get_empty_results(client: RecordingClient) -> None:
    position = types.Position(line=0, character=0)
    for uri in ODD_URIS:
        document = doc_id(uri)
        assert await client.text_document_hover_async(types.HoverParams(document, position)) is None
        assert not await client.text_document_document_symbol_async(
            types.DocumentSymbolParams(document)
        )
        assert not await client.text_document_folding_range_async(
            types.FoldingRangeParams(document)
        )
        change_document(client, uri, 2, [edit((0, 0), (0, 0), "x")])
        close_document(client, uri)
    await still_serving(client)


async def test_odd_uris_that_are_opened_are_served() -> None:
    async with session("visual_studio_code") as client:
        for uri in ("untitled:cerebrium.toml", "file:///tmp/x%20y/cerebrium.toml"):
            open_document(client, uri, '[cerebrium.hardware]\ncompute = "AMPERE_A1O"\n')
            published = await wait_for_publish(client, uri, 1)
            assert "invalid-value" in [d.code for d in published.diagnostics]
        await still_serving(client)


# --- didChange ------------------------------------------------------------------------------------


async def test_version_gap_and_out_of_order_versions() -> None:
    """Edits apply in the order they arrive; the diagnostics published last are those of the
    last text, labelled with the last version sent."""
    async with session("visual_studio_code") as client:
        uri = uri_of("clean")
        open_document(client, uri, '[cerebrium.deployment]\nname = "a"\n', version=1)
        await wait_for_publish(client, uri, 1)
        whole = types.TextDocumentContentChangeWholeDocument
        change_document(client, uri, 7, [whole(text="[cerebrium.hardware]\ngpu_cont = 1\n")])
        gap = await wait_for_publish(client, uri, 7)
        assert {d.code for d in gap.diagnostics} == {"missing-name", "unknown-key"}
        change_document(client, uri, 3, [whole(text='[cerebrium.deployment]\nname = "b"\n')])
        back = await wait_for_publish(client, uri, 3, start=len(client.published) - 1)
        assert not back.diagnostics
        await still_serving(client)


async def test_edits_that_split_a_surrogate_pair() -> None:
    """An edit whose range starts or ends inside a surrogate pair (UTF-16) snaps to a whole
    character: the text stays valid and every published range lies inside the document."""
    async with session("visual_studio_code") as client:
        uri = uri_of("unicode")
        text = '[cerebrium.deployment]\nname = "😀😀"\n'
        open_document(client, uri, text)
        await wait_for_publish(client, uri, 1)
        # "😀" occupies UTF-16 columns 8-9 and 10-11 of line 1: cut into each pair.
        change_document(client, uri, 2, [edit((1, 9), (1, 9), "x")])
        change_document(client, uri, 3, [edit((1, 11), (1, 12), "")])
        change_document(client, uri, 4, [edit((1, 9), (1, 11), "\ud83d")])  # a lone surrogate
        published = await wait_for_publish(client, uri, 4)
        symbols = await client.text_document_document_symbol_async(
            types.DocumentSymbolParams(text_document=doc_id(uri))
        )
        assert symbols is not None
        for diagnostic in published.diagnostics:
            assert diagnostic.range.start.line <= diagnostic.range.end.line <= 2
        await still_serving(client)


async def test_a_thousand_rapid_edits_leave_the_last_diagnostics() -> None:
    async with session("visual_studio_code") as client:
        uri = uri_of("clean")
        text = "[cerebrium.hardware]\ncpu = 1\n"
        open_document(client, uri, text)
        await wait_for_publish(client, uri, 1)
        for version in range(2, 1002):
            # Alternate a valid and an unknown key, then end on a typo.
            key = "cpu" if version % 2 else "cpx"
            change_document(client, uri, version, [edit((1, 0), (1, 3), key)])
            text = text.replace(text.split("\n")[1][:3], key, 1)
        change_document(client, uri, 1002, [edit((1, 0), (1, 3), "gpu_cont")])
        text = text.replace("cpx" if "cpx" in text else "cpu", "gpu_cont", 1)
        last = await wait_for_publish(client, uri, 1002)
        expected = analyze(text, AnalysisOptions(file_checks=False)).diagnostics
        assert [d.code for d in last.diagnostics] == [d.code for d in expected]
        # Nothing older is published afterwards: a round trip, then the last publish is still v1002.
        await still_serving(client)
        for_uri = [p for p in client.published if p.uri == uri]
        assert for_uri[-1].version == 1002
        assert len(for_uri) < 200  # bursts are coalesced, not one analysis per edit
        assert client.diagnostics[uri] == last.diagnostics


# --- cancellation, large documents, shutdown ---------------------------------------------------------


def large_document(size: int = 5_000_000) -> str:
    lines = ['[cerebrium.deployment]\nname = "big"\n[cerebrium.dependencies.pip]']
    total, i = 0, 0
    while total < size:
        line = f'acme-package-{i:06d} = ">=1.{i % 17},<2"  # pinned by team {i % 13}'
        lines.append(line)
        total += len(line) + 1
        i += 1
    return "\n".join(lines) + "\n"


async def test_other_requests_are_answered_while_a_5mb_document_is_analysed() -> None:
    """The 5 MB analysis runs in a worker thread: requests on another document keep being
    answered while it runs. On the event loop, one of them waited for the whole analysis."""
    async with session("visual_studio_code") as client:
        big, small = uri_of("shapes"), uri_of("bad_gpu")
        open_document(client, small, text_of("bad_gpu"))
        await wait_for_publish(client, small, 1)
        loop = asyncio.get_running_loop()
        started = loop.time()
        open_document(client, big, large_document())
        published = asyncio.ensure_future(wait_for_publish(client, big, 1))
        latencies = []
        while not published.done():
            sent = loop.time()
            symbols = await client.text_document_document_symbol_async(
                types.DocumentSymbolParams(text_document=doc_id(small))
            )
            assert symbols is not None and [s.name for s in symbols] == ["cerebrium"]
            latencies.append(loop.time() - sent)
        waited = loop.time() - started
        assert not (await published).diagnostics
        assert len(latencies) >= 3, (latencies, waited)
        assert max(latencies) < waited / 2, (max(latencies), waited)


async def test_cancelled_requests() -> None:
    """A pull request waiting for a large analysis is cancelled (RequestCancelled); cancelling
    unknown or finished requests is harmless; the server keeps serving."""
    async with session("neovim") as client:
        assert client.initialize_result is not None
        big = uri_of("shapes")
        open_document(client, big, large_document(1_000_000))
        future = raw_request(client, types.TEXT_DOCUMENT_DIAGNOSTIC, {"textDocument": {"uri": big}})
        msg_id = next(k for k, v in client.protocol._request_futures.items() if v is future)
        send_raw(client, {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": msg_id}})
        send_raw(client, {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": "nope"}})
        try:
            result = await asyncio.wait_for(future, 30)
        except JsonRpcException as error:
            assert error.code == REQUEST_CANCELLED
        else:  # the analysis won the race: a complete answer is fine too
            assert result["kind"] == "full"
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=doc_id(big))
        )
        assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
        await still_serving(client)


async def test_shutdown_while_analysing_exits_promptly() -> None:
    client = await CONFIG.start()
    assert isinstance(client, RecordingClient)
    try:
        await client.initialize_session(
            types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=None)
        )
        open_document(client, uri_of("shapes"), large_document())
        await asyncio.wait_for(client.shutdown_async(None), 10)
        client.exit(None)
        assert client._server is not None
        assert await asyncio.wait_for(client._server.wait(), 10) == 0
    finally:
        await client.stop()


# --- nothing leaves the server that holds a credential -----------------------------------------------

TOKEN = "hf_TESTleak9876543210TESTleak76543210"
LEAKY = (
    f'[cerebrium.deployment]\nname = "app"\nshell_commands = ["huggingface-cli login --token {TOKEN}"]\n'
    f'[cerebrium.dependencies.pip]\n"git+https://x:{TOKEN}@github.com/o/r.git" = "latest"\n'
)


async def test_no_credential_in_diagnostics_hover_or_symbols(client: RecordingClient) -> None:
    uri = uri_of("clean")
    open_document(client, uri, LEAKY)
    diagnostics = await diagnostics_for(client, uri, 1)
    assert [d.code for d in diagnostics].count("secret-in-config") == 2
    document = doc_id(uri)
    hover = await client.text_document_hover_async(
        types.HoverParams(document, types.Position(line=4, character=10))
    )
    assert hover is not None
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(document))
    sent = json.dumps(as_json([diagnostics, hover, symbols]), ensure_ascii=False)
    assert "hf_…" in sent
    assert TOKEN[3:12] not in sent
    assert all(TOKEN[3:12] not in m.message for m in client.log_messages)
