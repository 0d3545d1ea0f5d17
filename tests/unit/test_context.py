"""Cursor context for completion and the node under the cursor for hover, on whole, broken and
half-typed documents. ``|`` marks the cursor."""

from __future__ import annotations

import pytest

from cerebrium_lsp.analysis.context import (
    CursorContext,
    NodeAt,
    cursor_context,
    node_at,
    present_names,
    resolved_entry,
    resolved_table,
)
from cerebrium_lsp.analysis.parser import parse
from cerebrium_lsp.analysis.toml_document import load_toml
from cerebrium_lsp.analysis.tree import Span

HW = ("cerebrium", "hardware")


def ctx(marked: str) -> CursorContext:
    offset = marked.index("|")
    return cursor_context(parse(marked.replace("|", "", 1)), offset)


def text_of(marked: str, span: Span) -> str:
    return marked.replace("|", "", 1)[span.start : span.end]


# --- headers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marked", "prefix", "replaced", "closed", "array"),
    [
        ("[|", "", "", False, False),
        ("[|]", "", "", True, False),
        ("[cerebrium.har|", "cerebrium.har", "cerebrium.har", False, False),
        ("[cerebrium.har|dware]", "cerebrium.har", "cerebrium.hardware", True, False),
        ("[ cerebrium.h|  ]", "cerebrium.h", "cerebrium.h", True, False),
        ("[cere|  # comment", "cere", "cere", False, False),
        ("[[cerebrium.x|", "cerebrium.x", "cerebrium.x", False, True),
        (
            '[cerebrium.deployment]\nname = "x"\n\n[cerebrium.|',
            "cerebrium.",
            "cerebrium.",
            False,
            False,
        ),
        ("name = = broken\n[cer|\n[cerebrium.hardware]\ncpu = 2\n", "cer", "cer", False, False),
        ("  [cerebrium.s|", "cerebrium.s", "cerebrium.s", False, False),
        ('include = [\n  "a",\n[cerebrium.run|', "cerebrium.run", "cerebrium.run", False, False),
    ],
)
def test_header(marked: str, prefix: str, replaced: str, closed: bool, array: bool) -> None:
    c = ctx(marked)
    assert c.kind == "header"
    assert c.prefix == prefix
    assert text_of(marked, c.span) == replaced
    assert c.span.start <= c.offset <= c.span.end
    assert c.closed is closed
    assert c.array_header is array


def test_after_closed_header_is_none() -> None:
    assert ctx("[cerebrium.hardware]|").kind == "none"
    assert ctx("[cerebrium.hardware] |").kind == "none"
    assert ctx("[cerebrium.hardware] # x|").kind == "none"


# --- keys -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marked", "table", "prefix", "replaced"),
    [
        ("[cerebrium.hardware]\n|", HW, "", ""),
        ("[cerebrium.hardware]\n|\n[cerebrium.scaling]\n", HW, "", ""),
        ("[cerebrium.hardware]\ncpu = 2\n\n|", HW, "", ""),
        ("[cerebrium.hardware]\ncpu = 2\n|", HW, "", ""),
        ("[cerebrium.hardware]\ncomp|", HW, "comp", "comp"),
        ("[cerebrium.hardware]\n  comp|", HW, "comp", "comp"),
        ("[cerebrium.hardware]\ncomp|ute", HW, "comp", "compute"),
        ("[cerebrium.hardware]\r\ncpu = 2\r\n|", HW, "", ""),
        ("[cerebrium]\nhardware.|", HW, "", ""),
        ("[cerebrium]\nhardware.comp|", HW, "comp", "comp"),
        ("[cerebrium]\nhardware . comp|", HW, "comp", "comp"),
        ("[cerebrium]\nhardware = { |", HW, "", ""),
        ("[cerebrium]\nhardware = { |}", HW, "", ""),
        ('[cerebrium]\nhardware = { compute = "CPU", |', HW, "", ""),
        ('[cerebrium]\nhardware = { compute = "CPU", gp| }', HW, "gp", "gp"),
        ("[cerebrium]\nx = { hardware = { c| } }", ("cerebrium", "x", "hardware"), "c", "c"),
        ("[cerebrium.dependencies.pip]\n|", ("cerebrium", "dependencies", "pip"), "", ""),
        ("[cerebrium.hardware]\ncompute = \n|", HW, "", ""),  # previous line has no value
        ('[cerebrium.hardware]\ncompute = "CPU\n|', HW, "", ""),  # previous string unclosed
        ("[cerebrium.hardware]\ncompute = [\n]\n|", HW, "", ""),
        ("[cerebrium.hardware]\n= junk = [\n|", HW, "", ""),
        ("|", (), "", ""),
        ("[cerebrium.hardware]\ncpu = 2 # c\n|", HW, "", ""),
        ("[cerebrium.hardware\ncomp|", HW, "comp", "comp"),  # header missing its ]
        ("[cerebrium.hardware]\ncompute = { |", (*HW, "compute"), "", ""),
    ],
)
def test_key(marked: str, table: tuple[str, ...], prefix: str, replaced: str) -> None:
    c = ctx(marked)
    assert c.kind == "key"
    assert c.table == table
    assert c.prefix == prefix
    assert text_of(marked, c.span) == replaced
    assert not c.has_value


