"""Benchmark cerebrium-lsp against Tombi, Taplo and a bare pygls server, with one client.

    .venv/bin/python bench/run.py                      # every server, both documents, 3 runs
    .venv/bin/python bench/run.py --servers ours,tombi --runs 5
    .venv/bin/python bench/run.py --quick --servers ours   # seconds: proves the harness works

Each run starts every server afresh on each document (interleaved, so drift on a shared machine
hits every server alike) and replays the session in ``session.py``. The table shows, for every
figure, the median over runs of each run's statistic, and our ratio to each other server; then
the issue's targets, met or missed. ``--corpus`` also times ``cerebrium-lsp check`` against
``tombi lint`` over a folder of ``cerebrium.toml`` files.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from session import QUICK, Plan, Result, Session, measure_start, median, percentile
from targets import (
    ROOT,
    SCHEMA,
    TOMBI_TOML,
    make_workspace,
    network_isolation,
    run_as_installed,
    targets,
)

DOCUMENTS = {"small": "38 lines", "large": "991 lines"}
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "real"

# (key, label, statistic of one run's Result)
Stat = Callable[[Result], float | None]


def _p(field: str, fraction: float) -> Stat:
    return lambda r: percentile(getattr(r, field), fraction)


def _max(field: str) -> Stat:
    return lambda r: max(getattr(r, field), default=None)


FIGURES: list[tuple[str, str, Stat]] = [
    ("start", "start → initialize result", lambda r: r.start_ms),
    ("open_first", "open → first diagnostics", lambda r: r.open_first_ms),
    ("open_settled", "open → settled diagnostics", lambda r: r.open_settled_ms),
    ("edit_first_p50", "edit → first diagnostics p50", _p("edit_first_ms", 0.5)),
    ("edit_first_p95", "edit → first diagnostics p95", _p("edit_first_ms", 0.95)),
    ("edit_settled_p50", "edit → settled diagnostics p50", _p("edit_settled_ms", 0.5)),
    ("edit_settled_p95", "edit → settled diagnostics p95", _p("edit_settled_ms", 0.95)),
    ("edit_settled_max", "edit → settled diagnostics max", _max("edit_settled_ms")),
    ("full_text_p50", "full-text edit → diagnostics p50", _p("full_text_edit_ms", 0.5)),
    ("full_text_p95", "full-text edit → diagnostics p95", _p("full_text_edit_ms", 0.95)),
    ("completion_p50", "completion p50", _p("completion_ms", 0.5)),
    ("completion_p95", "completion p95", _p("completion_ms", 0.95)),
    ("completion_max", "completion max", _max("completion_ms")),
    ("typing_p50", "completion right after an edit p50", _p("typing_completion_ms", 0.5)),
    ("typing_p95", "completion right after an edit p95", _p("typing_completion_ms", 0.95)),
    ("hover_p50", "hover p50", _p("hover_ms", 0.5)),
    ("hover_p95", "hover p95", _p("hover_ms", 0.95)),
    ("hover_max", "hover max", _max("hover_ms")),
    ("inlay_hint_p50", "inlay hints p50", _p("inlay_hint_ms", 0.5)),
    ("inlay_hint_p95", "inlay hints p95", _p("inlay_hint_ms", 0.95)),
    ("peak_rss", "peak RSS (MiB)", lambda r: r.peak_rss_mib),
]


async def run_sessions(
    names: list[str], runs: int, plan: Plan, workdir: Path, starts: int
) -> tuple[list[Result], dict[str, list[float]]]:
    """Every session, then ``starts`` more start-ups of each server (start-up is the noisiest
    figure on a shared machine: it gets more samples than one per session)."""
    all_targets = targets()
    results: list[Result] = []
    start_samples: dict[str, list[float]] = {name: [] for name in names}
    for run in range(runs):
        for document in DOCUMENTS:
            for name in names:
                target = all_targets[name]
                workspace = make_workspace(workdir / f"{name}-{document}-{run}")
                result = await Session(target, workspace, document, plan).run()
                results.append(result)
                status = "ok" if result.error is None else f"FAILED: {result.error}"
                print(
                    f"  run {run + 1}/{runs} {document:5} {target.label:18} {status}",
                    file=sys.stderr,
                )
                if result.start_ms is not None:
                    start_samples[name].append(result.start_ms)
    workspace = make_workspace(workdir / "starts")
    for _ in range(starts):
        for name in names:
            start_samples[name].append(await measure_start(all_targets[name], workspace))
    if starts:
        print(f"  {starts} more start-ups of each server", file=sys.stderr)
    return results, start_samples


def aggregate(results: list[Result]) -> dict[str, dict[str, dict[str, float | None]]]:
    """{document: {server: {figure: median over runs}}}"""
    out: dict[str, dict[str, dict[str, float | None]]] = {}
    for document in DOCUMENTS:
        out[document] = {}
        servers = dict.fromkeys(r.server for r in results if r.document == document)
        for server in servers:
            runs = [
                r
                for r in results
                if r.document == document and r.server == server and r.error is None
            ]
            out[document][server] = {
                key: median([stat(r) for r in runs]) for key, _, stat in FIGURES
            }
    return out


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _ratio(ours: float | None, other: float | None) -> str:
    if ours is None or other is None or other == 0:
        return "—"
    return f"{ours / other:.2f}×"


def table(summary: dict[str, Any], names: list[str], starts: dict[str, list[float]]) -> str:
    labels = {name: targets()[name].label for name in names}
    others = [n for n in names if n != "ours"]
    head = ["figure (ms unless noted)", "file", *(labels[n] for n in names)]
    if "ours" in names:
        head += [f"ours ÷ {labels[n].split(' ')[0]}" for n in others]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    pooled = {n: median(list(starts.get(n, []))) for n in names}
    count = min((len(starts.get(n, [])) for n in names), default=0)
    cells = [
        f"start → initialize result, median of {count} starts",
        "any",
        *(_fmt(pooled[n]) for n in names),
    ]
    if "ours" in names:
        cells += [_ratio(pooled["ours"], pooled[n]) for n in others]
    lines.append("| " + " | ".join(cells) + " |")
    for key, label, _ in FIGURES:
        for document, lines_label in DOCUMENTS.items():
            row = summary[document]
            cells = [label, lines_label, *(_fmt(row.get(n, {}).get(key)) for n in names)]
            if "ours" in names:
                cells += [_ratio(row["ours"][key], row.get(n, {}).get(key)) for n in others]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def check_targets(
    summary: dict[str, Any], corpus: dict[str, Any] | None, starts: dict[str, list[float]]
) -> list[tuple[bool, str]]:
    """The issue's targets: (met, description with the numbers)."""
    checks: list[tuple[bool, str]] = []
    pooled = {name: median(list(samples)) for name, samples in starts.items()}

    def get(document: str, server: str, key: str) -> float | None:
        return summary[document].get(server, {}).get(key)

    def compare(document: str, key: str, other: str, factor: float, what: str) -> None:
        ours, theirs = get(document, "ours", key), get(document, other, key)
        if ours is None or theirs is None:
            return
        met = ours < theirs * factor
        bound = f"< {factor}× {other}" if factor != 1 else f"< {other}"
        checks.append(
            (
                met,
                f"{what}, {DOCUMENTS[document]}: {_fmt(ours)} vs {other} {_fmt(theirs)} ({bound})",
            )
        )

    for other, factor, what in (
        ("taplo", 1.0, "ahead of Taplo"),
        ("bare", 1.3, "within 1.3× bare pygls"),
    ):
        ours_start, theirs = pooled.get("ours"), pooled.get(other)
        if ours_start is not None and theirs is not None:
            checks.append(
                (
                    ours_start < theirs * factor,
                    f"{what}: start → initialize (median of all starts): {_fmt(ours_start)} vs "
                    f"{other} {_fmt(theirs)}",
                )
            )
    issue_figures = [
        ("edit_settled_p50", "edit → diagnostics p50 (settled)"),
        ("completion_p50", "completion p50"),
        ("completion_p95", "completion p95"),
        ("peak_rss", "peak RSS"),
    ]
    for document in DOCUMENTS:
        for key, what in issue_figures:
            compare(document, key, "taplo", 1, f"ahead of Taplo: {what}")
    for document in DOCUMENTS:
        compare(document, "edit_settled_p50", "tombi", 2, "within 2× Tombi: edit → diagnostics p50")
        compare(
            document,
            "full_text_p50",
            "tombi",
            2,
            "within 2× Tombi: full-text edit → diagnostics p50",
        )
        compare(document, "completion_p50", "tombi", 2, "within 2× Tombi: completion p50")
    rss = get("large", "ours", "peak_rss")
    if rss is not None:
        checks.append((rss < 80, f"peak RSS, 991 lines: {_fmt(rss)} MiB (< 80 MiB)"))
    if corpus is not None and corpus.get("tombi_s") is not None:
        ours_s, tombi_s = corpus["ours_s"], corpus["tombi_s"]
        checks.append(
            (
                ours_s < tombi_s,
                f"check over {corpus['files']} corpus files: {ours_s * 1e3:,.0f} ms vs "
                f"tombi lint {tombi_s * 1e3:,.0f} ms",
            )
        )
    return checks


