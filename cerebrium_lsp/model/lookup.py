"""Small queries over the config model that several features share."""

from __future__ import annotations

from .catalog import MODEL, PLAN_LIMITS
from .types import ConfigModel, GpuFamily, KeySpec, LegacyCompute, Plan, PlanLimits, TableSpec


def key_spec(table_path: tuple[str, ...], name: str, model: ConfigModel = MODEL) -> KeySpec | None:
    """The spec of key ``name`` in a table, matched case-insensitively as the CLI does."""
    table = model.table(table_path)
    return table.key(name) if table else None


def subtables(path: tuple[str, ...], model: ConfigModel = MODEL) -> list[TableSpec]:
    """The tables directly below ``path`` (current and legacy), in model order."""
    depth = len(path) + 1
    return [t for t in model.tables if len(t.path) == depth and t.path[:-1] == path]


def compute_families(model: ConfigModel = MODEL) -> dict[GpuFamily, tuple[str, ...]]:
    """Compute ids by family; a compute list may only mix ids of one family."""
    families: dict[GpuFamily, tuple[str, ...]] = {}
    for c in model.compute:
        families[c.family] = (*families.get(c.family, ()), c.id)
    return families


def compute_family(compute_id: str, model: ConfigModel = MODEL) -> GpuFamily | None:
    c = model.compute_type(compute_id)
    return c.family if c else None


def legacy_compute(compute_id: str, model: ConfigModel = MODEL) -> LegacyCompute | None:
    for legacy in model.legacy_compute:
        if legacy.id == compute_id:
            return legacy
    return None


def plan_limits(plan: Plan) -> PlanLimits:
    return PLAN_LIMITS[plan]
