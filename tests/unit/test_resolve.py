"""TOML 1.0 table semantics: what resolve builds, and every redefinition it reports."""

from __future__ import annotations

import math
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cerebrium_lsp.analysis import toml_document
from cerebrium_lsp.analysis.parser import parse
from cerebrium_lsp.analysis.resolve import resolve
from cerebrium_lsp.analysis.toml_document import load_toml, to_python
from cerebrium_lsp.analysis.tree import (
    ParsedDocument,
    ResolvedEntry,
    ResolvedTable,
    Span,
    SyntaxProblem,
    TableArray,
)


def span_of(text: str, needle: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Span(start, start + len(needle))


def resolved(text: str) -> tuple[ResolvedTable, list[SyntaxProblem]]:
    parsed = parse(text)
    assert parsed.errors == [], "these tests are about semantics only"
    return resolve(parsed)


def table(root: ResolvedTable, *path: str) -> ResolvedTable:
    node: ResolvedTable = root
    for name in path:
        child = node.children[name]
        node = child.items[-1] if isinstance(child, TableArray) else child  # type: ignore[assignment]
        assert isinstance(node, ResolvedTable)
    return node


# --- what valid documents resolve to ------------------------------------------------------------


def test_headers_implicit_tables_and_upgrade() -> None:
    text = "[a.b]\nx = 1\n[a]\ny = 2\n"
    root, errors = resolved(text)
    assert errors == []
    a, b = table(root, "a"), table(root, "a", "b")
    assert (a.defined_by, a.path, a.name_span) == ("header", ("a",), span_of(text, "a"))
    assert a.header is not None and a.header.span == span_of(text, "[a]")
    assert (b.defined_by, b.path) == ("header", ("a", "b"))
    assert to_python(root) == {"a": {"b": {"x": 1}, "y": 2}}


def test_implicit_table_stays_implicit_until_a_header_names_it() -> None:
    root, errors = resolved("[a.b.c]\n")
    assert errors == []
    assert table(root, "a").defined_by == "implicit"
    assert table(root, "a", "b").defined_by == "implicit"
    assert table(root, "a", "b", "c").defined_by == "header"


def test_dotted_keys_create_and_extend_tables_in_one_section() -> None:
    text = "a.b = 1\na.c = 2\nd.e.f = 3\n"
    root, errors = resolved(text)
    assert errors == []
    a = table(root, "a")
    assert a.defined_by == "dotted" and a.name_span == span_of(text, "a")
    b = a.children["b"]
    assert isinstance(b, ResolvedEntry) and b.part.span == span_of(text, "b")
    assert b.kv.key.names == ("a", "b")
    assert to_python(root) == {"a": {"b": 1, "c": 2}, "d": {"e": {"f": 3}}}


def test_headers_may_add_sub_tables_below_dotted_tables() -> None:
    text = '[fruit]\napple.color = "red"\napple.taste.sweet = true\n[fruit.apple.texture]\nx = 1\n'
    root, errors = resolved(text)
    assert errors == []
    assert to_python(root) == tomllib.loads(text)


def test_inline_tables_resolve_as_closed_tables() -> None:
    text = "p = { x = 1, y.z = 2 }\n"
    root, errors = resolved(text)
    assert errors == []
    p = table(root, "p")
    assert p.defined_by == "inline" and p.inline is not None
    assert p.name_span == span_of(text, "p")
    assert to_python(root) == {"p": {"x": 1, "y": {"z": 2}}}


def test_arrays_of_tables() -> None:
    text = "[[a]]\nx = 1\n[a.sub]\ny = 2\n[[a]]\nx = 3\n[[a.list]]\n"
    root, errors = resolved(text)
    assert errors == []
    array = root.children["a"]
    assert isinstance(array, TableArray)
    assert (array.name, array.path, array.name_span) == ("a", ("a",), span_of(text, "a"))
    first, _second = array.items
    assert first.defined_by == "array-item" and first.header is not None
    assert first.header.span == span_of(text, "[[a]]")
    assert to_python(root) == {"a": [{"x": 1, "sub": {"y": 2}}, {"x": 3, "list": [{}]}]}


def test_keys_are_case_sensitive() -> None:
    _root, errors = resolved("name = 1\nName = 2\n[T]\n[t]\n")
    assert errors == []


def test_keys_without_values_are_kept_and_never_conflict() -> None:
    text = "[cerebrium.hardware]\ngpu_cou\ncpu = \ncpu = 2\n[cerebrium]\nhardware\n"
    document = load_toml(text)
    assert [e.code for e in document.errors] == ["toml-syntax", "toml-syntax", "toml-syntax"]
    hardware = table(document.root, "cerebrium", "hardware")
    gpu = hardware.children["gpu_cou"]
    assert isinstance(gpu, ResolvedEntry) and gpu.value is None
    cpu = hardware.children["cpu"]
    assert isinstance(cpu, ResolvedEntry) and cpu.value is not None  # the valid one wins
    assert to_python(document.root) == {"cerebrium": {"hardware": {"cpu": 2}}}


def test_broken_header_keys_land_in_a_detached_table() -> None:
    document = load_toml("a = 1\n[]\na = 2\n")
    assert [e.code for e in document.errors] == ["toml-syntax"]
    assert to_python(document.root) == {"a": 1}


# --- the errors, each on the second occurrence --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "message", "second", "first"),
    [
        (
            "name = 1\nname = 2\n",
            "duplicate-key",
            'duplicate key "name": TOML allows a key once per table and the CLI refuses the file. Remove one of the two definitions.',
            ("name", 1),
            ("name", 0),
        ),
        (
            "a.b = 1\na.b = 2\n",
            "duplicate-key",
            'duplicate key "a.b": TOML allows a key once per table and the CLI refuses the file. Remove one of the two definitions.',
            ("a.b", 1),
            ("a.b", 0),
        ),
        (
            '"a" = 1\na = 2\n',
            "duplicate-key",
            'duplicate key "a": TOML allows a key once per table and the CLI refuses the file. Remove one of the two definitions.',
            ("a", 1),
            ('"a"', 0),
        ),
        ("[t]\n[t]\n", "duplicate-table", "table [t] is defined twice", ("[t]", 1), ("[t]", 0)),
        (
            "[a]\nb.c = 1\n[a.b]\n",
            "duplicate-table",
            "table [a.b] is defined twice: first by dotted keys",
            ("[a.b]", 0),
            ("b", 0),
        ),
        (
            "a = {}\n[a]\n",
            "duplicate-table",
            "table [a] is defined twice: first as an inline table",
            ("[a]", 0),
            ("a", 0),
        ),
        (
            "a.b = 1\na = 2\n",
            "duplicate-key",
            'duplicate key "a": table "a" is already defined by dotted keys: TOML allows a key once per table and the CLI refuses the file. Remove one of the two definitions.',
            ("a", 1),
            ("a", 0),
        ),
        (
            "a = 1\n[a]\n",
            "duplicate-key",
            'cannot define [a]: "a" already holds a value',
            ("[a]", 0),
            ("a", 0),
        ),
        (
            "a = 1\na.b = 2\n",
            "duplicate-key",
            'cannot define key "a.b": "a" already holds a value',
            ("a.b", 0),
            ("a", 0),
        ),
        (
            "a = [1]\n[[a]]\n",
            "toml-semantics",
            "cannot define [[a]]: \"a\" is an array written with '=', which cannot be extended",
            ("[[a]]", 0),
            ("a", 0),
        ),
        (
            "a = {b = 1}\na.c = 2\n",
            "toml-semantics",
            'cannot define key "a.c": "a" is an inline table, which cannot be extended',
            ("a.c", 0),
            ("a", 0),
        ),
        (
            "a = {b = 1}\n[a.c]\n",
            "toml-semantics",
            'cannot define [a.c]: "a" is an inline table, which cannot be extended',
            ("[a.c]", 0),
            ("a", 0),
        ),
        (
            "[a.b]\n[a]\nb.c = 1\n",
            "toml-semantics",
            'cannot define key "b.c": table "a.b" is already defined by [a.b]',
            ("b.c", 0),
            ("[a.b]", 0),
        ),
        (
            "[a]\n[[a]]\n",
            "toml-semantics",
            'cannot define [[a]]: table "a" is already defined by [a]',
            ("[[a]]", 0),
            ("[a]", 0),
        ),
        (
            "[[a]]\n[a]\n",
            "toml-semantics",
            'cannot define [a]: "a" is an array of tables',
            ("[a]", 1),
            ("[[a]]", 0),
        ),
        (
            "[a.b]\n[[a]]\n",
            "toml-semantics",
            'cannot define [[a]]: table "a" is already defined by dotted keys',
            ("[[a]]", 0),
            ("a", 0),
        ),
        (
            "[[a.t]]\n[a]\nt.b = 1\n",
            "toml-semantics",
            'cannot define key "t.b": "a.t" is an array of tables',
            ("t.b", 0),
            ("[[a.t]]", 0),
        ),
        (
            "t = {a = 1, a = 2}\n",
            "duplicate-key",
            'duplicate key "a": TOML allows a key once per table and the CLI refuses the file. Remove one of the two definitions.',
            ("a", 1),
            ("a", 0),
        ),
        (
            "t = [{a = 1}, {b = 1, b = 2}]\n",
            "duplicate-key",
            'duplicate key "b": TOML allows a key once per table and the CLI refuses the file. Remove one of the two definitions.',
            ("b", 1),
            ("b", 0),
        ),
        (
            "t = {a = {b = 1}, a.c = 2}\n",
            "toml-semantics",
            'cannot define key "a.c": "t.a" is an inline table, which cannot be extended',
            ("a.c", 0),
            ("a", 0),
        ),
    ],
)
def test_redefinitions(
    text: str,
    code: str,
    message: str,
    second: tuple[str, int],
    first: tuple[str, int],
) -> None:
    _root, errors = resolved(text)
    [error] = errors
    assert (error.code, error.message) == (code, message)
    assert error.span == span_of(text, *second)
    assert error.related == [(span_of(text, *first), "first defined here")]
    with pytest.raises(tomllib.TOMLDecodeError):
        tomllib.loads(text)


