"""The recovering TOML parser: spans, values, every error with its message, and recovery."""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cerebrium_lsp.analysis import parser
from cerebrium_lsp.analysis.parser import MAX_DEPTH, parse
from cerebrium_lsp.analysis.tree import (
    Array,
    InlineTable,
    KeyValue,
    ParsedDocument,
    Scalar,
    Span,
    Table,
)

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def span_of(text: str, needle: str, nth: int = 0) -> Span:
    """The span of the ``nth`` occurrence of ``needle`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Span(start, start + len(needle))


def errors(doc: ParsedDocument) -> list[tuple[str, Span]]:
    return [(e.message, e.span) for e in doc.errors]


def entries(doc: ParsedDocument) -> list[KeyValue]:
    return [kv for table in doc.tables for kv in table.entries]


def only_value(text: str) -> Scalar | Array | InlineTable | None:
    doc = parse(text)
    [kv] = entries(doc)
    return kv.value


# --- the recovery cases users type -------------------------------------------------------------


def test_unterminated_string_keeps_the_partial_text() -> None:
    text = '[cerebrium.hardware]\ncompute = "AMP\ngpu_count = 1\n'
    doc = parse(text)
    compute, gpu_count = entries(doc)
    assert compute.value == Scalar(
        "string", "AMP", span_of(text, '"AMP'), '"AMP', "basic", terminated=False
    )
    assert compute.span == span_of(text, 'compute = "AMP')
    assert errors(doc) == [('unterminated string: add a closing "', span_of(text, '"AMP'))]
    assert isinstance(gpu_count.value, Scalar) and gpu_count.value.value == 1


def test_lone_opening_quote() -> None:
    text = 'compute = "\n'
    doc = parse(text)
    [kv] = entries(doc)
    assert kv.value == Scalar("string", "", Span(10, 11), '"', "basic", terminated=False)
    assert errors(doc) == [('unterminated string: add a closing "', Span(10, 11))]


def test_unterminated_literal_string() -> None:
    doc = parse("name = 'abc")
    assert entries(doc)[0].value == Scalar(
        "string", "abc", Span(7, 11), "'abc", "literal", terminated=False
    )
    assert errors(doc) == [("unterminated string: add a closing '", Span(7, 11))]


def test_missing_value_after_equals() -> None:
    text = "[cerebrium.hardware]\ncompute = \ncpu = 2\n"
    doc = parse(text)
    compute, cpu = entries(doc)
    equals = span_of(text, "=")
    assert compute.value is None
    assert compute.equals == equals.start
    assert compute.span == Span(span_of(text, "compute").start, equals.end)
    assert errors(doc) == [("expected a value after '=', found end of line", equals)]
    assert cpu.key.names == ("cpu",)


def test_missing_value_before_a_comment() -> None:
    text = "a = # later\n"
    doc = parse(text)
    assert entries(doc)[0].value is None
    assert errors(doc) == [
        ("expected a value after '=', found a comment", span_of(text, "# later"))
    ]


def test_unclosed_array_closes_at_the_next_key_line() -> None:
    text = '[cerebrium.deployment]\ninclude = ["A10",\nname = "x"\nexclude = []\n'
    doc = parse(text)
    include, name, exclude = entries(doc)
    assert isinstance(include.value, Array)
    assert include.value.closed is False
    assert include.value.span == span_of(text, '["A10",')
    assert [item.value for item in include.value.items] == ["A10"]  # type: ignore[union-attr]
    assert errors(doc) == [("array is missing its closing ']'", span_of(text, "[", 1))]
    assert name.key.names == ("name",) and name.value is not None
    assert exclude.value == Array([], span_of(text, "[]"))


def test_unclosed_array_closes_at_the_next_header() -> None:
    text = 'include = [\n  "a",\n  "b"\n[cerebrium.hardware]\ncpu = 2\n'
    doc = parse(text)
    assert [t.header.names for t in doc.tables if t.header] == [("cerebrium", "hardware")]
    include, cpu = entries(doc)
    assert isinstance(include.value, Array) and len(include.value.items) == 2
    assert include.value.span == Span(text.index("["), text.index('"b"') + 3)
    assert cpu.value is not None
    assert errors(doc) == [("array is missing its closing ']'", Span(10, 11))]


def test_array_lines_that_are_values_do_not_close_the_array() -> None:
    text = 'a = [\n  ["x"],\n  [1]\n]\n'
    doc = parse(text)
    assert doc.errors == []
    value = entries(doc)[0].value
    assert isinstance(value, Array) and value.closed and len(value.items) == 2


def test_unclosed_array_at_end_of_file() -> None:
    doc = parse("a = [1,\n  2,")
    assert errors(doc) == [("array is missing its closing ']'", Span(4, 5))]
    value = entries(doc)[0].value
    assert isinstance(value, Array) and value.span == Span(4, 12) and not value.closed


def test_header_without_closing_bracket() -> None:
    text = "[cerebrium.hard\ncpu = 2\n"
    doc = parse(text)
    _root, table = doc.tables
    assert table.kind == "table" and table.closed is False
    assert table.header is not None and table.header.names == ("cerebrium", "hard")
    assert table.span == span_of(text, "[cerebrium.hard")
    assert [kv.key.names for kv in table.entries] == [("cpu",)]
    assert errors(doc) == [
        ("table header is missing its closing ']'", span_of(text, "[cerebrium.hard"))
    ]


def test_lone_word_is_a_key_without_equals() -> None:
    text = "[cerebrium.hardware]\ngpu_cou\ncpu = 2\n"
    doc = parse(text)
    gpu, cpu = entries(doc)
    assert gpu.key.names == ("gpu_cou",)
    assert gpu.value is None and gpu.equals is None
    assert gpu.span == span_of(text, "gpu_cou")
    assert errors(doc) == [
        ("expected '=' after key \"gpu_cou\", found end of line", span_of(text, "gpu_cou"))
    ]
    assert cpu.value is not None


def test_key_followed_by_a_word() -> None:
    text = "name foo\n"
    doc = parse(text)
    assert entries(doc)[0].value is None
    assert errors(doc) == [('expected \'=\' after key "name", found "foo"', Span(5, 8))]


def test_every_broken_line_is_reported_and_valid_lines_between_survive() -> None:
    text = 'a = 1\nb = \nc = 2\nd = "x\ne = 3\nf g\nh = 4\n'
    doc = parse(text)
    assert errors(doc) == [
        ("expected a value after '=', found end of line", span_of(text, "=", 1)),
        ('unterminated string: add a closing "', span_of(text, '"x')),
        ('expected \'=\' after key "f", found "g"', span_of(text, "g")),
    ]
    assert [kv.key.names[0] for kv in entries(doc)] == ["a", "b", "c", "d", "e", "f", "h"]
    values = {kv.key.names[0]: kv.value for kv in entries(doc)}
    assert [values[k].value for k in "aceh"] == [1, 2, 3, 4]  # type: ignore[union-attr]


def test_missing_comma_in_array_resumes_at_its_bracket() -> None:
    text = "x = [1 2]\ny = 1\n"
    doc = parse(text)
    assert errors(doc) == [("expected ',' or ']' after an array item, found \"2\"", Span(7, 8))]
    x, y = entries(doc)
    assert isinstance(x.value, Array) and x.value.closed and x.value.span == Span(4, 9)
    assert y.value is not None


def test_nested_array_errors_are_each_reported() -> None:
    text = "x = [[1 2], [3 4]]\n"
    assert [m for m, _ in errors(parse(text))] == [
        "expected ',' or ']' after an array item, found \"2\"",
        "expected ',' or ']' after an array item, found \"4\"",
    ]


def test_bad_item_in_multi_line_array_skips_only_its_line() -> None:
    text = "x = [\n  1,\n  !,\n  3,\n]\ny = 2\n"
    doc = parse(text)
    assert errors(doc) == [("expected a value or ']', found \"!\"", span_of(text, "!"))]
    x, _y = entries(doc)
    assert isinstance(x.value, Array) and x.value.closed
    assert [item.value for item in x.value.items] == [1, 3]  # type: ignore[union-attr]


def test_inline_table_errors() -> None:
    text = "x = {a = 1, b = }\ny = {a = 1\nz = {a = 1,}\nw = {a = 1 b = 2}\n"
    doc = parse(text)
    assert errors(doc) == [
        ("expected a value after '=', found \"}\"", span_of(text, "}")),
        (
            "inline table is missing its closing '}' (inline tables must fit on one line)",
            span_of(text, "{", 1),
        ),
        (
            "trailing comma is not allowed in an inline table",
            Span(text.index(",}"), text.index(",}") + 1),
        ),
        (
            "expected ',' or '}' after a value in an inline table, found \"b\"",
            span_of(text, "b", 1),
        ),
    ]
    x, y, z, w = (kv.value for kv in entries(doc))
    assert (
        isinstance(x, InlineTable)
        and x.closed
        and [kv.key.names for kv in x.entries]
        == [
            ("a",),
            ("b",),
        ]
    )
    assert isinstance(y, InlineTable) and not y.closed and y.span == span_of(text, "{a = 1", 1)
    assert isinstance(z, InlineTable) and z.closed
    assert isinstance(w, InlineTable) and w.closed and len(w.entries) == 1


def test_partial_inline_table_key_is_kept() -> None:
    doc = parse("x = { gp")
    [kv] = entries(doc)
    assert isinstance(kv.value, InlineTable)
    [entry] = kv.value.entries
    assert entry.key.names == ("gp",) and entry.value is None


def test_text_after_a_value() -> None:
    text = 'a = "x" "y"\n[t] junk\n'
    assert errors(parse(text)) == [
        ("expected end of line after value, found '\"'", span_of(text, '"', 2)),
        ('expected end of line after table header, found "junk"', span_of(text, "junk")),
    ]


@pytest.mark.parametrize(
    ("text", "message", "needle"),
    [
        ("= 1", 'expected a key, found "="', "="),
        ("a. = 1", "expected a key after '.', found \"=\"", "="),
        ("a.\n", "expected a key after '.', found end of line", "."),
        ('"""k""" = 1', "a key cannot be a multi-line string", '"""'),
        ('"k = 1', 'unterminated string: add a closing "', '"k = 1'),
        ("[]", "expected a table name after '[', found \"]\"", "]"),
        ("[a b]", 'expected \']\' after table name "a", found "b"', "b"),
        ("[[a]", 'expected \']]\' after table name "a", found "]"', "]"),
        ("[[a", "array-of-tables header is missing its closing ']]'", "[[a"),
        ("a = 1\r", "lone carriage return: end lines with LF or CRLF", "\r"),
        ("a\u3000= 1", "expected '=' after key \"a\", found character U+3000", "\u3000"),
        ("\x00", "expected a key, found control character U+0000", "\x00"),
        ("a = 1 # \x07", "control character U+0007 is not allowed in a comment", "\x07"),
        (
            "# \udcff",
            "invalid character U+DCFF (not valid UTF-8 text) is not allowed in a comment",
            "\udcff",
        ),
        ("a = \ufeff", "expected a value after '=', found character U+FEFF", "\ufeff"),
    ],
)
def test_syntax_error_messages(text: str, message: str, needle: str) -> None:
    assert errors(parse(text)) == [(message, span_of(text, needle))]


