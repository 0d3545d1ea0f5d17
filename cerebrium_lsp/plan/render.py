"""Renderings of a :class:`~cerebrium_lsp.plan.model.BuildPlan`: Markdown for people (the CLI
and the editor), JSON for tools, and (re-exported from :mod:`.dockerfile`) a Dockerfile."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from enum import Enum
from typing import Any

from cerebrium_lsp.analysis.checks.values import go_format
from cerebrium_lsp.analysis.project_files import format_size
from cerebrium_lsp.plan.dockerfile import to_dockerfile
from cerebrium_lsp.plan.impact import Impact
from cerebrium_lsp.plan.model import (
    BuildPlan,
    BuildStage,
    CodeStage,
    CommandStage,
    CostEstimate,
    PackageStage,
    Setting,
)

__all__ = [
    "JSON_FORMAT_VERSION",
    "impact_to_json",
    "impact_to_markdown",
    "to_dockerfile",
    "to_json",
    "to_markdown",
]

JSON_FORMAT_VERSION = 1
LISTED_FILES = 50  # files listed in Markdown; JSON lists them all
_STAGE_HEADINGS = {
    "pre_build": "1. Pre-build commands",
    "apt": "2. apt packages",
    "conda": "3. conda packages",
    "pip": "4. pip packages",
    "code": "5. App code copy",
    "shell": "6. Shell commands",
}


# --- JSON -------------------------------------------------------------------------------------


def to_json(plan: BuildPlan) -> dict[str, Any]:
    """The plan as JSON-safe data, in field order (stable across runs)."""
    data = _jsonable(plan)
    assert isinstance(data, dict)
    data["code"]["file_count"] = plan.code.file_count
    return {"format_version": JSON_FORMAT_VERSION, **data}


def _jsonable(value: object) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.name.lower()
    if isinstance(value, tuple | list):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


# --- Markdown helpers -------------------------------------------------------------------------


def _code(text: str) -> str:
    """An inline code span that survives backticks in ``text``."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    padded = f" {text} " if longest or text.startswith(" ") or text.endswith(" ") else text
    return f"{ticks}{padded}{ticks}" if text else '""'


def _cell(text: str) -> str:
    """Text for a table cell: pipes escaped and line breaks removed."""
    return text.replace("|", "\\|").replace("\n", " ")


def _fence(content: str, language: str = "text") -> list[str]:
    longest = max((len(run) for run in re.findall(r"`{3,}", content)), default=2)
    fence = "`" * (longest + 1)
    body = content if content.endswith("\n") else content + "\n"
    return [f"{fence}{language}", *body.rstrip("\n").split("\n"), fence]


def _money(amount: float | None) -> str:
    return "not listed" if amount is None else f"${amount:.4f}"


def _rate(price: float) -> str:
    return "$" + f"{price:.8f}".rstrip("0").rstrip(".")


def _number(value: float) -> str:
    return go_format(value)


def _setting(setting: Setting) -> str:
    if setting.source == "platform":
        return f"— ({setting.note or 'the platform decides'})"
    text = _code(setting.value)
    if setting.source == "default":
        text += " (default)"
    if setting.note:
        text += f" — {setting.note}"
    return text


def _sentence(text: str) -> str:
    """``text`` with its first letter upper-cased (the rest kept: names are case-sensitive)."""
    return text[:1].upper() + text[1:]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


# --- Markdown ---------------------------------------------------------------------------------


def to_markdown(plan: BuildPlan) -> str:
    """The whole plan as GitHub-flavoured Markdown."""
    lines = [*_header(plan), *_warnings(plan), *_base(plan), *_stages(plan), *_runtime(plan)]
    lines += [*_hardware(plan), *_scaling(plan), *_cost(plan.cost, plan)]
    return "\n".join(lines).rstrip("\n") + "\n"


def _header(plan: BuildPlan) -> Iterator[str]:
    yield f"# Build plan: {plan.app or '(no name)'}"
    yield ""
    where = f" in {_code(plan.project)}" if plan.project else ""
    how = {
        "image": "image built from the toml settings",
        "dockerfile": f"image built from {_code(plan.base.dockerfile or '')}",
        "partner": f"{(plan.runtime.partner or '').capitalize()} partner service (nothing built)",
    }[plan.mode]
    yield (
        f"{_code(plan.config_file)}{where} · {how} · one replica ≈ **{_money(plan.cost.per_hour)}"
        f"{'/h' if plan.cost.per_hour is not None else ''}**"
    )
    yield ""


def _warnings(plan: BuildPlan) -> Iterator[str]:
    if not plan.warnings:
        return
    yield "## Warnings"
    yield ""
    for warning in plan.warnings:
        yield f"- **{warning.code}**: {warning.message}"
    yield ""


