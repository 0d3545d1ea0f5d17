"""Types of the config model: the one description of ``cerebrium.toml`` that diagnostics,
completion, hover, the JSON Schema and the build plan all read."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Literal


class Stage(Enum):
    """Where a setting acts: one of the image-build stages, in build order, or outside the image.

    Build order (the container-images docs page, docs/sources.md): base image and Python, then
    (1) pre-build commands, (2) apt, (3) conda, (4) pip, (5) copy of the app code, (6) shell
    commands. Changing a setting re-runs its stage and every later one.
    """

    BASE = 0
    PRE_BUILD = 1
    APT = 2
    CONDA = 3
    PIP = 4
    CODE = 5
    SHELL = 6
    RUNTIME = 7  # not part of the image: hardware, scaling, ports, auth, placement

    @property
    def title(self) -> str:
        return _STAGE_TITLES[self]

    @property
    def rebuild_cost(self) -> str:
        return _STAGE_COSTS[self]

    @property
    def in_image(self) -> bool:
        return self is not Stage.RUNTIME


_STAGE_TITLES = {
    Stage.BASE: "base environment (base image and Python)",
    Stage.PRE_BUILD: "pre-build commands (stage 1)",
    Stage.APT: "apt packages (stage 2)",
    Stage.CONDA: "conda packages (stage 3)",
    Stage.PIP: "pip packages (stage 4)",
    Stage.CODE: "app code copy (stage 5)",
    Stage.SHELL: "shell commands (stage 6)",
    Stage.RUNTIME: "runtime settings (not part of the image)",
}

_STAGE_COSTS = {
    Stage.BASE: "full rebuild: base environment and every later stage",
    Stage.PRE_BUILD: "rebuild from the pre-build stage: every later stage re-runs",
    Stage.APT: (
        "full rebuild (the docs say apt changes rebuild everything): apt and every later stage"
    ),
    Stage.CONDA: (
        "full rebuild (the docs say conda changes rebuild everything): conda and every later stage"
    ),
    Stage.PIP: "pip stage and later, cached per package: only new or changed packages install",
    Stage.CODE: "code copy and shell commands only",
    Stage.SHELL: "shell commands only (the last stage)",
    Stage.RUNTIME: "no image rebuild: applied on the next deploy",
}


class ValueType(Enum):
    STRING = "string"
    INTEGER = "integer"
    NUMBER = "number"  # float; an integer is accepted
    BOOLEAN = "boolean"
    STRING_LIST = "string list"
    STRING_OR_LIST = "string or string list"

    @property
    def label(self) -> str:
        return self.value


Severity = Literal["error", "warning", "information", "hint"]


@dataclass(frozen=True, slots=True)
class EnumValue:
    value: str
    detail: str = ""  # one line, e.g. "NVIDIA L4 · 24 GB VRAM · up to 4 GPUs"
    description: str = ""  # Markdown
    deprecated: bool = False


@dataclass(frozen=True, slots=True)
class Deprecation:
    """A legacy key or table: what replaced it and what happens to it today."""

    message: str  # what happens today, e.g. "ignored by the CLI: the app deploys on CPU"
    replacement: tuple[str, ...] | None = None  # full path of the new key/table, if any
    since: str = ""


@dataclass(frozen=True, slots=True)
class KeySpec:
    name: str
    type: ValueType
    summary: str  # Markdown, one or two sentences
    docs: str  # URL of the docs page
    stage: Stage
    default: object = None  # None: no default (or set by the platform)
    default_note: str = ""  # how the default is decided, when it is not a plain value
    enum: tuple[EnumValue, ...] = ()  # for lists, the allowed items
    enum_severity: Severity = "error"  # what a value outside ``enum`` is
    enum_case_sensitive: bool = True
    minimum: float | None = None
    maximum: float | None = None
    min_items: int | None = None  # for list values (a compute list holds 1-5 entries)
    max_items: int | None = None
    examples: tuple[object, ...] = ()
    required: bool = False
    deprecated: Deprecation | None = None
    source_note: str = ""  # where the sources disagree: what we chose and why
    # First Go CLI version that reads it, when relevant: "X.Y.Z", or "after X.Y.Z" when only
    # unreleased CLI code reads it.
    since_cli: str = ""

    @property
    def enum_values(self) -> tuple[str, ...]:
        return tuple(e.value for e in self.enum)


@dataclass(frozen=True, slots=True)
class EntrySpec:
    """Free-form entries of a table such as ``[cerebrium.dependencies.pip]``:
    package name -> version spec string."""

    summary: str
    type: ValueType
    examples: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class TableSpec:
    path: tuple[str, ...]  # e.g. ("cerebrium", "hardware")
    title: str
    summary: str  # Markdown
    docs: str
    stage: Stage  # the stage its keys act on (for mixed tables, the earliest)
    keys: tuple[KeySpec, ...] = ()
    entries: EntrySpec | None = None
    deprecated: Deprecation | None = None
    required: bool = False
    source_note: str = ""  # where the sources disagree: what we chose and why

    @property
    def dotted(self) -> str:
        return ".".join(self.path)

    def key(self, name: str) -> KeySpec | None:
        lowered = name.lower()
        for spec in self.keys:
            if spec.name == lowered:
                return spec
        return None


GpuFamily = Literal["cpu", "nvidia", "aws"]
Plan = Literal["Hobby", "Standard", "Enterprise"]


@dataclass(frozen=True, slots=True)
class ComputeType:
    id: str
    hardware: str  # e.g. "NVIDIA L4"
    family: GpuFamily
    vram_gb: int | None
    max_gpu_count: int  # the limit the backend enforces (0 for CPU)
    max_cpu_per_gpu: float | None  # backend limits per GPU (multiply by gpu_count)
    max_memory_per_gpu: float | None
    max_cpu: float | None  # absolute ceilings for CPU-only compute
    max_memory: float | None
    regions: tuple[str, ...]  # generally available
    regions_on_request: tuple[str, ...]
    min_plan: Plan
    price_per_second: float | None  # USD per GPU-second (per vCPU-second for CPU)
    source_note: str = ""
    # The docs' (more generous) replica totals. Between the API reference's limit and these, a
    # value is uncertain (warning); beyond both, it is rejected (error).
    docs_max_gpu_count: int | None = None
    docs_max_cpu: float | None = None
    docs_max_memory: float | None = None

    @property
    def detail(self) -> str:
        if self.family == "cpu":
            return "CPU only · no GPU"
        vram = f" · {self.vram_gb} GB VRAM" if self.vram_gb else ""
        return f"{self.hardware}{vram} · up to {self.max_gpu_count} per replica"


@dataclass(frozen=True, slots=True)
class PlanLimits:
    """Per-plan ceilings the backend enforces (API reference); projects can be granted more."""

    plan: Plan
    max_gpu_count: int
    max_cpu: float
    max_memory: float  # GB
    max_gpu_replicas: int
    max_cpu_replicas: int
    max_apps: int


@dataclass(frozen=True, slots=True)
class Prices:
    """List prices in USD for cost estimates; GPU prices are on each ``ComputeType``."""

    cpu_per_vcpu_second: float
    memory_per_gb_second: float
    storage_per_gb_month: float
    storage_free_gb: float
    standard_plan_per_month: float
    protected_multiplier: float  # the ``protected`` compute tier multiplies compute rates
    source: str


@dataclass(frozen=True, slots=True)
class LegacyCompute:
    id: str
    replacement: str
    note: str


@dataclass(frozen=True, slots=True)
class Provider:
    id: str
    summary: str
    legacy: bool = False  # refused by the CLI (coreweave)


@dataclass(frozen=True, slots=True)
class Region:
    id: str
    location: str
    provider: str  # the provider that hosts it
    availability: Literal["available", "on-request", "refused", "keyword"]
    summary: str = ""


@dataclass(frozen=True, slots=True)
class ConfigModel:
    tables: tuple[TableSpec, ...]
    compute: tuple[ComputeType, ...]
    legacy_compute: tuple[LegacyCompute, ...]
    providers: tuple[Provider, ...]
    regions: tuple[Region, ...]
    python_versions: tuple[str, ...]
    _by_path: dict[tuple[str, ...], TableSpec] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        for t in self.tables:
            self._by_path[t.path] = t

    def table(self, path: tuple[str, ...]) -> TableSpec | None:
        """Table spec for a path, matched case-insensitively as the CLI does."""
        return self._by_path.get(tuple(p.lower() for p in path))

    def current_tables(self) -> list[TableSpec]:
        return [t for t in self.tables if t.deprecated is None]

    def compute_type(self, compute_id: str) -> ComputeType | None:
        for c in self.compute:
            if c.id == compute_id:
                return c
        return None

    def region(self, region_id: str) -> Region | None:
        for r in self.regions:
            if r.id == region_id:
                return r
        return None

    def provider(self, provider_id: str) -> Provider | None:
        for p in self.providers:
            if p.id == provider_id:
                return p
        return None