def test_key_section_and_inline_flag() -> None:
    c = ctx("[cerebrium]\nhardware = { |")
    assert c.section == ("cerebrium",)
    assert c.in_inline_table
    assert not ctx("[cerebrium.hardware]\n|").in_inline_table


@pytest.mark.parametrize(
    "marked",
    [
        '[cerebrium.hardware]\ncomp| = "CPU"',
        '[cerebrium.hardware]\n|compute = "CPU"',
        '[cerebrium]\nhard|ware.compute = "CPU"',
    ],
)
def test_key_followed_by_value(marked: str) -> None:
    c = ctx(marked)
    assert c.kind == "key"
    assert c.has_value


def test_quoted_key() -> None:
    c = ctx('[cerebrium.dependencies.pip]\n"tor|"')
    assert c.kind == "key"
    assert c.in_string
    assert c.prefix == "tor"
    assert c.closed


@pytest.mark.parametrize(
    ("marked", "empty"),
    [
        ("|", True),
        ("  |  \n\n", True),
        ("# a comment\n\n|", True),
        ("# a comment\n|\n# another\n", True),
        ("cer|", True),
        ("|\n[cerebrium.hardware]\n", False),
        ("x = 1\n|", False),
        ("[cerebrium.hardware]\n|", False),
    ],
)
def test_empty_document(marked: str, empty: bool) -> None:
    c = ctx(marked)
    assert c.kind == "key"
    assert c.empty_document is empty


# --- values -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marked", "table", "key", "in_string", "prefix", "replaced", "closed"),
    [
        ("[cerebrium.hardware]\ncompute = |", HW, "compute", False, "", "", False),
        ("[cerebrium.hardware]\ncompute =|", HW, "compute", False, "", "", False),
        ('[cerebrium.hardware]\ncompute = "|', HW, "compute", True, "", "", False),
        ('[cerebrium.hardware]\ncompute = "|"', HW, "compute", True, "", "", True),
        ('[cerebrium.hardware]\ncompute = "AM|', HW, "compute", True, "AM", "AM", False),
        ('[cerebrium.hardware]\ncompute = "AM|PERE"', HW, "compute", True, "AM", "AMPERE", True),
        ('[cerebrium.hardware]\ncompute = "|"\ncpu = 2\n', HW, "compute", True, "", "", True),
        ('[cerebrium.hardware]\ncompute = "|\ncpu = 2\n', HW, "compute", True, "", "", False),
        ("[cerebrium.hardware]\ncompute = AM|", HW, "compute", False, "AM", "AM", False),
        ("[cerebrium.hardware]\ncompute = 'A|'", HW, "compute", True, "A", "A", True),
        ("[cerebrium.scaling]\nmin_replicas = 1|", ("cerebrium", "scaling"), "min_replicas",
         False, "1", "1", False),
        ('[cerebrium.deployment]\npython_version = "3.|"', ("cerebrium", "deployment"),
         "python_version", True, "3.", "3.", True),
        ('[cerebrium]\nhardware.compute = "|"', HW, "compute", True, "", "", True),
        ("[cerebrium]\nhardware.compute = |", HW, "compute", False, "", "", False),
        ('[cerebrium]\nhardware = { compute = "| }', HW, "compute", True, "", "", False),
        ('[cerebrium]\nhardware = { compute = "|" }', HW, "compute", True, "", "", True),
        ('[cerebrium]\nhardware = { cpu = 2, compute = | }', HW, "compute", False, "", "", False),
        ('[cerebrium.hardware]\ncompute = "CPU"\nregion = "|"', HW, "region", True, "", "", True),
        ('x = 1\n[cerebrium.hardware]\nprovider = "aws"\nregion = "eu|', HW, "region", True,
         "eu", "eu", False),
        ("[Cerebrium.Hardware]\nCompute = |", ("Cerebrium", "Hardware"), "Compute", False, "", "",
         False),
    ],
)  # fmt: skip
def test_value(
    marked: str,
    table: tuple[str, ...],
    key: str,
    in_string: bool,
    prefix: str,
    replaced: str,
    closed: bool,
) -> None:
    c = ctx(marked)
    assert c.kind == "value"
    assert c.table == table
    assert c.key == key
    assert c.key_path == (*table, key)
    assert c.in_string is in_string
    assert c.prefix == prefix
    assert text_of(marked, c.span) == replaced
    assert c.closed is closed
    assert not c.in_array


