"""``textDocument/documentLink`` (file paths to existing files, table headers to their docs
page) and ``textDocument/definition`` (a file path opens the file)."""

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

DOCS = "https://cerebrium.ai/docs/"
DOCKERFILE = (WORKSPACE / "project" / "Dockerfile").as_uri()
REQUIREMENTS = (WORKSPACE / "project" / "requirements.txt").as_uri()
FILE_START = rng(0, 0, 0, 0)


def tooltips(client: RecordingClient) -> bool:
    caps = client.capabilities
    link = caps.text_document.document_link if caps and caps.text_document else None
    return bool(link and link.tooltip_support)


def project_links(with_tooltips: bool) -> list[types.DocumentLink]:
    def link(r: types.Range, target: str, tooltip: str) -> types.DocumentLink:
        return types.DocumentLink(
            range=r, target=target, tooltip=tooltip if with_tooltips else None
        )

    return [
        link(
            rng(0, 1, 0, 21), DOCS + "toml-reference/toml-reference", "Deployment: Cerebrium docs"
        ),
        link(rng(4, 1, 4, 19), DOCS + "hardware/using-gpus", "Hardware: Cerebrium docs"),
        link(
            rng(9, 1, 9, 29),
            DOCS + "container-images/defining-container-images",
            "Dependency files: Cerebrium docs",
        ),
        link(rng(10, 7, 10, 23), REQUIREMENTS, "Open requirements.txt"),
        link(
            rng(12, 1, 12, 25),
            DOCS + "container-images/custom-web-servers",
            "Custom web server: Cerebrium docs",
        ),
        link(rng(14, 19, 14, 31), DOCKERFILE, "Open Dockerfile"),
    ]


async def links(client: RecordingClient, uri: str) -> object:
    result = await client.text_document_document_link_async(
        types.DocumentLinkParams(text_document=doc_id(uri))
    )
    return as_json(result)


async def test_paths_and_docs_pages(client: RecordingClient) -> None:
    uri = uri_of("project")
    open_document(client, uri, text_of("project"))
    assert await links(client, uri) == as_json(project_links(tooltips(client)))


async def test_missing_files_are_not_linked(client: RecordingClient) -> None:
    uri = uri_of("project")
    text = text_of("project").replace("./Dockerfile", "./Missing.dockerfile")
    open_document(client, uri, text)
    expected = [link for link in project_links(tooltips(client)) if link.target != DOCKERFILE]
    assert await links(client, uri) == as_json(expected)


async def test_paths_need_a_file_uri(client: RecordingClient) -> None:
    # An unsaved buffer has no folder to resolve paths against; the docs links remain.
    uri = "untitled:cerebrium.toml"
    open_document(client, uri, text_of("project"))
    expected = [
        link
        for link in project_links(tooltips(client))
        if link.target not in (DOCKERFILE, REQUIREMENTS)
    ]
    assert await links(client, uri) == as_json(expected)


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
