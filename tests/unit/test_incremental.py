"""The tomllib pass that a value edit may skip (analysis/incremental.py): never skipped when it
would have found something, and skipped for what it is for (typing inside a value)."""

from __future__ import annotations

import random
import tomllib
from pathlib import Path

import pytest

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
