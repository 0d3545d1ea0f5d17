"""The entrypoint and Dockerfile readers under the audit hook of test_no_side_effects: a project
whose main.py, package folder and Dockerfile are symlinks to a secret place outside it is
checked, hovered and navigated, and nothing outside the project is opened or listed."""

from __future__ import annotations

import json
from pathlib import Path

from test_no_side_effects import run_audited, violations

TOMLS = {
    "app": '["uvicorn", "main:app"]',
    "package": '["uvicorn", "pkg.server:app"]',
    "script": '["python", "linked.py"]',
    "module": '["python", "-m", "pkg"]',
}

SCRIPT = r"""
import json, sys
from pathlib import Path
from cerebrium_lsp.analysis.checks.context import subtable
from cerebrium_lsp.analysis.checks.dockerfile import dockerfile_summary
from cerebrium_lsp.analysis.checks.entrypoint import locate_target
from cerebrium_lsp.analysis.engine import AnalysisOptions, analyze

project = Path(sys.argv[1])
tomls = json.loads(sys.argv[2])
out = {}
for name, entrypoint in tomls.items():
    for dockerfile in ("", 'dockerfile_path = "Dockerfile"\n'):
        text = '[cerebrium.deployment]\nname = "x"\n\n[cerebrium.runtime.custom]\n'
        text += f"entrypoint = {entrypoint}\nport = 8000\n" + dockerfile
        analysis = analyze(text, AnalysisOptions(project_dir=project), raise_errors=True)
        cerebrium = subtable(analysis.document.root, "cerebrium")
        found = [locate_target(cerebrium, project, offset) for offset in range(len(text))]
        out[name + ("+dockerfile" if dockerfile else "")] = {
            "codes": sorted({d.code for d in analysis.diagnostics}),
            "targets": sorted({str(f.path) for f in found if f is not None}),
        }
out["summary"] = dockerfile_summary(project, "Dockerfile")
print("RESULT " + json.dumps(out))
"""


def test_links_out_of_the_project_are_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "pkg").mkdir(parents=True)
    (outside / "secret.py").write_text("server = 'TOP SECRET'\n")
    (outside / "pkg" / "server.py").write_text("server = 'TOP SECRET'\n")
    (outside / "pkg" / "__main__.py").write_text("print('TOP SECRET')\n")
    (outside / "Dockerfile").write_text("FROM secret\nEXPOSE 1\nCMD ['TOP SECRET']\n")
    project = tmp_path / "workspace" / "app"
    project.mkdir(parents=True)
    (project / "main.py").symlink_to(outside / "secret.py")
    (project / "linked.py").symlink_to(outside / "secret.py")
    (project / "pkg").symlink_to(outside / "pkg", target_is_directory=True)
    (project / "Dockerfile").symlink_to(outside / "Dockerfile")
    result, printed = run_audited(tmp_path, project, "project_reads.py", SCRIPT, json.dumps(TOMLS))
    assert violations(tmp_path) == []
    assert "TOP SECRET" not in printed
    assert result["summary"] is None
    for name, seen in result.items():
        if name == "summary":
            continue
        assert seen["targets"] == [], name
        assert "entrypoint-target" not in seen["codes"], name
        assert "dockerfile-port" not in seen["codes"] and "dockerfile-command" not in seen["codes"]