def test_value_span_includes_quotes() -> None:
    marked = '[cerebrium.hardware]\ncompute = "AM|PERE"'
    c = ctx(marked)
    assert text_of(marked, c.value_span) == '"AMPERE"'
    assert c.quote == '"'
    marked = '[cerebrium.hardware]\ncompute = "AM|'
    assert text_of(marked, ctx(marked).value_span) == '"AM'


@pytest.mark.parametrize(
    ("marked", "in_string", "items"),
    [
        ("[cerebrium.hardware]\ncompute = [|", False, ()),
        ("[cerebrium.hardware]\ncompute = [|]", False, ()),
        ('[cerebrium.hardware]\ncompute = ["|', True, ()),
        ('[cerebrium.hardware]\ncompute = ["ADA_L4", "|"]', True, ("ADA_L4",)),
        ('[cerebrium.hardware]\ncompute = ["ADA_L4", "|', True, ("ADA_L4",)),
        ('[cerebrium.hardware]\ncompute = ["ADA_L4", |', False, ("ADA_L4",)),
        ('[cerebrium.hardware]\ncompute = ["|", "ADA_L4", "TURING_T4"]', True,
         ("ADA_L4", "TURING_T4")),
        ('[cerebrium.hardware]\ncompute = [\n  "ADA_L4",\n  "|"\n]\n', True, ("ADA_L4",)),
        ('[cerebrium.hardware]\ncompute = [\n  "ADA_L4", # first\n  |\n]\n', False, ("ADA_L4",)),
        ('[cerebrium.hardware]\ncompute = [\n  "ADA_L4",\n  "|\n', True, ("ADA_L4",)),
        ('[cerebrium.hardware]\ncompute = [\n  "ADA_L4",\n  |', False, ("ADA_L4",)),
        ('[cerebrium]\nhardware = { compute = ["ADA_L4", "|"] }', True, ("ADA_L4",)),
        ('[cerebrium]\nhardware.compute = ["|"]', True, ()),
    ],
)  # fmt: skip
def test_value_in_array(marked: str, in_string: bool, items: tuple[str, ...]) -> None:
    c = ctx(marked)
    assert c.kind == "value"
    assert c.key_path == (*HW, "compute")
    assert c.in_array
    assert c.in_string is in_string
    assert c.array_items == items


def test_value_after_closed_multiline_array_is_a_new_line() -> None:
    c = ctx('[cerebrium.hardware]\ncompute = [\n  "ADA_L4",\n]\n|')
    assert c.kind == "key"


# --- nothing to complete ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "marked",
    [
        "# comment |",
        "[cerebrium.hardware]\n# comp|",
        '[cerebrium.hardware]\ncompute = "CPU" |',
        '[cerebrium.hardware]\ncompute = "CPU" # c|',
        '[cerebrium.hardware]\ncompute = "CPU"|',
        "[cerebrium.hardware]\ncompute |",
        '[cerebrium.deployment]\nshell_commands = """\necho |\n"""\n',
        '[cerebrium.deployment]\nshell_commands = """ec|"""',
        "|[cerebrium.hardware]\n",
        "[cerebrium.hardware]\ncompute = ]|",
        '[cerebrium.hardware]\ncompute = ["CPU"] |',
    ],
)
def test_none(marked: str) -> None:
    assert ctx(marked).kind == "none"


