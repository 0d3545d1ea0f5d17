"""load_toml over the TOML 1.0 conformance suite (toml-test, the files in ``files-toml-1.0.0``).

Every ``valid/`` document: no error, and the same data as ``tomllib``. Every ``invalid/``
document: at least one error, found by the parser and resolver themselves (not only by the final
``tomllib`` safety net), each inside the document.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from format_invariants import comparable

from cerebrium_lsp.analysis.parser import parse
from cerebrium_lsp.analysis.resolve import resolve
from cerebrium_lsp.analysis.toml_document import load_toml, to_python
from cerebrium_lsp.analysis.tree import Span, TomlDocument
from cerebrium_lsp.config_files import decode

SUITE = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "toml-test"
if not (SUITE / "files-toml-1.0.0").is_file() and os.environ.get("CI") != "true":
    # A checkout without ../shared beside it (CI always has it: there, a missing suite fails).
    pytest.skip(f"the TOML test suite is not at {SUITE}", allow_module_level=True)
LISTED = [
    name for name in (SUITE / "files-toml-1.0.0").read_text().split() if name.endswith(".toml")
]
VALID = [name for name in LISTED if name.startswith("valid/")]
INVALID = [name for name in LISTED if name.startswith("invalid/")]


def read(name: str) -> str:
    """The file as the editor (and ``check``) holds it: its one leading byte order mark removed;
    bytes that are not UTF-8 become lone surrogates."""
    data = (SUITE / name).read_bytes().removeprefix(b"\xef\xbb\xbf")
    return data.decode("utf-8", errors="surrogateescape")


def check_spans(document: TomlDocument) -> None:
    for error in document.errors:
        assert 0 <= error.span.start <= error.span.end <= len(document.text), error
        for span, _message in error.related:
            assert 0 <= span.start <= span.end <= len(document.text), error


def test_the_suite_is_all_there() -> None:
    assert (len(VALID), len(INVALID)) == (210, 499)


@pytest.mark.parametrize("name", VALID)
def test_valid_document(name: str) -> None:
    text = read(name)
    document = load_toml(text)
    assert [e.message for e in document.errors] == []
    expected = tomllib.loads(text)
    assert comparable(to_python(document.root)) == comparable(expected)


@pytest.mark.parametrize("name", INVALID)
def test_invalid_document(name: str) -> None:
    text = read(name)
    document = load_toml(text)
    assert document.errors
    check_spans(document)
    parsed = parse(text)
    _root, semantic_errors = resolve(parsed)
    assert parsed.errors or semantic_errors, "only the tomllib safety net noticed"


@pytest.mark.parametrize("name", ["bom-not-at-start-02.toml", "bom-not-at-start-03.toml"])
def test_a_second_byte_order_mark_is_a_syntax_error(name: str) -> None:
    """Two BOMs: ``check`` and editors drop the first, so the text starts with the second."""
    text, decode_errors = decode((SUITE / "invalid" / "encoding" / name).read_bytes())
    assert decode_errors == [] and text.startswith("\ufeff")
    assert [(e.code, e.span) for e in parse(text).errors] == [("toml-syntax", Span(0, 1))]
