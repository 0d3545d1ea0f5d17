"""The entrypoint's target end to end: ``main:app`` where main.py defines ``server`` is an
error on ``app`` with a quick fix; go-to-definition leads from ``main`` to main.py and from the
app's name to the line that defines it; editing main.py re-checks through watched files."""

from __future__ import annotations

from pathlib import Path

import pytest
from e2e_support import (
    WORKSPACE,
    RecordingClient,
    as_json,
    check_json,
    diagnostics_for,
    doc_id,
    open_document,
    rng,
    session,
    text_of,
    uri_of,
    wait_for_publish,
)
from lsprotocol import types
from pytest_lsp import LanguageClient

pytestmark = pytest.mark.timeout(30)

MAIN_PY = (WORKSPACE / "targets" / "attr-missing" / "main.py").as_uri()
SERVER_PY = (WORKSPACE / "targets" / "clean-package" / "pkg" / "server.py").as_uri()
FILE_START = rng(0, 0, 0, 0)
MESSAGE = (
    "`main:app`: main.py defines no `app` at top level (it defines the app `server`), so "
    'uvicorn fails to load the app (“Attribute "app" not found in module "main"”) and it '
    "never starts once the image is built. Did you mean `main:server`? Point the entrypoint at "
    "the object that holds the app, or define `app` in main.py."
)


async def test_missing_app_is_an_error_on_its_name(client: RecordingClient) -> None:
    uri = uri_of("targets/attr-missing")
    open_document(client, uri, text_of("targets/attr-missing"))
    found = [d for d in await diagnostics_for(client, uri, 1) if d.code == "entrypoint-target"]
    assert as_json(found) == as_json(
        [
            types.Diagnostic(
                range=rng(5, 31, 5, 34),
                severity=types.DiagnosticSeverity.Error,
                code="entrypoint-target",
                source="cerebrium",
                message=MESSAGE,
                data={"replacement": "server", "title": "Use `main:server`"},
            )
        ]
    )
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc_id(uri),
            range=rng(5, 31, 5, 34),
            context=types.CodeActionContext(diagnostics=found),
        )
    )
    titles = [a.title for a in actions or [] if isinstance(a, types.CodeAction)]
    assert "Use `main:server`" in titles


async def definition(client: RecordingClient, uri: str, line: int, character: int) -> object:
    result = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=doc_id(uri), position=types.Position(line=line, character=character)
        )
    )
    return as_json(result)


def link(target: str, at: types.Range, origin: types.Range) -> object:
    return as_json(
        [
            types.LocationLink(
                target_uri=target,
                target_range=at,
                target_selection_range=at,
                origin_selection_range=origin,
            )
        ]
    )


async def test_definition_from_the_module_opens_the_file(client: RecordingClient) -> None:
    uri = uri_of("targets/attr-missing")
    open_document(client, uri, text_of("targets/attr-missing"))
    # entrypoint = ["uvicorn", "main:app", ...]: "main" at columns 26-30 of line 5.
    assert await definition(client, uri, 5, 28) == link(MAIN_PY, FILE_START, rng(5, 26, 5, 30))


async def test_definition_from_the_app_goes_to_its_line(client: RecordingClient) -> None:
    uri = uri_of("targets/clean-package")
    open_document(client, uri, text_of("targets/clean-package"))
    line = text_of("targets/clean-package").splitlines()[5]
    start = line.index("pkg.server:app") + len("pkg.server:")
    # pkg/server.py line 8: "    app: FastAPI = FastAPI()"
    assert await definition(client, uri, 5, start + 1) == link(
        SERVER_PY, rng(8, 4, 8, 7), rng(5, start, 5, start + 3)
    )


async def test_editing_main_py_rechecks(tmp_path: Path) -> None:
    async with session("visual_studio_code") as client:
        (tmp_path / "main.py").write_text("server = object()\n", encoding="utf-8")
        config = tmp_path / "cerebrium.toml"
        text = text_of("targets/attr-missing")
        config.write_text(text, encoding="utf-8")
        uri = config.as_uri()
        open_document(client, uri, text)
        first = await diagnostics_for(client, uri, 1)
        assert [d.code for d in first if d.code == "entrypoint-target"] == ["entrypoint-target"]

        start = len(client.published)
        (tmp_path / "main.py").write_text("server = object()\napp = server\n", encoding="utf-8")
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[
                    types.FileEvent(
                        uri=(tmp_path / "main.py").as_uri(), type=types.FileChangeType.Changed
                    )
                ]
            )
        )
        again = await wait_for_publish(client, uri, 1, start=start)
        assert "entrypoint-target" not in [d.code for d in again.diagnostics]


DOCKERFILE = (WORKSPACE / "dockerfiles" / "port-mismatch" / "Dockerfile").as_uri()


