"""The oracle the fuzz tests and ``bench/fuzz.py`` share: everything the server and ``check`` do
with a document's text, with every property they must keep, as plain functions.

:func:`exercise` analyses a text, checks every diagnostic range, runs completion, hover,
selection, folding, symbols and document links at the given offsets, applies every quick fix
(checking that a fix never breaks a file that parsed and never deletes a comment), then runs the
server's own handlers in process (code actions, completion, definition, selection, symbols,
folding, links: their results convert to LSP and no feature guard had to catch an error). It
raises (``AssertionError`` for a broken property, anything else for a crash) on the first
failure.

Seeds: every ``cerebrium.toml`` of ``../shared/corpus/real`` and ``examples/``, and the
mutations :func:`mutate` makes of them (insert, delete, duplicate, swap characters and lines,
cut at an offset).
"""

from __future__ import annotations

import itertools
import logging
import random
import tomllib
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from lsprotocol import types
from pygls.workspace import Workspace
from pytest_lsp import client_capabilities

from cerebrium_lsp.analysis.context import cursor_context, node_at
from cerebrium_lsp.analysis.engine import Analysis, AnalysisOptions, analyze
from cerebrium_lsp.analysis.fixes import apply_edits, fix_all_text, fixes_for
from cerebrium_lsp.analysis.parser import parse
from cerebrium_lsp.analysis.tree import Span
from cerebrium_lsp.features.code_actions import code_action
from cerebrium_lsp.features.common import to_lsp_position
from cerebrium_lsp.features.completion import ClientSupport, complete, completion
from cerebrium_lsp.features.definition import definition
from cerebrium_lsp.features.diagnostics import lsp_diagnostics
from cerebrium_lsp.features.folding import folding_range, folding_ranges
from cerebrium_lsp.features.hover import hover_at, to_plaintext
from cerebrium_lsp.features.links import document_link, path_values
from cerebrium_lsp.features.selection import selection_range, selection_spans
from cerebrium_lsp.features.symbols import _Builder, document_symbol, flatten
from cerebrium_lsp.model import MODEL
from cerebrium_lsp.server import CerebriumLanguageServer, build_server

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "real"
EXAMPLES = ROOT / "examples"
ENCODINGS = ("utf-16", "utf-8", "utf-32")
SUPPORTS = (
    ClientSupport(),
    ClientSupport(snippets=True, insert_replace=True, documentation="markdown"),
)


@lru_cache(maxsize=1)
def seed_texts() -> tuple[tuple[str, str], ...]:
    """(name, text) of every corpus file and every example ``cerebrium.toml``."""
    found = [(f"corpus/{p.name}", p) for p in sorted(CORPUS.glob("*.toml"))]
    found += [
        (f"examples/{p.relative_to(EXAMPLES).as_posix()}", p)
        for p in sorted(EXAMPLES.rglob("cerebrium.toml"))
    ]
    return tuple((name, p.read_bytes().decode("utf-8", "replace")) for name, p in found)


# --- mutations ------------------------------------------------------------------------------------

# Characters that matter to TOML and to our scanners, plus text that is hard for offsets.
ALPHABET = "[]{}=\"'.,#\n\r\t \\-_:+0123456789aeflnrstuxzABCZ\x00\x7f\u00e9\u2028\ufeff😀\ud800"
TOKENS = (
    "[cerebrium]",
    "[cerebrium.deployment]",
    "[[cerebrium.hardware]]",
    'name = "x"',
    "compute = ",
    '"""',
    "'''",
    "= [",
    "{ a = 1, }",
    "\r\n",
    "\r",
    "# c",
    "hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ012345",
    "postgres://u:p4ssw0rd@db:5432/x",
)


