"""``textDocument/documentLink`` (file paths to existing files, the entrypoint's module or script
to its file, URLs written in the file; never a table header, whose docs page is in its hover) and
``textDocument/definition`` (a file path opens the file)."""

from __future__ import annotations

import attrs
import pytest
from e2e_support import (
    WORKSPACE,
    RecordingClient,
    as_json,
    doc_id,
    open_document,
    rng,
    session,
    text_of,
    uri_of,
)
from lsprotocol import types
from pytest_lsp import client_capabilities

pytestmark = pytest.mark.timeout(30)

DOCKERFILE = (WORKSPACE / "project" / "Dockerfile").as_uri()
REQUIREMENTS = (WORKSPACE / "project" / "requirements.txt").as_uri()
LINKS = WORKSPACE / "links"
FILE_START = rng(0, 0, 0, 0)
DOCS_URL = "https://cerebrium.ai/docs/toml-reference/toml-reference"
REPO_URL = "https://github.com/org/repo"
LIST_ENTRYPOINT = '["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]'


def tooltips(client: RecordingClient) -> bool:
    caps = client.capabilities
    link = caps.text_document.document_link if caps and caps.text_document else None
    return bool(link and link.tooltip_support)


def link(client: RecordingClient, r: types.Range, target: str, tooltip: str) -> types.DocumentLink:
    return types.DocumentLink(range=r, target=target, tooltip=tooltip if tooltips(client) else None)


def project_links(client: RecordingClient) -> list[types.DocumentLink]:
    return [
        link(client, rng(10, 7, 10, 23), REQUIREMENTS, "Open requirements.txt"),
        link(client, rng(14, 19, 14, 31), DOCKERFILE, "Open Dockerfile"),
    ]


async def links(client: RecordingClient, uri: str) -> object:
    result = await client.text_document_document_link_async(
        types.DocumentLinkParams(text_document=doc_id(uri))
    )
    return as_json(result)


async def test_paths_link_to_files_and_headers_are_not_links(client: RecordingClient) -> None:
    uri = uri_of("project")
    open_document(client, uri, text_of("project"))
    assert await links(client, uri) == as_json(project_links(client))


async def test_missing_files_are_not_linked(client: RecordingClient) -> None:
    uri = uri_of("project")
    text = text_of("project").replace("./Dockerfile", "./Missing.dockerfile")
    open_document(client, uri, text)
    expected = [item for item in project_links(client) if item.target != DOCKERFILE]
    assert await links(client, uri) == as_json(expected)


async def test_paths_need_a_file_uri(client: RecordingClient) -> None:
    # An unsaved buffer has no folder to resolve paths against: no link at all.
    uri = "untitled:cerebrium.toml"
    open_document(client, uri, text_of("project"))
    assert await links(client, uri) == []


async def test_table_hover_carries_the_docs_link(client: RecordingClient) -> None:
    uri = uri_of("project")
    open_document(client, uri, text_of("project"))
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=doc_id(uri), position=types.Position(line=4, character=5))
    )
    assert hover is not None
    contents = hover.contents
    text = contents.value if isinstance(contents, types.MarkupContent) else str(contents)
    docs = "https://cerebrium.ai/docs/hardware/using-gpus"
    assert f"[docs]({docs})" in text or f"docs ({docs})" in text


def entrypoint_links(
    client: RecordingClient, module: types.Range, target: str
) -> list[types.DocumentLink]:
    """The links of tests/workspace/links: the URL in the comment (without its full stop), the
    entrypoint's file, the repository of a ``git+https://…@v1.0`` package (without its ref)."""
    return [
        link(client, rng(0, 8, 0, 63), DOCS_URL, "Open in the browser"),
        link(client, module, (LINKS / target).as_uri(), f"Open {target.rsplit('/', 1)[-1]}"),
        link(client, rng(10, 5, 10, 32), REPO_URL, "Open in the browser"),
    ]