def bench_corpus(corpus: Path, runs: int, workdir: Path) -> dict[str, Any]:
    """Wall time of ``cerebrium-lsp check`` and ``tombi lint`` over the same files, each one
    process, medians of ``runs``. The files are copied as ``<name>/cerebrium.toml`` beside a
    ``tombi.toml`` that applies our schema."""
    root = workdir / "corpus"
    root.mkdir(parents=True)
    paths: list[str] = []
    for source in sorted(corpus.glob("*.toml")):
        folder = root / source.stem
        folder.mkdir()
        shutil.copyfile(source, folder / "cerebrium.toml")
        paths.append(f"{source.stem}/cerebrium.toml")
    shutil.copyfile(SCHEMA, root / "cerebrium.schema.json")
    (root / "tombi.toml").write_text(TOMBI_TOML, encoding="utf-8")
    all_targets = targets()
    commands = {
        "ours_s": [*all_targets["ours"].command, "check", "--no-file-checks", *paths],
        "tombi_s": [all_targets["tombi"].command[0], "lint", "--offline", *paths],
    }
    out: dict[str, Any] = {"files": len(paths)}
    for key, command in commands.items():
        if shutil.which(command[0]) is None and not Path(command[0]).exists():
            out[key] = None
            continue
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(
                [*network_isolation(), *command], cwd=root, capture_output=True, check=False
            )
            times.append(time.perf_counter() - started)
        out[key] = median(times)
    return out


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--servers", default="ours,tombi,taplo,bare", help="comma-separated: ours,tombi,taplo,bare"
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="fresh server starts per server and document"
    )
    parser.add_argument(
        "--quick", action="store_true", help="one run, a few samples of each figure"
    )
    parser.add_argument(
        "--corpus", type=Path, default=None, help="time check vs tombi lint over these files"
    )
    parser.add_argument(
        "--json", type=Path, default=None, help="write every sample and the summary here"
    )
    parser.add_argument(
        "--starts", type=int, default=10, help="extra start-ups of each server (full mode)"
    )
    args = parser.parse_args(argv)

    names = [n.strip() for n in args.servers.split(",") if n.strip()]
    all_targets = targets()
    unknown = [n for n in names if n not in all_targets]
    if unknown:
        parser.error(
            f"unknown servers: {', '.join(unknown)} (choose from {', '.join(all_targets)})"
        )
    runnable: list[str] = []
    for name in names:
        reason: str | None = all_targets[name].available()
        if reason is None:
            runnable.append(name)
        else:
            print(f"skipping {name}: {reason}", file=sys.stderr)
    plan = QUICK if args.quick else Plan()
    runs = 1 if args.quick else args.runs
    isolation = (
        "unshare -n (no network)"
        if network_isolation()
        else "NOT isolated (unshare -n unavailable)"
    )
    print(f"servers: {', '.join(runnable)}; runs: {runs}; network: {isolation}", file=sys.stderr)
    run_as_installed()

    with tempfile.TemporaryDirectory(prefix="cerebrium-bench-") as tmp:
        starts = 0 if args.quick else args.starts
        results, start_samples = asyncio.run(run_sessions(runnable, runs, plan, Path(tmp), starts))
        corpus_result = None
        if args.corpus is not None:
            corpus_result = bench_corpus(args.corpus, runs, Path(tmp))

    summary = aggregate(results)
    print()
    print(f"Machine: {machine()}")
    print(
        f"Runs: {runs} per server and file ({'quick' if args.quick else 'full'} session); network: {isolation}"
    )
    print()
    print(table(summary, runnable, start_samples))
    failures = [r for r in results if r.error is not None]
    for result in failures:
        print(f"\nFAILED {result.server} on {result.document}: {result.error}")
    missed = sum(r.missed_diagnostics for r in results)
    if missed:
        print(f"\n{missed} edits got no diagnostics within {plan.timeout_s:.0f} s")
    sanity = {f"{r.server}/{r.document}": r.checks for r in results if r.error is None}
    print("\nSanity (last run): " + json.dumps(sanity, sort_keys=True))
    if corpus_result is not None:
        ours_s, tombi_s = corpus_result["ours_s"], corpus_result["tombi_s"]
        print(
            f"\ncheck over {corpus_result['files']} files: cerebrium-lsp check "
            f"{_fmt(ours_s * 1e3 if ours_s else None)} ms, tombi lint "
            f"{_fmt(tombi_s * 1e3 if tombi_s else None)} ms"
        )
    if "ours" in runnable and len(runnable) > 1:
        print("\nTargets:")
        for met, description in check_targets(summary, corpus_result, start_samples):
            print(f"  [{'met' if met else 'MISSED'}] {description}")
    if args.json is not None:
        args.json.write_text(
            json.dumps(
                {
                    "machine": machine(),
                    "runs": runs,
                    "quick": args.quick,
                    "network": isolation,
                    "summary": summary,
                    "corpus": corpus_result,
                    "starts": start_samples,
                    "results": [asdict(r) for r in results],
                },
                indent=1,
            ),
            encoding="utf-8",
        )
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