def test_dotted_tables_close_when_their_section_ends() -> None:
    _root, errors = resolved("a.b = 1\n[x]\n[a]\n")
    assert [e.message for e in errors] == ["table [a] is defined twice: first by dotted keys"]


def test_walking_through_an_implicit_table_with_dotted_keys_closes_it() -> None:
    _root, errors = resolved("[a.b.c]\n[a]\nb.d = 1\n[a.b]\n")
    assert [e.code for e in errors] == ["duplicate-table"]


def test_every_duplicate_is_reported() -> None:
    _root, errors = resolved("a = 1\na = 2\na = 3\n[t]\n[t]\n[t]\n")
    assert [e.code for e in errors] == ["duplicate-key"] * 2 + ["duplicate-table"] * 2


# --- differential check against tomllib ---------------------------------------------------------

_KEYS = st.sampled_from(["a", "b", "a.b", "b.a", "a.a", "'a'", '"b"', "a . b"])
_VALUES = st.sampled_from(["1", "'s'", "[]", "[1]", "{}", "{a = 1}", "{b.a = 2}", "[{a = 1}]"])
_LINES = st.one_of(
    st.builds("{} = {}".format, _KEYS, _VALUES),
    st.builds("[{}]".format, _KEYS),
    st.builds("[[{}]]".format, _KEYS),
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_LINES, max_size=6).map("\n".join))
def test_semantics_agree_with_tomllib(text: str) -> None:
    document = load_toml(text)
    try:
        expected = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assert document.errors, "tomllib rejects this document"
        return
    assert document.errors == []
    assert to_python(document.root) == expected