# --- invalid scalars ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message", "bad"),
    [
        ("yes", 'invalid value "yes": text must be quoted, as in "yes"', "yes"),
        ("True", 'invalid value "True": booleans are written in lower case, true or false', "True"),
        ("1__0", 'invalid number "1__0": put each _ between two digits', "1__0"),
        ("01", 'invalid number "01": leading zeros are not allowed', "01"),
        ("0x", 'invalid number "0x": digits must follow the 0x prefix', "0x"),
        (
            "+0xff",
            'invalid number "+0xff": hexadecimal, octal and binary numbers cannot have a sign',
            "+0xff",
        ),
        ("0o8", 'invalid number "0o8": the digits of a 0o number are 0-7', "0o8"),
        ("1.", 'invalid number "1.": a decimal point needs a digit on each side', "1."),
        (
            "1e",
            'invalid number "1e": an exponent is e followed by digits, as in 1e6 or 2.5e-3',
            "1e",
        ),
        (
            "2023-13-45",
            'invalid date or time "2023-13-45": expected a real date and time such as '
            "1979-05-27, 07:32:00 or 1979-05-27T07:32:00Z",
            "2023-13-45",
        ),
        (
            r'"a\qb"',
            'invalid escape "\\q": valid escapes are \\b \\t \\n \\f \\r \\" \\\\ \\uXXXX and '
            "\\UXXXXXXXX",
            r"\q",
        ),
        (r'"\u12"', 'invalid escape "\\u": \\u takes 4 hex digits, \\U takes 8', r"\u"),
        (
            r'"\UFFFFFFFF"',
            'invalid escape "\\UFFFFFFFF": escaped character is not a Unicode scalar value',
            r"\UFFFFFFFF",
        ),
        (
            '"a\x07"',
            "control character U+0007 is not allowed in a string: write it as \\u0007",
            "\x07",
        ),
        (
            "'a\x7f'",
            'control character U+007F is not allowed in a string: use a "basic" string and \\u007F',
            "\x7f",
        ),
        (
            '"\udc80"',
            "invalid character U+DC80 (not valid UTF-8 text) is not allowed in a string",
            "\udc80",
        ),
        ('"""a\rb"""', "lone carriage return in a string: end lines with LF or CRLF", "\r"),
    ],
)
def test_invalid_scalars(raw: str, message: str, bad: str) -> None:
    text = f"v = {raw}\n"
    doc = parse(text)
    value = entries(doc)[0].value
    assert isinstance(value, Scalar)
    assert (value.kind, value.value, value.raw) == ("invalid", None, raw)
    assert value.span == span_of(text, raw)
    assert errors(doc) == [(message, span_of(text, bad))]


