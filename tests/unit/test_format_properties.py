"""Property tests: random valid TOML documents (tables, arrays of tables, dotted and quoted keys,
inline tables, every string form, numbers and dates in every notation, multi-line arrays,
comments everywhere, odd spacing, LF or CRLF) keep every invariant of format_invariants.py."""

from __future__ import annotations

import random
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from format_invariants import check_invariants
from fuzz_support import mutate, seed_texts
from hostile_documents import HOSTILE
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cerebrium_lsp.analysis.toml_document import load_toml
from cerebrium_lsp.format import format_text

PROFILE = settings(max_examples=400, deadline=None)

TEXT = st.text(alphabet="ab #=[]{},.'\"é😀\t", max_size=8)
BASIC = TEXT.map(lambda s: '"' + s.replace('"', "").replace("\\", "") + '"') | st.sampled_from(
    ['"tab\\there"', '"\\u00e9\\U0001F600"', '"quote \\" and \\\\"', '""']
)
LITERAL = TEXT.map(lambda s: "'" + s.replace("'", "").replace("\t", "") + "'")
ML_BASIC = st.sampled_from(
    ['"""\nline one\n  # not a comment\n"""', '"""a \\\n    b"""', '"""x""""', '""""""']
)
ML_LITERAL = st.sampled_from(["'''\n[not a table]\n'''", "'''a'b''''", "''''''"])
NUMBERS = st.sampled_from(
    ["0", "+17", "-3", "1_000", "0xDEAD_beef", "0o17", "0b101", "3.14", "-0.0", "6.02e23",
     "1e-7", "inf", "-inf", "nan", "true", "false"]
)  # fmt: skip
DATES = st.sampled_from(
    ["1979-05-27T07:32:00Z", "1979-05-27 07:32:00.5-07:00", "1979-05-27", "07:32:00",
     "1979-05-27T00:32:00.999999"]
)  # fmt: skip
SCALARS = st.one_of(BASIC, LITERAL, ML_BASIC, ML_LITERAL, NUMBERS, DATES)
SPACE = st.sampled_from(["", " ", "  ", "\t", " \t "])
COMMENT = st.one_of(st.just(""), TEXT.map(lambda s: " #" + s.replace("\t", " ")))


@st.composite
def arrays(draw: st.DrawFn, depth: int) -> str:
    items = draw(st.lists(values(depth + 1), max_size=4))
    if not draw(st.booleans()):  # on one line
        sep = draw(SPACE) + "," + draw(SPACE)
        trailing = "," if items and draw(st.booleans()) else ""
        return "[" + draw(SPACE) + sep.join(items) + trailing + draw(SPACE) + "]"
    out = ["[", draw(COMMENT)]
    for index, item in enumerate(items):
        out.append("\n" * draw(st.integers(1, 3)) + draw(SPACE))
        if draw(st.integers(0, 4)) == 0:
            out.append("# own line" + draw(TEXT).replace("\t", "") + "\n" + draw(SPACE))
        out.append(item)
        last = index == len(items) - 1
        if draw(st.integers(0, 4)) == 0:  # a comment before the comma
            out.append(draw(SPACE) + "# before comma\n" + draw(SPACE))
        if not last or draw(st.booleans()):
            out.append(draw(SPACE) + ",")
        out.append(draw(COMMENT))
    out.append("\n" * draw(st.integers(1, 2)) + draw(SPACE) + "]")
    return "".join(out)


@st.composite
def inline_tables(draw: st.DrawFn, depth: int) -> str:
    count = draw(st.integers(0, 3))
    entries = [
        f"{draw(keys(i))}{draw(SPACE)}={draw(SPACE)}{draw(values(depth + 1, inline=True))}"
        for i in range(count)
    ]
    return "{" + draw(SPACE) + ("," + draw(SPACE)).join(entries) + draw(SPACE) + "}"


@st.composite
def values(draw: st.DrawFn, depth: int = 0, inline: bool = False) -> str:
    kind = draw(st.integers(0, 5)) if depth < 3 else 0
    if kind == 4:
        return draw(arrays(depth))
    if kind == 5:
        return draw(inline_tables(depth))
    scalar = draw(SCALARS)
    if inline and "\n" in scalar:  # a line break inside an inline table only within a value
        return '"one line"'
    return scalar


@st.composite
def keys(draw: st.DrawFn, index: int) -> str:
    """A key unique by ``index`` in its table: bare, quoted, literal or dotted."""
    form = draw(st.integers(0, 4))
    if form == 1:
        return f'"key {index} é"'
    if form == 2:
        return f"'k{index}.x'"
    if form == 3:
        return f"d{index}{draw(SPACE)}.{draw(SPACE)}e"
    if form == 4:
        return f'd{index}."e f".g'
    return f"k{index}"


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines: list[str] = []
    sections = draw(st.integers(0, 4))
    for section in range(sections + 1):
        if section:
            header = draw(
                st.sampled_from(
                    [
                        f"[t{section}]",
                        f"[ t{section} . 'sub' ]",
                        f'["table {section}"]',
                        "[[aot]]",
                        f"[[ t{section}x ]]",
                    ]
                )
            )
            lines.append(draw(SPACE) + header + draw(COMMENT))
        for index in range(draw(st.integers(0, 4))):
            for _ in range(draw(st.integers(0, 2))):
                lines.append(draw(st.sampled_from(["", draw(SPACE), "# note" + draw(TEXT)])))
            key = draw(keys(index))
            entry = f"{draw(SPACE)}{key}{draw(SPACE)}={draw(SPACE)}{draw(values())}{draw(COMMENT)}"
            lines.append(entry)
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    end = draw(st.sampled_from(["", "\n", "\n\n"]))
    return ("\n".join(lines) + end).replace("\n", newline)


@PROFILE
@given(documents())
def test_random_valid_documents_keep_every_invariant(text: str) -> None:
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assume(False)  # the generator's rare invalid document (e.g. a CR inside a string)
    result = format_text(text)
    assert isinstance(result, str), result
    check_invariants(text, result)


TAPLO = Path(sys.executable).with_name("taplo")


@settings(max_examples=60, deadline=None)
@given(documents())
def test_taplo_leaves_the_output_of_random_documents_unchanged(text: str) -> None:
    """``taplo fmt`` (default options) on our output of LF documents: nothing to change."""
    text = text.replace("\r\n", "\n")
    result = format_text(text)
    assert isinstance(result, str)
    assume(result != "")  # an empty document stays empty; Taplo writes one line break
    run = subprocess.run(
        [str(TAPLO), "fmt", "--no-auto-config", "-"],
        input=result.encode(),
        capture_output=True,
        check=False,
    )
    # Taplo 0.9.3 rejects some valid TOML (``[[ a ]]`` with spaces, keys like ``1979-05-27``).
    assume(run.returncode == 0)
    assert run.stdout.decode() == result


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(seed_texts()), st.randoms(use_true_random=False), st.integers(1, 8))
def test_mutated_real_files_are_formatted_safely_or_refused(
    seed: tuple[str, str], rng: random.Random, steps: int
) -> None:
    """Any text (real files with random edits, mostly broken): never an exception; formatted
    only when it has no error, and then with every invariant."""
    text = mutate(seed[1], rng, steps)
    result = format_text(text)
    if isinstance(result, str):
        check_invariants(text, result)
    else:
        assert load_toml(text).errors


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_documents_are_formatted_or_refused(name: str) -> None:
    text = HOSTILE[name]()
    result = format_text(text)
    assert isinstance(result, str) == (not load_toml(text).errors)
