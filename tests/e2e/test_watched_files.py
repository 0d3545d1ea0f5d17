"""``workspace/didChangeWatchedFiles``: the server registers a watcher when the client can
register dynamically; a file created, changed or deleted in the project folder of an open
``cerebrium.toml`` re-checks it (push: published again; pull: ``workspace/diagnostic/refresh``
and a new result id), re-plans it and asks for fresh code lenses; a burst of events costs one
re-check; events about nothing open, tool folders, the open document itself or odd URIs are
ignored without harm."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from e2e_support import (
    PROFILES,
    RecordingClient,
    as_json,
    diagnostics_for,
    open_document,
    pull,
    session,
    wait_for_publish,
)
from lsprotocol import types
from pytest_lsp import client_capabilities

pytestmark = pytest.mark.timeout(30)

APP = '[cerebrium.deployment]\nname = "watched"\n'
WITH_DOCKERFILE = APP + '\n[cerebrium.runtime.custom]\ndockerfile_path = "docker/Dockerfile"\n'
WATCHERS = {"watchers": [{"globPattern": "**/*", "kind": 7}]}  # create | change | delete
# Longer than the server's quiet window (0.2 s): a re-check that was due has happened by then.
SETTLE_S = 0.8
Created, Changed, Deleted = (
    types.FileChangeType.Created,
    types.FileChangeType.Changed,
    types.FileChangeType.Deleted,
)


# --- helpers ---------------------------------------------------------------------------------


def project(folder: Path, text: str = APP) -> str:
    """``folder/cerebrium.toml`` holding ``text`` (no main.py); returns its URI."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "cerebrium.toml"
    config.write_text(text, encoding="utf-8")
    return config.as_uri()


def notify(client: RecordingClient, *changes: tuple[Path | str, types.FileChangeType]) -> None:
    """Send one ``workspace/didChangeWatchedFiles`` (a path, or a URI given as text)."""
    events = [
        types.FileEvent(uri=where.as_uri() if isinstance(where, Path) else where, type=kind)
        for where, kind in changes
    ]
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=events))


def codes(diagnostics: list[types.Diagnostic] | Any) -> list[str]:
    return [str(d.code) for d in diagnostics]


def publishes(
    client: RecordingClient, uri: str, start: int
) -> list[types.PublishDiagnosticsParams]:
    return [p for p in client.published[start:] if p.uri == uri]


@attrs.define
class LensRefreshes:
    count: int = 0


@contextlib.asynccontextmanager
async def watched_session(
    capabilities: types.ClientCapabilities | str,
) -> AsyncIterator[tuple[RecordingClient, LensRefreshes]]:
    """A session whose client also answers ``workspace/codeLens/refresh`` (and counts them)."""
    refreshes = LensRefreshes()
    async with session(capabilities) as client:

        @client.feature(types.WORKSPACE_CODE_LENS_REFRESH)
        def lens_refresh(params: None) -> None:
            refreshes.count += 1

        yield client, refreshes


def send_raw_notification(client: RecordingClient, method: str, params: Any) -> None:
    """Write a notification exactly as given, bypassing the client's own type checks."""
    body = json.dumps({"jsonrpc": "2.0", "method": method, "params": params}).encode()
    server = client._server
    assert server is not None and server.stdin is not None
    server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)


async def eventually(condition: Any, timeout_s: float = 10) -> None:
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.02)

    await asyncio.wait_for(poll(), timeout_s)


def with_pull_refresh(refresh: bool) -> types.ClientCapabilities:
    """Neovim's capabilities (pull diagnostics), with or without diagnostic refresh support."""
    caps = client_capabilities("neovim")
    assert caps.workspace is not None
    caps.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(
        refresh_support=refresh
    )
    return caps


# --- registration ----------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
async def test_watchers_are_registered_when_the_client_registers_dynamically(
    profile: str, tmp_path: Path
) -> None:
    caps = client_capabilities(profile)
    watched = caps.workspace and caps.workspace.did_change_watched_files
    dynamic = bool(watched and watched.dynamic_registration)
    assert dynamic == (profile != "neovim")  # the profiles cover both cases
    async with session(caps) as client:
        uri = project(tmp_path)
        open_document(client, uri, APP)
        await diagnostics_for(client, uri, 1)  # after initialized: any registration was sent
        registered = [
            as_json(r.register_options)
            for r in client.registrations
            if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
        ]
        assert registered == ([WATCHERS] if dynamic else [])