def test_every_invalid_value_on_a_line_is_reported() -> None:
    text = "a = [yes, 1__0, 'ok']\n"
    assert [m.split(":")[0] for m, _ in errors(parse(text))] == [
        'invalid value "yes"',
        'invalid number "1__0"',
    ]


# --- valid TOML: values and spans ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kind", "value"),
    [
        ('"a\\tb\\u00e9"', "string", "a\tbé"),
        ("'C:\\path'", "string", "C:\\path"),
        ('"""\nline one \\\n    continued"""', "string", "line one continued"),
        ("'''\nraw\n'''", "string", "raw\n"),
        ('""""quoted" text""""', "string", '"quoted" text"'),
        ("''''one quote''''", "string", "'one quote'"),
        ('"""a""b"""', "string", 'a""b'),
        ("+99", "integer", 99),
        ("-17", "integer", -17),
        ("1_000", "integer", 1000),
        ("0xDEAD_beef", "integer", 0xDEADBEEF),
        ("0o755", "integer", 0o755),
        ("0b1101", "integer", 13),
        ("123456789012345678901234567890", "integer", 123456789012345678901234567890),
        ("+1.5e-3", "float", 1.5e-3),
        ("6.626e-34", "float", 6.626e-34),
        ("-inf", "float", float("-inf")),
        ("true", "boolean", True),
        ("false", "boolean", False),
        ("1979-05-27T07:32:00Z", "datetime", datetime(1979, 5, 27, 7, 32, tzinfo=UTC)),
        (
            "1979-05-27 00:32:00.999-07:00",
            "datetime",
            datetime(1979, 5, 27, 0, 32, 0, 999000, tzinfo=timezone(-timedelta(hours=7))),
        ),
        ("1979-05-27t07:32:00", "datetime", datetime(1979, 5, 27, 7, 32)),
        ("1979-05-27", "date", date(1979, 5, 27)),
        ("07:32:00.5", "time", time(7, 32, 0, 500000)),
    ],
)
def test_scalar_kinds_and_values(raw: str, kind: str, value: object) -> None:
    text = f"v = {raw}  # after\n"
    doc = parse(text)
    assert doc.errors == []
    scalar = entries(doc)[0].value
    assert isinstance(scalar, Scalar)
    assert (scalar.kind, scalar.value, scalar.raw) == (kind, value, raw)
    assert scalar.span == span_of(text, raw)
    assert scalar.value == tomllib.loads(text)["v"]


