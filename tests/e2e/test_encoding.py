"""Position encodings: UTF-16 unless the client lacks it (LSP 3.17 ``positionEncodings``),
diagnostics placed after non-ASCII text in the negotiated units, incremental edits given in
those units, and LSP line breaks (only ``\\n``, ``\\r\\n``, ``\\r``) for edits."""

from __future__ import annotations

import attrs
import pytest
from e2e_support import (
    as_json,
    change_document,
    diagnostics_for,
    edit,
    open_document,
    rng,
    session,
    text_of,
    uri_of,
)
from lsprotocol import types
from pytest_lsp import client_capabilities

pytestmark = pytest.mark.timeout(30)

# tests/workspace/unicode/cerebrium.toml, line 3: include = ["😀.py", 5]
EMOJI_COLUMNS = {"utf-16": (12, 14), "utf-8": (12, 16), "utf-32": (12, 13)}
FIVE_COLUMN = {"utf-16": 20, "utf-8": 22, "utf-32": 19}


def capabilities(encodings: list[str] | None) -> types.ClientCapabilities:
    caps = client_capabilities("visual_studio_code")
    general = types.GeneralClientCapabilities(
        position_encodings=None
        if encodings is None
        else [types.PositionEncodingKind(e) for e in encodings]
    )
    return attrs.evolve(caps, general=general)


def include_mismatch(column: int) -> types.Diagnostic:
    return types.Diagnostic(
        range=rng(3, column, 3, column + 1),
        severity=types.DiagnosticSeverity.Warning,
        code="type-mismatch",
        source="cerebrium",
        message="`include` expects a list of strings, found an integer (5) in it.",
    )


@pytest.mark.parametrize(
    ("offered", "expected"),
    [
        (None, "utf-16"),
        (["utf-16"], "utf-16"),
        (["utf-8"], "utf-8"),
        (["utf-32"], "utf-32"),
        (["utf-8", "utf-16", "utf-32"], "utf-16"),  # Neovim 0.11
        (["utf-32", "utf-8", "utf-16"], "utf-16"),  # Emacs 29
        (["utf-32", "utf-8"], "utf-32"),  # no UTF-16: the client's first choice
    ],
)
async def test_negotiation(offered: list[str] | None, expected: str) -> None:
    async with session(capabilities(offered)) as client:
        assert client.initialize_result is not None
        assert client.initialize_result.capabilities.position_encoding == expected


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
async def test_diagnostics_after_non_ascii_text(encoding: str) -> None:
    async with session(capabilities([encoding])) as client:
        uri = uri_of("unicode")
        open_document(client, uri, text_of("unicode"))
        diagnostics = await diagnostics_for(client, uri, 1)
        assert [(d.code, d.range) for d in diagnostics] == [
            ("type-mismatch", rng(3, FIVE_COLUMN[encoding], 3, FIVE_COLUMN[encoding] + 1)),
            ("invalid-value", rng(6, 10, 6, 22)),
        ]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
async def test_incremental_edits_in_negotiated_units(encoding: str) -> None:
    async with session(capabilities([encoding])) as client:
        uri = uri_of("unicode")
        open_document(client, uri, text_of("unicode"))
        await diagnostics_for(client, uri, 1)
        start, end = EMOJI_COLUMNS[encoding]
        change_document(
            client,
            uri,
            2,
            [
                edit((3, start), (3, end), "é☕"),  # 😀 -> é☕ (one code point more)
                edit((6, 20), (6, 21), "0"),  # AMPERE_A1O -> AMPERE_A10
            ],
        )
        # include = ["é☕.py", 5]: the 5 moves one code point right of where it was.
        column = {"utf-16": 20, "utf-8": 23, "utf-32": 20}[encoding]
        assert as_json(await diagnostics_for(client, uri, 2)) == as_json([include_mismatch(column)])


async def test_edits_after_a_unicode_line_separator() -> None:
    # U+2028 and U+0085 are not LSP line breaks: the lines below keep their numbers.
    text = (
        "# before\u2028after\u0085end\n"
        "[cerebrium.deployment]\n"
        'name = "lines"\n'
        "[cerebrium.hardware]\n"
        'compute = "AMPERE_A1O"\n'
    )
    async with session("visual_studio_code") as client:
        uri = uri_of("unicode")
        open_document(client, uri, text)
        assert [(d.code, d.range) for d in await diagnostics_for(client, uri, 1)] == [
            ("invalid-value", rng(4, 10, 4, 22))
        ]
        change_document(client, uri, 2, [edit((4, 20), (4, 21), "0")])
        assert as_json(await diagnostics_for(client, uri, 2)) == []
