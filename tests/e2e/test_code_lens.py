"""``textDocument/codeLens`` end to end, for the VS Code, Neovim and Emacs profiles: "Preview
build plan" and the rebuild impact on line 0, against git ``HEAD`` in a temporary repository and
against the last save elsewhere; ``didSave`` moves the baseline and asks clients that support it
to refresh lenses; the impact lens runs ``cerebrium.showRebuildImpact``; hover shows the impact
of a changed key.

One server per profile serves the module; each test works in its own temporary folder.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from e2e_support import (
    PROFILES,
    SERVER_COMMAND,
    WORKSPACE,
    RecordingClient,
    change_document,
    doc_id,
    edit,
    initialize_params,
    make_client,
    open_document,
    shutdown,
)
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

pytestmark = [pytest.mark.timeout(30), pytest.mark.asyncio(loop_scope="module")]

COMMITTED = """\
[cerebrium.deployment]
name = "lens-demo"

[cerebrium.dependencies.pip]
numpy = "1.26.4"
"""
ONE_MORE_PACKAGE = COMMITTED + 'torch = "2.3.0"\n'
TOP = types.Range(
    start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
)


@dataclass
class Refreshes:
    """The ``workspace/codeLens/refresh`` requests a client answered."""

    count: int = 0
    event: asyncio.Event = field(default_factory=asyncio.Event)


REFRESHES: dict[LanguageClient, Refreshes] = {}


def make_lens_client() -> RecordingClient:
    """The shared test client, also answering ``workspace/codeLens/refresh``."""
    client = make_client()
    refreshes = REFRESHES[client] = Refreshes()

    @client.feature(types.WORKSPACE_CODE_LENS_REFRESH)
    def refresh(params: None) -> None:
        refreshes.count += 1
        refreshes.event.set()

    return client


CONFIG = ClientServerConfig(server_command=SERVER_COMMAND, client_factory=make_lens_client)


@pytest_lsp.fixture(config=CONFIG, params=PROFILES, scope="module")
async def client(request: Any, lsp_client: LanguageClient) -> AsyncIterator[None]:
    assert isinstance(lsp_client, RecordingClient)
    lsp_client.initialize_result = await lsp_client.initialize_session(
        initialize_params(client_capabilities(request.param))
    )
    yield
    await shutdown(lsp_client)


# --- helpers ---------------------------------------------------------------------------------


def git(folder: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=folder,
        env=env,
        check=True,
        capture_output=True,
    )


def repository(folder: Path, text: str) -> Path:
    """A git repository in ``folder`` with ``text`` committed as ``app/cerebrium.toml``."""
    git(folder, "init", "-q")
    config = folder / "app" / "cerebrium.toml"
    config.parent.mkdir()
    config.write_text(text, encoding="utf-8")
    git(folder, "add", "app/cerebrium.toml")
    git(folder, "commit", "-q", "-m", "initial")
    return config


async def lenses(client: LanguageClient, uri: str) -> list[tuple[str, str, list[Any]]]:
    result = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=doc_id(uri))
    )
    out = []
    for lens in result or []:
        assert lens.range == TOP
        assert lens.command is not None
        out.append((lens.command.title, lens.command.command, list(lens.command.arguments or [])))
    return out


async def impact_title(client: LanguageClient, uri: str) -> str:
    found = await lenses(client, uri)
    assert [(command, args) for _, command, args in found] == [
        ("cerebrium.showBuildPlan", [uri]),
        ("cerebrium.showRebuildImpact", [uri]),
    ]
    assert found[0][0] == "Preview build plan"
    return found[1][0]


def save(client: LanguageClient, uri: str, text: str) -> None:
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=doc_id(uri), text=text)
    )


def refresh_supported(client: LanguageClient) -> bool:
    caps = client.capabilities
    return bool(
        caps
        and caps.workspace
        and caps.workspace.code_lens
        and caps.workspace.code_lens.refresh_support
    )


async def hover_text(client: LanguageClient, uri: str, line: int, character: int) -> str:
    result = await client.text_document_hover_async(
        types.HoverParams(
            text_document=doc_id(uri), position=types.Position(line=line, character=character)
        )
    )
    assert result is not None
    contents = result.contents
    return contents.value if isinstance(contents, types.MarkupContent) else str(contents)


# --- tests -----------------------------------------------------------------------------------


async def test_capability(client: RecordingClient) -> None:
    assert client.initialize_result is not None
    capabilities = client.initialize_result.capabilities
    assert capabilities.code_lens_provider == types.CodeLensOptions(resolve_provider=False)
    sync = capabilities.text_document_sync
    assert isinstance(sync, types.TextDocumentSyncOptions)
    assert sync.save == types.SaveOptions(include_text=True)


async def test_impact_against_git_head_in_a_repository(
    client: RecordingClient, tmp_path: Path
) -> None:
    config = repository(tmp_path, COMMITTED)
    config.write_text(ONE_MORE_PACKAGE, encoding="utf-8")  # saved, not committed: HEAD counts
    uri = config.as_uri()
    open_document(client, uri, ONE_MORE_PACKAGE)
    title = await impact_title(client, uri)
    assert title == "Rebuild vs git HEAD: from pip stage (1 package added)"

    # Edits are compared with the same HEAD: python_version re-runs everything.
    change_document(client, uri, 2, [edit((1, 19), (1, 19), '\npython_version = "3.12"')])
    title = await impact_title(client, uri)
    assert title == ("Rebuild vs git HEAD: full rebuild (python_version changed)")


async def test_hover_shows_the_impact_of_a_changed_key(
    client: RecordingClient, tmp_path: Path
) -> None:
    config = repository(tmp_path, COMMITTED)
    uri = config.as_uri()
    text = ONE_MORE_PACKAGE.replace('numpy = "1.26.4"', 'numpy = "2.0.0"')
    open_document(client, uri, text)
    await impact_title(client, uri)  # the baseline is in
    torch = await hover_text(client, uri, 5, 1)
    assert "Changed since git HEAD" in torch
    assert "(added): pip stage and later" in torch
    numpy = await hover_text(client, uri, 4, 1)
    assert "Changed since git HEAD" in numpy
    assert "numpy==1.26.4" in numpy  # what it was
    name = await hover_text(client, uri, 1, 1)
    assert "Changed since" not in name


async def test_commit_then_save_compares_with_the_new_head(
    client: RecordingClient, tmp_path: Path
) -> None:
    config = repository(tmp_path, COMMITTED)
    uri = config.as_uri()
    open_document(client, uri, ONE_MORE_PACKAGE)
    assert await impact_title(client, uri) == (
        "Rebuild vs git HEAD: from pip stage (1 package added)"
    )
    config.write_text(ONE_MORE_PACKAGE, encoding="utf-8")
    git(tmp_path, "commit", "-q", "-am", "torch")
    save(client, uri, ONE_MORE_PACKAGE)
    assert await impact_title(client, uri) == "Rebuild vs git HEAD: no changes"


async def test_outside_git_the_last_save_is_the_baseline(
    client: RecordingClient, tmp_path: Path
) -> None:
    config = tmp_path / "cerebrium.toml"
    config.write_text(COMMITTED, encoding="utf-8")
    uri = config.as_uri()
    open_document(client, uri, ONE_MORE_PACKAGE)
    assert await impact_title(client, uri) == (
        "Rebuild vs last save: from pip stage (1 package added)"
    )
    refreshes = REFRESHES[client]
    before = refreshes.count
    refreshes.event.clear()
    save(client, uri, ONE_MORE_PACKAGE)
    if refresh_supported(client):
        await asyncio.wait_for(refreshes.event.wait(), 10)
        assert refreshes.count == before + 1
    assert await impact_title(client, uri) == "Rebuild vs last save: no changes"
    if not refresh_supported(client):
        assert refreshes.count == before

    change_document(client, uri, 2, [edit((5, 0), (6, 0), "")])
    assert (
        await impact_title(client, uri)
        == "Rebuild vs last save: from pip stage (1 package removed)"
    )


async def test_a_file_never_saved_is_a_full_build(client: RecordingClient, tmp_path: Path) -> None:
    uri = (tmp_path / "new" / "cerebrium.toml").as_uri()
    open_document(client, uri, COMMITTED)
    assert await impact_title(client, uri) == (
        "Rebuild: full build (no earlier version to compare with)"
    )


async def test_the_impact_lens_runs_show_rebuild_impact(
    client: RecordingClient, tmp_path: Path
) -> None:
    config = repository(tmp_path, COMMITTED)
    uri = config.as_uri()
    open_document(client, uri, ONE_MORE_PACKAGE)
    [_, (_, command, arguments)] = await lenses(client, uri)
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=command, arguments=arguments)
    )
    markdown = result.markdown if hasattr(result, "markdown") else result["markdown"]
    assert markdown.startswith(
        "**Rebuild impact (compared with git HEAD):** from pip stage (1 package added)"
    )
    assert "| `dependencies.pip.torch` | added `torch==2.3.0` |" in markdown


async def test_without_git_the_last_save_is_the_baseline(tmp_path: Path) -> None:
    """A server that cannot find git (not on its PATH) falls back quietly, even in a repo."""
    config = repository(tmp_path, COMMITTED)
    config.write_text(ONE_MORE_PACKAGE, encoding="utf-8")
    uri = config.as_uri()
    no_git = ClientServerConfig(
        server_command=SERVER_COMMAND,
        client_factory=make_client,
        server_env={**os.environ, "PATH": str(Path(sys.executable).parent)},
    )
    client = await no_git.start()
    try:
        await client.initialize_session(initialize_params(client_capabilities("neovim")))
        open_document(client, uri, ONE_MORE_PACKAGE + 'pandas = "2.2.2"\n')
        assert await impact_title(client, uri) == (
            "Rebuild vs last save: from pip stage (1 package added)"
        )
        assert not [m for m in client.log_messages if m.type <= types.MessageType.Warning]
    finally:
        try:
            await shutdown(client)
        finally:
            await client.stop()


async def test_documents_we_do_not_serve_get_no_lens(client: RecordingClient) -> None:
    uri = (WORKSPACE / "other" / "pyproject.toml").as_uri()
    open_document(client, uri, '[project]\nname = "x"\n')
    assert await lenses(client, uri) == []