def test_nan_is_a_float() -> None:
    scalar = only_value("v = nan")
    assert isinstance(scalar, Scalar) and scalar.kind == "float"
    assert scalar.value != scalar.value


@pytest.mark.parametrize(
    ("raw", "style"),
    [('"b"', "basic"), ("'l'", "literal"), ('"""m"""', "ml-basic"), ("'''n'''", "ml-literal")],
)
def test_string_styles(raw: str, style: str) -> None:
    scalar = only_value(f"v = {raw}")
    assert isinstance(scalar, Scalar) and scalar.style == style
    assert only_value("v = 1").style is None  # type: ignore[union-attr]


def test_key_parts_and_spans() -> None:
    text = "a . \"b.c\" .'d' = 1\n"
    doc = parse(text)
    [kv] = entries(doc)
    assert kv.key.names == ("a", "b.c", "d")
    assert [(p.span, p.quoted) for p in kv.key.parts] == [
        (span_of(text, "a"), False),
        (span_of(text, '"b.c"'), True),
        (span_of(text, "'d'"), True),
    ]
    assert kv.key.span == span_of(text, "a . \"b.c\" .'d'")
    assert kv.equals == text.index("=")
    assert kv.span == Span(0, text.index("1") + 1)


def test_quoted_keys_are_decoded() -> None:
    doc = parse('"a\\u0062" = 1\n"" = 2\n\'\' = 3\n')
    assert [kv.key.names for kv in entries(doc)] == [("ab",), ("",), ("",)]


