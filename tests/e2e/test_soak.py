"""Soak: a long editing session through one server process leaves its memory flat.

``bench/soak.py`` replays 10,000 edits (``bench/RELIABILITY.md`` has the numbers); here a short
run of the same session, plus the two leaks it found, each tested directly:

* pygls keeps the future of every notification it handles (one per ``didChange``) in
  ``_request_futures`` forever; the server's protocol forgets them once done;
* a recursive closure in folding made every folded analysis part of a reference cycle, alive
  until the next garbage collection, which the server runs only when idle.
"""

from __future__ import annotations

import asyncio
import gc
import sys
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.workspace import Workspace

from cerebrium_lsp.analysis.engine import AnalysisOptions, analyze
from cerebrium_lsp.analysis.fixes import safe_fixes
from cerebrium_lsp.features.completion import ClientSupport, complete
from cerebrium_lsp.features.folding import folding_ranges
from cerebrium_lsp.features.hover import hover_at
from cerebrium_lsp.features.selection import selection_spans
from cerebrium_lsp.features.symbols import _Builder
from cerebrium_lsp.model import MODEL
from cerebrium_lsp.server import build_server

BENCH = Path(__file__).resolve().parents[2] / "bench"
DOCUMENT = BENCH / "documents" / "small" / "cerebrium.toml"


@pytest.mark.timeout(120)
def test_a_short_soak_keeps_memory_flat() -> None:
    sys.path.insert(0, str(BENCH))
    try:
        from soak import run_soak
    finally:
        sys.path.remove(str(BENCH))
    report = asyncio.run(run_soak(1_500, DOCUMENT))
    assert report["last_diagnostics_match"], report
    assert report["growth"] <= report["growth_limit"], report


def test_notification_futures_are_forgotten() -> None:
    server = build_server()
    protocol = server.protocol
    uri = DOCUMENT.resolve().as_uri()

    async def session() -> None:
        protocol._workspace = Workspace(DOCUMENT.parent.as_uri())
        protocol._handle_notification(
            types.TEXT_DOCUMENT_DID_OPEN,
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(uri, "toml", 1, DOCUMENT.read_text(encoding="utf-8"))
            ),
        )
        for version in range(2, 502):
            protocol._handle_notification(
                types.TEXT_DOCUMENT_DID_CHANGE,
                types.DidChangeTextDocumentParams(
                    types.VersionedTextDocumentIdentifier(version, uri),
                    [types.TextDocumentContentChangeWholeDocument("# v\n")],
                ),
            )
        await asyncio.sleep(0)  # done callbacks of asyncio futures run on the next turn
        server.cancel_all()

    asyncio.run(session())
    assert protocol._request_futures == {}


def test_features_create_no_reference_cycles() -> None:
    """The server collects cyclic garbage only when idle: a feature that creates cycles keeps
    whole analyses alive for as long as the user types."""
    text = DOCUMENT.read_text(encoding="utf-8")
    analysis = analyze(text, AnalysisOptions(file_checks=False))
    offsets = range(0, len(text), 40)
    features = {
        "folding": lambda: folding_ranges(analysis),
        "symbols": lambda: _Builder(analysis, MODEL, tags=True).children(analysis.document.root),
        "hover": lambda: [hover_at(analysis, o) for o in offsets],
        "completion": lambda: [
            complete(analysis, o, ClientSupport(snippets=True)) for o in offsets
        ],
        "selection": lambda: [selection_spans(analysis, o) for o in offsets],
        "fix all": lambda: safe_fixes(analysis),
        "analysis": lambda: analyze(text, AnalysisOptions(file_checks=False)),
    }
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for name, feature in features.items():
            feature()  # warm caches: what stays there is not garbage
            gc.collect()
            for _ in range(3):
                feature()
            assert gc.collect() == 0, f"{name} leaves reference cycles"
    finally:
        if was_enabled:
            gc.enable()