def _base(plan: BuildPlan) -> Iterator[str]:
    base = plan.base
    yield "## Base environment"
    yield ""
    if plan.mode == "partner":
        yield f"The {_code(plan.runtime.partner or '')} partner image; no build from this project."
        yield ""
        return
    if base.dockerfile is not None:
        yield f"Built from the Dockerfile {_code(base.dockerfile)}."
        if base.not_applied:
            names = ", ".join(_code(n) for n in base.not_applied)
            yield f"Not applied with a Dockerfile: {names}."
        yield ""
        if base.dockerfile_text is not None:
            yield from _fence(base.dockerfile_text, "dockerfile")
        else:
            yield f"*{base.dockerfile_note}*"
        yield ""
        return
    yield "| setting | value |"
    yield "| --- | --- |"
    yield f"| base image (`docker_base_image_url`) | {_cell(_setting(base.image))} |"
    yield f"| Python (`python_version`) | {_cell(_setting(base.python))} |"
    yield f"| pip installer (`use_uv`) | {base.installer} |"
    yield ""


def _stages(plan: BuildPlan) -> Iterator[str]:
    yield "## Build stages"
    yield ""
    if plan.mode == "partner":
        yield "Nothing is uploaded or built: a partner service runs its own image."
        yield ""
        return
    yield "Each stage is cached; a change re-runs its stage and every later one."
    yield ""
    names = ("pre_build", "apt", "conda", "pip", "code", "shell")
    for name, stage in zip(names, plan.stages, strict=True):
        yield from _stage(_STAGE_HEADINGS[name], stage)


def _stage(heading: str, stage: BuildStage) -> Iterator[str]:
    if isinstance(stage, CodeStage):
        yield from _code_stage(heading, stage)
        return
    file = stage.script if isinstance(stage, CommandStage) else stage.file
    title = heading
    if isinstance(stage, PackageStage) and file is not None:
        title += f": {_code(file.name)} ({_plural(stage.packages, 'package')}, {stage.installer})"
    elif file is not None:
        title += f": {_code(file.name)}"
    yield f"### {title}"
    yield ""
    if not stage.applies:
        yield f"*{_sentence(stage.note)}.*" if stage.note else "*Not run.*"
        yield ""
        if file is None:
            return
    if file is None:
        yield "None."
        yield ""
        return
    if file.source == "file":
        yield f"From {_code(file.path or '')}, uploaded as {_code(file.name)}."
        yield ""
    if file.content is None:
        yield f"*{file.note}*"
    elif not file.content.strip():
        yield "*(empty)*"
    else:
        yield from _fence(file.content, "bash" if isinstance(stage, CommandStage) else "text")
    yield ""


def _code_stage(heading: str, stage: CodeStage) -> Iterator[str]:
    count = f"{_plural(stage.file_count, 'file')}, {format_size(stage.total_bytes)}"
    if stage.truncated:
        count = f"at least {count}"
    yield f"### {heading}: {count}" if stage.walked else f"### {heading}"
    yield ""
    # Shown trimmed, as the CLI matches them.
    include = ", ".join(_code(p.strip()) for p in stage.include) or "—"
    exclude = ", ".join(_code(p.strip()) for p in stage.exclude) or "—"
    yield (
        f"include {include}{' (default)' if stage.include_default else ''} · "
        f"exclude {exclude}{' (default)' if stage.exclude_default else ''}"
    )
    yield ""
    if stage.note:
        yield f"*{_sentence(stage.note)}.*"
        yield ""
    if not stage.walked:
        return
    if not stage.files:
        yield "No files."
        yield ""
        return
    yield "| file | size |"
    yield "| --- | ---: |"
    for file in stage.files[:LISTED_FILES]:
        yield f"| {_cell(_code(file.path))} | {format_size(file.size)} |"
    if stage.file_count > LISTED_FILES:
        yield f"| … and {stage.file_count - LISTED_FILES} more | |"
    yield ""
    if stage.config_added:
        yield "The config file is uploaded although the patterns do not match it."
        yield ""


def _runtime(plan: BuildPlan) -> Iterator[str]:
    runtime = plan.runtime
    yield "## Runtime"
    yield ""
    yield runtime.summary
    yield ""
    rows: list[tuple[str, str]] = []
    if runtime.entrypoint:
        form = " (one string: sent as a single argument)" if runtime.entrypoint_is_string else ""
        rows.append(("entrypoint", ", ".join(_code(a) for a in runtime.entrypoint) + form))
    if runtime.port is not None:
        rows.append(("port", _setting(runtime.port)))
    if runtime.entrypoint_port is not None:
        rows.append(("entrypoint listens on", str(runtime.entrypoint_port)))
    if runtime.healthcheck:
        rows.append(("health check (restart)", runtime.healthcheck))
    if runtime.readycheck:
        rows.append(("ready check (routing)", runtime.readycheck))
    rows += [(s.key, _setting(s)) for s in runtime.partner_settings if s.key != "port"]
    if runtime.container_runtime is not None:
        rows.append(("container_runtime", _setting(runtime.container_runtime)))
    if runtime.main_py is not None and runtime.kind in ("cortex", "custom"):
        rows.append(("main.py", "present" if runtime.main_py else "missing"))
    yield from _table(("setting", "value"), rows)


