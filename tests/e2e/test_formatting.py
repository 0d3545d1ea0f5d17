"""``textDocument/formatting`` and ``textDocument/rangeFormatting``: the edits, applied as the
client applies them, give exactly ``cerebrium-lsp format``'s output; they are the changed spans
only; positions follow the negotiated encoding; a document with errors gets no edits and a log
message; ``cerebrium.format.enabled: false`` turns formatting off."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Sequence

import attrs
import pytest
from e2e_support import RecordingClient, doc_id, open_document, rng, session, uri_of
from lsprotocol import types
from pytest_lsp import client_capabilities

from cerebrium_lsp.analysis.text import Encoding, LineIndex
from cerebrium_lsp.format import format_text

pytestmark = pytest.mark.timeout(30)

MESSY = """\
# an app
[cerebrium.deployment]
name  =  "app"     # the name
python_version = "3.11"
include = [
  "main.py",
  "*.txt"
]

[cerebrium.hardware]
cpu=2
memory  = 8.0
"""
PRETTY = """\
# an app
[cerebrium.deployment]
name = "app"                   # the name
python_version = "3.11"
include = ["main.py", "*.txt"]

[cerebrium.hardware]
cpu = 2
memory = 8.0
"""
OPTIONS = types.FormattingOptions(tab_size=4, insert_spaces=True)


def apply(text: str, edits: Sequence[types.TextEdit], encoding: Encoding = "utf-16") -> str:
    """The edits applied to ``text`` as a client does: all against the original text."""
    index = LineIndex(text)
    spans = []
    for e in edits:
        start = index.offset(e.range.start.line, e.range.start.character, encoding)
        end = index.offset(e.range.end.line, e.range.end.character, encoding)
        spans.append((start, end, e.new_text))
    spans.sort()
    for (_, end, _), (start, _, _) in itertools.pairwise(spans):
        assert end <= start, "overlapping edits"
    for start, end, new_text in reversed(spans):
        text = text[:start] + new_text + text[end:]
    return text


async def format_document(client: RecordingClient, uri: str) -> list[types.TextEdit]:
    result = await client.text_document_formatting_async(
        types.DocumentFormattingParams(text_document=doc_id(uri), options=OPTIONS)
    )
    return list(result or [])


async def format_range(
    client: RecordingClient, uri: str, range_: types.Range
) -> list[types.TextEdit]:
    result = await client.text_document_range_formatting_async(
        types.DocumentRangeFormattingParams(
            text_document=doc_id(uri), range=range_, options=OPTIONS
        )
    )
    return list(result or [])


async def test_both_methods_are_advertised(client: RecordingClient) -> None:
    assert client.initialize_result is not None
    capabilities = client.initialize_result.capabilities
    assert capabilities.document_formatting_provider
    assert capabilities.document_range_formatting_provider


async def test_formatting_gives_the_cli_output_in_minimal_edits(client: RecordingClient) -> None:
    uri = uri_of("formatting/cerebrium.toml")
    open_document(client, uri, MESSY)
    edits = await format_document(client, uri)
    assert apply(MESSY, edits) == PRETTY == format_text(MESSY)
    # Only what changed: the untouched lines (the comment, the headers, python_version) are
    # in no edit, and no edit replaces the whole document.
    touched = {line for e in edits for line in range(e.range.start.line, e.range.end.line + 1)}
    assert touched.isdisjoint({0, 1, 3, 8, 9})
    assert sum(len(e.new_text) for e in edits) < len(PRETTY) // 2
    open_document(client, uri, PRETTY, version=2)
    assert await format_document(client, uri) == []


async def test_range_formatting_touches_only_the_statements_in_the_range(
    client: RecordingClient,
) -> None:
    uri = uri_of("formatting/cerebrium.toml")
    open_document(client, uri, MESSY)
    # From inside the include array to the middle of `cpu=2`: include and cpu are formatted,
    # name (above) and memory (below) are not.
    edits = await format_range(client, uri, rng(5, 3, 10, 2))
    assert apply(MESSY, edits) == MESSY.replace(
        'include = [\n  "main.py",\n  "*.txt"\n]', 'include = ["main.py", "*.txt"]'
    ).replace("cpu=2", "cpu = 2")
    # A blank line touches nothing; a whole-line selection ends before the next line.
    assert await format_range(client, uri, rng(8, 0, 8, 0)) == []
    edits = await format_range(client, uri, rng(10, 0, 11, 0))
    assert apply(MESSY, edits) == MESSY.replace("cpu=2", "cpu = 2")


async def test_a_document_with_errors_gets_no_edits_and_a_log_message(
    client: RecordingClient,
) -> None:
    uri = uri_of("formatting/cerebrium.toml")
    broken = MESSY + "cpu = 4\n"  # a duplicate key
    open_document(client, uri, broken)
    assert await format_document(client, uri) == []
    assert await format_range(client, uri, rng(0, 0, 12, 0)) == []
    for _ in range(50):
        messages = [m.message for m in client.log_messages if "not formatted" in m.message]
        if len(messages) >= 2:
            break
        await asyncio.sleep(0.05)
    assert messages[0].startswith(
        "cerebrium.toml not formatted: it has errors, the first at line 13, column 1: "
        'duplicate key "cpu"'
    )
    assert messages[0].endswith("Fix the errors, then format again.")


UNICODE = 'name  =  "😀 émoji app"    # ünïcödé 😀\nx = ["😀",\n"é"]  # 😀\n'


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
async def test_positions_after_non_ascii_text_in_the_negotiated_encoding(encoding: str) -> None:
    caps = attrs.evolve(
        client_capabilities("visual_studio_code"),
        general=types.GeneralClientCapabilities(
            position_encodings=[types.PositionEncodingKind(encoding)]
        ),
    )
    async with session(caps) as client:
        uri = uri_of("formatting/cerebrium.toml")
        open_document(client, uri, UNICODE)
        edits = await format_document(client, uri)
        assert apply(UNICODE, edits, encoding) == format_text(UNICODE)  # type: ignore[arg-type]
        assert (
            format_text(UNICODE)
            == 'name = "😀 émoji app" # ünïcödé 😀\nx = ["😀", "é"]       # 😀\n'
        )
        # Only the second statement in range: the first keeps its spaces (the second's comment
        # takes the column full formatting gives it).
        edits = await format_range(client, uri, rng(1, 0, 1, 3))
        expected = UNICODE.replace('["😀",\n"é"]  #', '["😀", "é"]       #')
        assert apply(UNICODE, edits, encoding) == expected  # type: ignore[arg-type]


async def test_the_setting_turns_formatting_off() -> None:
    async with session(
        "visual_studio_code", configuration={"format": {"enabled": False}}
    ) as client:
        uri = uri_of("formatting/cerebrium.toml")
        open_document(client, uri, MESSY)
        assert await format_document(client, uri) == []
        assert await format_range(client, uri, rng(0, 0, 12, 0)) == []


async def test_a_large_document_is_formatted_off_the_event_loop(client: RecordingClient) -> None:
    """Over 256 KiB the server analyses in the background and formats in a worker thread: the
    edits are still the CLI's output, and a request sent alongside is answered too."""
    uri = uri_of("formatting/cerebrium.toml")
    text = "".join(f"key_{i}={i}  # note {i}\n" for i in range(20_000))
    assert len(text) > 256 * 1024
    open_document(client, uri, text)
    formatting = asyncio.ensure_future(format_document(client, uri))
    folding = await client.text_document_folding_range_async(
        types.FoldingRangeParams(text_document=doc_id(uri))
    )
    assert folding is not None
    assert apply(text, await formatting) == format_text(text)