def test_broken_lines_elsewhere_do_not_matter() -> None:
    marked = (
        "[cerebrium.deployment]\nname = \ninclude = [\n"
        '[cerebrium.hardware]\n"unterminated = \ncompute = "|'
    )
    c = ctx(marked)
    assert c.kind == "value"
    assert c.key_path == (*HW, "compute")


# --- hover: node under the cursor ---------------------------------------------------------------


def node(marked: str) -> NodeAt | None:
    offset = marked.index("|")
    return node_at(parse(marked.replace("|", "", 1)), offset)


def test_node_header() -> None:
    marked = "[cerebrium.hard|ware]\ncpu = 2\n"
    n = node(marked)
    assert n is not None
    assert n.kind == "header"
    assert n.path == HW
    assert text_of(marked, n.span) == "cerebrium.hardware"
    n = node("|[cerebrium.hardware]\n")
    assert n is not None and n.kind == "header"


def test_node_key() -> None:
    marked = '[cerebrium.hardware]\ncomp|ute = "BOGUS"\n'
    n = node(marked)
    assert n is not None
    assert n.kind == "key"
    assert n.path == (*HW, "compute")
    assert text_of(marked, n.span) == "compute"
    assert not n.names_table


def test_node_dotted_key_parts() -> None:
    marked = '[cerebrium]\nhard|ware.compute = "CPU"\n'
    n = node(marked)
    assert n is not None and n.kind == "key" and n.names_table
    assert n.path == HW
    assert text_of(marked, n.span) == "hardware"
    marked = '[cerebrium]\nhardware.comp|ute = "CPU"\n'
    n = node(marked)
    assert n is not None and n.path == (*HW, "compute") and not n.names_table


def test_node_inline_table() -> None:
    marked = '[cerebrium]\nhardware = { comp|ute = "CPU" }\n'
    n = node(marked)
    assert n is not None and n.kind == "key" and n.path == (*HW, "compute")
    marked = '[cerebrium]\nhard|ware = { compute = "CPU" }\n'
    n = node(marked)
    assert n is not None and n.names_table and n.path == HW
    marked = '[cerebrium]\nhardware = { compute = "A|DA_L4" }\n'
    n = node(marked)
    assert n is not None and n.kind == "value" and n.path == (*HW, "compute")
    assert text_of(marked, n.span) == '"ADA_L4"'


def test_node_value_in_array() -> None:
    marked = '[cerebrium.hardware]\ncompute = ["CPU", "ADA|_L4"]\n'
    n = node(marked)
    assert n is not None
    assert n.kind == "value" and n.in_array
    assert n.path == (*HW, "compute")
    assert n.scalar is not None and n.scalar.value == "ADA_L4"
    assert text_of(marked, n.span) == '"ADA_L4"'


def test_node_nothing() -> None:
    assert node("[cerebrium.hardware]\n\n|\ncpu = 2\n") is None
    assert node("# comm|ent\n") is None
    assert node('[cerebrium.hardware]\ncompute = ["CPU",  |  "ADA_L4"]\n') is None


# --- the resolved document ----------------------------------------------------------------------


def test_resolved_lookups_are_case_insensitive() -> None:
    doc = load_toml(
        '[Cerebrium.Hardware]\nPROVIDER = "aws"\n[cerebrium]\nscaling.min_replicas = 1\n'
    )
    table = resolved_table(doc.root, HW)
    assert table is not None
    assert present_names(table) == frozenset({"provider"})
    entry = resolved_entry(doc.root, (*HW, "provider"))
    assert entry is not None and entry.name == "PROVIDER"
    assert resolved_entry(doc.root, ("cerebrium", "scaling", "min_replicas")) is not None
    assert resolved_table(doc.root, ("cerebrium", "nope")) is None
    assert resolved_entry(doc.root, (*HW, "provider", "x")) is None
    assert resolved_entry(doc.root, ()) is None
    assert present_names(None) == frozenset()