def _table(header: tuple[str, str], rows: list[tuple[str, str]]) -> Iterator[str]:
    if not rows:
        return
    yield f"| {header[0]} | {header[1]} |"
    yield "| --- | --- |"
    for name, value in rows:
        yield f"| {_cell(name)} | {_cell(value)} |"
    yield ""


def _hardware(plan: BuildPlan) -> Iterator[str]:
    hw = plan.hardware
    default = " (default)"
    compute = f"{_code(hw.primary)} — {hw.hardware}"
    if hw.compute_source == "default":
        compute += default
    if len(hw.compute) > 1:
        compute += "; fallbacks " + ", ".join(_code(c) for c in hw.compute[1:])
    rows = [
        ("compute", compute),
        ("GPUs per replica", str(hw.gpu_count) + (default if "gpu_count" in hw.defaults else "")),
        ("vCPU", _number(hw.cpu) + (default if "cpu" in hw.defaults else "")),
        ("memory", f"{_number(hw.memory)} GB" + (default if "memory" in hw.defaults else "")),
        ("provider", _setting(hw.provider)),
        ("region", _setting(hw.region)),
        ("compute tier", _setting(hw.compute_tier)),
    ]
    yield "## Hardware (one replica)"
    yield ""
    yield from _table(("setting", "value"), rows)


def _scaling(plan: BuildPlan) -> Iterator[str]:
    yield "## Scaling"
    yield ""
    yield plan.scaling.summary
    yield ""
    rows = [(s.key, _setting(s)) for s in plan.scaling.settings]
    yield from _table(("setting", "value"), rows)


def _cost(cost: CostEstimate, plan: BuildPlan) -> Iterator[str]:
    yield "## Estimated cost"
    yield ""
    yield "| item | quantity | price per unit-second | per hour |"
    yield "| --- | ---: | ---: | ---: |"
    for line in cost.lines:
        quantity = f"{_number(line.quantity)} {line.unit}"
        yield f"| {line.item} | {quantity} | {_rate(line.price_per_second)} | {_money(line.per_hour)} |"
    total = _money(cost.per_hour)
    yield f"| **one replica** | | | **{total}** |"
    yield ""
    if cost.note:
        yield f"{_sentence(cost.note)}."
        yield ""
    for alternative in cost.alternatives:
        yield f"Fallback {_code(alternative.compute)}: {_money(alternative.per_hour)} per hour."
    if cost.alternatives:
        yield ""
    if cost.min_replicas_per_hour:
        always = _plural(plan.scaling.min_replicas, "replica")
        yield (
            f"`min_replicas` keeps {always} running: {_money(cost.min_replicas_per_hour)} per "
            "hour even when idle."
        )
        yield ""
    elif cost.per_hour is not None:
        yield "`min_replicas` is 0: nothing is billed while no replica runs."
        yield ""
    yield f"List prices, billed per second while replicas run; builds and storage are extra. Source: {cost.source}."


# --- Rebuild impact ---------------------------------------------------------------------------


def impact_to_json(impact: Impact, baseline: str = "") -> dict[str, Any]:
    return {
        "format_version": JSON_FORMAT_VERSION,
        "baseline": baseline,
        "summary": impact.summary,
        "earliest": impact.earliest.name.lower() if impact.earliest else None,
        "stages": [s.name.lower() for s in impact.stages],
        "changes": [
            {
                "key": c.key,
                "kind": c.kind,
                "old": c.old,
                "new": c.new,
                "stage": c.stage.name.lower(),
                "applies": c.applies,
                "note": c.note,
            }
            for c in impact.changes
        ],
    }


def impact_to_markdown(impact: Impact, baseline: str = "") -> str:
    """The impact for a review comment: the summary, then every changed key and its cost."""
    against = f" (compared with {baseline})" if baseline else ""
    lines = [f"**Rebuild impact{against}:** {impact.summary}", ""]
    if impact.stages:
        lines += ["Re-runs: " + ", ".join(s.title for s in impact.stages) + ".", ""]
    if impact.changes:
        lines += ["| key | change | stage | effect |", "| --- | --- | --- | --- |"]
        for c in impact.changes:
            change = {
                "added": f"added {_code(c.new or '')}",
                "removed": f"removed (was {_code(c.old or '')})",
                "changed": f"{_code(c.old or '')} → {_code(c.new or '')}",
            }[c.kind]
            stage = c.stage.title if c.applies else "—"
            lines.append(f"| {_cell(_code(c.key))} | {_cell(change)} | {stage} | {_cell(c.cost)} |")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
