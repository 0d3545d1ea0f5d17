"""``build_plan``: what Cerebrium builds and runs for an analysed ``cerebrium.toml``.

Pure except that it reads the project folder: the walk for the code copy and the files the
config names (``dependencies.paths.*``, ``dockerfile_path``), never outside the folder. Nothing
the file names is executed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from cerebrium_lsp.analysis.checks.context import subtable, value_of
from cerebrium_lsp.analysis.checks.secrets import redact_all
from cerebrium_lsp.analysis.engine import Analysis
from cerebrium_lsp.analysis.project_files import read_project_file
from cerebrium_lsp.analysis.requirements import OUTPUT_FILES, Manager, render_requirements
from cerebrium_lsp.analysis.tree import ResolvedTable, Scalar
from cerebrium_lsp.model import MODEL
from cerebrium_lsp.model.lookup import key_spec
from cerebrium_lsp.model.types import Stage
from cerebrium_lsp.plan.cost import estimate_cost
from cerebrium_lsp.plan.model import (
    BaseEnvironment,
    BuildFile,
    BuildPlan,
    CommandStage,
    PackageStage,
    PlanMode,
    PlanWarning,
    Setting,
)
from cerebrium_lsp.plan.settings import MANAGERS, Settings, read_settings
from cerebrium_lsp.plan.stages import code_stage, package_warnings
from cerebrium_lsp.plan.summary import hardware_plan, runtime_plan, scaling_plan

__all__ = ["build_plan", "script_text"]

_NOT_RUN = {
    "dockerfile": "not run: the Dockerfile builds the image instead",
    "partner": "not run: a partner service runs its own image; nothing is built from this project",
}
# Settings a Dockerfile replaces (custom-dockerfiles docs, docs/sources.md), as (section, key)
# under [cerebrium].
_DOCKERFILE_REPLACES = (
    ("deployment", "python_version"),
    ("deployment", "docker_base_image_url"),
    ("deployment", "pre_build_commands"),
    ("deployment", "shell_commands"),
    ("deployment", "use_uv"),
)


def build_plan(
    analysis: Analysis, project_dir: Path | None, *, config_name: str = "cerebrium.toml"
) -> BuildPlan:
    """The build plan of ``analysis``; ``project_dir`` is the folder relative paths resolve
    against (None: no files are read and the code copy is not listed)."""
    cerebrium = subtable(analysis.document.root, "cerebrium")
    settings = read_settings(cerebrium)
    mode: PlanMode = (
        "partner"
        if settings.runtime == "partner"
        else "dockerfile"
        if settings.runtime == "dockerfile"
        else "image"
    )
    warnings: list[PlanWarning] = []
    errors = sum(1 for d in analysis.diagnostics if d.severity == "error")
    if errors:
        plural = "s" if errors != 1 else ""
        warnings.append(
            PlanWarning(
                "file-errors",
                f"The file has {errors} error{plural}: the CLI would refuse it. The plan shows "
                "what the parts that parse describe (run `cerebrium-lsp check` for details).",
            )
        )
    base = _base(settings, cerebrium, mode, project_dir, warnings)
    packages = {m: _packages(m, settings, mode, project_dir, warnings) for m in MANAGERS}
    hardware = hardware_plan(settings, warnings)
    scaling = scaling_plan(settings, hardware)
    cost = estimate_cost(hardware, scaling.min_replicas)
    if cost.per_hour is None:
        message = f"No cost estimate: {cost.note}."
        warnings.append(PlanWarning("price-not-listed", message, Stage.RUNTIME))
    warnings.extend(_legacy_warnings(cerebrium))
    code = code_stage(settings, mode, project_dir, config_name, warnings)
    runtime = runtime_plan(settings, project_dir, warnings)
    # File-wide warnings first, then in build order (sort is stable).
    warnings.sort(key=lambda w: -1 if w.stage is None else w.stage.value)
    plan = BuildPlan(
        app=settings.name,
        config_file=config_name,
        project=project_dir.resolve().name if project_dir is not None else None,
        mode=mode,
        errors=errors,
        base=base,
        pre_build=_commands(Stage.PRE_BUILD, settings.pre_build_commands, mode),
        apt=packages["apt"],
        conda=packages["conda"],
        pip=packages["pip"],
        code=code,
        shell=_commands(Stage.SHELL, settings.shell_commands, mode),
        runtime=runtime,
        hardware=hardware,
        scaling=scaling,
        cost=cost,
        warnings=tuple(warnings),
    )
    # The plan is shared (pasted in reviews, printed in CI): no credential the file or a file
    # it names holds, such as a token in a pip URL or in shell_commands.
    return redact_all(plan)


def script_text(commands: tuple[str, ...]) -> str:
    """The script the CLI writes for shell or pre-build commands (dependencies.go
    ``generateShellCommandsContent``): bash, stopping at the first failure."""
    return "\n".join(("#!/bin/bash", "set -e", "", *commands)) + "\n"


def _default(table: tuple[str, ...], key: str) -> str:
    spec = key_spec(table, key)
    return str(spec.default) if spec is not None and spec.default is not None else ""


def _base(
    settings: Settings,
    cerebrium: ResolvedTable | None,
    mode: PlanMode,
    project_dir: Path | None,
    warnings: list[PlanWarning],
) -> BaseEnvironment:
    deployment = ("cerebrium", "deployment")
    image = Setting(
        "docker_base_image_url",
        settings.base_image or _default(deployment, "docker_base_image_url"),
        "file" if settings.base_image else "default",
    )
    python_note = ""
    written = value_of(subtable(cerebrium, "deployment"), "python_version")
    if isinstance(written, Scalar) and written.kind != "string" and settings.python_version:
        python_note = (
            f"written as a number ({written.raw.strip()}): the CLI sends "
            f'"{settings.python_version}"; quote it'
        )
        if mode == "image":
            message = f"python_version is {python_note}."
            warnings.append(PlanWarning("python-version-number", message, Stage.BASE))
    python = Setting(
        "python_version",
        settings.python_version or _default(deployment, "python_version"),
        "file" if settings.python_version else "default",
        python_note,
    )
    installer: Literal["uv", "pip"] = "uv" if settings.use_uv else "pip"
    if mode != "dockerfile" or settings.dockerfile_path is None:
        return BaseEnvironment(image=image, python=python, installer=installer)
    read = read_project_file(project_dir, settings.dockerfile_path)
    not_applied = (
        *(
            f"{section}.{key}"
            for section, key in _DOCKERFILE_REPLACES
            if value_of(subtable(cerebrium, section), key) is not None
        ),
        *(f"dependencies.{m}" for m in OUTPUT_FILES if settings.dependencies[m].entries),
        *(f"dependencies.paths.{m}" for m in settings.dependency_paths),
    )
    if not_applied:
        warnings.append(
            PlanWarning(
                "dockerfile-replaces",
                "With dockerfile_path the Dockerfile builds the image; these settings do not "
                "apply: " + ", ".join(not_applied) + ".",
                Stage.BASE,
            )
        )
    if read.text is None:
        warnings.append(
            PlanWarning(
                "dockerfile-unread", f"{settings.dockerfile_path}: {read.note}.", Stage.BASE
            )
        )
    return BaseEnvironment(
        image=image,
        python=python,
        installer=installer,
        dockerfile=settings.dockerfile_path,
        dockerfile_text=read.text,
        dockerfile_note=read.note,
        not_applied=not_applied,
    )


def _commands(stage: Stage, commands: tuple[str, ...], mode: PlanMode) -> CommandStage:
    name = "pre_build_commands.sh" if stage is Stage.PRE_BUILD else "shell_commands.sh"
    script = BuildFile(name, script_text(commands), "inline") if commands else None
    note = _NOT_RUN.get(mode, "" if commands else "none")
    return CommandStage(stage, mode == "image", note, commands, script)


_STAGES: dict[Manager, Stage] = {"apt": Stage.APT, "conda": Stage.CONDA, "pip": Stage.PIP}


def _packages(
    manager: Manager,
    settings: Settings,
    mode: PlanMode,
    project_dir: Path | None,
    warnings: list[PlanWarning],
) -> PackageStage:
    stage = _STAGES[manager]
    name = OUTPUT_FILES[manager]
    inline = settings.dependencies[manager]
    path = settings.dependency_paths.get(manager)
    file: BuildFile | None = None
    if path is not None:
        read = read_project_file(project_dir, path)
        file = BuildFile(name, read.text, "file", path, read.note)
    elif inline.entries:
        file = BuildFile(name, render_requirements(inline.entries), "inline")
    if mode == "image":
        warnings.extend(package_warnings(manager, stage, settings, file))
    installer = {"apt": "apt-get", "conda": "conda"}.get(
        manager, "uv" if settings.use_uv else "pip"
    )
    return PackageStage(
        stage=stage,
        applies=mode == "image",
        note=_NOT_RUN.get(mode, "" if file else "none"),
        manager=manager,
        installer=installer,
        packages=_count_lines(file.content if file else None),
        file=file,
    )


def _count_lines(content: str | None) -> int:
    if not content:
        return 0
    return sum(
        1 for line in content.splitlines() if line.strip() and not line.lstrip().startswith("#")
    )


def _legacy_warnings(cerebrium: ResolvedTable | None) -> list[PlanWarning]:
    """Legacy tables and keys present in the file: the CLI ignores them (docs/sources.md)."""
    found: list[PlanWarning] = []
    for table in MODEL.tables:
        node = subtable(cerebrium, *table.path[1:]) if len(table.path) > 1 else None
        if node is None:
            continue
        if table.deprecated is not None:
            message = f"[{table.dotted}]: {table.deprecated.message}"
            found.append(PlanWarning("legacy", message, table.stage))
            continue
        for key in table.keys:
            if key.deprecated is not None and value_of(node, key.name) is not None:
                message = f"{table.path[-1]}.{key.name}: {key.deprecated.message}"
                found.append(PlanWarning("legacy", message, key.stage))
    return found
