"""Inlay hints: short facts after a value that the value alone does not show.

LSP method: ``textDocument/inlayHint`` (and ``workspace/inlayHint/refresh`` when the settings
change). After

- each ``compute`` type: its hardware, memory and list price per GPU-hour;
- ``gpu_count``: the GPU memory of the replica (count × the compute type's memory);
- a ``python_version`` written as a number: the string the CLI sends (``3.10`` → ``"3.1"``);
- an ``include``/``exclude`` written as one string: the patterns the CLI splits it into;
- ``min_replicas = 0``: that the app scales to zero (requests after idle wait for a cold start).

Every fact comes from the config model and the CLI's own decoding (``go_format``, ``weak_list``).
A hint never repeats a diagnostic: it is left out when a diagnostic on the same value already
states its fact, or calls the value an error (a fact derived from a wrong value misleads).
Labels stay short (at most ``MAX_LABEL`` characters); the tooltip says the rest. The setting
``inlayHints.enabled`` turns them off.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.capabilities import get_capability

from cerebrium_lsp.analysis.checks.context import subtable, toml_string, value_of
from cerebrium_lsp.analysis.checks.values import COMMA_SPLIT_SECTIONS, go_format
from cerebrium_lsp.analysis.tree import Array, ResolvedTable, Scalar, Span, Value
from cerebrium_lsp.analysis.weak_types import weak_int, weak_list
from cerebrium_lsp.features.common import guarded, offset_at, to_lsp_position
from cerebrium_lsp.model.catalog import MODEL
from cerebrium_lsp.plan.cost import SECONDS_PER_HOUR

if TYPE_CHECKING:
    from cerebrium_lsp.analysis.engine import Analysis
    from cerebrium_lsp.model.types import ComputeType
    from cerebrium_lsp.server import CerebriumLanguageServer
    from cerebrium_lsp.settings import Settings

logger = logging.getLogger("cerebrium_lsp.features.inlay_hints")

MAX_LABEL = 30
_VENDOR = "NVIDIA "  # dropped from a compute label that would be too long with it


@dataclass(frozen=True, slots=True)
class Hint:
    value: Span  # the value the hint explains; the hint sits at its end
    label: str
    tooltip: str
    fact: str  # what a diagnostic saying the same would contain


def document_hints(analysis: Analysis) -> list[Hint]:
    """Every hint of the document, in document order, minus those a diagnostic already says."""
    root = subtable(analysis.document.root, "cerebrium")
    if root is None:
        return []
    found = [
        *_compute_hints(subtable(root, "hardware")),
        *_python_version_hints(subtable(root, "deployment")),
        *_pattern_hints(root),
        *_min_replicas_hints(subtable(root, "scaling")),
    ]
    kept = [hint for hint in found if not _said_by_a_diagnostic(hint, analysis)]
    kept.sort(key=lambda hint: hint.value.end)
    return kept


def _said_by_a_diagnostic(hint: Hint, analysis: Analysis) -> bool:
    for diagnostic in analysis.diagnostics:
        span = diagnostic.span
        on_the_value = span.start < hint.value.end and hint.value.start < span.end
        if on_the_value and (diagnostic.severity == "error" or hint.fact in diagnostic.message):
            return True
    return False


# --- compute and gpu_count -------------------------------------------------------------------


def compute_label(compute: ComputeType) -> str:
    """``NVIDIA A10 · 24 GB · $1.10/h``: hardware, memory, list price per GPU-hour."""
    parts = [compute.hardware]
    if compute.vram_gb and not compute.hardware.endswith(f"{compute.vram_gb} GB"):
        parts.append(f"{compute.vram_gb} GB")
    price = compute.price_per_second
    if price is not None:
        unit = "/vCPU·h" if compute.family == "cpu" else "/h"
        hourly = price * SECONDS_PER_HOUR
        parts.append(f"${hourly:.2f}{unit}" if hourly >= 0.1 else f"${hourly:.3f}{unit}")
    label = " · ".join(parts)
    if len(label) > MAX_LABEL:
        label = label.removeprefix(_VENDOR)
    return label


def _compute_tooltip(compute: ComputeType) -> str:
    unit = "device" if compute.family == "aws" else "GPU"
    memory = f", {compute.vram_gb} GB memory per {unit}" if compute.vram_gb else ""
    if compute.price_per_second is None:
        price = "no list price published"
    elif compute.family == "cpu":
        price = f"${compute.price_per_second * SECONDS_PER_HOUR:.4f} per vCPU-hour, plus memory"
    else:
        hourly = compute.price_per_second * SECONDS_PER_HOUR
        price = f"${hourly:.4f} per {unit}-hour at list price; vCPUs and memory are billed on top"
    return f"{compute.hardware}{memory}: {price}."


def _compute_entries(hardware: ResolvedTable | None) -> list[tuple[Span, ComputeType | None]]:
    """Each compute type written (one string, or each string of a list) with its model entry."""
    value = value_of(hardware, "compute")
    items: list[Value] = value.items if isinstance(value, Array) else [value] if value else []
    out: list[tuple[Span, ComputeType | None]] = []
    for item in items:
        if isinstance(item, Scalar) and item.terminated and isinstance(item.value, str):
            out.append((item.span, MODEL.compute_type(item.value)))
    return out


def _compute_hints(hardware: ResolvedTable | None) -> Iterator[Hint]:
    entries = _compute_entries(hardware)
    for span, compute in entries:
        if compute is not None:
            label = compute_label(compute)
            yield Hint(span, label, _compute_tooltip(compute), label)
    count_value = value_of(hardware, "gpu_count")
    count = weak_int(count_value) if isinstance(count_value, Scalar) else None
    known = [c for _, c in entries if c is not None and c.vram_gb and c.family != "cpu"]
    if count_value is None or count is None or count <= 0 or not known:
        return
    totals = sorted({count * c.vram_gb for c in known if c.vram_gb})
    kind = "memory" if known[0].family == "aws" else "VRAM"
    if len(totals) > 1:
        label = f"{totals[0]}–{totals[-1]} GB {kind}"
        tooltip = (
            f"{count} × the memory of each compute type in the list: "
            + ", ".join(f"{c.id} {count * (c.vram_gb or 0)} GB" for c in known)
            + "."
        )
    elif count == 1:
        label = f"{totals[0]} GB {kind}"
        tooltip = f"One {known[0].hardware}: {totals[0]} GB of memory."
    else:
        label = f"{count} × {known[0].vram_gb} GB = {totals[0]} GB {kind}"
        tooltip = f"{count} × {known[0].hardware}: {totals[0]} GB of memory in each replica."
    yield Hint(count_value.span, label, tooltip, f"{totals[-1]} GB")


# --- python_version, include/exclude, min_replicas --------------------------------------------


def _python_version_hints(deployment: ResolvedTable | None) -> Iterator[Hint]:
    value = value_of(deployment, "python_version")
    if not isinstance(value, Scalar) or not value.terminated or isinstance(value.value, bool):
        return
    if not isinstance(value.value, int | float):
        return
    sent = f'"{go_format(value.value)}"'
    yield Hint(
        value.span,
        f"sent as {sent}",
        f"The CLI turns the number {value.raw.strip()} into the string {sent}. Write the "
        "version as a string to send exactly what you mean.",
        sent,
    )


def _pattern_hints(root: ResolvedTable) -> Iterator[Hint]:
    section = "deployment"
    deployment = subtable(root, section)
    for key in ("include", "exclude"):
        value = value_of(deployment, key)
        if not isinstance(value, Scalar) or not isinstance(value.value, str):
            continue
        patterns = weak_list(value, comma_split=section in COMMA_SPLIT_SECTIONS)
        if not patterns:
            continue
        listed = ", ".join(toml_string(p) for p in patterns)
        label = f"→ [{listed}]"
        if len(label) > MAX_LABEL:
            label = label[: MAX_LABEL - 1] + "…"
        count = len(patterns)
        tooltip = (
            f"The CLI splits this string on commas into {count} "
            f"pattern{'s' if count != 1 else ''}, kept as written (spaces and brackets "
            f"included): [{listed}]."
        )
        yield Hint(value.span, label, tooltip, listed)


def _min_replicas_hints(scaling: ResolvedTable | None) -> Iterator[Hint]:
    value = value_of(scaling, "min_replicas")
    if not isinstance(value, Scalar) or isinstance(value.value, bool):
        return
    if not isinstance(value.value, int | float) or weak_int(value) != 0:
        return
    yield Hint(
        value.span,
        "scales to zero · cold starts",
        "No replica is kept warm: when idle the app scales to zero, and the first request "
        "after that waits for a cold start. min_replicas ≥ 1 keeps replicas warm (billed while "
        "idle).",
        "scales to zero",
    )


# --- LSP ---------------------------------------------------------------------------------------


def register(server: CerebriumLanguageServer) -> None:
    options = types.InlayHintOptions(resolve_provider=False)
    server.feature(types.TEXT_DOCUMENT_INLAY_HINT, options)(inlay_hints)
    server.on_settings_changed(settings_changed)


@guarded("inlay hints", list)
async def inlay_hints(
    ls: CerebriumLanguageServer, params: types.InlayHintParams
) -> list[types.InlayHint]:
    await ls.settings_loaded()
    if not ls.settings.inlay_hints:
        return []
    uri = params.text_document.uri
    await ls.analysis_ready(uri)  # a large document is analysed off the event loop
    analysis = ls.analysis_for(uri)
    if analysis is None:
        return []
    start = offset_at(analysis, params.range.start)
    end = offset_at(analysis, params.range.end)
    return [
        types.InlayHint(
            position=to_lsp_position(analysis, hint.value.end),
            label=hint.label,
            tooltip=hint.tooltip,
            padding_left=True,
        )
        for hint in document_hints(analysis)
        if start <= hint.value.end <= end
    ]


def settings_changed(ls: CerebriumLanguageServer, old: Settings, new: Settings) -> None:
    """Hints depend on the settings (on/off, and the severities that decide which diagnostics
    they must not repeat): ask the client to request them again, if it can be asked."""
    if get_capability(ls.client_capabilities, "workspace.inlay_hint.refresh_support", False):
        # Not awaited: a client that never answers must not block the server.
        ls.workspace_inlay_hint_refresh(None).add_done_callback(_log_refresh_failure)


def _log_refresh_failure(future: Future[None]) -> None:
    if not future.cancelled() and (exc := future.exception()) is not None:
        logger.warning("workspace/inlayHint/refresh failed: %s", exc)
