"""``workspace/executeCommand`` (``cerebrium.showBuildPlan``, ``cerebrium.showRebuildImpact``)
and the custom request ``cerebrium/buildPlan`` end to end, for the VS Code, Neovim and Emacs
profiles.

Clients that support ``window/showDocument`` (VS Code, Neovim) get the Markdown written under
the cache folder (``$XDG_CACHE_HOME/cerebrium-lsp/plans/``, here a temporary folder) and opened
with focus; pytest-lsp's client answers ``window/showDocument`` and records it in
``shown_documents``. Emacs declares no support: it gets the Markdown in the result and nothing is
written. Nothing is ever written next to the user's files.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from e2e_support import (
    PROFILES,
    SERVER_COMMAND,
    RecordingClient,
    change_document,
    edit,
    initialize_params,
    make_client,
    open_document,
    shutdown,
)
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

pytestmark = [pytest.mark.timeout(30), pytest.mark.asyncio(loop_scope="module")]

TEXT = """\
[cerebrium.deployment]
name = "plan-demo"

[cerebrium.dependencies.pip]
numpy = "1.26.4"
"""
SERVER_ENV = dict(os.environ)
CONFIG = ClientServerConfig(
    server_command=SERVER_COMMAND, client_factory=make_client, server_env=SERVER_ENV
)


@pytest.fixture(scope="module", autouse=True)
def cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``XDG_CACHE_HOME`` of the module's servers (set before they start)."""
    folder = tmp_path_factory.mktemp("cache-home")
    SERVER_ENV["XDG_CACHE_HOME"] = str(folder)
    return folder


@pytest_lsp.fixture(config=CONFIG, params=PROFILES, scope="module")
async def client(request: Any, lsp_client: LanguageClient) -> AsyncIterator[None]:
    assert isinstance(lsp_client, RecordingClient)
    lsp_client.initialize_result = await lsp_client.initialize_session(
        initialize_params(client_capabilities(request.param))
    )
    yield
    await shutdown(lsp_client)


# --- helpers ---------------------------------------------------------------------------------


def project(folder: Path, text: str = TEXT) -> tuple[Path, str]:
    """A project folder with ``main.py`` and ``cerebrium.toml``; returns it and the URI."""
    (folder / "main.py").write_text("print('hi')\n", encoding="utf-8")
    config = folder / "cerebrium.toml"
    config.write_text(text, encoding="utf-8")
    return config, config.as_uri()


def plain(value: Any) -> Any:
    """JSON data from what the pygls client hands back (namedtuples for objects)."""
    if hasattr(value, "_asdict"):
        return {k: plain(v) for k, v in value._asdict().items()}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def shows_documents(client: LanguageClient) -> bool:
    caps = client.capabilities
    return bool(
        caps and caps.window and caps.window.show_document and caps.window.show_document.support
    )


async def execute(client: LanguageClient, command: str, *arguments: Any) -> dict[str, Any]:
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=command, arguments=list(arguments))
    )
    data = plain(result)
    assert isinstance(data, dict), result
    return data


async def build_plan_request(client: LanguageClient, params: dict[str, Any]) -> dict[str, Any]:
    result = await client.protocol.send_request_async("cerebrium/buildPlan", params)
    data = plain(result)
    assert isinstance(data, dict), result
    return data


def plan_file(cache_home: Path, uri: str, kind: str) -> Path:
    digest = hashlib.sha256(uri.encode("utf-8")).hexdigest()[:16]
    return cache_home / "cerebrium-lsp" / "plans" / f"{digest}-{kind}.md"


# --- tests -----------------------------------------------------------------------------------


async def test_commands_are_declared(client: RecordingClient) -> None:
    assert client.initialize_result is not None
    provider = client.initialize_result.capabilities.execute_command_provider
    assert provider is not None
    assert list(provider.commands) == ["cerebrium.showBuildPlan", "cerebrium.showRebuildImpact"]


async def test_show_build_plan(client: RecordingClient, tmp_path: Path, cache_home: Path) -> None:
    config, uri = project(tmp_path)
    before = sorted(tmp_path.iterdir())
    open_document(client, uri, TEXT)
    shown = len(client.shown_documents)
    result = await execute(client, "cerebrium.showBuildPlan", uri)
    assert set(result) == {"uri", "markdown"}
    markdown = result["markdown"]
    assert markdown.startswith("# Build plan: plan-demo\n")
    assert "numpy==1.26.4" in markdown
    target = plan_file(cache_home, uri, "build-plan")
    if shows_documents(client):
        assert result["uri"] == target.as_uri()
        assert target.read_text(encoding="utf-8") == markdown
        [params] = client.shown_documents[shown:]
        assert params == types.ShowDocumentParams(
            uri=target.as_uri(), external=False, take_focus=True
        )
    else:
        assert result["uri"] is None
        assert client.shown_documents[shown:] == []
        assert not target.exists()
    assert sorted(tmp_path.iterdir()) == before  # nothing next to the user's files
    assert config.read_text(encoding="utf-8") == TEXT


