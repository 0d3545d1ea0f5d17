"""Formatting as minimal edits (format/edits.py): applied, they give the formatted text; they
only cover what changed; range edits format the touched statements only. And the setting."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from cerebrium_lsp.analysis.toml_document import load_toml
from cerebrium_lsp.analysis.tree import Span
from cerebrium_lsp.format import Formatted, format_document, format_text
from cerebrium_lsp.format.edits import Edit, document_edits, range_edits
from cerebrium_lsp.settings import Settings, parse_settings

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "real"


def apply(text: str, edits: list[Edit]) -> str:
    for span, new_text in sorted(edits, key=lambda e: e[0].start, reverse=True):
        text = text[: span.start] + new_text + text[span.end :]
    return text


def formatted(text: str) -> Formatted:
    return format_document(load_toml(text))


def test_edits_are_the_changed_characters_only() -> None:
    old = "a  = 1\nb = 2\nc=3   \n\n\n\n"
    edits = document_edits(old, formatted(old))
    assert edits == [
        (Span(2, 3), ""),
        (Span(14, 15), " = "),
        (Span(16, 19), ""),
        (Span(20, 23), ""),
    ]


def test_edits_never_split_a_crlf_line_break() -> None:
    old = "a = [\r\n  1]\r\nb=2\r\n"
    new = format_text(old)
    assert isinstance(new, str)
    edits = document_edits(old, formatted(old))
    assert apply(old, edits) == new == "a = [1]\r\nb = 2\r\n"
    for span, _ in edits:
        for offset in (span.start, span.end):
            assert not (old[offset - 1 : offset] == "\r" and old[offset : offset + 1] == "\n")


@pytest.mark.parametrize("path", sorted(REAL.glob("*.toml")), ids=lambda p: p.name[:40])
def test_applied_edits_give_the_formatted_text(path: Path) -> None:
    old = path.read_bytes().decode("utf-8-sig")
    new = format_text(old)
    if not isinstance(new, str):
        return  # a file with errors: never formatted (tests/unit/test_format_corpus.py)
    edits = document_edits(old, formatted(old))
    assert apply(old, edits) == new
    spans = [span for span, _ in edits]
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))  # in order, apart
    # a whole-document range gives the same result
    assert apply(old, range_edits(old, formatted(old), Span(0, len(old)))) == new


def test_range_edits_format_the_touched_statements_only() -> None:
    old = "a=1\n[t]\nb  =  [\n1,\n2]\nc=3   # c\n\n\n\n\nd=4\n"
    result = formatted(old)
    inside_b = old.index("1,")
    assert apply(old, range_edits(old, result, Span(inside_b, inside_b))) == old.replace(
        "b  =  [\n1,\n2]", "b = [1, 2]"
    )
    c = old.index("c=3")
    assert apply(old, range_edits(old, result, Span(c, old.index("d=4") + 1))) == (
        "a=1\n[t]\nb  =  [\n1,\n2]\nc = 3      # c\n\n\nd = 4\n"  # aligned with b, as in full
    )
    blank = old.index("\n\n") + 1
    assert range_edits(old, result, Span(blank, blank)) == []


@pytest.mark.parametrize(
    ("raw", "enabled", "problems"),
    [
        (None, True, 0),
        ({"format": {"enabled": False}}, False, 0),
        ({"format": {"enabled": True}}, True, 0),
        ({"format": {"enabled": "no"}}, True, 1),
        ({"format": False}, True, 1),
    ],
)
def test_the_format_enabled_setting(raw: object, enabled: bool, problems: int) -> None:
    settings, found = parse_settings(raw)
    assert settings.format_enabled is enabled and len(found) == problems
    assert Settings().format_enabled is True


def test_edits_take_linear_time_on_many_similar_lines() -> None:
    """A general line diff (difflib) took minutes on 2,000 entries between blank lines."""
    old = "".join(f"k{i}=1\n\n" for i in range(20_000))
    edits = document_edits(old, formatted(old))
    assert len(edits) == 20_001 and apply(old, edits) == format_text(old)  # and the last blank
