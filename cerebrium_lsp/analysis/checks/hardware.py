"""Cross-key checks of ``[cerebrium.hardware]``: gpu_count, cpu and memory against the compute
type's limits, compute lists, and region/provider/compute placement."""

from __future__ import annotations

import math
from dataclasses import dataclass

from cerebrium_lsp.analysis.checks.context import (
    CheckContext,
    entry,
    number_value,
    string_value,
    subtable,
    value_of,
)
from cerebrium_lsp.analysis.checks.values import go_format, string_items
from cerebrium_lsp.analysis.diagnostics import Related
from cerebrium_lsp.analysis.tree import Array, ResolvedTable, Scalar, Span
from cerebrium_lsp.model import MODEL
from cerebrium_lsp.model.catalog import CPU_ONLY_CPU_VALUES
from cerebrium_lsp.model.types import ComputeType

MAX_COMPUTE_LIST = 5


@dataclass(slots=True)
class ComputeChoice:
    id: str
    span: Span
    spec: ComputeType | None


def compute_choices(hardware: ResolvedTable | None) -> list[ComputeChoice]:
    """The compute ids in preference order (one for a string), with their specs when known."""
    return [
        ComputeChoice(text, scalar.span, MODEL.compute_type(text))
        for text, scalar in string_items(value_of(hardware, "compute"))
    ]


def is_cpu_only(choices: list[ComputeChoice]) -> bool:
    """The CLI's test: no compute, or a first entry exactly ``"CPU"``."""
    return not choices or choices[0].id == "CPU"


def check_hardware(ctx: CheckContext, cerebrium: ResolvedTable) -> None:
    hardware = subtable(cerebrium, "hardware")
    if hardware is None:
        return
    choices = compute_choices(hardware)
    _check_compute_list(ctx, hardware, choices)
    known = [c for c in choices if c.spec is not None]
    # While compute is still being typed (or invalid) the limits would guess wrong.
    compute_typed = value_of(hardware, "compute") is None or bool(choices)
    if compute_typed and is_cpu_only(choices):
        _check_cpu_only(ctx, hardware, choices)
    elif (
        compute_typed
        and known
        and all(c.spec is not None and c.spec.family != "cpu" for c in known)
    ):
        _check_accelerator_limits(ctx, hardware, known)
    _check_placement(ctx, hardware, known)


def _check_compute_list(
    ctx: CheckContext, hardware: ResolvedTable, choices: list[ComputeChoice]
) -> None:
    value = value_of(hardware, "compute")
    if not isinstance(value, Array):
        return
    if len(value.items) > MAX_COMPUTE_LIST:
        ctx.report(
            "compute-list",
            value.span,
            f"`compute` lists {len(value.items)} types; at most {MAX_COMPUTE_LIST} are allowed "
            "(in preference order).",
        )
    typed = [(c, c.spec) for c in choices if c.spec is not None]
    if len({spec.family for _, spec in typed}) > 1:
        first, first_spec = typed[0]
        other, other_spec = next((c, s) for c, s in typed if s.family != first_spec.family)
        ctx.report(
            "compute-list",
            other.span,
            f'`compute` mixes families: "{first.id}" is {_family_name(first_spec)} but '
            f'"{other.id}" is {_family_name(other_spec)}. All fallbacks must be of one family '
            "(NVIDIA GPUs, CPU, or AWS accelerators).",
            related=[Related(first.span, "first entry")],
        )
    seen: dict[str, ComputeChoice] = {}
    for choice in choices:
        if choice.id in seen:
            ctx.report(
                "compute-list",
                choice.span,
                f'"{choice.id}" is listed twice in `compute`.',
                severity="warning",
                related=[Related(seen[choice.id].span, "first listed here")],
            )
        seen.setdefault(choice.id, choice)


def _family_name(spec: ComputeType | None) -> str:
    if spec is None:
        return "unknown"
    return {"cpu": "CPU", "nvidia": "an NVIDIA GPU", "aws": "an AWS accelerator"}[spec.family]