# --- push ------------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", ["visual_studio_code", "emacs"])
async def test_creating_and_deleting_main_py_rechecks_the_open_document(
    profile: str, tmp_path: Path
) -> None:
    async with watched_session(profile) as (client, _):
        uri = project(tmp_path)
        open_document(client, uri, APP)
        assert codes(await diagnostics_for(client, uri, 1)) == ["missing-file"]

        start = len(client.published)
        (tmp_path / "main.py").write_text("print('hi')\n", encoding="utf-8")
        notify(client, (tmp_path / "main.py", Created))
        republished = await wait_for_publish(client, uri, 1, start=start)
        assert codes(republished.diagnostics) == []

        start = len(client.published)
        (tmp_path / "main.py").unlink()
        notify(client, (tmp_path / "main.py", Deleted))
        republished = await wait_for_publish(client, uri, 1, start=start)
        assert codes(republished.diagnostics) == ["missing-file"]


async def test_an_event_for_a_new_folder_covers_the_files_in_it(tmp_path: Path) -> None:
    async with watched_session("visual_studio_code") as (client, _):
        uri = project(tmp_path, WITH_DOCKERFILE)
        open_document(client, uri, WITH_DOCKERFILE)
        assert codes(await diagnostics_for(client, uri, 1)) == ["missing-file"]
        start = len(client.published)
        (tmp_path / "docker").mkdir()
        dockerfile = 'FROM debian\nCMD ["./serve"]\n'  # with a command: dockerfile-command
        (tmp_path / "docker" / "Dockerfile").write_text(dockerfile, encoding="utf-8")
        notify(client, (tmp_path / "docker", Created))  # some clients report only the folder
        republished = await wait_for_publish(client, uri, 1, start=start)
        assert codes(republished.diagnostics) == []


async def test_a_burst_of_events_is_one_recheck(tmp_path: Path) -> None:
    async with watched_session("visual_studio_code") as (client, refreshes):
        uri = project(tmp_path)
        open_document(client, uri, APP)
        await diagnostics_for(client, uri, 1)
        start = len(client.published)
        (tmp_path / "main.py").write_text("print('hi')\n", encoding="utf-8")
        # A checkout: ten notifications 20 ms apart, each with many events.
        for batch in range(10):
            notify(
                client,
                (tmp_path / "main.py", Changed),
                *[(tmp_path / "src" / f"module_{batch}_{i}.py", Created) for i in range(30)],
                (tmp_path / ".git" / "index", Changed),
            )
            await asyncio.sleep(0.02)
        republished = await wait_for_publish(client, uri, 1, start=start)
        assert codes(republished.diagnostics) == []
        await asyncio.sleep(SETTLE_S)
        assert len(publishes(client, uri, start)) == 1
        assert refreshes.count == 1  # VS Code refreshes lenses when asked, once per burst


async def test_events_that_concern_no_open_project_are_ignored(tmp_path: Path) -> None:
    app = tmp_path / "app"
    async with watched_session("visual_studio_code") as (client, refreshes):
        uri = project(app)
        open_document(client, uri, APP)
        assert codes(await diagnostics_for(client, uri, 1)) == ["missing-file"]
        start = len(client.published)
        # main.py now exists, but no event below concerns it: the old result stays.
        (app / "main.py").write_text("print('hi')\n", encoding="utf-8")
        notify(
            client,
            (app / "cerebrium.toml", Changed),  # the open document: the editor's text counts
            (app / ".git" / "index", Changed),
            (app / "node_modules" / "left-pad" / "main.py", Created),
            (app / ".venv" / "lib" / "site.py", Deleted),
            (tmp_path / "elsewhere" / "main.py", Created),
            ("untitled:Untitled-1", Changed),
            ("https://example.com/app/main.py", Created),
            ("file://server/share/main.py", Created),
            ("file:", Deleted),
            ("not a uri", Created),
            ("", Changed),
        )
        await asyncio.sleep(SETTLE_S)
        assert publishes(client, uri, start) == []
        assert refreshes.count == 0
        assert [m.message for m in client.log_messages if m.type <= types.MessageType.Warning] == []

        # Still serving: a relevant event is handled.
        notify(client, (app / "main.py", Created))
        republished = await wait_for_publish(client, uri, 1, start=start)
        assert codes(republished.diagnostics) == []