async def test_the_plan_follows_the_open_document(
    client: RecordingClient, tmp_path: Path, cache_home: Path
) -> None:
    _, uri = project(tmp_path)
    open_document(client, uri, TEXT)
    first = await execute(client, "cerebrium.showBuildPlan", uri)
    assert "torch" not in first["markdown"]
    change_document(client, uri, 2, [edit((5, 0), (5, 0), 'torch = "2.3.0"\n')])
    second = await execute(client, "cerebrium.showBuildPlan", uri)
    assert "torch==2.3.0" in second["markdown"]
    assert second["uri"] == first["uri"]  # the same file, rewritten
    if shows_documents(client):
        target = plan_file(cache_home, uri, "build-plan")
        assert target.read_text(encoding="utf-8") == second["markdown"]


async def test_show_rebuild_impact(
    client: RecordingClient, tmp_path: Path, cache_home: Path
) -> None:
    _, uri = project(tmp_path)
    open_document(client, uri, TEXT + 'torch = "2.3.0"\n')
    shown = len(client.shown_documents)
    result = await execute(client, "cerebrium.showRebuildImpact", uri)
    markdown = result["markdown"]
    assert markdown.startswith(
        "**Rebuild impact (compared with last save):** from pip stage (1 package added)\n"
    )
    if shows_documents(client):
        target = plan_file(cache_home, uri, "rebuild-impact")
        assert result["uri"] == target.as_uri()
        assert target.read_text(encoding="utf-8") == markdown
        assert [p.uri for p in client.shown_documents[shown:]] == [target.as_uri()]
    else:
        assert result["uri"] is None


@pytest.mark.parametrize(
    "arguments",
    [
        [],
        [42],
        ["file:///nowhere/cerebrium.toml"],
        ["{uri}", "extra"],
    ],
)
async def test_bad_command_arguments_are_invalid_params(
    client: RecordingClient, tmp_path: Path, arguments: list[Any]
) -> None:
    _, uri = project(tmp_path)
    open_document(client, uri, TEXT)
    arguments = [uri if a == "{uri}" else a for a in arguments]
    with pytest.raises(JsonRpcException) as raised:
        await execute(client, "cerebrium.showBuildPlan", *arguments)
    assert raised.value.code == -32602


async def test_build_plan_request_markdown(client: RecordingClient, tmp_path: Path) -> None:
    _, uri = project(tmp_path)
    open_document(client, uri, TEXT + 'torch = "2.3.0"\n')
    shown = len(client.shown_documents)
    result = await build_plan_request(client, {"textDocument": {"uri": uri}, "format": "markdown"})
    assert set(result) == {"uri", "version", "markdown", "impact"}
    assert (result["uri"], result["version"]) == (uri, 1)
    assert result["markdown"].startswith("# Build plan: plan-demo\n")
    impact = result["impact"]
    assert impact["baseline"] == "last save"
    assert impact["summary"] == "from pip stage (1 package added)"
    assert impact["stages"] == ["pip", "code", "shell"]
    assert [c["key"] for c in impact["changes"]] == ["dependencies.pip.torch"]
    assert impact["markdown"].startswith(
        "**Rebuild impact (compared with last save):** from pip stage (1 package added)\n"
    )
    assert client.shown_documents[shown:] == []  # editor plugins render it themselves


async def test_build_plan_request_json(client: RecordingClient, tmp_path: Path) -> None:
    _, uri = project(tmp_path)
    open_document(client, uri, TEXT)
    change_document(client, uri, 2, [edit((1, 7), (1, 18), '"plan-json"')])
    result = await build_plan_request(client, {"textDocument": {"uri": uri}, "format": "json"})
    assert set(result) == {"uri", "version", "plan", "impact"}
    assert result["version"] == 2
    plan = result["plan"]
    assert plan["format_version"] == 1
    assert plan["app"] == "plan-json"
    assert plan["mode"] == "image"
    assert result["impact"]["summary"].startswith("no rebuild")
    assert "markdown" not in result["impact"]


async def test_build_plan_request_defaults_to_markdown(
    client: RecordingClient, tmp_path: Path
) -> None:
    _, uri = project(tmp_path)
    open_document(client, uri, TEXT)
    result = await build_plan_request(client, {"textDocument": {"uri": uri}})
    assert "markdown" in result and "plan" not in result


@pytest.mark.parametrize(
    "params",
    [
        {"textDocument": {"uri": "{uri}"}, "format": "dockerfile"},
        {"textDocument": {"uri": "file:///nowhere/cerebrium.toml"}},
        {"textDocument": {}},
        {},
    ],
)
async def test_build_plan_request_rejects_bad_params(
    client: RecordingClient, tmp_path: Path, params: dict[str, Any]
) -> None:
    _, uri = project(tmp_path)
    open_document(client, uri, TEXT)
    if "uri" in params.get("textDocument", {}):
        params = {**params, "textDocument": {"uri": params["textDocument"]["uri"].format(uri=uri)}}
    with pytest.raises(JsonRpcException) as raised:
        await build_plan_request(client, params)
    assert raised.value.code == -32602


async def test_plans_of_files_with_syntax_errors(client: RecordingClient, tmp_path: Path) -> None:
    broken = TEXT + "[cerebrium.hardware\ncpu = \n"
    _, uri = project(tmp_path, broken)
    open_document(client, uri, broken)
    result = await execute(client, "cerebrium.showBuildPlan", uri)
    assert "the CLI would refuse it" in result["markdown"]
