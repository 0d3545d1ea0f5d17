"""Cross-key checks of ``[cerebrium.scaling]`` (rules from the docs and the API reference,
docs/sources.md)."""

from __future__ import annotations

from cerebrium_lsp.analysis.checks.context import (
    CheckContext,
    number_value,
    string_value,
    subtable,
    value_of,
)
from cerebrium_lsp.analysis.checks.hardware import compute_choices, is_cpu_only
from cerebrium_lsp.analysis.checks.values import go_format
from cerebrium_lsp.analysis.diagnostics import Related
from cerebrium_lsp.analysis.tree import ResolvedTable
from cerebrium_lsp.model import MODEL

UTILIZATION_METRICS = ("cpu_utilization", "memory_utilization")
BUFFER_METRICS = ("concurrency_utilization", "requests_per_second")


def _default(key: str) -> float | None:
    spec = MODEL.table(("cerebrium", "scaling"))
    key_spec = spec.key(key) if spec else None
    default = key_spec.default if key_spec else None
    return float(default) if isinstance(default, int | float) else None


def check_scaling(ctx: CheckContext, cerebrium: ResolvedTable) -> None:
    scaling = subtable(cerebrium, "scaling")
    if scaling is None:
        return
    _check_replica_range(ctx, scaling)
    _check_metric_rules(ctx, scaling)
    _check_gpu_concurrency(ctx, cerebrium, scaling)


def _check_replica_range(ctx: CheckContext, scaling: ResolvedTable) -> None:
    low = number_value(scaling, "min_replicas")
    low_value = value_of(scaling, "min_replicas")
    high = number_value(scaling, "max_replicas")
    high_value = value_of(scaling, "max_replicas")
    if low is None or low_value is None:
        return
    if high is None:
        default = _default("max_replicas")
        if default is not None and low > default:
            ctx.report(
                "replica-range",
                low_value.span,
                f"`min_replicas` is {go_format(low)} but `max_replicas` is not set and defaults "
                f"to {go_format(default)}. Set max_replicas to at least {go_format(low)}.",
            )
        return
    if high_value is not None and low > high:
        ctx.report(
            "replica-range",
            low_value.span,
            f"`min_replicas` ({go_format(low)}) is greater than `max_replicas` "
            f"({go_format(high)}): the app cannot keep its minimum. Raise max_replicas or lower "
            "min_replicas.",
            related=[Related(high_value.span, "max_replicas")],
        )


def _check_metric_rules(ctx: CheckContext, scaling: ResolvedTable) -> None:
    metric = string_value(scaling, "scaling_metric")
    metric_value = value_of(scaling, "scaling_metric")
    if metric is None or metric_value is None:
        metric = "concurrency_utilization"  # the backend default
    min_replicas = number_value(scaling, "min_replicas")
    if metric in UTILIZATION_METRICS and (min_replicas is None or min_replicas < 1):
        span = value_of(scaling, "min_replicas") or metric_value
        if span is not None:
            ctx.report(
                "scaling-metric",
                span.span,
                f'`scaling_metric = "{metric}"` needs `min_replicas` of at least 1 (a replica must '
                "run to measure it); the API rejects "
                + ("min_replicas = 0." if min_replicas is not None else "the default of 0."),
                data={"replacement": "1"} if min_replicas is not None else None,
            )
    buffer_value = value_of(scaling, "scaling_buffer")
    if buffer_value is not None and metric not in BUFFER_METRICS:
        ctx.report(
            "scaling-metric",
            buffer_value.span,
            f"`scaling_buffer` only works with concurrency_utilization or requests_per_second; "
            f'the API rejects it with `scaling_metric = "{metric}"`.',
            related=[Related(metric_value.span, "scaling_metric")] if metric_value else [],
        )
    target = number_value(scaling, "scaling_target")
    target_value = value_of(scaling, "scaling_target")
    if (
        target is not None
        and target_value is not None
        and metric != "requests_per_second"
        and not 1 <= target <= 100
    ):
        ctx.report(
            "scaling-metric",
            target_value.span,
            f"`scaling_target` is a percentage for {metric}: it must be between 1 and 100, "
            f"found {go_format(target)}.",
        )


def _check_gpu_concurrency(
    ctx: CheckContext, cerebrium: ResolvedTable, scaling: ResolvedTable
) -> None:
    concurrency = number_value(scaling, "replica_concurrency")
    value = value_of(scaling, "replica_concurrency")
    choices = compute_choices(subtable(cerebrium, "hardware"))
    if concurrency is None or value is None or concurrency <= 1 or is_cpu_only(choices):
        return
    ctx.report(
        "gpu-concurrency",
        value.span,
        f"{go_format(concurrency)} concurrent requests share one GPU replica "
        f'("{choices[0].id}"): the app must batch or queue them itself.',
    )