def _check_cpu_only(
    ctx: CheckContext, hardware: ResolvedTable, choices: list[ComputeChoice]
) -> None:
    gpu_count = entry(hardware, "gpu_count")
    count = number_value(hardware, "gpu_count")
    # With a legacy `gpu` key, its own warning already explains that gpu_count is dropped.
    legacy_gpu = entry(hardware, "gpu") is not None
    if (
        gpu_count is not None
        and gpu_count.value is not None
        and count not in (None, 0.0)
        and not legacy_gpu
    ):
        reason = 'with `compute = "CPU"`' if choices else "without `compute` (the default is CPU)"
        ctx.report(
            "gpu-count-ignored",
            gpu_count.value.span,
            f"`gpu_count` is ignored {reason}: the CLI drops it and the app gets no GPU. "
            'Set `compute` to a GPU type such as "AMPERE_A10", or remove `gpu_count`.',
            tags=("unnecessary",),
        )
    cpu_spec = MODEL.compute_type("CPU")
    cpu = number_value(hardware, "cpu")
    cpu_value = value_of(hardware, "cpu")
    if cpu is not None and cpu_value is not None and cpu not in CPU_ONLY_CPU_VALUES:
        sizes = ", ".join(go_format(v) for v in CPU_ONLY_CPU_VALUES)
        nearest = min(CPU_ONLY_CPU_VALUES, key=lambda v: (abs(v - cpu), v))
        ctx.report(
            "cpu-limit",
            cpu_value.span,
            f"CPU-only replicas take one of these vCPU sizes: {sizes}; found {go_format(cpu)}. "
            f"The nearest is {go_format(nearest)}.",
            data={"replacement": go_format(nearest)},
        )
    memory = number_value(hardware, "memory")
    memory_value = value_of(hardware, "memory")
    if memory is not None and memory_value is not None:
        _check_memory_decimals(ctx, memory, memory_value.span)
        if (
            cpu_spec is not None
            and cpu_spec.max_memory is not None
            and memory > cpu_spec.max_memory
        ):
            ctx.report(
                "memory-limit",
                memory_value.span,
                f"CPU-only replicas take at most {go_format(cpu_spec.max_memory)} GB of memory; "
                f"found {go_format(memory)}.",
            )


def _check_memory_decimals(ctx: CheckContext, memory: float, span: Span) -> None:
    if math.isfinite(memory) and round(memory, 2) != memory:
        ctx.report(
            "memory-limit",
            span,
            f"`memory` takes at most 2 decimals; found {go_format(memory)}.",
            data={"replacement": go_format(round(memory, 2))},
        )


def _check_accelerator_limits(
    ctx: CheckContext, hardware: ResolvedTable, known: list[ComputeChoice]
) -> None:
    count_value = value_of(hardware, "gpu_count")
    count = number_value(hardware, "gpu_count")
    # the CLI fills in 1 when absent
    gpus = int(count) if count is not None and math.isfinite(count) else 1
    if count_value is not None and count is not None:
        if count < 1:
            ctx.report(
                "gpu-count",
                count_value.span,
                f'`gpu_count` is {go_format(count)}, but "{known[0].id}" needs at least 1.',
                data={"replacement": "1"},
            )
            return
        for choice in known:
            assert choice.spec is not None
            spec = choice.spec
            if count > spec.max_gpu_count:
                docs_max = spec.docs_max_gpu_count
                certain = docs_max is None or count > docs_max
                docs_note = (
                    ""
                    if certain
                    else f" (the docs allow {docs_max}, so the deploy may pass on some plans)"
                )
                ctx.report(
                    "gpu-count",
                    count_value.span,
                    f'"{choice.id}" allows at most {spec.max_gpu_count} per replica; '
                    f"`gpu_count` is {go_format(count)}{docs_note}.",
                    severity="error" if certain else "warning",
                    related=[Related(choice.span, "compute type")],
                    data={"replacement": str(spec.max_gpu_count)},
                )
                break
    cpu = number_value(hardware, "cpu")
    cpu_value = value_of(hardware, "cpu")
    if cpu is not None and isinstance(cpu_value, Scalar):
        if math.isfinite(cpu) and not cpu.is_integer():
            ctx.report(
                "cpu-limit",
                cpu_value.span,
                f"GPU replicas take whole vCPUs; found {go_format(cpu)}.",
                data={"replacement": go_format(max(1, round(cpu)))},
            )
        _check_ceiling(ctx, known, gpus, cpu, cpu_value.span, "cpu", "vCPUs")
    memory = number_value(hardware, "memory")
    memory_value = value_of(hardware, "memory")
    if memory is not None and isinstance(memory_value, Scalar):
        _check_memory_decimals(ctx, memory, memory_value.span)
        _check_ceiling(ctx, known, gpus, memory, memory_value.span, "memory", "GB")


