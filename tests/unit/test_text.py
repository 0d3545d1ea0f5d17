"""LineIndex: code-point offsets <-> LSP (line, character) in UTF-16, UTF-8 and UTF-32."""

from __future__ import annotations

import pytest

from cerebrium_lsp.analysis.text import Encoding, LineIndex
from cerebrium_lsp.analysis.tree import Span

# "a😀b" — U+1F600 is one code point, two UTF-16 units (a surrogate pair), four UTF-8 bytes.
ASTRAL = "a\U0001f600b\n"


@pytest.mark.parametrize(
    ("encoding", "b_character"),
    [("utf-16", 3), ("utf-8", 5), ("utf-32", 2)],
)
def test_astral_character_width(encoding: Encoding, b_character: int) -> None:
    index = LineIndex(ASTRAL)
    assert index.position(2, encoding) == (0, b_character)
    assert index.offset(0, b_character, encoding) == 2


def test_position_inside_a_surrogate_pair_snaps_to_the_character_start() -> None:
    index = LineIndex(ASTRAL)
    assert index.offset(0, 2, "utf-16") == 1  # between the two halves of 😀
    assert index.offset(0, 3, "utf-8") == 1  # inside its four UTF-8 bytes


def test_lone_surrogate_counts_as_one_utf16_unit_and_three_utf8_bytes() -> None:
    index = LineIndex("\ud800x")
    assert index.position(1, "utf-16") == (0, 1)
    assert index.position(1, "utf-8") == (0, 3)
    assert index.offset(0, 1, "utf-16") == 1


@pytest.mark.parametrize(
    ("text", "utf8_of_x"),
    [("é=x", 3), ("€=x", 4), ("ab=x", 3)],
)
def test_utf8_counts_bytes(text: str, utf8_of_x: int) -> None:
    index = LineIndex(text)
    x = text.index("x")
    assert index.position(x, "utf-8") == (0, utf8_of_x)
    assert index.offset(0, utf8_of_x, "utf-8") == x


def test_crlf_lines() -> None:
    text = "a = 1\r\nbb = 2\r\n"
    index = LineIndex(text)
    assert index.line_starts == [0, 7, 15]
    assert index.line_text(0) == "a = 1"
    assert index.line_end(0) == 5
    assert index.line_end(0, include_break=True) == 7
    assert index.position(text.index("bb")) == (1, 0)
    assert index.offset(0, 99) == 5  # past the end of the line: clamps before the CRLF


def test_lone_cr_is_a_line_break() -> None:
    index = LineIndex("a\rb\nc")
    assert index.line_count == 3
    assert [index.line_text(i) for i in range(3)] == ["a", "b", "c"]
    assert index.position(2) == (1, 0)
    assert index.offset(2, 0) == 4


def test_mixed_line_endings() -> None:
    index = LineIndex("a\r\n\rb\n\nc")
    assert [index.line_text(i) for i in range(index.line_count)] == ["a", "", "b", "", "c"]


def test_bom_is_one_character_of_line_zero() -> None:
    index = LineIndex("\ufeffa = 1\n")
    assert index.position(1, "utf-16") == (0, 1)
    assert index.position(1, "utf-8") == (0, 3)
    assert index.offset(0, 1) == 1


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(-5, (0, 0)), (0, (0, 0)), (3, (1, 0)), (5, (1, 2)), (99, (1, 2))],
)
def test_position_clamps_offsets(offset: int, expected: tuple[int, int]) -> None:
    assert LineIndex("ab\ncd").position(offset) == expected


@pytest.mark.parametrize(
    ("line", "character", "expected"),
    [(-1, 0, 0), (0, -3, 0), (0, 99, 2), (1, 1, 4), (7, 0, 5)],
)
def test_offset_clamps_positions(line: int, character: int, expected: int) -> None:
    assert LineIndex("ab\ncd").offset(line, character) == expected


def test_empty_text() -> None:
    index = LineIndex("")
    assert index.line_count == 1
    assert index.position(0) == (0, 0)
    assert index.offset(0, 5) == 0
    assert index.line_text(0) == ""


def test_final_line_break_opens_an_empty_last_line() -> None:
    index = LineIndex("a\n")
    assert index.line_count == 2
    assert index.position(2) == (1, 0)


def test_range_converts_both_ends() -> None:
    text = "x = '\U0001f600'\ny = 1\n"
    index = LineIndex(text)
    span = Span(text.index("'"), text.index("\n"))
    assert index.range(span) == ((0, 4), (0, 8))
    assert index.range(span, "utf-32") == ((0, 4), (0, 7))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
def test_round_trip_every_offset(encoding: Encoding) -> None:
    text = "a😀\r\n\rß = 'é'\n\ud800\n"
    index = LineIndex(text)
    for offset in range(len(text) + 1):
        line, character = index.position(offset, encoding)
        back = index.offset(line, character, encoding)
        # offsets inside a CRLF pair map to the line end, everything else round-trips
        assert back == offset or (text[offset - 1 : offset + 1] == "\r\n" and back == offset - 1)