@pytest.mark.parametrize(
    ("entrypoint", "module", "target"),
    [
        (LIST_ENTRYPOINT, rng(5, 26, 5, 30), "main.py"),
        ('"uvicorn main:app --port 8000"', rng(5, 22, 5, 26), "main.py"),
        (LIST_ENTRYPOINT.replace("main:app", "api:app"), rng(5, 26, 5, 29), "api/__init__.py"),
        ('["python", "serve.py"]', rng(5, 25, 5, 33), "serve.py"),
        ('["python", "-m", "worker"]', rng(5, 31, 5, 37), "worker/__main__.py"),
    ],
    ids=["uvicorn-list", "uvicorn-string", "package", "python-script", "python-module"],
)
async def test_entrypoint_file_and_urls(
    client: RecordingClient, entrypoint: str, module: types.Range, target: str
) -> None:
    uri = uri_of("links")
    open_document(client, uri, text_of("links").replace(LIST_ENTRYPOINT, entrypoint))
    assert await links(client, uri) == as_json(entrypoint_links(client, module, target))


@pytest.mark.parametrize(
    "entrypoint",
    [
        LIST_ENTRYPOINT.replace("main:app", "nothere:app"),
        '["python", "missing.py"]',
        '["bash", "-c", "uvicorn main:app"]',  # what a shell starts cannot be told
    ],
)
async def test_no_entrypoint_link_without_a_file(client: RecordingClient, entrypoint: str) -> None:
    uri = uri_of("links")
    open_document(client, uri, text_of("links").replace(LIST_ENTRYPOINT, entrypoint))
    result = await links(client, uri)
    assert isinstance(result, list)
    assert [item["target"] for item in result] == [DOCS_URL, REPO_URL]


async def test_urls_with_credentials_are_not_links(client: RecordingClient) -> None:
    uri = uri_of("links")
    text = text_of("links").replace(
        "https://github.com/org/repo", "https://user:tok@github.com/org/repo"
    )
    open_document(client, uri, text)
    result = await links(client, uri)
    assert isinstance(result, list)
    assert [item["target"] for item in result] == [DOCS_URL, (LINKS / "main.py").as_uri()]


async def definition(client: RecordingClient, uri: str, line: int, character: int) -> object:
    result = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=doc_id(uri), position=types.Position(line=line, character=character)
        )
    )
    return as_json(result)


@pytest.mark.parametrize(
    ("position", "target", "origin"),
    [
        ((14, 25), DOCKERFILE, rng(14, 19, 14, 31)),
        ((14, 19), DOCKERFILE, rng(14, 19, 14, 31)),  # at the start of the path
        ((14, 31), DOCKERFILE, rng(14, 19, 14, 31)),  # just after it
        ((10, 12), REQUIREMENTS, rng(10, 7, 10, 23)),
    ],
)
async def test_definition_opens_the_file(
    client: RecordingClient, position: tuple[int, int], target: str, origin: types.Range
) -> None:
    uri = uri_of("project")
    open_document(client, uri, text_of("project"))
    # Every profile here declares linkSupport.
    assert await definition(client, uri, *position) == as_json(
        [
            types.LocationLink(
                target_uri=target,
                target_range=FILE_START,
                target_selection_range=FILE_START,
                origin_selection_range=origin,
            )
        ]
    )


@pytest.mark.parametrize("position", [(13, 2), (14, 3), (7, 12), (500, 3)])
async def test_no_definition_elsewhere(client: RecordingClient, position: tuple[int, int]) -> None:
    uri = uri_of("project")
    open_document(client, uri, text_of("project"))
    assert await definition(client, uri, *position) == []


async def test_definition_as_location_without_link_support() -> None:
    caps = client_capabilities("visual_studio_code")
    assert caps.text_document is not None and caps.text_document.definition is not None
    definition_caps = attrs.evolve(caps.text_document.definition, link_support=False)
    caps = attrs.evolve(
        caps, text_document=attrs.evolve(caps.text_document, definition=definition_caps)
    )
    async with session(caps) as client:
        uri = uri_of("project")
        open_document(client, uri, text_of("project"))
        result = await definition(client, uri, 14, 25)
    assert result == as_json([types.Location(uri=DOCKERFILE, range=FILE_START)])
