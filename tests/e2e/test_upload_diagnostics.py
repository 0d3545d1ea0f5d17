"""The upload-set diagnostics through the server, as editors get them: the workspace fixtures
(include matching nothing, secret-looking files, a virtual environment, and their clean
counterparts), the quick fix that excludes the secrets, and the diagnostics following the
project folder through ``workspace/didChangeWatchedFiles`` (a file created, a file rewritten
in place, which changes no folder's time)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from e2e_support import (
    RecordingClient,
    diagnostics_for,
    doc_id,
    open_document,
    session,
    text_of,
    uri_of,
    wait_for_publish,
)
from lsprotocol import types
from pytest_lsp import LanguageClient

pytestmark = pytest.mark.timeout(30)

UPLOAD_CODES = {"no-files-matched", "secret-file", "dev-folder", "upload-size"}
EXCLUDE_DATA = '[cerebrium.deployment]\nname = "watched"\nexclude = ["data/"]\n'


def upload_diagnostics(diagnostics: list[types.Diagnostic]) -> dict[str, types.Diagnostic]:
    return {str(d.code): d for d in diagnostics if d.code in UPLOAD_CODES}


async def open_fixture(client: Any, name: str) -> dict[str, types.Diagnostic]:
    assert isinstance(client, RecordingClient)
    open_document(client, uri_of(name), text_of(name))
    return upload_diagnostics(await diagnostics_for(client, uri_of(name), 1))


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("upload_secrets", {"secret-file"}),
        ("upload_secrets_clean", set()),
        ("upload_nothing", {"no-files-matched"}),
        ("upload_nothing_clean", set()),
        ("upload_dev", {"dev-folder"}),
        ("upload_dev_clean", set()),
    ],
)
async def test_fixtures(client: LanguageClient, fixture: str, expected: set[str]) -> None:
    assert set(await open_fixture(client, fixture)) == expected


async def test_positions_and_severities(client: LanguageClient) -> None:
    nothing = (await open_fixture(client, "upload_nothing"))["no-files-matched"]
    assert nothing.severity == types.DiagnosticSeverity.Error
    # include = ["src/*"] on line 4 (0-based 3): the value.
    assert nothing.range == types.Range(types.Position(3, 10), types.Position(3, 19))
    secret = (await open_fixture(client, "upload_secrets"))["secret-file"]
    assert secret.severity == types.DiagnosticSeverity.Warning
    assert secret.range == types.Range(types.Position(4, 0), types.Position(4, 7))  # exclude
    assert "not-a-real-token" not in secret.message and "test fixture" not in secret.message
    dev = (await open_fixture(client, "upload_dev"))["dev-folder"]
    assert dev.severity == types.DiagnosticSeverity.Information


async def test_quick_fix_excludes_the_secrets(client: LanguageClient) -> None:
    secret = (await open_fixture(client, "upload_secrets"))["secret-file"]
    uri = uri_of("upload_secrets")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc_id(uri),
            range=secret.range,
            context=types.CodeActionContext(diagnostics=[secret]),
        )
    )
    fixes = [a for a in actions or [] if isinstance(a, types.CodeAction) and a.diagnostics]
    [fix] = [a for a in fixes if a.diagnostics and a.diagnostics[0].code == "secret-file"]
    assert fix.title.startswith('Add ".*", "certs/server.pem", "id_rsa"')
    assert fix.edit is not None
    edits: list[Any] = []
    if fix.edit.changes:
        edits = list(fix.edit.changes[uri])
    elif fix.edit.document_changes:
        edits = [e for change in fix.edit.document_changes for e in change.edits]  # type: ignore[union-attr]
    [edit] = edits
    assert edit.range.start == types.Position(4, 11)  # before "data/"
    assert edit.new_text == '".*", "certs/server.pem", "id_rsa", "service-account.json", '


def write_project(folder: Path, text: str, **files: str) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.py").write_text("print('app')\n", encoding="utf-8")
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
    config = folder / "cerebrium.toml"
    config.write_text(text, encoding="utf-8")
    return config.as_uri()


def notify(client: RecordingClient, path: Path, kind: types.FileChangeType) -> None:
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=path.as_uri(), type=kind)])
    )


async def test_secrets_follow_the_folder(tmp_path: Path) -> None:
    async with session("visual_studio_code") as client:
        uri = write_project(tmp_path, EXCLUDE_DATA, **{"server.key": "not a key yet\n"})
        open_document(client, uri, EXCLUDE_DATA)
        assert not upload_diagnostics(await diagnostics_for(client, uri, 1))

        # A new file: the project folder's time changes.
        start = len(client.published)
        (tmp_path / ".env").write_text("A=1\n", encoding="utf-8")
        notify(client, tmp_path / ".env", types.FileChangeType.Created)
        published = await wait_for_publish(client, uri, 1, start=start)
        assert (
            ".env (environment file)"
            in upload_diagnostics(published.diagnostics)["secret-file"].message.split(
                "uploaded with the code: "
            )[1]
        )

        # A file rewritten in place: no folder changes; the event drops the cached walk.
        start = len(client.published)
        (tmp_path / "server.key").write_text(
            "-----BEGIN PRIVATE KEY-----\nnot a key: a test\n", encoding="utf-8"
        )
        notify(client, tmp_path / "server.key", types.FileChangeType.Changed)
        published = await wait_for_publish(client, uri, 1, start=start)
        assert (
            "server.key (private key)"
            in upload_diagnostics(published.diagnostics)["secret-file"].message
        )

        start = len(client.published)
        (tmp_path / ".env").unlink()
        (tmp_path / "server.key").unlink()
        notify(client, tmp_path / ".env", types.FileChangeType.Deleted)
        published = await wait_for_publish(client, uri, 1, start=start)
        assert not upload_diagnostics(published.diagnostics)


async def test_file_checks_off_skips_the_walk(tmp_path: Path) -> None:
    text = '[cerebrium.deployment]\nname = "off"\ninclude = ["src/*"]\n'
    async with session("visual_studio_code", configuration={"fileChecks": False}) as client:
        uri = write_project(tmp_path, text)
        open_document(client, uri, text)
        assert not upload_diagnostics(await diagnostics_for(client, uri, 1))
