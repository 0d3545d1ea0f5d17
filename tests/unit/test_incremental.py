"""The tomllib pass that a value edit may skip (analysis/incremental.py): never skipped when it
would have found something, and skipped for what it is for (typing inside a value)."""

from __future__ import annotations

import random
import tomllib
from pathlib import Path

import pytest

from cerebrium_lsp.analysis.engine import analyze
from cerebrium_lsp.analysis.incremental import changed_region, value_edit_keeps_toml_valid
from cerebrium_lsp.analysis.parser import parse
from cerebrium_lsp.analysis.toml_document import load_toml

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = sorted(
    [
        *(ROOT / "bench" / "documents").glob("*/cerebrium.toml"),
        *(ROOT / "examples").glob("**/cerebrium.toml"),
        *sorted((ROOT.parent / "shared" / "corpus" / "real").glob("*.toml"))[:40],
    ]
)
TYPED = ['"', "'", "\\", "\n", "=", "[", "]", "{", "}", ",", "#", ".", " ", "a", "Z", "1", "-"]


def _valid(text: str) -> bool:
    try:
        tomllib.loads(text)
    except ValueError:
        return False
    return True


def test_changed_region() -> None:
    assert changed_region("abc", "abc") == (3, 3, 3)
    assert changed_region("a = 1", "a = 12") == (5, 5, 6)
    assert changed_region("aaa", "aa") == (2, 3, 2)
    assert changed_region('x = "ab"', 'x = "axb"') == (6, 6, 7)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.parent.name or p.name)
def test_a_skipped_pass_would_have_found_nothing(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    previous = load_toml(text)
    if previous.errors:
        return
    rng = random.Random(path.name)
    for _ in range(150):
        start = rng.randrange(len(text) + 1)
        end = min(len(text), start + rng.choice([0, 0, 1, 2]))
        typed = "".join(rng.choice(TYPED) for _ in range(rng.choice([0, 1, 1, 2])))
        new = text[:start] + typed + text[end:]
        parsed = parse(new)
        if value_edit_keeps_toml_valid(previous, parsed):
            assert _valid(new), (start, end, typed)
            assert load_toml(new, previous=previous).errors == load_toml(new).errors == []


def test_typing_into_a_string_value_skips_the_pass() -> None:
    text = (ROOT / "bench" / "documents" / "large" / "cerebrium.toml").read_text(encoding="utf-8")
    previous = load_toml(text)
    at = text.index('["echo ') + len('["echo ')
    for char in "pip install -r x.txt":
        new = text[:at] + char + text[at:]
        assert value_edit_keeps_toml_valid(previous, parse(new))
        previous, text, at = load_toml(new, previous=previous), new, at + 1
    # a quote typed into it is not a value edit
    assert not value_edit_keeps_toml_valid(previous, parse(text[:at] + '"' + text[at:]))


def test_retyping_a_number_skips_the_pass() -> None:
    previous = load_toml("[a]\nx = 1\ny = [1, 2]\n")
    assert value_edit_keeps_toml_valid(previous, parse("[a]\nx = 12\ny = [1, 2]\n"))
    assert value_edit_keeps_toml_valid(previous, parse("[a]\nx = 1\ny = [1, 25]\n"))
    assert not value_edit_keeps_toml_valid(previous, parse("[a]\nxz = 1\ny = [1, 2]\n"))


# Lines a user adds or removes: blank and comment lines (the pass may be skipped) and others
# (it may not), including ones that would be string content or change a string's end.
LINES = ["", "   ", "\t", "# note", "#", "  # x = 1", '# """', "# \\", "x = 1", "[t]", '"""', "'''"]


def _line_edit(text: str, rng: random.Random) -> str:
    """``text`` with a random line inserted or a random line removed (as full text)."""
    starts = [0, *(i + 1 for i, char in enumerate(text) if char == "\n")]
    at = rng.choice(starts)
    if rng.random() < 0.5 and at < len(text):
        end = text.find("\n", at)
        return text[:at] + text[len(text) if end < 0 else end + 1 :]
    return text[:at] + rng.choice(LINES) + "\n" + text[at:]


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.parent.name or p.name)
def test_line_edits_analyse_as_from_scratch(path: Path) -> None:
    """A skipped pass never changes a diagnostic: the analysis that reuses the previous
    version's equals a full one, for lines inserted and removed as a full-text client sends."""
    original = analyze(path.read_text(encoding="utf-8"))
    rng = random.Random(f"lines-{path.name}")
    previous = original
    skipped = 0
    for _ in range(60):
        new = _line_edit(previous.text, rng)
        if value_edit_keeps_toml_valid(previous.document, parse(new)):
            assert _valid(new), new
            skipped += 1
        reused = analyze(new, previous=previous)
        assert reused.diagnostics == analyze(new).diagnostics
        # After an edit that broke the document, edit the original again.
        previous = original if reused.document.errors else reused
    assert skipped or original.document.errors  # the rule was exercised


def test_blank_and_comment_lines_skip_the_pass() -> None:
    before = load_toml("[a]\nx = 1\n\ny = [\n  1,\n  2,\n]\n")
    for text in (
        "[a]\n\nx = 1\n\ny = [\n  1,\n  2,\n]\n",  # Enter pressed after the header
        "[a]\nx = 1\ny = [\n  1,\n  2,\n]\n",  # the empty line deleted
        "[a]\n# why\nx = 1\n\ny = [\n  1,\n  2,\n]\n",
        "[a]\nx = 1\n\ny = [\n  1,\n  # two\n  2,\n]\n",  # inside a multi-line array
        "[a]\nx = 1\n\ny = [\n  1,\n  2,\n]\n\r\n",
    ):
        assert value_edit_keeps_toml_valid(before, parse(text)), text


def test_lines_in_a_string_or_with_content_do_not_skip_the_pass() -> None:
    before = load_toml('[a]\nx = """\none\n"""\ny = 1\n')
    for text in (
        '[a]\nx = """\n\none\n"""\ny = 1\n',  # a line of the string
        '[a]\nx = """\n# one\none\n"""\ny = 1\n',
        '[a]\nx = """\none\n"""\ny = 1\nz = 2\n',  # a key
        '[a]\nx = """\none\n"""\ny = 1 # c\n',  # a comment after a value
        '[a]\nx = """\none\n"""\ny = 1\n#\x01\n',  # a control character in a comment
        '[a]\nx = """\none\n"""\ny = 1\n\r',  # a lone carriage return
    ):
        assert not value_edit_keeps_toml_valid(before, parse(text)), text
