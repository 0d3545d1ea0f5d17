"""Soak: thousands of edits through one server process; its memory must not keep growing.

    .venv/bin/python bench/soak.py [--edits 10000] [--document bench/documents/small/cerebrium.toml]

The server (``python -m cerebrium_lsp serve``) opens a document, then receives ``--edits``
incremental ``didChange`` notifications that replay an editing session in a loop: typing into a
value and deleting it again, adding and removing a key, breaking and fixing the syntax, changing
the compute type, pasting and removing a token. Each edit is awaited to its
``publishDiagnostics``; every 10th edit is followed by a hover, a completion, document symbols,
folding ranges and code actions. The server's resident memory (``VmRSS``) is read after the first
100 edits and at the end; the run fails when the end is more than 20 % above the first reading,
or when the last diagnostics differ from an in-process analysis of the final text.

Prints a JSON report (edits, seconds, edits per second, RSS after 100 edits, at the end, peak,
growth). ``tests/e2e/test_soak.py`` runs a short version.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from lsp_client import LspProcess, spawn  # noqa: E402

from cerebrium_lsp.analysis.engine import AnalysisOptions, analyze  # noqa: E402
from cerebrium_lsp.analysis.text import LineIndex  # noqa: E402

DEFAULT_DOCUMENT = HERE / "documents" / "small" / "cerebrium.toml"
GROWTH_LIMIT = 0.20
BASELINE_AFTER = 100
TOKEN = "hf_SOAKfake9876543210SOAKfake76543210"

CAPABILITIES: dict[str, Any] = {
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {
        "synchronization": {"didSave": True},
        "publishDiagnostics": {"versionSupport": True},
        "hover": {"contentFormat": ["markdown"]},
        "completion": {"completionItem": {"snippetSupport": True}},
        "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
        "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}},
    },
}


@dataclass(slots=True)
class Edit:
    start: int  # offsets into the current text
    end: int
    text: str


def session_edits(text: str) -> list[list[tuple[str, str]]]:
    """Cycles of (find, replace) steps over the document; each cycle ends where it began."""
    typed = "extra-requirements"
    cycles: list[list[tuple[str, str]]] = []
    # Type into the app name, then delete what was typed.
    name_at = 'name = "'
    grow = [(f"{name_at}{typed[:i]}", f"{name_at}{typed[: i + 1]}") for i in range(len(typed))]
    shrink = [
        (f"{name_at}{typed[: i + 1]}", f"{name_at}{typed[:i]}") for i in reversed(range(len(typed)))
    ]
    cycles.append(grow + shrink)
    # Add a key with a typo, fix it, remove it.
    cycles.append(
        [
            ("[cerebrium.hardware]\n", "[cerebrium.hardware]\ngpu_cont = 2\n"),
            ("gpu_cont = 2\n", "gpu_count = 2\n"),
            ("gpu_count = 2\n", ""),
        ]
    )
    # Break the syntax and fix it.
    cycles.append(
        [
            ("[cerebrium.scaling]", "[cerebrium.scaling"),
            ("[cerebrium.scaling\n", "[cerebrium.scaling]\n"),
        ]
    )
    # Change the compute type through a typo.
    if 'compute = "AMPERE_A10"' in text:
        cycles.append(
            [
                ('compute = "AMPERE_A10"', 'compute = "AMPERE_A1"'),
                ('compute = "AMPERE_A1"', 'compute = "AMPERE_A1O"'),
                ('compute = "AMPERE_A1O"', 'compute = "AMPERE_A10"'),
            ]
        )
    # Paste a token, then remove it.
    cycles.append([(name_at, f"{name_at}{TOKEN}"), (f"{name_at}{TOKEN}", name_at)])
    return cycles


def _position(index: LineIndex, offset: int) -> dict[str, int]:
    line, character = index.position(offset, "utf-16")
    return {"line": line, "character": character}


def _rss_bytes(pid: int, field: str = "VmRSS") -> int:
    with Path(f"/proc/{pid}/status").open(encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} for {pid}")


async def run_soak(edits: int, document: Path = DEFAULT_DOCUMENT) -> dict[str, Any]:
    text = document.read_text(encoding="utf-8")
    uri = document.resolve().as_uri()
    server = await spawn(
        [sys.executable, "-m", "cerebrium_lsp", "serve"],
        cwd=str(ROOT),
        configuration=lambda section: {} if section == "cerebrium" else None,
    )
    try:
        return await _session(server, uri, text, edits)
    finally:
        await server.stop()


async def _published(server: LspProcess, uri: str, version: int, start: int) -> tuple[int, Any]:
    def matches(n: Any) -> bool:
        return (
            n.method == "textDocument/publishDiagnostics"
            and n.params["uri"] == uri
            and n.params.get("version") == version
        )

    index = await server.wait_notification(matches, start, timeout=60)
    if index is None:
        raise TimeoutError(f"no diagnostics for version {version}")
    return index, server.notifications[index].params["diagnostics"]


async def _session(server: LspProcess, uri: str, text: str, edits: int) -> dict[str, Any]:
    folder = uri.rsplit("/", 1)[0]
    await server.request(
        "initialize",
        {
            "processId": None,
            "rootUri": folder,
            "capabilities": CAPABILITIES,
            "workspaceFolders": [{"uri": folder, "name": "soak"}],
        },
    )
    server.notify("initialized", {})
    server.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "toml", "version": 1, "text": text}},
    )
    seen, _ = await _published(server, uri, 1, 0)
    cycles = session_edits(text)
    steps = [step for cycle in cycles for step in cycle]
    version = 1
    baseline = 0
    started = time.perf_counter()
    diagnostics: Any = None
    for n in range(edits):
        find, replace = steps[n % len(steps)]
        at = text.find(find)
        if at < 0:
            raise RuntimeError(f"edit {n}: {find!r} not in the document")
        index = LineIndex(text)
        change = {
            "range": {"start": _position(index, at), "end": _position(index, at + len(find))},
            "text": replace,
        }
        text = text[:at] + replace + text[at + len(find) :]
        version += 1
        server.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
        )
        seen, diagnostics = await _published(server, uri, version, seen)
        if n % 10 == 9:
            await _requests(server, uri, LineIndex(text), at)
        if n + 1 == BASELINE_AFTER:
            baseline = _rss_bytes(server.pid)
        if len(server.notifications) > 1000:  # keep the client's own memory flat
            del server.notifications[:-10]
            seen = min(seen, len(server.notifications))
    elapsed = time.perf_counter() - started
    final = _rss_bytes(server.pid)
    peak = _rss_bytes(server.pid, "VmHWM")
    expected = analyze(text, AnalysisOptions(file_checks=False)).diagnostics
    same = sorted(d["code"] for d in diagnostics) == sorted(d.code for d in expected)
    growth = (final - baseline) / baseline if baseline else 0.0
    return {
        "edits": edits,
        "seconds": round(elapsed, 1),
        "edits_per_second": round(edits / elapsed, 1),
        "rss_after_100_edits_mb": round(baseline / 2**20, 1),
        "rss_at_end_mb": round(final / 2**20, 1),
        "peak_rss_mb": round(peak / 2**20, 1),
        "growth": round(growth, 3),
        "growth_limit": GROWTH_LIMIT,
        "last_diagnostics_match": same,
        "ok": same and growth <= GROWTH_LIMIT,
    }


async def _requests(server: LspProcess, uri: str, index: LineIndex, offset: int) -> None:
    document = {"uri": uri}
    position = _position(index, offset)
    everything = {"start": {"line": 0, "character": 0}, "end": _position(index, len(index.text))}
    for method, params in (
        ("textDocument/hover", {"textDocument": document, "position": position}),
        ("textDocument/completion", {"textDocument": document, "position": position}),
        ("textDocument/documentSymbol", {"textDocument": document}),
        ("textDocument/foldingRange", {"textDocument": document}),
        (
            "textDocument/codeAction",
            {"textDocument": document, "range": everything, "context": {"diagnostics": []}},
        ),
    ):
        await server.request(method, params)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=10_000)
    parser.add_argument("--document", type=Path, default=DEFAULT_DOCUMENT)
    args = parser.parse_args(argv)
    report = asyncio.run(run_soak(args.edits, args.document))
    print(json.dumps(report, indent=2))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
