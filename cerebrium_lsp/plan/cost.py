"""List-price estimate of one replica per hour, from the model's price table (docs/sources.md).

A replica is billed per second for its accelerators (price × ``gpu_count``), its vCPUs and its
memory (GB); the docs' calculating-cost example adds all three for a GPU app. The ``protected``
compute tier multiplies every rate. Compute types without a listed price give no total.
"""

from __future__ import annotations

from cerebrium_lsp.model import MODEL, PRICES
from cerebrium_lsp.model.types import ComputeType
from cerebrium_lsp.plan.model import AlternativeCost, CostEstimate, CostLine, HardwarePlan

__all__ = ["SECONDS_PER_HOUR", "estimate_cost"]

SECONDS_PER_HOUR = 3600
_DIGITS = 6  # rounding of USD amounts, so JSON output is stable


def estimate_cost(hardware: HardwarePlan, min_replicas: int) -> CostEstimate:
    multiplier = PRICES.protected_multiplier if hardware.compute_tier.value == "protected" else 1.0
    lines, missing = _lines(hardware.primary, hardware, multiplier)
    per_hour = None if missing else _round(sum(line.per_hour for line in lines))
    alternatives = tuple(
        AlternativeCost(compute, _total(compute, hardware, multiplier))
        for compute in hardware.compute[1:]
    )
    notes = []
    if missing:
        notes.append(missing)
    if multiplier != 1.0:
        notes.append(
            f"compute_tier protected: every rate × {multiplier:g} (no preemption or consolidation)"
        )
    floor = None if per_hour is None else _round(per_hour * max(min_replicas, 0))
    return CostEstimate(
        compute=hardware.primary,
        tier=hardware.compute_tier.value,
        multiplier=multiplier,
        lines=tuple(lines),
        per_hour=per_hour,
        min_replicas_per_hour=floor,
        alternatives=alternatives,
        note="; ".join(notes),
        source=PRICES.source,
    )


def _lines(
    compute_id: str, hardware: HardwarePlan, multiplier: float
) -> tuple[list[CostLine], str]:
    """The priced items, and why the total is unknown ("" when it is known)."""
    spec = MODEL.compute_type(compute_id)
    lines: list[CostLine] = []
    missing = ""
    if spec is None:
        missing = f"no price: {compute_id} is not a known compute type"
    elif spec.family != "cpu":
        if spec.price_per_second is None:
            missing = f"no price: the price of {compute_id} ({spec.hardware}) is not listed"
        else:
            lines.append(
                _line(
                    _device(spec),
                    hardware.gpu_count,
                    _unit(spec),
                    spec.price_per_second * multiplier,
                )
            )
    lines.append(_line("vCPU", hardware.cpu, "vCPU", PRICES.cpu_per_vcpu_second * multiplier))
    lines.append(_line("memory", hardware.memory, "GB", PRICES.memory_per_gb_second * multiplier))
    return lines, missing


def _total(compute_id: str, hardware: HardwarePlan, multiplier: float) -> float | None:
    lines, missing = _lines(compute_id, hardware, multiplier)
    return None if missing else _round(sum(line.per_hour for line in lines))


def _device(spec: ComputeType) -> str:
    return f"{spec.hardware} {_unit(spec)}"


def _unit(spec: ComputeType) -> str:
    return "device" if spec.family == "aws" else "GPU"


def _line(item: str, quantity: float, unit: str, price: float) -> CostLine:
    return CostLine(
        item=item,
        quantity=quantity,
        unit=unit,
        price_per_second=price,
        per_hour=_round(quantity * price * SECONDS_PER_HOUR),
    )


def _round(amount: float) -> float:
    return round(amount, _DIGITS)