def test_tables_headers_and_body_ends() -> None:
    text = "top = 1\n[a . b]  # c\nx = 1\n\n[[ arr ]]\ny = 2\n"
    doc = parse(text)
    root, table, array = doc.tables
    assert (root.kind, root.header, root.span, root.body_end) == ("root", None, Span(0, 0), 8)
    assert table.kind == "table" and table.header is not None
    assert table.header.names == ("a", "b") and table.span == span_of(text, "[a . b]")
    assert table.body_end == text.index("[[")
    assert array.kind == "array" and array.span == span_of(text, "[[ arr ]]")
    assert array.body_end == len(text)
    assert [kv.key.names for kv in root.entries] == [("top",)]
    assert [c.text for c in doc.comments] == ["# c"]
    assert doc.comments[0].span == span_of(text, "# c")


def test_arrays_over_lines_with_comments_and_trailing_comma() -> None:
    text = "a = [ # first\n  1,\r\n  [2, 'x'], # second\n  {k = 3},\n]\n"
    doc = parse(text)
    assert doc.errors == []
    value = entries(doc)[0].value
    assert isinstance(value, Array) and value.span == Span(4, len(text) - 1)
    first, nested, inline = value.items
    assert isinstance(first, Scalar) and first.value == 1
    assert isinstance(nested, Array) and len(nested.items) == 2
    assert isinstance(inline, InlineTable) and inline.entries[0].key.names == ("k",)
    assert [c.text for c in doc.comments] == ["# first", "# second"]


def test_inline_table_entries() -> None:
    text = "t = { a.b = 1, 'c' = [true], d = {} }\n"
    doc = parse(text)
    assert doc.errors == []
    table = entries(doc)[0].value
    assert isinstance(table, InlineTable)
    assert table.span == Span(text.index("{"), text.index("}\n") + 1)
    assert [kv.key.names for kv in table.entries] == [("a", "b"), ("c",), ("d",)]


def test_crlf() -> None:
    text = "a = 1\r\n[t]\r\nb = 'x'\r\n"
    doc = parse(text)
    assert doc.errors == []
    a, b = entries(doc)
    assert a.span == Span(0, 5) and b.value is not None and b.value.span == span_of(text, "'x'")


def test_a_byte_order_mark_in_the_text_is_an_error_and_the_rest_still_parses() -> None:
    """Editors and ``check`` remove a file's BOM before parsing: one left in the text is a second
    BOM (toml-test invalid/encoding/bom-not-at-start-*), which TOML forbids."""
    for text in ["\ufeffa = 1\r\n[t]\r\nb = 'x'\r\n", "\ufeff"]:
        doc = parse(text)
        assert [e.span for e in doc.errors] == [Span(0, 1)]
        assert "byte order mark" in doc.errors[0].message
    a, b = entries(parse("\ufeffa = 1\r\n[t]\r\nb = 'x'\r\n"))
    assert a.span == Span(1, 6) and b.key.names == ("b",)


def test_empty_and_blank_documents() -> None:
    for text in ["", "\n", "   \t\n\r\n", "# only a comment"]:
        doc = parse(text)
        assert doc.errors == [] and len(doc.tables) == 1 and doc.tables[0].body_end == len(text)


