"""The parts of the plan outside the image: how the container starts, the hardware of one
replica, and the scaling settings, with the defaults the model records for unset keys."""

from __future__ import annotations

from pathlib import Path

from cerebrium_lsp.analysis.checks.runtime import entrypoint_port
from cerebrium_lsp.analysis.checks.values import go_format
from cerebrium_lsp.analysis.tree import Scalar, Value
from cerebrium_lsp.model import MODEL
from cerebrium_lsp.model.lookup import key_spec
from cerebrium_lsp.model.types import KeySpec, Stage, ValueType
from cerebrium_lsp.plan.model import HardwarePlan, PlanWarning, RuntimePlan, ScalingPlan, Setting
from cerebrium_lsp.plan.settings import (
    Settings,
    weak_bool,
    weak_int,
    weak_list,
    weak_number,
    weak_string,
)

__all__ = ["hardware_plan", "runtime_plan", "scaling_plan"]

_HARDWARE = ("cerebrium", "hardware")
_SCALING = ("cerebrium", "scaling")
_CUSTOM = ("cerebrium", "runtime", "custom")
CPU = "CPU"  # the CLI's exact, case-sensitive test for CPU-only compute (docs/sources.md)
# replica_concurrency's default depends on the compute (the model's default_note).
_CONCURRENCY_DEFAULT = {"cpu": 100, "accelerator": 1}


def _default(table: tuple[str, ...], key: str) -> object:
    spec = key_spec(table, key)
    return spec.default if spec is not None else None


def _number_default(table: tuple[str, ...], key: str) -> float:
    value = _default(table, key)
    return float(value) if isinstance(value, int | float) else 0.0


# --- Runtime ----------------------------------------------------------------------------------


def runtime_plan(
    settings: Settings, project_dir: Path | None, warnings: list[PlanWarning]
) -> RuntimePlan:
    container = (
        Setting("container_runtime", settings.container_runtime, "file")
        if settings.container_runtime
        else None
    )
    main_py = (project_dir / "main.py").is_file() if project_dir is not None else None
    if settings.partner is not None:
        return _partner(settings, container)
    if settings.runtime == "cortex":
        if main_py is False:
            warnings.append(
                PlanWarning(
                    "main-py-missing",
                    "No main.py in the project: the cortex runtime serves it, and the CLI "
                    "refuses to deploy without it.",
                    Stage.RUNTIME,
                )
            )
        return RuntimePlan(
            kind="cortex",
            summary="cortex: Cerebrium's Python runtime serves the functions in main.py",
            container_runtime=container,
            main_py=main_py,
        )
    return _custom(settings, container, main_py, warnings)


def _partner(settings: Settings, container: Setting | None) -> RuntimePlan:
    assert settings.partner is not None
    title = settings.partner.capitalize()
    options = tuple(Setting(k, v, "file") for k, v in settings.partner_settings.items())
    port_text = settings.partner_settings.get("port")
    port = Setting("port", port_text, "file") if port_text and not settings.custom else None
    return RuntimePlan(
        kind="partner",
        summary=f"{title} partner service: Cerebrium runs {title}'s image; nothing is uploaded "
        "or built from this project",
        port=port,
        partner=settings.partner,
        partner_settings=options,
        container_runtime=container,
    )


def _custom(
    settings: Settings,
    container: Setting | None,
    main_py: bool | None,
    warnings: list[PlanWarning],
) -> RuntimePlan:
    default_port = _default(_CUSTOM, "port")
    port_value = settings.port or (default_port if isinstance(default_port, int) else None)
    port = Setting("port", str(port_value or ""), "file" if settings.port else "default")
    found = entrypoint_port(settings.entrypoint_value)
    listening = found.port if found is not None else None
    if listening is not None and port_value is not None and listening != port_value:
        warnings.append(
            PlanWarning(
                "port-mismatch",
                f"The entrypoint listens on port {listening} but traffic and health checks go to "
                f"port {port_value}: the app never becomes ready.",
                Stage.RUNTIME,
            )
        )
    entrypoint = settings.entrypoint
    if entrypoint:
        summary = f"custom web server: `{' '.join(entrypoint)}` on port {port_value}"
    elif settings.dockerfile_path:
        summary = f"the Dockerfile's CMD, on port {port_value}"
    else:
        summary = f"custom web server without an entrypoint, on port {port_value}"
        warnings.append(
            PlanWarning(
                "no-entrypoint",
                "[cerebrium.runtime.custom] has no entrypoint: the docs require one to start "
                "the server.",
                Stage.RUNTIME,
            )
        )
    needs_main = not settings.dockerfile_path and (not entrypoint or entrypoint[0] == "uvicorn")
    if needs_main and main_py is False:
        warnings.append(
            PlanWarning(
                "main-py-missing",
                "No main.py in the project: the CLI refuses to deploy a uvicorn (or missing) "
                "entrypoint without it.",
                Stage.RUNTIME,
            )
        )
    return RuntimePlan(
        kind="dockerfile" if settings.dockerfile_path else "custom",
        summary=summary,
        entrypoint=entrypoint,
        entrypoint_is_string=settings.entrypoint_is_string,
        port=port,
        entrypoint_port=listening,
        healthcheck=_probe(settings.healthcheck_endpoint, port_value),
        healthcheck_path=settings.healthcheck_endpoint,
        readycheck=_probe(settings.readycheck_endpoint, port_value),
        readycheck_path=settings.readycheck_endpoint,
        container_runtime=container,
        main_py=main_py,
    )


