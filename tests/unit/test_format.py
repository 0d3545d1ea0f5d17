"""The formatting rules of docs/formatting.md, one small document each."""

from __future__ import annotations

import pytest
from format_invariants import check_invariants

from cerebrium_lsp.analysis.toml_document import load_toml
from cerebrium_lsp.analysis.tree import Span, SyntaxProblem
from cerebrium_lsp.format import FormatterError, format_document, format_text

RULES = [
    # spaces: none before a statement, one around "=", none around the dots of a key
    ("  a=1\n\tb   =  'x'\n", "a = 1\nb = 'x'\n"),
    ("a . b . 'c d' = 1\n[ t . \"u\" ]\n[[ x ]]\n", "a.b.'c d' = 1\n[t.\"u\"]\n[[x]]\n"),
    # values keep their exact text
    ("a = 0xf_f\nb = 1_000\nc = 1979-05-27 07:32:00Z\nd = 'a\\b'\n", None),
    ('s = """\n  keep\n   this  \n"""\n', None),
    # blank lines: at most two, none at the start or the end; one final line break
    ("\n\n\na = 1\n\n\n\n\nb = 2\n\n\n", "a = 1\n\n\nb = 2\n"),
    ("a = 1", "a = 1\n"),
    ("", ""),
    (" \n\t\n", ""),
    # comments: kept, trailing spaces removed, own-line comments unindented
    ("  # lead  \n[t]   # head\t\na = 1   # one  \n", "# lead\n[t] # head\na = 1 # one\n"),
    # trailing comments of consecutive entries aligned, one space after the longest entry
    (
        "a = 1 # one\nlonger_key = 'value' # two\nc = 3\n\nd = 4     # alone\n",
        "a = 1                # one\nlonger_key = 'value' # two\nc = 3\n\nd = 4 # alone\n",
    ),
    # ... unless an entry of the group spans lines
    ("a = 1 # one\ns = '''\nx''' # two\n", "a = 1 # one\ns = '''\nx''' # two\n"),
    # a comment line or a header ends the group
    ("a = 1 # one\n# note\nlong_key = 2 # two\n", None),
    # inline tables
    ("t = {a=1,b={c='d'}}\ne = { }\n", "t = { a = 1, b = { c = 'd' } }\ne = {}\n"),
    # arrays: one line when they fit and hold no comment
    (
        "a = [ 1 ,2,\n 3, ]\nb = [\n]\nc = [[1,2],[ ]]\n",
        "a = [1, 2, 3]\nb = []\nc = [[1, 2], []]\n",
    ),
    # ... one item a line, two spaces a level, a comma after each, when too long
    (
        'include = ["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbb", "cccccccccccccccccccc", "ddd"]\n',
        'include = [\n  "aaaaaaaaaaaaaaaa",\n  "bbbbbbbbbbbbbbbbbbbbbb",\n'
        '  "cccccccccccccccccccc",\n  "ddd",\n]\n',
    ),
    # ... or when they hold a comment: comments, blank lines and alignment kept
    (
        "a = [ # open\n1, # one\n\n\n\n 22,   # two\n# own\n3]\n",
        "a = [ # open\n  1, # one\n\n\n  22, # two\n  # own\n  3,\n]\n",
    ),
    ("a = [\n  1,    # one\n  222, # two\n]\n", "a = [\n  1,   # one\n  222, # two\n]\n"),
    ("a = [[1, # in\n2], [3]]\n", "a = [\n  [\n    1, # in\n    2,\n  ],\n  [3],\n]\n"),
    # line breaks: the document's own
    ("a=1\r\n\r\n\r\n\r\nb=[ # c\r\n1]\r\n", "a = 1\r\n\r\n\r\nb = [ # c\r\n  1,\r\n]\r\n"),
]


@pytest.mark.parametrize(("before", "expected"), RULES)
def test_rule(before: str, expected: str | None) -> None:
    after = format_text(before)
    assert after == (before if expected is None else expected)
    check_invariants(before, after)


def test_a_comment_after_a_comma_on_the_next_line_keeps_its_own_line() -> None:
    """Taplo 0.9.3 drops ``#,9`` here (toml-test valid/comment/tricky.toml): the comment after
    the comma replaces the one after the ``2``."""
    before = "arr4 = [ 1,# 9, 9,\n2#,9\n,#9\n3#]\n,4]\n"
    after = format_text(before)
    assert after == "arr4 = [\n  1, # 9, 9,\n  2, #,9\n  #9\n  3, #]\n  4,\n]\n"
    check_invariants(before, after)


@pytest.mark.parametrize(
    "text",
    [
        "a = 1\na = 2\n",  # duplicate key
        "[t]\n[t]\n",  # table defined twice
        "a = \n",  # half-typed
        "\ufeffa = 1\n",  # a second byte order mark
        "a = [1,\n",  # unclosed
    ],
)
def test_a_document_with_errors_is_not_formatted(text: str) -> None:
    result = format_text(text)
    assert isinstance(result, SyntaxProblem)
    assert result == load_toml(text).errors[0]
    with pytest.raises(FormatterError):
        format_document(load_toml(text))


def test_blocks_map_each_statement_to_its_output() -> None:
    before = "a=1 # one\n\n\n\n  [t]\nb=[1,\n2]\n"
    formatted = format_document(load_toml(before))
    assert formatted.text == "a = 1 # one\n\n\n[t]\nb = [1, 2]\n"
    pieces = [
        (before[b.source.start : b.source.end], formatted.text[b.start : b.end])
        for b in formatted.blocks
    ]
    assert pieces == [("a=1 # one", "a = 1 # one"), ("[t]", "[t]"), ("b=[1,\n2]", "b = [1, 2]")]
    assert formatted.blocks[1].source == Span(before.index("[t]"), before.index("[t]") + 3)