async def test_malformed_notifications_do_not_stop_the_server(tmp_path: Path) -> None:
    async with watched_session("visual_studio_code") as (client, _):
        uri = project(tmp_path)
        open_document(client, uri, APP)
        await diagnostics_for(client, uri, 1)
        start = len(client.published)
        for params in ({"changes": [{"uri": uri, "type": 99}]}, {"changes": "everything"}, {}):
            send_raw_notification(client, types.WORKSPACE_DID_CHANGE_WATCHED_FILES, params)
        (tmp_path / "main.py").write_text("print('hi')\n", encoding="utf-8")
        notify(client, (tmp_path / "main.py", Created))
        republished = await wait_for_publish(client, uri, 1, start=start)
        assert codes(republished.diagnostics) == []


async def test_documents_of_other_projects_are_left_alone(tmp_path: Path) -> None:
    async with watched_session("visual_studio_code") as (client, _):
        first, second = project(tmp_path / "first"), project(tmp_path / "second")
        open_document(client, first, APP)
        open_document(client, second, APP)
        await diagnostics_for(client, first, 1)
        await diagnostics_for(client, second, 1)
        start = len(client.published)
        (tmp_path / "first" / "main.py").write_text("print('hi')\n", encoding="utf-8")
        notify(client, (tmp_path / "first" / "main.py", Created))
        republished = await wait_for_publish(client, first, 1, start=start)
        assert codes(republished.diagnostics) == []
        await asyncio.sleep(SETTLE_S)
        assert publishes(client, second, start) == []


async def test_the_build_plan_follows_the_files(tmp_path: Path) -> None:
    async with watched_session("visual_studio_code") as (client, _):
        uri = project(tmp_path)
        open_document(client, uri, APP)
        await diagnostics_for(client, uri, 1)

        async def uploaded() -> list[str]:
            result = await client.protocol.send_request_async(
                "cerebrium/buildPlan", {"textDocument": {"uri": uri}, "format": "json"}
            )
            return [file.path for file in result.plan.code.files]

        assert await uploaded() == ["cerebrium.toml"]
        start = len(client.published)
        (tmp_path / "main.py").write_text("print('hi')\n", encoding="utf-8")
        notify(client, (tmp_path / "main.py", Created))
        await wait_for_publish(client, uri, 1, start=start)
        assert sorted(await uploaded()) == ["cerebrium.toml", "main.py"]


# --- pull ------------------------------------------------------------------------------------


@pytest.mark.parametrize("refresh", [True, False])
async def test_pull_clients_get_a_new_result_and_a_refresh_if_they_support_it(
    refresh: bool, tmp_path: Path
) -> None:
    async with watched_session(with_pull_refresh(refresh)) as (client, _):
        uri = project(tmp_path)
        open_document(client, uri, APP)
        first = await pull(client, uri)
        assert isinstance(first, types.RelatedFullDocumentDiagnosticReport)
        assert codes(first.items) == ["missing-file"]

        (tmp_path / "main.py").write_text("print('hi')\n", encoding="utf-8")
        notify(client, (tmp_path / "main.py", Created))
        if refresh:
            await eventually(lambda: client.diagnostic_refresh_count == 1)
        else:
            await asyncio.sleep(SETTLE_S)  # nothing to wait for: the next pull is fresh
            assert client.diagnostic_refresh_count == 0
        report = await pull(client, uri, previous_result_id=first.result_id)
        assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
        assert codes(report.items) == []
        assert report.result_id != first.result_id
        assert client.published == []  # pull clients get no pushes