def mutate(text: str, rng: random.Random, steps: int = 3) -> str:
    """``text`` after ``steps`` random edits: insert or delete characters and tokens, duplicate
    or swap characters and lines, cut at an offset."""
    for _ in range(steps):
        n = len(text)
        op = rng.randrange(9)
        at = rng.randint(0, n)
        if op == 0:
            text = text[:at] + rng.choice(ALPHABET) + text[at:]
        elif op == 1:
            text = text[:at] + rng.choice(TOKENS) + text[at:]
        elif op == 2 and n:
            end = min(n, at + rng.randint(1, 8))
            text = text[:at] + text[end:]
        elif op == 3 and n:
            end = min(n, at + rng.randint(1, 16))
            text = text[:end] + text[at:end] + text[end:]
        elif op == 4 and n >= 2:
            i = rng.randrange(n - 1)
            text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        elif op == 5:
            lines = text.splitlines(keepends=True)
            if len(lines) >= 2:
                i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
                lines[i], lines[j] = lines[j], lines[i]
                text = "".join(lines)
        elif op == 6:
            lines = text.splitlines(keepends=True)
            if lines:
                i = rng.randrange(len(lines))
                lines.insert(i, lines[i])
                text = "".join(lines)
        elif op == 7:
            lines = text.splitlines(keepends=True)
            if lines:
                del lines[rng.randrange(len(lines))]
                text = "".join(lines)
        else:
            text = text[:at]
    return text


# --- the oracle -----------------------------------------------------------------------------------


def check_span(span: Span, text: str, what: str) -> None:
    assert 0 <= span.start <= span.end <= len(text), f"{what}: {span} outside 0..{len(text)}"


def check_analysis(analysis: Analysis) -> None:
    """Every diagnostic range lies inside the document, starts before it ends, and converts to
    LSP positions in every encoding (start before end)."""
    text = analysis.text
    for d in analysis.diagnostics:
        check_span(d.span, text, f"[{d.code}] {d.message}")
        for related in d.related:
            check_span(related.span, text, f"related of [{d.code}]")
        assert d.message.strip(), f"[{d.code}] has an empty message"
        for encoding in ENCODINGS:
            lsp = d.to_lsp(analysis.index, "file:///x/cerebrium.toml", encoding)
            start, end = lsp["range"]["start"], lsp["range"]["end"]
            assert (start["line"], start["character"]) <= (end["line"], end["character"])
            assert 0 <= start["line"] < analysis.index.line_count


def run_features(analysis: Analysis, offsets: Iterable[int]) -> None:
    """Completion, hover, cursor context, selection at each offset; symbols, folding, links once."""
    text = analysis.text
    parsed = analysis.document.parsed
    for offset in offsets:
        for support in SUPPORTS:
            items = complete(analysis, offset, support)
            for item in items or ():
                edit = item.text_edit
                if isinstance(edit, types.TextEdit):
                    rng = edit.range
                    assert (rng.start.line, rng.start.character) <= (
                        rng.end.line,
                        rng.end.character,
                    )
        for trigger in ("[", '"', "=", ".", " "):
            complete(analysis, offset, SUPPORTS[0], trigger)
        result = hover_at(analysis, offset)
        if result is not None:
            check_span(result.span, text, "hover")
            to_plaintext(result.markdown)
        cursor_context(parsed, offset)
        node_at(parsed, offset)
        spans = selection_spans(analysis, offset)
        for span in spans:
            check_span(span, text, "selection")
        for outer, inner in itertools.pairwise(spans):
            assert outer.start <= inner.start and inner.end <= outer.end, "selection not nested"
    symbols = _Builder(analysis, MODEL, tags=True).children(analysis.document.root)
    flatten(symbols, "file:///x/cerebrium.toml")
    for fold in folding_ranges(analysis):
        assert fold.start_line <= fold.end_line < analysis.index.line_count
    path_values(analysis, None)


def lost_comments(before: str, after: str) -> list[str]:
    """Comments of ``before`` whose text ``after`` no longer holds (as often as before). Text,
    not parse: a fix to a broken file may change how the rest of it parses, which is fine."""
    wanted = Counter(c.text.rstrip() for c in parse(before).comments)
    return sorted(text for text, count in wanted.items() if after.count(text) < count)


def _tomllib_ok(text: str) -> bool:
    try:
        tomllib.loads(text.removeprefix("\ufeff"))
    except (ValueError, RecursionError):
        return False
    return True


