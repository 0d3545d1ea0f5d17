"""pre-commit for real: `pre-commit try-repo <this repository> cerebrium-check` on a good and a
bad cerebrium.toml in a scratch git repository, and `cerebrium-format` on a messy, a formatted
and a broken one.

try-repo builds the hook from this checkout (uncommitted edits included) exactly as users get it
from `.pre-commit-hooks.yaml`: a virtualenv with the package and its dependencies from PyPI, in a
temporary store of its own (try-repo never reuses one). The two runs go side by side.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys

import pytest
from clients_support import DATA, ROOT, missing_tool

pytestmark = pytest.mark.timeout(300)

HOOK_ID = "cerebrium-check"
FORMAT_HOOK_ID = "cerebrium-format"
FORMAT_FILES = {
    "messy/cerebrium.toml": '[cerebrium.deployment]\nname  =  "app"   # the name\n',
    "pretty/cerebrium.toml": '[cerebrium.deployment]\nname = "app" # the name\n',
    "broken/cerebrium.toml": '[cerebrium.deployment]\nname  =  "app"\nname = "twice"\n',
}
TRY_REPO_TIMEOUT_S = 240  # the first run builds the hook's virtualenv from PyPI


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str]]:
    """``try-repo`` on data/good and data/bad, each in its own scratch git repository, run
    side by side (each builds the hook's virtualenv in its own temporary store): fixture name
    -> (exit code, output)."""
    if importlib.util.find_spec("pre_commit") is None:
        missing_tool("pre-commit (pip install pre-commit)")
    if shutil.which("git") is None:
        missing_tool("git")
    tmp = tmp_path_factory.mktemp("pre-commit")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp / "cache"),
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "PRE_COMMIT_COLOR": "never",
    }
    env.pop("PRE_COMMIT", None)
    processes = {}
    for name in ("good", "bad", "format"):
        repo = tmp / f"repo-{name}"
        if name == "format":
            for path, text in FORMAT_FILES.items():
                (repo / path).parent.mkdir(parents=True)
                (repo / path).write_text(text, encoding="utf-8")
            hook, files = FORMAT_HOOK_ID, sorted(FORMAT_FILES)
        else:
            shutil.copytree(DATA / name, repo / name)
            hook, files = HOOK_ID, [f"{name}/cerebrium.toml"]
        subprocess.run(["git", "init", "-q", str(repo)], check=True, env=env)
        subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
        argv = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook]
        processes[name] = subprocess.Popen(
            [*argv, "--files", *files, "--verbose"],
            cwd=repo,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
    results = {}
    try:
        for name, proc in processes.items():
            output, _ = proc.communicate(timeout=TRY_REPO_TIMEOUT_S)
            results[name] = (proc.returncode, output)
        for path in FORMAT_FILES:  # what the format hook left in its repository
            after = (tmp / "repo-format" / path).read_text(encoding="utf-8")
            results[f"format:{path}"] = (0, after)
    finally:
        for proc in processes.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return results


def test_bad_file_fails_with_the_diagnostics(runs: dict[str, tuple[int, str]]) -> None:
    code, output = runs["bad"]
    assert code == 1, output
    assert "cerebrium.toml check" in output and "Failed" in output, output
    assert "bad/cerebrium.toml:6:11: error [empty-value]" in output, output
    assert "bad/cerebrium.toml:7:1: warning [unknown-key]" in output, output
    assert "1 file checked: 1 errors, 1 warnings" in output, output


def test_good_file_passes(runs: dict[str, tuple[int, str]]) -> None:
    code, output = runs["good"]
    assert code == 0, output
    assert "cerebrium.toml check" in output and "Passed" in output, output


def test_format_hook_formats_and_leaves_broken_files_alone(
    runs: dict[str, tuple[int, str]],
) -> None:
    code, output = runs["format"]
    assert code == 1, output  # pre-commit fails a hook that changed files (and one had errors)
    assert "cerebrium.toml format" in output and "Failed" in output, output
    assert "files were modified by this hook" in output, output
    assert "reformatted messy/cerebrium.toml" in output, output
    assert "broken/cerebrium.toml:3:1: not formatted, the file has errors" in output, output
    assert runs["format:messy/cerebrium.toml"][1] == FORMAT_FILES["pretty/cerebrium.toml"]
    assert runs["format:pretty/cerebrium.toml"][1] == FORMAT_FILES["pretty/cerebrium.toml"]
    assert runs["format:broken/cerebrium.toml"][1] == FORMAT_FILES["broken/cerebrium.toml"]
