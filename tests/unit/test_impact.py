"""Rebuild impact: which stages an edit re-runs, compared as the CLI reads the file, and the
git baseline (a real repository made in the test)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import cerebrium_lsp.plan.baseline as baseline_module
from cerebrium_lsp.model.types import Stage
from cerebrium_lsp.plan import choose_baseline, git_baseline, rebuild_impact, run_plan

ROOT = Path(__file__).resolve().parents[2]
BASE = (ROOT / "examples" / "good" / "gpu-llm" / "cerebrium.toml").read_text(encoding="utf-8")


def edit(old: str, new: str, text: str = BASE) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("new_text", "summary", "earliest"),
    [
        (BASE, "no changes", None),
        (edit('"3.12"', '"3.11"'), "full rebuild (python_version changed)", Stage.BASE),
        (
            edit("nvidia/cuda:12.1.1-runtime-ubuntu22.04", "debian:bookworm-slim"),
            "full rebuild (docker_base_image_url changed)",
            Stage.BASE,
        ),
        (
            edit("use_uv = true", 'use_uv = true\npre_build_commands = ["apt-get update"]'),
            "from pre-build stage (pre_build_commands changed)",
            Stage.PRE_BUILD,
        ),
        (
            edit('ffmpeg = "latest"', 'ffmpeg = "latest"\ngit = ""'),
            "from apt stage (1 package added)",
            Stage.APT,
        ),
        (
            edit('vllm = "latest"', 'vllm = "latest"\ntorch = "2.1"\nnumpy = "*"'),
            "from pip stage (2 packages added)",
            Stage.PIP,
        ),
        (
            edit('vllm = "latest"', 'vllm = "0.6.0"\ntorch = "2.1"').replace(
                'pydantic = ">=2.5"\n', ""
            ),
            "from pip stage (1 package added, 1 removed, 1 changed)",
            Stage.PIP,
        ),
        (edit("use_uv = true", "use_uv = false"), "from pip stage (use_uv changed)", Stage.PIP),
        (
            edit('exclude = [".*", "weights/"]', 'exclude = [".*"]'),
            "code and shell commands only (exclude changed)",
            Stage.CODE,
        ),
        (
            edit("import vllm", "import torch"),
            "shell commands only (shell_commands changed)",
            Stage.SHELL,
        ),
        (edit("max_replicas = 5", "max_replicas = 6"), "no rebuild (scaling only)", None),
        (
            edit("max_replicas = 5", "max_replicas = 6").replace("cpu = 4", "cpu = 6"),
            "no rebuild (hardware and scaling only)",
            None,
        ),
        (
            edit('name = "gpu-llm"', 'name = "gpu-llm"\ndisable_auth = false'),
            "no rebuild (disable_auth only)",
            None,
        ),
        (
            edit("cooldown = 30", "cooldown = 30\nmax_replica = 3"),
            "no rebuild (only settings the CLI ignores changed)",
            None,
        ),
        (
            BASE + "\n[cerebrium.runtime.custom]\n",
            "full rebuild (the runtime changes from cortex to a custom web server)",
            Stage.BASE,
        ),
        (
            edit('"3.12"', '"3.11"').replace('vllm = "latest"', 'vllm = "0.6.0"'),
            "full rebuild (python_version changed)",
            Stage.BASE,
        ),
    ],
)
def test_summary(new_text: str, summary: str, earliest: Stage | None) -> None:
    impact = rebuild_impact(BASE, new_text)
    assert impact.summary == summary
    assert impact.earliest is earliest
    assert impact.rebuild is (earliest is not None)


HEAD = '[cerebrium.deployment]\nname = "a"\n'


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # the CLI sends "3.11" for both
        (f'{HEAD}python_version = "3.11"\n', f"{HEAD}python_version = 3.11\n"),
        # keys are case-insensitive
        (HEAD, '[Cerebrium.Deployment]\nNAME = "a"\n'),
        # the CLI's default include, written out or missing
        (f'{HEAD}include = ["./*", "main.py", "cerebrium.toml"]\n', HEAD),
        # an empty exclude takes the default
        (f"{HEAD}exclude = []\n", f'{HEAD}exclude = [".*"]\n'),
        # a string is comma-split
        (f'{HEAD}shell_commands = ["a", "b"]\n', f'{HEAD}shell_commands = "a,b"\n'),
        # package order and name case, and the rendered line
        (
            f'{HEAD}[cerebrium.dependencies.pip]\na = "1"\nTorch = "2"\n',
            f'{HEAD}[cerebrium.dependencies.pip]\ntorch = "==2"\na = "1"\n',
        ),
        (f"{HEAD}[cerebrium.hardware]\ncpu = 2\n", f"{HEAD}[cerebrium.hardware]\ncpu = 2.0\n"),
        # comments and layout
        (
            f"{HEAD}[cerebrium.scaling]\nmin_replicas = 1\n",
            f"{HEAD}\n[cerebrium.scaling] # s\nmin_replicas=1\n",
        ),
    ],
)
def test_equivalent_spellings_are_no_change(old: str, new: str) -> None:
    assert rebuild_impact(old, new).summary == "no changes"


def test_a_float_python_version_can_be_a_real_change() -> None:
    impact = rebuild_impact(
        '[cerebrium.deployment]\npython_version = "3.10"\n',
        "[cerebrium.deployment]\npython_version = 3.10\n",
    )
    change = impact.changes[0]
    assert (change.old, change.new, impact.earliest) == ("3.10", "3.1", Stage.BASE)


def test_changes_carry_stage_cost_and_span() -> None:
    new_text = edit('vllm = "latest"', 'vllm = "latest"\ntorch = "2.1"')
    impact = rebuild_impact(BASE, new_text)
    change = impact.change_at(("cerebrium", "dependencies", "pip", "TORCH"))
    assert change is not None
    assert (change.key, change.kind, change.old, change.new) == (
        "dependencies.pip.torch",
        "added",
        None,
        "torch==2.1",
    )
    assert change.stage is Stage.PIP and change.cost == Stage.PIP.rebuild_cost
    assert change.span is not None
    assert new_text[change.span.start : change.span.end] == 'torch = "2.1"'
    assert impact.stages == (Stage.PIP, Stage.CODE, Stage.SHELL)


def test_removed_keys_have_no_span() -> None:
    impact = rebuild_impact(BASE, edit("use_uv = true\n", ""))
    change = impact.change_at(("cerebrium", "deployment", "use_uv"))
    assert change is not None and change.kind == "removed" and change.span is None


def test_settings_a_dockerfile_replaces_rebuild_nothing() -> None:
    text = (
        '[cerebrium.deployment]\nname = "d"\npython_version = "3.11"\n'
        '[cerebrium.dependencies.pip]\ntorch = "2.1"\n'
        '[cerebrium.runtime.custom]\ndockerfile_path = "Dockerfile"\n'
    )
    impact = rebuild_impact(text, text.replace('"3.11"', '"3.12"').replace('"2.1"', '"2.2"'))
    assert impact.summary == "no rebuild (only settings the CLI ignores changed)"
    assert all(not c.applies for c in impact.changes)
    assert impact.changes[0].note == "not used: the Dockerfile builds the image"
    moved = rebuild_impact(text, text.replace('"Dockerfile"', '"docker/Dockerfile"'))
    assert moved.summary == "full rebuild (dockerfile_path changed)"


def test_a_partner_service_builds_nothing() -> None:
    text = '[cerebrium.deployment]\nname = "p"\n[cerebrium.runtime.deepgram]\n'
    impact = rebuild_impact(text, text + '[cerebrium.dependencies.pip]\ntorch = "2"\n')
    assert impact.summary == "no rebuild (only settings the CLI ignores changed)"
    assert impact.changes[0].note == "not built: a partner service runs its own image"


def test_legacy_keys_rebuild_nothing() -> None:
    text = '[cerebrium.deployment]\nname = "l"\n[cerebrium.requirements.pip]\ntorch = "2"\n'
    impact = rebuild_impact(text, text.replace('"2"', '"3"'))
    assert impact.summary == "no rebuild (only settings the CLI ignores changed)"
    assert impact.changes[0].note.startswith("legacy table: Ignored by the CLI")


def test_broken_text_is_compared_as_far_as_it_parses() -> None:
    impact = rebuild_impact(BASE, edit('vllm = "latest"', 'vllm = "latest\ntorch = "2.1"'))
    assert impact.earliest is Stage.PIP


def test_no_baseline_means_a_full_build() -> None:
    impact = rebuild_impact(None, BASE)
    assert impact.summary == "full build (no earlier version to compare with)"
    assert impact.baseline is False and impact.earliest is Stage.BASE


# --- git baseline -----------------------------------------------------------------------------

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")


def git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    assert GIT is not None
    subprocess.run([GIT, "-C", str(repo), *args], check=True, capture_output=True, env=env)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    (folder / "app").mkdir(parents=True)
    git(folder, "init", "--quiet")
    (folder / "app" / "cerebrium.toml").write_text(BASE, encoding="utf-8")
    (folder / "app" / "main.py").write_text("")
    git(folder, "add", ".")
    git(folder, "commit", "--quiet", "-m", "first")
    return folder


@needs_git
def test_git_baseline_reads_the_committed_version(repo: Path) -> None:
    path = repo / "app" / "cerebrium.toml"
    edited = edit('vllm = "latest"', 'vllm = "latest"\ntorch = "2.1"\nnumpy = "*"')
    path.write_text(edited, encoding="utf-8")
    baseline = git_baseline(path)
    assert baseline == BASE
    assert rebuild_impact(baseline, edited).summary == "from pip stage (2 packages added)"
    git(repo, "commit", "--quiet", "-am", "second")
    assert git_baseline(path) == edited
    assert git_baseline(path, "HEAD~1") == BASE


@needs_git
def test_git_baseline_from_another_working_directory(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    relative = Path(os.path.relpath(repo / "app" / "cerebrium.toml", tmp_path))
    assert git_baseline(relative) == BASE


@needs_git
def test_untracked_files_and_non_repositories_give_none(repo: Path, tmp_path: Path) -> None:
    untracked = repo / "app" / "other.toml"
    untracked.write_text(BASE)
    assert git_baseline(untracked) is None
    outside = tmp_path / "plain" / "cerebrium.toml"
    outside.parent.mkdir()
    outside.write_text(BASE)
    assert git_baseline(outside) is None
    assert git_baseline(repo / "app" / "cerebrium.toml", "no-such-branch") is None


@pytest.mark.parametrize("rev", ["-p", "--output=/tmp/x", "HEAD:other", "HEAD..main", "a b", ""])
def test_unsafe_revisions_never_reach_git(
    rev: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("git must not run")

    monkeypatch.setattr(baseline_module.subprocess, "run", fail)
    assert git_baseline(tmp_path / "cerebrium.toml", rev) is None


def test_missing_git_falls_back_quietly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(baseline_module.shutil, "which", lambda name: None)
    path = tmp_path / "cerebrium.toml"
    assert git_baseline(path) is None
    chosen = choose_baseline(path, "saved text")
    assert (chosen.text, chosen.source, chosen.label) == ("saved text", "saved", "last save")
    assert choose_baseline(path, None).source == "none"


def test_a_hanging_git_times_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def hang(*args: object, **kwargs: object) -> None:
        raise subprocess.TimeoutExpired(cmd="git", timeout=kwargs.get("timeout", 0))  # type: ignore[arg-type]

    monkeypatch.setattr(baseline_module.subprocess, "run", hang)
    monkeypatch.setattr(baseline_module.shutil, "which", lambda name: "/usr/bin/git")
    assert git_baseline(tmp_path / "cerebrium.toml") is None


def test_git_runs_with_a_fixed_argv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []

    class Done:
        returncode = 0
        stdout = str(tmp_path).encode() + b"\n"

    def record(argv: list[str], **kwargs: object) -> Done:
        calls.append(argv)
        assert kwargs.get("timeout") and "shell" not in kwargs
        return Done()

    monkeypatch.setattr(baseline_module.subprocess, "run", record)
    monkeypatch.setattr(baseline_module.shutil, "which", lambda name: "/usr/bin/git")
    git_baseline(tmp_path / "cerebrium.toml", "main")
    assert [argv[6:] for argv in calls] == [
        ["rev-parse", "--show-toplevel"],
        ["show", "--no-textconv", "main:cerebrium.toml", "--"],
    ]
    assert all(argv[1:5] == ["--no-pager", "-c", "core.fsmonitor=false", "-C"] for argv in calls)
    assert all(argv[5] == str(tmp_path) for argv in calls)


@needs_git
def test_plan_diff_command(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo / "app" / "cerebrium.toml"
    path.write_text(edit('"3.12"', '"3.11"'), encoding="utf-8")
    assert run_plan(str(path), "markdown", "HEAD") == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith(
        "**Rebuild impact (compared with git HEAD):** full rebuild (python_version changed)"
    )
    assert "| `deployment.python_version` | `3.12` → `3.11` |" in out
    assert run_plan(str(path), "json", "HEAD") == 0
    data = json.loads(capsys.readouterr()[0])
    assert data["summary"] == "full rebuild (python_version changed)"
    assert data["earliest"] == "base"
    assert data["changes"][0]["key"] == "deployment.python_version"


def test_plan_diff_without_a_baseline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "cerebrium.toml").write_text(BASE, encoding="utf-8")
    assert run_plan(str(tmp_path), "markdown", "HEAD") == 0
    out, err = capsys.readouterr()
    assert "nothing to compare with" in err
    assert out.startswith("**Rebuild impact:** full build (no earlier version to compare with)")
