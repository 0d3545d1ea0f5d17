"""The benchmark harness still works: ``bench/run.py --quick --servers ours`` runs the whole
scripted session against our server on both documents and reports every figure. No timing is
asserted (the numbers belong to docs/performance.md, from a full run on a quiet machine)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from run import FIGURES  # noqa: E402

pytestmark = pytest.mark.timeout(300)


def test_quick_run_reports_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    command = [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--servers", "ours"]
    completed = subprocess.run(
        [*command, "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    for document in ("small", "large"):
        figures = report["summary"][document]["ours"]
        missing = [key for key, _, _ in FIGURES if figures.get(key) is None]
        assert not missing, f"{document}: no {missing}"
    for result in report["results"]:
        assert result["error"] is None
        assert result["missed_diagnostics"] == 0
        checks = result["checks"]
        assert checks["sync"] == "incremental"
        assert checks["diagnostics_for_empty_compute"] == 1  # the session really edits
        assert checks["items_in_compute_string"] > 0
        assert checks["items_at_line_start"] > 0
        assert checks["hovers_answered"] > 0
        assert checks["inlay_hints"] > 0
    assert report["starts"]["ours"]
    for _key, label, _stat in FIGURES:
        assert label in completed.stdout  # the printed table has every figure
