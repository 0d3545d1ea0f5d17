"""``textDocument/foldingRange`` (tables, multi-line arrays and strings, comment blocks) and
``textDocument/selectionRange`` (value -> key/value -> table -> document)."""

from __future__ import annotations

import pytest
from e2e_support import RecordingClient, as_json, doc_id, open_document, rng, text_of, uri_of
from lsprotocol import types

pytestmark = pytest.mark.timeout(30)

COMMENT = types.FoldingRangeKind.Comment

MULTILINE = """[cerebrium.deployment]
name = "x"
shell_commands = [
  \"\"\"
  echo one
  \"\"\",
  \"\"\"echo two
  echo three\"\"\",
]
# a
# b
# c
[cerebrium.hardware]  # trailing
cpu = 2  # not a block
# lone
"""


def fold(start: int, end: int, kind: types.FoldingRangeKind | None = None) -> types.FoldingRange:
    return types.FoldingRange(start_line=start, end_line=end, kind=kind)


async def folding(client: RecordingClient, uri: str) -> object:
    result = await client.text_document_folding_range_async(
        types.FoldingRangeParams(text_document=doc_id(uri))
    )
    return as_json(result)


async def test_folding_tables_arrays_and_comments(client: RecordingClient) -> None:
    uri = uri_of("shapes")
    open_document(client, uri, text_of("shapes"))
    assert await folding(client, uri) == as_json(
        [
            fold(0, 1, COMMENT),  # the two comment lines
            fold(3, 9),  # [cerebrium.deployment] to shell_commands
            fold(5, 7),  # include = [ ... ] (the closing ] stays visible)
            fold(11, 13),  # [cerebrium.hardware]
            fold(15, 16),  # [cerebrium.dependencies]
        ]
    )


async def test_folding_multiline_strings(client: RecordingClient) -> None:
    uri = uri_of("shapes")
    open_document(client, uri, MULTILINE)
    assert await folding(client, uri) == as_json(
        [
            fold(0, 8),  # [cerebrium.deployment], through the array's closing ]
            fold(2, 7),  # shell_commands = [
            fold(3, 4),  # a string whose closing quotes start a line
            fold(6, 7),  # a string closed at the end of its last line
            fold(9, 11, COMMENT),  # three comment lines; the lone one below does not fold
            fold(12, 13),  # [cerebrium.hardware]; trailing comments are not blocks
        ]
    )


def chain(*ranges: types.Range) -> types.SelectionRange:
    """A selection range from outermost (first) to innermost (last)."""
    result: types.SelectionRange | None = None
    for r in ranges:
        result = types.SelectionRange(range=r, parent=result)
    assert result is not None
    return result


DOCUMENT = rng(0, 0, 17, 0)
DEPLOYMENT = rng(3, 0, 9, 41)


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        pytest.param(
            (7, 4),
            chain(
                DOCUMENT,
                DEPLOYMENT,
                rng(5, 0, 8, 1),  # include = [...]
                rng(5, 10, 8, 1),  # [...]
                rng(7, 2, 7, 9),  # "src/*"
                rng(7, 3, 7, 8),  # src/*
            ),
            id="array item",
        ),
        pytest.param(
            (3, 12),
            chain(
                DOCUMENT,
                DEPLOYMENT,
                rng(3, 0, 3, 22),  # [cerebrium.deployment]
                rng(3, 1, 3, 21),  # cerebrium.deployment
                rng(3, 11, 3, 21),  # deployment
            ),
            id="table header",
        ),
        pytest.param(
            (16, 27),
            chain(
                DOCUMENT,
                rng(15, 0, 16, 43),  # [cerebrium.dependencies]
                rng(16, 0, 16, 43),  # pip = {...}
                rng(16, 6, 16, 43),  # {...}
                rng(16, 25, 16, 41),  # numpy = "latest"
                rng(16, 25, 16, 30),  # numpy
            ),
            id="inline table key",
        ),
        pytest.param(
            (13, 11),
            chain(
                DOCUMENT,
                rng(11, 0, 13, 15),  # [cerebrium.hardware]
                rng(13, 0, 13, 15),  # compute = "CPU"
                rng(13, 10, 13, 15),  # "CPU"
                rng(13, 11, 13, 14),  # CPU
            ),
            id="string value",
        ),
        pytest.param((10, 0), chain(DOCUMENT), id="blank line"),
        pytest.param((100, 100), chain(DOCUMENT), id="past the end (clamped)"),
    ],
)
async def test_selection_ranges(
    client: RecordingClient, position: tuple[int, int], expected: types.SelectionRange
) -> None:
    uri = uri_of("shapes")
    open_document(client, uri, text_of("shapes"))
    result = await client.text_document_selection_range_async(
        types.SelectionRangeParams(
            text_document=doc_id(uri),
            positions=[types.Position(line=position[0], character=position[1])],
        )
    )
    assert as_json(result) == as_json([expected])


async def test_selection_ranges_for_several_positions(client: RecordingClient) -> None:
    uri = uri_of("shapes")
    open_document(client, uri, text_of("shapes"))
    result = await client.text_document_selection_range_async(
        types.SelectionRangeParams(
            text_document=doc_id(uri),
            positions=[types.Position(line=12, character=6), types.Position(line=0, character=3)],
        )
    )
    assert as_json(result) == as_json(
        [
            chain(DOCUMENT, rng(11, 0, 13, 15), rng(12, 0, 12, 7), rng(12, 6, 12, 7)),
            chain(DOCUMENT),  # a comment
        ]
    )
