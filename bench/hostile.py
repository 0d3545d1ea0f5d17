"""Budgets for hostile and huge documents: analysis time and memory, and the server's
responsiveness while a 5 MB document is analysed.

    .venv/bin/python bench/hostile.py [--only NAME ...] [--repeat 3] [--no-server]

For each document of ``tests/unit/hostile_documents.py`` (a realistic 5 MB config, 10,000
tables, arrays and inline tables nested 10,000 deep, a key of 10,000 parts, megabyte lines,
100,000 syntax errors, …), a fresh process analyses it (best of ``--repeat``) and reports the
analysis time, the time for every feature on top (symbols, folding, hover, completion,
selection, fix-all) and the peak RSS of the process. Then, unless ``--no-server``, a server
opens the 5 MB config while a client keeps asking for the symbols of a small document: the
report has the time to the 5 MB diagnostics and the slowest answer meanwhile.

Budgets (``BUDGETS``): the run fails when one is exceeded. Prints a JSON report.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
UNIT = ROOT / "tests" / "unit"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(UNIT))

from hostile_documents import HOSTILE, large_config  # noqa: E402
from lsp_client import spawn  # noqa: E402

# name -> (analysis seconds, peak RSS MB) on a developer machine; the 5 MB budget is the one
# the reliability issue asks for.
BUDGETS: dict[str, tuple[float, float]] = {
    "large_config_5mb": (5.0, 400.0),
    "tables_10000": (2.0, 200.0),
    "nested_arrays_10000": (0.5, 100.0),
    "nested_inline_tables_10000": (0.5, 100.0),
    "unclosed_nesting_10000": (0.5, 100.0),
    "dotted_key_10000_parts": (0.5, 100.0),
    "long_line_2mb": (1.0, 150.0),
    "long_bare_value_1mb": (1.0, 150.0),
    "long_comment_2mb": (1.0, 150.0),
    "syntax_errors_100000": (3.0, 300.0),
    "array_200000_items": (3.0, 250.0),
    "unterminated_multiline_100000": (1.0, 150.0),
}
# While the 5 MB document is analysed, no other request may wait longer than this.
RESPONSIVE_S = 0.25

MEASURE = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from hostile_documents import HOSTILE
from cerebrium_lsp.analysis.engine import AnalysisOptions, analyze
from cerebrium_lsp.analysis.fixes import safe_fixes
from cerebrium_lsp.features.completion import ClientSupport, complete
from cerebrium_lsp.features.folding import folding_ranges
from cerebrium_lsp.features.hover import hover_at
from cerebrium_lsp.features.selection import selection_spans
from cerebrium_lsp.features.symbols import _Builder
from cerebrium_lsp.model import MODEL

text = HOSTILE[sys.argv[2]]()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
analysis = analyze(text, AnalysisOptions(file_checks=False))
analysed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
times = {}
def timed(name, run):
    start = time.perf_counter()
    run()
    times[name] = round(time.perf_counter() - start, 3)
offsets = (0, len(text) // 3, len(text) // 2, len(text) - 1, len(text))
timed("symbols", lambda: _Builder(analysis, MODEL, tags=True).children(analysis.document.root))
timed("folding", lambda: folding_ranges(analysis))
timed("hover x5", lambda: [hover_at(analysis, o) for o in offsets])
timed("completion x5", lambda: [complete(analysis, o, ClientSupport()) for o in offsets])
timed("selection x5", lambda: [selection_spans(analysis, o) for o in offsets])
timed("fix all", lambda: safe_fixes(analysis))
print(json.dumps({"characters": len(text), "analysis_s": round(analysed, 3),
                  "peak_rss_mb": round(peak / 1024, 1),
                  "analysis_rss_mb": round((peak - base) / 1024, 1),
                  "diagnostics": len(analysis.diagnostics), "features_s": times,
                  "all_features_peak_rss_mb": round(
                      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
"""


def measure(name: str, repeat: int) -> dict[str, Any]:
    runs = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-c", MEASURE, str(UNIT), name],
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        )
        runs.append(json.loads(done.stdout))
    best = min(runs, key=lambda r: r["analysis_s"])
    seconds, megabytes = BUDGETS[name]
    best["budget"] = {"analysis_s": seconds, "peak_rss_mb": megabytes}
    best["within_budget"] = best["analysis_s"] <= seconds and best["peak_rss_mb"] <= megabytes
    return best


async def responsiveness() -> dict[str, Any]:
    """Open the 5 MB config; ask for the symbols of a small document until its diagnostics
    are published."""
    small = ROOT / "tests" / "workspace" / "bad_gpu" / "cerebrium.toml"
    big_uri = (ROOT / "tests" / "workspace" / "shapes" / "cerebrium.toml").as_uri()
    server = await spawn(
        [sys.executable, "-m", "cerebrium_lsp", "serve"], cwd=str(ROOT), configuration=lambda s: {}
    )
    try:
        folder = (ROOT / "tests" / "workspace").as_uri()
        await server.request(
            "initialize", {"processId": None, "rootUri": folder, "capabilities": {}}
        )
        server.notify("initialized", {})
        small_uri = small.as_uri()
        for uri, text in ((small_uri, small.read_text()), (big_uri, large_config())):
            server.notify(
                "textDocument/didOpen",
                {"textDocument": {"uri": uri, "languageId": "toml", "version": 1, "text": text}},
            )
        opened = time.perf_counter()

        def published(n: Any) -> bool:
            return n.method == "textDocument/publishDiagnostics" and n.params["uri"] == big_uri

        latencies: list[float] = []
        while not any(published(n) for n in server.notifications):
            _, latency = await server.request(
                "textDocument/documentSymbol", {"textDocument": {"uri": small_uri}}
            )
            latencies.append(latency)
        diagnostics_s = time.perf_counter() - opened
        return {
            "open_to_5mb_diagnostics_s": round(diagnostics_s, 2),
            "requests_answered_meanwhile": len(latencies),
            "slowest_answer_s": round(max(latencies), 3),
            "median_answer_s": round(sorted(latencies)[len(latencies) // 2], 3),
            "budget_s": RESPONSIVE_S,
            "within_budget": max(latencies) <= RESPONSIVE_S,
            "server_peak_rss_mb": round((server.peak_rss_bytes() or 0) / 2**20, 1),
        }
    finally:
        await server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-server", action="store_true")
    args = parser.parse_args(argv)
    names = args.only or list(HOSTILE)
    report: dict[str, Any] = {"documents": {}}
    for name in names:
        report["documents"][name] = measure(name, args.repeat)
        print(name, json.dumps(report["documents"][name]), file=sys.stderr)
    if not args.no_server:
        report["server_while_analysing_5mb"] = asyncio.run(responsiveness())
    print(json.dumps(report, indent=2))
    ok = all(r["within_budget"] for r in report["documents"].values())
    server = report.get("server_while_analysing_5mb")
    return 0 if ok and (server is None or server["within_budget"]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