async def test_dockerfile_expose_differs_from_port(client: RecordingClient) -> None:
    uri = uri_of("dockerfiles/port-mismatch")
    open_document(client, uri, text_of("dockerfiles/port-mismatch"))
    found = [d for d in await diagnostics_for(client, uri, 1) if d.code == "dockerfile-port"]
    assert len(found) == 1
    assert found[0].range == rng(5, 7, 5, 11)
    assert found[0].severity == types.DiagnosticSeverity.Warning
    assert as_json(found[0].related_information) == as_json(
        [
            types.DiagnosticRelatedInformation(
                location=types.Location(uri=DOCKERFILE, range=rng(4, 0, 4, 11)),
                message="EXPOSE 8080",
            )
        ]
    )


async def test_dockerfile_without_command(client: RecordingClient) -> None:
    uri = uri_of("dockerfiles/no-command")
    open_document(client, uri, text_of("dockerfiles/no-command"))
    found = [d for d in await diagnostics_for(client, uri, 1) if d.code == "dockerfile-command"]
    assert [(d.range, d.severity) for d in found] == [
        (rng(4, 18, 4, 30), types.DiagnosticSeverity.Error)
    ]


async def test_hover_on_dockerfile_path_summarises_it(client: RecordingClient) -> None:
    uri = uri_of("dockerfiles/clean-multistage-arg")
    open_document(client, uri, text_of("dockerfiles/clean-multistage-arg"))
    await diagnostics_for(client, uri, 1)
    result = await client.text_document_hover_async(
        types.HoverParams(text_document=doc_id(uri), position=types.Position(line=4, character=22))
    )
    assert result is not None
    contents = result.contents
    text = contents.value if isinstance(contents, types.MarkupContent) else str(contents)
    assert "2 stages, the last (final) is the image" in text
    assert "Base image: " in text and "python:3.11-slim" in text
    assert "Exposed ports: 8000" in text
    assert "CMD uvicorn main:app --host 0.0.0.0 --port ${APP_PORT}" in text


async def test_definition_columns_are_utf16(tmp_path: Path) -> None:
    line = 'emoji = "😀"; app = object()'
    (tmp_path / "main.py").write_text(line + "\n", encoding="utf-8")
    text = '[cerebrium.runtime.custom]\nentrypoint = ["uvicorn", "main:app"]\n'
    (tmp_path / "cerebrium.toml").write_text(text, encoding="utf-8")
    uri = (tmp_path / "cerebrium.toml").as_uri()
    start = len(line[: line.index("app")].encode("utf-16-le")) // 2  # 14: the emoji is 2 units
    async with session("visual_studio_code") as client:
        open_document(client, uri, text)
        await diagnostics_for(client, uri, 1)
        assert await definition(client, uri, 1, 32) == link(
            (tmp_path / "main.py").as_uri(), rng(0, start, 0, start + 3), rng(1, 31, 1, 34)
        )


async def test_editing_the_dockerfile_rechecks(tmp_path: Path) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text('FROM python:3.11\nEXPOSE 8080\nCMD ["python", "main.py"]\n')
    text = text_of("dockerfiles/port-mismatch")
    (tmp_path / "cerebrium.toml").write_text(text, encoding="utf-8")
    uri = (tmp_path / "cerebrium.toml").as_uri()
    async with session("visual_studio_code") as client:
        open_document(client, uri, text)
        first = await diagnostics_for(client, uri, 1)
        assert "dockerfile-port" in [d.code for d in first]
        start = len(client.published)
        dockerfile.write_text('FROM python:3.11\nEXPOSE 8000\nCMD ["python", "main.py"]\n')
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[
                    types.FileEvent(uri=dockerfile.as_uri(), type=types.FileChangeType.Changed)
                ]
            )
        )
        again = await wait_for_publish(client, uri, 1, start=start)
        assert "dockerfile-port" not in [d.code for d in again.diagnostics]


FIXTURES = sorted(
    f"{group}/{folder.name}"
    for group in ("targets", "dockerfiles")
    for folder in (WORKSPACE / group).iterdir()
    if folder.is_dir()
)


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("name", FIXTURES)
async def test_every_fixture_same_as_check_json(module_client: LanguageClient, name: str) -> None:
    """Server and ``check --format json`` publish the same diagnostics on every project fixture
    (relatedInformation into the Dockerfile included)."""
    path = WORKSPACE / name / "cerebrium.toml"
    expected = check_json(path)
    uri = uri_of(name)
    open_document(module_client, uri, text_of(name))
    assert isinstance(module_client, RecordingClient)
    published = await diagnostics_for(module_client, uri, 1)
    assert as_json(published) == expected["diagnostics"]
