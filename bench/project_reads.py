"""What the checks that read the project (the entrypoint's module, the Dockerfile) add to the
analysis of one keystroke in cerebrium.toml.

    .venv/bin/python bench/project_reads.py [--samples N]

A project with a FastAPI ``main.py`` of ~3,000 lines and a multi-stage Dockerfile; the config
names both (``entrypoint = ["uvicorn", "main:app", …]`` and, in a second config,
``dockerfile_path``). For each config, ``analyze`` is timed (median of N runs) three ways:

* ``no file checks``: ``--no-file-checks``, the floor;
* ``cached``: file checks on, the parses cached by file stamp (a keystroke: one ``stat`` each);
* ``uncached``: the cache cleared before every run, which is what every keystroke would cost if
  the files were read and parsed again (and what a watched-file event costs once).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cerebrium_lsp.analysis import file_cache  # noqa: E402
from cerebrium_lsp.analysis.engine import AnalysisOptions, analyze  # noqa: E402

HEAD = '[cerebrium.deployment]\nname = "bench"\n\n[cerebrium.runtime.custom]\nport = 8000\n'
ENTRYPOINT = HEAD + 'entrypoint = ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]\n'
DOCKERFILE = HEAD + 'dockerfile_path = "Dockerfile"\n'
ROUTE = '''

@app.get("/items/{n}")
async def item_{n}(q: str | None = None) -> dict[str, object]:
    """Route {n}."""
    values = [i * {n} for i in range(10) if i % 2 == 0]
    return {{"n": {n}, "q": q, "values": values}}
'''


def make_project(folder: Path) -> None:
    routes = "".join(ROUTE.format(n=n) for n in range(400))
    (folder / "main.py").write_text(
        "from fastapi import FastAPI\n\napp = FastAPI()\n" + routes, encoding="utf-8"
    )
    stages = ["ARG PYTHON=3.11\nARG PORT=8000\n"]
    for n in range(20):
        stages.append(f"FROM python:${{PYTHON}}-slim AS stage{n}\nRUN pip install pkg{n} \\\n")
        stages.append("    && echo done\nENV A=1 B=2\nEXPOSE 9000\n")
    stages.append("FROM stage19\nARG PORT\nEXPOSE ${PORT:-8000}\nCMD uvicorn main:app\n")
    (folder / "Dockerfile").write_text("".join(stages), encoding="utf-8")


def median_ms(
    samples: int, run: Callable[[], object], before: Callable[[], None] | None = None
) -> float:
    times = []
    for _ in range(samples):
        if before is not None:
            before()
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cerebrium-reads-") as tmp:
        folder = Path(tmp)
        make_project(folder)
        lines = len((folder / "main.py").read_text().splitlines())
        print(f"main.py: {lines} lines; Dockerfile: 21 stages; {args.samples} samples each")
        print(f"{'config':<12} {'no file checks':>15} {'cached':>10} {'uncached':>10}  (ms)")
        off = AnalysisOptions(project_dir=folder, file_checks=False)
        on = AnalysisOptions(project_dir=folder)
        for label, text in (("entrypoint", ENTRYPOINT), ("dockerfile", DOCKERFILE)):
            analyze(text, on, raise_errors=True)  # warm: imports, first parse
            no_checks = median_ms(args.samples, partial(analyze, text, off))
            cached = median_ms(args.samples, partial(analyze, text, on))
            uncached = median_ms(args.samples, partial(analyze, text, on), file_cache.clear)
            print(f"{label:<12} {no_checks:>15.2f} {cached:>10.2f} {uncached:>10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