# --- robustness ---------------------------------------------------------------------------------


def test_deep_nesting_is_one_error_not_a_crash() -> None:
    depth = 10_000
    text = "x = " + "[" * depth + "]" * depth + "\ny = 1\n"
    doc = parse(text)
    assert errors(doc) == [
        (
            f"value nested too deeply: more than {MAX_DEPTH} levels of arrays/inline tables",
            Span(4 + MAX_DEPTH, 5 + MAX_DEPTH),
        )
    ]
    assert [kv.key.names for kv in entries(doc)] == [("x",), ("y",)]


def test_deep_nesting_over_lines() -> None:
    depth = 10_000
    doc = parse("x = " + "[\n" * depth + "]\n" * depth + "y = " + "{a = " * depth)
    too_deep = f"value nested too deeply: more than {MAX_DEPTH} levels of arrays/inline tables"
    assert [e.message for e in doc.errors] == [too_deep, too_deep]


def test_nul_bytes_and_lone_surrogates() -> None:
    text = "a\x00 = 1\n\ud800 = 2\nb = '\udfff'\n\x00\x00\x00"
    doc = parse(text)
    assert len(doc.errors) == 4
    assert all(0 <= e.span.start <= e.span.end <= len(text) for e in doc.errors)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *"[]{}=,.#\"'\\ \t\r\nabc019_-+:eExT\x00\x7f\u3000\ud800\ufeff",
                *['"""', "'''", "true", "1979-05-27", "[[", "]]", "\r\n"],
            ]
        ),
        max_size=60,
    ).map("".join)
)
def test_never_raises_and_spans_stay_inside(text: str) -> None:
    doc = parse(text)
    for error in doc.errors:
        assert 0 <= error.span.start <= error.span.end <= len(text)
    for kv in entries(doc):
        assert 0 <= kv.span.start <= kv.span.end <= len(text)
    if "\ud800" in text:
        return  # lone surrogates (bytes that were not UTF-8) are errors tomllib does not check
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return
    assert doc.errors == []  # valid TOML has no syntax errors


def _real_and_conformance_texts() -> list[str]:
    real = sorted((SHARED / "corpus" / "real").glob("*.toml"))
    suite = SHARED / "corpus" / "toml-test"
    listed = (suite / "files-toml-1.0.0").read_text().split()
    files = real + [suite / name for name in listed if name.endswith(".toml")]
    return [f.read_bytes().decode("utf-8", errors="surrogateescape") for f in files]


def test_fast_line_path_builds_the_same_tree_as_the_general_parser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = [
        *_real_and_conformance_texts(),
        "a = ['x', 1, 2.5, true, 1979-05-27, \"y\",]\n\"q k\" = 'v' # c\r\n[t.u]\r\nb = []\n",
        "i = { a = 1, b = 'two' }\nj = {}\nk = {a=1,}\n",
        "x = [ 1 , 2 ]\n'' = 1\nz = 1__0\n",
    ]
    fast = [parse(text) for text in texts]
    monkeypatch.setattr(parser, "_FAST_LINE", re.compile(r"(?!)"))
    general = [parse(text) for text in texts]
    assert fast == general


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters='"\\\n\r'), max_size=20))
def test_strings_decode_like_tomllib(body: str) -> None:
    literal = body.replace("'", "")
    for raw in (f'"{body}"', f"'{literal}'"):
        decoded = parser._decode(raw)
        try:
            expected = tomllib.loads(f"v = {raw}")["v"]
        except tomllib.TOMLDecodeError:
            assert decoded.kind == "invalid"
        else:
            assert (decoded.kind, decoded.value) == ("string", expected)


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[+-]?[0-9_]{1,22}", fullmatch=True))
def test_integers_decode_like_tomllib(raw: str) -> None:
    decoded = parser._decode(raw)
    try:
        expected = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        assert decoded.kind == "invalid"
    else:
        assert (decoded.kind, decoded.value) == ("integer", expected)


def test_tables_are_in_document_order() -> None:
    doc = parse("[b]\n[a]\n[[c]]\n")
    assert [t.header.names for t in doc.tables if t.header] == [("b",), ("a",), ("c",)]
    assert all(isinstance(t, Table) for t in doc.tables)