def test_to_python_skips_what_did_not_decode() -> None:
    document = load_toml('a = 1__0\nb = "x\nc = [1, yes, 2]\nd = nan\ne =\n')
    python = to_python(document.root)
    assert python.keys() == {"c", "d"}
    assert python["c"] == [1, 2]
    assert isinstance(python["d"], float) and math.isnan(python["d"])


# --- load_toml's safety net ---------------------------------------------------------------------


def _blind_resolve(parsed: ParsedDocument) -> tuple[ResolvedTable, list[SyntaxProblem]]:
    root, _errors = resolve(parsed)
    return root, []


def test_safety_net_reports_what_parse_and_resolve_missed(monkeypatch: pytest.MonkeyPatch) -> None:
    # (A text starting with U+FEFF never reaches the net: the parser reports that character.)
    monkeypatch.setattr(toml_document, "resolve", _blind_resolve)
    text = "a = 1\nb = 2\na = 3\n"
    [error] = load_toml(text).errors
    assert error.code == "toml-syntax"
    assert error.message == "invalid TOML: Cannot overwrite a value"
    # tomllib stops after the value (line 3, column 6): the line break after "a = 3"
    assert error.span == Span(text.index("a = 3") + 5, text.index("a = 3") + 6)


def test_safety_net_at_the_end_of_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(toml_document, "resolve", _blind_resolve)
    [error] = load_toml("a = 1\na = 2").errors
    assert error.span == Span(11, 11)  # tomllib names the end of the text
    monkeypatch.setattr(tomllib, "loads", _fails_at_end)
    [error] = load_toml("a = 1").errors
    assert (error.message, error.span) == ("invalid TOML: Unexpected end", Span(5, 5))