def check_fixes(analysis: Analysis, options: AnalysisOptions) -> None:
    """Every quick fix (and fix-all) applies inside the document; when the original parsed, the
    result still parses; no comment is ever deleted."""
    text = analysis.text
    parsed_before = _tomllib_ok(text)
    results: list[tuple[str, str]] = []
    for diagnostic in analysis.diagnostics:
        for fix in fixes_for(analysis, diagnostic, options.project_dir):
            for edit in fix.edits:
                check_span(edit.span, text, f"fix {fix.title!r}")
            results.append((fix.title, apply_edits(text, fix.edits)))
    results.append(("fix all", fix_all_text(analysis, options.project_dir)))
    for title, fixed in results:
        if parsed_before:
            assert _tomllib_ok(fixed), f"{title!r} broke a file that parsed:\n{fixed}"
        lost = lost_comments(text, fixed)
        assert not lost, f"{title!r} deleted comments {lost}"


def exercise(
    text: str,
    offsets: Iterable[int] = (),
    options: AnalysisOptions | None = None,
    *,
    handlers: bool = True,
) -> Analysis:
    """Everything above on one text (and, with ``handlers``, the LSP handlers). Raises on the
    first failure."""
    options = options or AnalysisOptions(file_checks=False)
    analysis = analyze(text, options, raise_errors=True)
    assert analysis.text == text
    check_analysis(analysis)
    positions = [max(0, min(o, len(text))) for o in offsets]
    run_features(analysis, positions)
    check_fixes(analysis, options)
    if handlers:
        run_handlers(text, positions)
    return analysis


# --- the LSP handlers, in process ---------------------------------------------------------------

FUZZ_URI = (ROOT / "tests" / "workspace" / "shapes" / "fuzzed" / "cerebrium.toml").as_uri()


class _Errors(logging.Handler):
    """Errors the feature guards logged (they answer empty instead of raising)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@lru_cache(maxsize=1)
def _server() -> tuple[CerebriumLanguageServer, _Errors]:
    server = build_server()
    protocol = server.protocol
    protocol.client_capabilities = client_capabilities("visual_studio_code")
    protocol._workspace = Workspace(ROOT.as_uri())
    errors = _Errors()
    logging.getLogger("cerebrium_lsp").addHandler(errors)
    return server, errors


_versions = itertools.count(1)


def run_handlers(text: str, offsets: list[int]) -> None:
    """Code actions (quick fixes for every diagnostic, fix-all, over the whole document and at
    each offset), completion, symbols, folding, selection, links and definition, through the
    server's handlers: their results convert to LSP, and no guard had to catch an error."""
    server, errors = _server()
    errors.records.clear()
    server.workspace.put_text_document(
        types.TextDocumentItem(uri=FUZZ_URI, language_id="toml", version=next(_versions), text=text)
    )
    analysis = server.analysis_for(FUZZ_URI)
    assert analysis is not None
    document = types.TextDocumentIdentifier(uri=FUZZ_URI)
    published = lsp_diagnostics(server, FUZZ_URI) or []
    positions = [to_lsp_position(analysis, o) for o in offsets]
    ranges = [
        types.Range(start=to_lsp_position(analysis, 0), end=to_lsp_position(analysis, len(text)))
    ]
    ranges += [types.Range(start=p, end=p) for p in positions]
    for rng in ranges:
        context = types.CodeActionContext(diagnostics=list(published))
        code_action(server, types.CodeActionParams(document, rng, context))
    for position in positions:
        completion(server, types.CompletionParams(document, position))
        definition(server, types.DefinitionParams(document, position))
    selection_range(server, types.SelectionRangeParams(document, positions))
    document_symbol(server, types.DocumentSymbolParams(document))
    folding_range(server, types.FoldingRangeParams(document))
    document_link(server, types.DocumentLinkParams(document))
    server.workspace.remove_text_document(FUZZ_URI)
    assert not errors.records, [r.getMessage() + str(r.exc_info) for r in errors.records]


def random_offsets(text: str, rng: random.Random, count: int = 4) -> list[int]:
    """Offsets worth probing: the ends, and random places (often right after a newline)."""
    n = len(text)
    found = [0, n]
    for _ in range(count):
        found.append(rng.randint(0, n))
    return found
