"""Helpers for the end-to-end tests: a test client that records every publish and accepts
dynamic registrations, sessions with custom capabilities or settings, and waiting for
diagnostics whether the client pushes or pulls them."""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

from lsprotocol import types
from lsprotocol.converters import get_converter
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

WORKSPACE = Path(__file__).resolve().parents[1] / "workspace"
WORKSPACE_URI = WORKSPACE.as_uri()
# TODO(lead): switch to [sys.executable, "-m", "cerebrium_lsp", "serve"] once cli wiring is final.
SERVER_COMMAND = [sys.executable, "-m", "cerebrium_lsp", "serve"]
PROFILES = ("visual_studio_code", "neovim", "emacs")
SHUTDOWN_TIMEOUT_S = 10


class RecordingClient(LanguageClient):
    """pytest-lsp's client, also keeping every publishDiagnostics (with its version) and every
    ``client/registerCapability`` it received."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.published: list[types.PublishDiagnosticsParams] = []
        self.registrations: list[types.Registration] = []
        self.shut_down = False
        self.initialize_result: types.InitializeResult | None = None


def _record_publish(client: RecordingClient, params: types.PublishDiagnosticsParams) -> None:
    client.published.append(params)
    client.diagnostics[params.uri] = params.diagnostics


def _register_capability(client: RecordingClient, params: types.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)


def make_client() -> RecordingClient:
    client = RecordingClient(converter_factory=default_converter)
    register_lsp_features(
        client,
        {
            **DEFAULT_CLIENT_FEATURES,
            types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _record_publish,
            types.CLIENT_REGISTER_CAPABILITY: _register_capability,
        },
    )
    return client


CONFIG = ClientServerConfig(server_command=SERVER_COMMAND, client_factory=make_client)


def initialize_params(
    capabilities: types.ClientCapabilities, initialization_options: Any = None
) -> types.InitializeParams:
    return types.InitializeParams(
        capabilities=capabilities,
        root_uri=WORKSPACE_URI,
        workspace_folders=[types.WorkspaceFolder(uri=WORKSPACE_URI, name="workspace")],
        initialization_options=initialization_options,
    )


async def shutdown(client: LanguageClient) -> None:
    """shutdown + exit, once; a server that does not stop in time (or a session whose test
    failed half-way) is killed, so the client can always be stopped."""
    if getattr(client, "shut_down", False):
        return
    client.shut_down = True  # type: ignore[attr-defined]
    try:
        await asyncio.wait_for(client.shutdown_session(), SHUTDOWN_TIMEOUT_S)
    finally:
        server = client._server
        if server is not None and server.returncode is None:
            server.kill()


@contextlib.asynccontextmanager
async def session(
    capabilities: types.ClientCapabilities | str,
    *,
    configuration: dict[str, Any] | None = None,
    initialization_options: Any = None,
) -> AsyncIterator[RecordingClient]:
    """A server of our own, for tests that need capabilities or settings the shared fixture
    does not give (the settings are what the client answers to workspace/configuration)."""
    caps = client_capabilities(capabilities) if isinstance(capabilities, str) else capabilities
    client = await CONFIG.start()
    assert isinstance(client, RecordingClient)
    if configuration is not None:
        client.set_configuration(configuration, section="cerebrium")
    try:
        client.initialize_result = await client.initialize_session(
            initialize_params(caps, initialization_options)
        )
        yield client
    finally:
        try:
            await shutdown(client)
        finally:
            await client.stop()


def as_json(value: Any) -> Any:
    """The JSON form of LSP objects: compare with it, as the client may hand back tuples where
    the expected value has lists."""
    return get_converter().unstructure(value)


# --- documents -------------------------------------------------------------------------------


def check_json(path: Path) -> Any:
    """What ``cerebrium-lsp check --format json`` prints for one config: the file's entry."""
    checked = subprocess.run(
        [sys.executable, "-m", "cerebrium_lsp", "check", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=20,
    )
    [expected] = json.loads(checked.stdout)["files"]
    return expected


def uri_of(name: str) -> str:
    """URI of ``tests/workspace/<name>`` (a folder means its cerebrium.toml)."""
    path = WORKSPACE / name
    if path.is_dir():
        path = path / "cerebrium.toml"
    return path.as_uri()


def text_of(name: str) -> str:
    path = WORKSPACE / name
    if path.is_dir():
        path = path / "cerebrium.toml"
    return path.read_text(encoding="utf-8")


def open_document(client: LanguageClient, uri: str, text: str, version: int = 1) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="toml", version=version, text=text
            )
        )
    )


def change_document(
    client: LanguageClient,
    uri: str,
    version: int,
    changes: Sequence[types.TextDocumentContentChangeEvent],
) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=list(changes),
        )
    )


def edit(
    start: tuple[int, int], end: tuple[int, int], text: str
) -> types.TextDocumentContentChangePartial:
    return types.TextDocumentContentChangePartial(
        range=types.Range(
            start=types.Position(line=start[0], character=start[1]),
            end=types.Position(line=end[0], character=end[1]),
        ),
        text=text,
    )


def close_document(client: LanguageClient, uri: str) -> None:
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )


def rng(sl: int, sc: int, el: int, ec: int) -> types.Range:
    return types.Range(
        start=types.Position(line=sl, character=sc), end=types.Position(line=el, character=ec)
    )


def doc_id(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


# --- diagnostics -----------------------------------------------------------------------------


def pulls(client: LanguageClient) -> bool:
    """True when the client declared pull diagnostics (the server then never pushes)."""
    caps = client.capabilities
    return (
        caps is not None
        and caps.text_document is not None
        and (caps.text_document.diagnostic is not None)
    )


async def wait_for_publish(
    client: RecordingClient, uri: str, version: int | None = None, start: int = 0
) -> types.PublishDiagnosticsParams:
    """The first publish for ``uri`` (at ``version``, if given) from ``client.published[start:]``,
    waiting for it if it has not arrived."""
    seen = start
    while True:
        for params in client.published[seen:]:
            if params.uri == uri and (version is None or params.version == version):
                return params
        seen = len(client.published)
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)


async def pull(
    client: LanguageClient, uri: str, previous_result_id: str | None = None
) -> types.DocumentDiagnosticReport:
    return await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=doc_id(uri), previous_result_id=previous_result_id
        )
    )


async def diagnostics_for(
    client: RecordingClient, uri: str, version: int
) -> list[types.Diagnostic]:
    """The diagnostics of ``uri`` at ``version``: pulled, or awaited from a push."""
    if pulls(client):
        report = await pull(client, uri)
        assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
        return list(report.items)
    params = await wait_for_publish(client, uri, version)
    return list(params.diagnostics)