def _fails_at_end(text: str) -> object:
    raise tomllib.TOMLDecodeError("Unexpected end (at end of document)")


def test_errors_are_sorted_by_position() -> None:
    errors = load_toml("a = 1\na = 2\nb = \n").errors
    assert [e.span.start for e in errors] == sorted(e.span.start for e in errors)
    assert [e.code for e in errors] == ["duplicate-key", "toml-syntax"]


def test_keys_with_a_hundred_parts() -> None:
    depth = 99  # 100 parts: the most a key may have (parser.MAX_DEPTH)
    text = "a" + ".a" * depth + " = 1\n[" + "b." * depth + "b]\nc = 2\n"
    document = load_toml(text)
    assert document.errors == []
    data = to_python(document.root)
    for _ in range(depth):
        data = data["a"]  # type: ignore[assignment]
    assert data == {"a": 1}


def test_keys_with_thousands_of_parts_are_cut_off() -> None:
    """Each table keeps its full path, so n parts cost memory in n²: 5,000 parts took 200 MB
    and 20,000 (a 40 kB file) 3 GB. Beyond 100 parts the key is reported and skipped."""
    depth = 5_000
    text = "a" + ".a" * depth + " = 1\n[" + "b." * depth + "b]\nc = 2\n"
    document = load_toml(text)
    assert [(e.code, e.message) for e in document.errors] == [
        ("toml-syntax", "key nested too deeply: more than 100 levels of dotted keys")
    ] * 2
    assert max(len(t.path) for t in _tables(document.root)) <= 100


def _tables(root: ResolvedTable) -> list[ResolvedTable]:
    found, pending = [], [root]
    while pending:
        table = pending.pop()
        found.append(table)
        pending.extend(c for c in table.children.values() if isinstance(c, ResolvedTable))
    return found


# Fragments that build every kind of statement, value and mistake: keys, headers, array tables,
# strings of all four styles with escapes, numbers with prefixes and exponents, dates, times.
_FRAGMENTS = [
    *"[]{}=,.#\"'\\ \t\r\nabc019_-+:eExTz",
    *['"""', "'''", "true", "false", "1979-05-27", "07:32:00", "[[", "]]", "\r\n", "inf"],
    *["nan", "0x", "0o", "0b", "\\u", "\\n", " = ", "a = ", "\n[", "\n[[", "1.5", "1e3"],
]


@settings(max_examples=1_000, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=40).map("".join))
def test_parse_and_resolve_agree_with_tomllib_without_the_safety_net(text: str) -> None:
    """The safety net is a last resort: the parser and resolver alone accept exactly what
    tomllib accepts (so every error comes with our own message and span). A longer run of this
    property (20,000 examples) found no disagreement either."""
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        accepted = False
    except ValueError:
        return  # int()'s digit limit: not a TOML rule
    else:
        accepted = True
    parsed = parse(text)
    _root, semantic_errors = resolve(parsed)
    found = [e.message for e in (*parsed.errors, *semantic_errors)]
    assert (not found) == accepted, found