def _check_ceiling(
    ctx: CheckContext,
    known: list[ComputeChoice],
    gpus: int,
    amount: float,
    span: Span,
    key: str,
    unit: str,
) -> None:
    for choice in known:
        spec = choice.spec
        assert spec is not None
        per_gpu = spec.max_cpu_per_gpu if key == "cpu" else spec.max_memory_per_gpu
        if per_gpu is None:
            continue
        ceiling = per_gpu * max(gpus, 1)
        if amount <= ceiling:
            continue
        # The API reference's per-device limits are stricter than the docs' replica totals:
        # between the two the outcome is uncertain, so it is a warning.
        docs_total = spec.docs_max_cpu if key == "cpu" else spec.docs_max_memory
        certain = docs_total is not None and amount > docs_total
        docs_note = (
            ""
            if certain
            else f"; the docs allow up to {go_format(docs_total)} {unit}, so the deploy may pass"
            if docs_total is not None
            else "; the docs give no figure, so the deploy may pass"
        )
        ctx.report(
            "cpu-limit" if key == "cpu" else "memory-limit",
            span,
            f'"{choice.id}" allows at most {go_format(per_gpu)} {unit} per GPU '
            f"({go_format(ceiling)} for {max(gpus, 1)} GPU{'s' if gpus > 1 else ''}) per Cerebrium's "
            f"API reference; `{key}` is {go_format(amount)}{docs_note}.",
            severity="error" if certain else "warning",
            related=[Related(choice.span, "compute type")],
            data={"replacement": go_format(ceiling)},
        )
        return


def _check_placement(
    ctx: CheckContext, hardware: ResolvedTable, known: list[ComputeChoice]
) -> None:
    region_text = string_value(hardware, "region")
    region_value = value_of(hardware, "region")
    provider_text = string_value(hardware, "provider")
    provider_entry = entry(hardware, "provider")
    if provider_text == "coreweave" and provider_entry is not None and provider_entry.value:
        ctx.report(
            "invalid-value",
            provider_entry.value.span,
            '"coreweave" is not available on Cerebrium\'s current platform (Cortex v4); the CLI '
            'refuses it. Use "aws" or leave `provider` out.',
            data={"replacement": "aws"},
        )
    if region_text is None or region_value is None:
        return
    region = MODEL.region(region_text)
    if region is None or region.availability == "keyword":
        return
    if region.availability in ("on-request", "refused"):
        note = (
            "is currently refused at deploy"
            if region.availability == "refused"
            else "is available on request through Cerebrium support"
        )
        ctx.report(
            "region-availability",
            region_value.span,
            f'Region "{region.id}"{f" ({region.location})" if region.location else ""} {note}.',
            severity="warning" if region.availability == "refused" else None,
        )
    if (
        provider_text
        and provider_entry is not None
        and provider_entry.value is not None
        and MODEL.provider(provider_text) is not None
        and region.provider  # on-request regions have no documented provider
        and region.provider != provider_text
    ):
        ctx.report(
            "region-provider",
            region_value.span,
            f'Region "{region.id}" is served by "{region.provider}", but `provider` is '
            f'"{provider_text}": no replica can be placed. Set provider = "{region.provider}" '
            "or pick another region.",
            related=[Related(provider_entry.value.span, "provider set here")],
        )
    for choice in known:
        assert choice.spec is not None
        if choice.spec.family == "cpu":
            continue
        offered = (*choice.spec.regions, *choice.spec.regions_on_request)
        if region.id not in offered:
            ctx.report(
                "region-compute",
                region_value.span,
                f'"{choice.id}" is not offered in "{region.id}", so the app would never get a '
                f"replica there. It is offered in: {', '.join(offered)}.",
                related=[Related(choice.span, "compute type")],
            )
