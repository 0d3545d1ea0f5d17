"""The settings as the CLI decodes them, read from the analysed document (no second parser).

Keys are looked up case-insensitively (viper lower-cases them) and values are weakly typed as
mapstructure does (docs/sources.md): numbers given for strings become strings (``3.10`` ->
``"3.1"``), parsable strings given for numbers become numbers, floats given for integers are
truncated, and a string given for a list is split on commas (except in ``[cerebrium.hardware]``,
where ``compute`` may be a string or a list).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from cerebrium_lsp.analysis.checks.context import child, subtable, value_of
from cerebrium_lsp.analysis.requirements import Manager
from cerebrium_lsp.analysis.tree import ResolvedEntry, ResolvedTable, Scalar, Value
from cerebrium_lsp.analysis.weak_types import (
    decoded_scalar,
    weak_bool,
    weak_int,
    weak_list,
    weak_number,
    weak_string,
)

__all__ = [
    "MANAGERS",
    "PARTNERS",
    "DependencyTable",
    "RuntimeKind",
    "Settings",
    "read_settings",
    "runtime_kind",
    "weak_bool",
    "weak_int",
    "weak_list",
    "weak_number",
    "weak_string",
]

MANAGERS: tuple[Manager, ...] = ("apt", "conda", "pip")  # build order
PARTNERS = ("deepgram", "rime")  # deepgram wins when both are present (the CLI's loader.go)

RuntimeKind = Literal["cortex", "custom", "dockerfile", "partner"]


# --- The settings -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DependencyTable:
    """One ``[cerebrium.dependencies.<manager>]`` table: its decodable entries, and the names of
    entries the CLI cannot decode (a nested table from an unquoted dotted name, an array)."""

    entries: tuple[tuple[str, object], ...] = ()
    undecodable: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Settings:
    name: str | None = None
    python_version: str | None = None
    base_image: str | None = None
    use_uv: bool | None = None
    include: tuple[str, ...] | None = None  # None: missing (the CLI applies its default)
    exclude: tuple[str, ...] | None = None
    pre_build_commands: tuple[str, ...] = ()
    shell_commands: tuple[str, ...] = ()
    dependencies: dict[Manager, DependencyTable] = field(default_factory=dict)
    dependency_paths: dict[Manager, str] = field(default_factory=dict)
    custom: bool = False  # [cerebrium.runtime.custom] is present
    entrypoint: tuple[str, ...] = ()  # as the CLI sends it (a string is comma-split)
    entrypoint_is_string: bool = False
    entrypoint_value: Value | None = None  # for port detection
    port: int | None = None
    healthcheck_endpoint: str = ""
    readycheck_endpoint: str = ""
    dockerfile_path: str | None = None
    partner: str | None = None
    partner_settings: dict[str, str] = field(default_factory=dict)
    container_runtime: str | None = None
    compute: tuple[str, ...] = ()
    gpu_count: int | None = None
    cpu: float | None = None
    memory: float | None = None
    provider: str | None = None
    region: str | None = None
    scaling: dict[str, Value] = field(default_factory=dict)

    @property
    def runtime(self) -> RuntimeKind:
        if self.partner is not None:
            return "partner"
        if self.dockerfile_path:
            return "dockerfile"
        return "custom" if self.custom else "cortex"


def runtime_kind(cerebrium: ResolvedTable | None) -> RuntimeKind:
    return read_settings(cerebrium).runtime


def read_settings(cerebrium: ResolvedTable | None) -> Settings:
    """The effective settings of a ``[cerebrium]`` table (or an empty one)."""
    deployment = subtable(cerebrium, "deployment")
    hardware = subtable(cerebrium, "hardware")
    runtime = subtable(cerebrium, "runtime")
    custom = subtable(runtime, "custom")
    partner = next((name for name in PARTNERS if subtable(runtime, name) is not None), None)
    entrypoint = value_of(custom, "entrypoint")
    dependencies = subtable(cerebrium, "dependencies")
    paths = subtable(dependencies, "paths")
    return Settings(
        name=weak_string(value_of(deployment, "name")),
        python_version=weak_string(value_of(deployment, "python_version")),
        base_image=weak_string(value_of(deployment, "docker_base_image_url")),
        use_uv=weak_bool(value_of(deployment, "use_uv")),
        include=_non_empty(weak_list(value_of(deployment, "include"))),
        exclude=_non_empty(weak_list(value_of(deployment, "exclude"))),
        pre_build_commands=weak_list(value_of(deployment, "pre_build_commands")) or (),
        shell_commands=weak_list(value_of(deployment, "shell_commands")) or (),
        dependencies={
            manager: _dependency_table(subtable(dependencies, manager)) for manager in MANAGERS
        },
        dependency_paths={
            manager: text for manager in MANAGERS if (text := weak_string(value_of(paths, manager)))
        },
        custom=custom is not None,
        entrypoint=weak_list(entrypoint) or (),
        entrypoint_is_string=isinstance(entrypoint, Scalar),
        entrypoint_value=entrypoint,
        port=_positive(weak_int(value_of(custom, "port"))),
        healthcheck_endpoint=weak_string(value_of(custom, "healthcheck_endpoint")) or "",
        readycheck_endpoint=weak_string(value_of(custom, "readycheck_endpoint")) or "",
        dockerfile_path=weak_string(value_of(custom, "dockerfile_path")) or None,
        partner=partner,
        partner_settings=_partner_settings(subtable(runtime, partner) if partner else None),
        container_runtime=weak_string(value_of(runtime, "container_runtime")),
        compute=weak_list(value_of(hardware, "compute"), comma_split=False) or (),
        gpu_count=weak_int(value_of(hardware, "gpu_count")),
        cpu=weak_number(value_of(hardware, "cpu")),
        memory=weak_number(value_of(hardware, "memory")),
        provider=weak_string(value_of(hardware, "provider")),
        region=weak_string(value_of(hardware, "region")),
        scaling=_values(subtable(cerebrium, "scaling")),
    )


def _non_empty(items: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """Missing or empty lists both take the CLI's default (docs/sources.md)."""
    return items if items else None


def _positive(number: int | None) -> int | None:
    return number if number else None  # port 0 is treated as unset by the CLI


def _dependency_table(table: ResolvedTable | None) -> DependencyTable:
    if table is None:
        return DependencyTable()
    entries: list[tuple[str, object]] = []
    undecodable: list[str] = []
    for name, node in table.children.items():
        if not isinstance(node, ResolvedEntry):
            undecodable.append(name)  # a nested table: an unquoted dotted name such as a.b
            continue
        value = node.value
        if isinstance(value, Scalar) and (not value.terminated or value.kind == "invalid"):
            continue  # still being typed; the checks report it
        raw = decoded_scalar(value)
        if isinstance(raw, str | int | float | bool):
            entries.append((name, raw))
        elif value is not None:
            undecodable.append(name)  # an array, an inline table or a date
    return DependencyTable(tuple(entries), tuple(undecodable))


def _partner_settings(table: ResolvedTable | None) -> dict[str, str]:
    found: dict[str, str] = {}
    for key in ("port", "model_name", "language", "image_version"):
        text = weak_string(value_of(table, key))
        if text:
            found[key] = text
    return found


def _values(table: ResolvedTable | None) -> dict[str, Value]:
    if table is None:
        return {}
    found: dict[str, Value] = {}
    for name in table.children:
        node = child(table, name.lower())
        if isinstance(node, ResolvedEntry) and node.value is not None:
            found.setdefault(name.lower(), node.value)
    return found
