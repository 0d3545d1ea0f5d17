"""Benchmark ``cerebrium-lsp format`` against ``taplo fmt`` and ``tombi format`` (a benchmark,
not a timed test: docs/performance.md reports its numbers).

    .venv/bin/python bench/format.py               # 5 runs of each workload
    .venv/bin/python bench/format.py --runs 9 --json out.json

Workloads, each one process per tool formatting files in place (fresh copies of the unformatted
files every run, tools interleaved so drift on a shared machine hits each alike, medians):

* ``corpus``: every file of ``../shared/corpus/real`` (198 real ``cerebrium.toml``);
* ``large``: the 991-line ``bench/documents/large/cerebrium.toml``.

Plus, in this process, what a formatting request costs the server on the 991-line document:
``format_document`` on the analysis it already holds, and parse + format from the text.
Tools run without network (``unshare -n`` where allowed), Tombi also with ``--offline``; our
package byte-compiled, as pip installs it. Tool versions: taplo 0.9.3 (PyPI wheel, dev
dependency), tombi 1.9.6 (``bench`` extra).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from targets import ROOT, network_isolation, run_as_installed

CORPUS = ROOT.parent / "shared" / "corpus" / "real"
LARGE = ROOT / "bench" / "documents" / "large" / "cerebrium.toml"
BIN = Path(sys.executable).parent
TOOLS: dict[str, list[str]] = {
    "cerebrium-lsp format": [sys.executable, "-m", "cerebrium_lsp", "format"],
    "taplo fmt": [str(BIN / "taplo"), "fmt", "--no-auto-config"],
    "tombi format": [str(BIN / "tombi"), "format", "--offline", "--quiet"],
}


def workload_files(name: str) -> list[Path]:
    return sorted(CORPUS.glob("*.toml")) if name == "corpus" else [LARGE]


def time_tool(command: list[str], sources: list[Path], workdir: Path) -> float:
    """Seconds for one process to format fresh copies of ``sources`` in place."""
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    names = []
    for index, source in enumerate(sources):
        folder = workdir / f"{index:03d}"
        folder.mkdir()
        shutil.copyfile(source, folder / "cerebrium.toml")
        names.append(f"{index:03d}/cerebrium.toml")
    started = time.perf_counter()
    subprocess.run(
        [*network_isolation(), *command, *names], cwd=workdir, capture_output=True, check=False
    )
    return time.perf_counter() - started


def in_process(repeats: int = 30) -> dict[str, float]:
    """Milliseconds (medians) of formatting the 991-line document inside the server."""
    from cerebrium_lsp.analysis.toml_document import load_toml
    from cerebrium_lsp.format import format_document, format_text

    text = LARGE.read_text(encoding="utf-8")
    document = load_toml(text)
    cached, full = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        format_document(document)
        cached.append(time.perf_counter() - started)
        started = time.perf_counter()
        format_text(text)
        full.append(time.perf_counter() - started)
    return {
        "format_document_ms": statistics.median(cached) * 1000,
        "parse_and_format_ms": statistics.median(full) * 1000,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5, help="runs of each tool and workload")
    parser.add_argument("--json", type=Path, default=None, help="write every sample here")
    args = parser.parse_args(argv)
    run_as_installed()
    missing = [name for name, command in TOOLS.items() if not Path(command[0]).exists()]
    if missing:
        print(f"not installed (pip install -e '.[dev,bench]'): {', '.join(missing)}")
        return 2
    samples: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory(prefix="format-bench-") as tmp:
        for workload in ("corpus", "large"):
            sources = workload_files(workload)
            samples[workload] = {name: [] for name in TOOLS}
            for _ in range(args.runs):
                for name, command in TOOLS.items():
                    seconds = time_tool(command, sources, Path(tmp) / "work")
                    samples[workload][name].append(seconds)
    inside = in_process()
    print(report(samples, inside, args.runs))
    if args.json is not None:
        data: dict[str, Any] = {"samples_s": samples, "in_process": inside}
        args.json.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return 0


def report(samples: dict[str, dict[str, list[float]]], inside: dict[str, float], runs: int) -> str:
    isolation = "unshare -n" if network_isolation() else "no network namespace available"
    lines = [
        f"Wall time, one process per tool, median of {runs} runs ({isolation}):",
        "",
        "| workload | " + " | ".join(TOOLS) + " | ours ÷ taplo |",
        "|---|" + "---|" * (len(TOOLS) + 1),
    ]
    for workload, by_tool in samples.items():
        medians = {name: statistics.median(times) * 1000 for name, times in by_tool.items()}
        files = len(workload_files(workload))
        label = f"{workload} ({files} file{'s' if files != 1 else ''})"
        ratio = medians["cerebrium-lsp format"] / medians["taplo fmt"]
        cells = " | ".join(f"{medians[name]:.0f} ms" for name in TOOLS)
        lines.append(f"| {label} | {cells} | {ratio:.1f}x |")
    lines += [
        "",
        "Inside the server, 991-line document: "
        f"format_document {inside['format_document_ms']:.1f} ms (the analysis is cached), "
        f"parse + format {inside['parse_and_format_ms']:.1f} ms.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