def _probe(path: str, port: int | None) -> str:
    where = f"port {port}" if port is not None else "the port"
    return f"HTTP GET {path} on {where}" if path else f"TCP connect to {where}"


# --- Hardware ---------------------------------------------------------------------------------


def hardware_plan(settings: Settings, warnings: list[PlanWarning]) -> HardwarePlan:
    defaults: list[str] = []
    default_compute = _default(_HARDWARE, "compute")
    compute = settings.compute or (str(default_compute),)
    if not settings.compute:
        defaults.append("compute")
    primary = compute[0]
    spec = MODEL.compute_type(primary)
    if spec is None:
        hardware = f"unknown compute type {primary}"
    else:
        hardware = spec.hardware + (f" ({spec.vram_gb} GB VRAM)" if spec.vram_gb else "")
    accelerator = bool(settings.compute) and primary != CPU
    if accelerator:
        default_count = _default(_HARDWARE, "gpu_count")
        gpu_count = (
            settings.gpu_count
            if settings.gpu_count is not None
            else int(default_count)
            if isinstance(default_count, int)
            else 1
        )
        if settings.gpu_count is None:
            defaults.append("gpu_count")
    else:
        gpu_count = 0
        if settings.gpu_count:
            reason = "compute is CPU" if settings.compute else "compute is not set (CPU)"
            warnings.append(
                PlanWarning(
                    "gpu-count-dropped",
                    f"gpu_count = {settings.gpu_count} is not sent: {reason}, so the replica "
                    "has no GPU.",
                    Stage.RUNTIME,
                )
            )
    if settings.cpu is None:
        defaults.append("cpu")
    if settings.memory is None:
        defaults.append("memory")
    tier_default = str(_default(_SCALING, "compute_tier") or "")
    tier = weak_string(settings.scaling.get("compute_tier"))
    return HardwarePlan(
        compute=compute,
        compute_source="file" if settings.compute else "default",
        hardware=hardware,
        gpu_count=gpu_count,
        cpu=settings.cpu if settings.cpu is not None else _number_default(_HARDWARE, "cpu"),
        memory=(
            settings.memory if settings.memory is not None else _number_default(_HARDWARE, "memory")
        ),
        defaults=tuple(defaults),
        provider=_placement("provider", settings.provider),
        region=_placement("region", settings.region),
        compute_tier=Setting("compute_tier", tier or tier_default, "file" if tier else "default"),
    )


def _placement(key: str, value: str | None) -> Setting:
    if value:
        return Setting(key, value, "file")
    return Setting(key, "", "platform", "the platform picks")


# --- Scaling ----------------------------------------------------------------------------------


def scaling_plan(settings: Settings, hardware: HardwarePlan) -> ScalingPlan:
    table = MODEL.table(_SCALING)
    keys = [k for k in table.keys if k.deprecated is None] if table is not None else []
    family = "accelerator" if hardware.gpu_count else "cpu"
    items: list[Setting] = []
    for spec in keys:
        value = settings.scaling.get(spec.name)
        if value is not None:
            items.append(Setting(spec.name, _display(spec, value), "file"))
        elif spec.name == "replica_concurrency":
            kind = "GPU" if family == "accelerator" else "CPU"
            default = str(_CONCURRENCY_DEFAULT[family])
            items.append(Setting(spec.name, default, "default", f"default on {kind} compute"))
        elif spec.default is not None:
            items.append(Setting(spec.name, _format(spec.default), "default"))
        else:
            items.append(Setting(spec.name, "", "platform", spec.default_note))
    by_key = {s.key: s.value for s in items}
    min_replicas = _as_int(by_key.get("min_replicas"))
    max_replicas = _as_int(by_key.get("max_replicas"))
    concurrency = by_key.get("replica_concurrency", "")
    plural = "" if concurrency == "1" else "s"
    if min_replicas > max_replicas:
        replicas = f"min_replicas {min_replicas} > max_replicas {max_replicas}"
    elif min_replicas == max_replicas:
        replicas = f"{max_replicas} replica{'' if max_replicas == 1 else 's'}"
    else:
        replicas = f"{min_replicas}–{max_replicas} replicas"
    parts = [
        replicas,
        f"{concurrency} concurrent request{plural} per replica",
        f"cooldown {by_key.get('cooldown', '')} s",
        f"scales on {by_key.get('scaling_metric', '')} (target {by_key.get('scaling_target', '')})",
    ]
    if min_replicas > 0:
        parts.append(f"{min_replicas} always running (billed while idle)")
    return ScalingPlan(
        summary=" · ".join(parts),
        min_replicas=min_replicas,
        max_replicas=max_replicas,
        settings=tuple(items),
    )


def _as_int(text: str | None) -> int:
    try:
        return int(text or "0")
    except ValueError:
        return 0


def _format(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return go_format(value)
    return str(value)


def _display(spec: KeySpec, value: Value) -> str:
    """The value as the CLI decodes it for the key's type; the raw text when it does not."""
    decoded: object
    if spec.type is ValueType.INTEGER:
        decoded = weak_int(value)
    elif spec.type is ValueType.NUMBER:
        decoded = weak_number(value)
    elif spec.type is ValueType.BOOLEAN:
        decoded = weak_bool(value)
    elif spec.type in (ValueType.STRING_LIST, ValueType.STRING_OR_LIST):
        items = weak_list(value)
        decoded = ", ".join(items) if items is not None else None
    else:
        decoded = weak_string(value)
    if decoded is None:
        return value.raw.strip() if isinstance(value, Scalar) else "(not decodable)"
    return _format(decoded)
