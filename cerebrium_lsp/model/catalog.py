"""The config model's data: every table, key, compute type, provider and region of
``cerebrium.toml``.

Facts come from Cerebrium's public sources, listed with the date each was read in
``docs/sources.md``: the documentation, the Go CLI's code, Cerebrium's API reference (what the
backend applies and rejects), the Python CLI and the pricing page. Where they disagree the
catalog takes what the backend enforces (the API reference) and says so in ``source_note``,
written for users (hovers show it; docs/sources.md lists every disagreement); where every
source is silent, the note says "not documented".

Summaries are written without their docs link; ``_linked`` appends ``[docs](URL)`` to every
table and key summary, and fills in a key's ``docs`` from its table when left empty.
"""

from __future__ import annotations

from dataclasses import replace

from .types import (
    ComputeType,
    ConfigModel,
    Deprecation,
    EntrySpec,
    EnumValue,
    GpuFamily,
    KeySpec,
    LegacyCompute,
    Plan,
    PlanLimits,
    Prices,
    Provider,
    Region,
    Stage,
    TableSpec,
    ValueType,
)

# --- Public sources (docs/sources.md) ---------------------------------------------------------

DOCS_ROOT = "https://cerebrium.ai/docs/"


def docs_url(page: str) -> str:
    return DOCS_ROOT + page


TOML_REFERENCE = docs_url("toml-reference/toml-reference")
CONTAINER_IMAGES = docs_url("container-images/defining-container-images")
CUSTOM_DOCKERFILES = docs_url("container-images/custom-dockerfiles")
CUSTOM_WEB_SERVERS = docs_url("container-images/custom-web-servers")
PRIVATE_REGISTRY = docs_url("container-images/private-docker-registry")
USING_GPUS = docs_url("hardware/using-gpus")
CPU_AND_MEMORY = docs_url("hardware/cpu-and-memory")
USING_CUDA = docs_url("hardware/using-cuda")
MULTI_REGION = docs_url("deployments/multi-region-deployment")
GRADUAL_ROLL_OUT = docs_url("deployments/gradual-roll-out")
SCALING_APPS = docs_url("scaling/scaling-apps")
GRACEFUL_TERMINATION = docs_url("scaling/graceful-termination")
BATCHING_CONCURRENCY = docs_url("scaling/batching-concurrency")
DEEPGRAM = docs_url("partner-services/deepgram")
RIME = docs_url("partner-services/rime")
CHECKPOINTING = docs_url("performance/checkpointing")
CALCULATING_COST = docs_url("calculating-cost")
INFERENCE_API = docs_url("endpoints/inference-api")

# Cerebrium's API reference: what the backend applies when a key is omitted and what it rejects.
API_REFERENCE = "https://github.com/CerebriumAI/cerebrium-skills"
CLI_REPO = "https://github.com/CerebriumAI/cerebrium"  # the Go CLI
PRICING = "https://www.cerebrium.ai/pricing"
_API = f"Cerebrium's [API reference]({API_REFERENCE})"  # Markdown, for notes

_FROM_TABLE = ""  # a key's ``docs`` left empty: the table's page (filled in by ``_linked``)


# --- Plans, prices, fixed sizes ---------------------------------------------------------------

# CPU-only replicas take one of these vCPU sizes (API reference).
CPU_ONLY_CPU_VALUES: tuple[float, ...] = (
    0.25, 0.5, 1, 2, 3, 4, 6, 8, 10, 12, 16, 24, 32, 48, 64, 80,
)  # fmt: skip
CPU_ONLY_MAX_MEMORY = 160.0  # GB (API reference)
MEMORY_DECIMALS = 2  # memory takes at most 2 decimals (API reference)
COMPUTE_LIST_MAX = 5  # a compute list holds 1-5 entries (docs and API reference)

PLAN_LIMITS: dict[Plan, PlanLimits] = {
    limits.plan: limits
    for limits in (
        PlanLimits("Hobby", max_gpu_count=1, max_cpu=16, max_memory=60, max_gpu_replicas=5,
                   max_cpu_replicas=500, max_apps=3),
        PlanLimits("Standard", max_gpu_count=4, max_cpu=80, max_memory=160, max_gpu_replicas=30,
                   max_cpu_replicas=1000, max_apps=100),
        PlanLimits("Enterprise", max_gpu_count=8, max_cpu=352, max_memory=2048,
                   max_gpu_replicas=1200, max_cpu_replicas=2000, max_apps=200),
    )
}  # fmt: skip

_CPU_PRICE = 0.00000655  # USD per vCPU-second (pricing page)

PRICES = Prices(
    cpu_per_vcpu_second=_CPU_PRICE,
    memory_per_gb_second=0.00000222,
    storage_per_gb_month=0.05,
    storage_free_gb=100,
    standard_plan_per_month=100,
    protected_multiplier=2.0,
    source=f"Cerebrium's pricing page ({PRICING}, from a third-party copy read 2026-10-07) "
    f"and the cost docs ({CALCULATING_COST})",
)


# --- Providers and regions --------------------------------------------------------------------

PROVIDERS: tuple[Provider, ...] = (
    Provider("aws", "Default infrastructure; the only provider with checkpointing."),
    Provider("nebius", "Needed when pinning `us-central1` or `eu-north1`."),
    Provider("crusoe", "Accepted by the backend per Cerebrium's API reference; not in the docs."),
    Provider("coreweave", "Cortex v3 provider; the CLI refuses it.", legacy=True),
)

_ON_REQUEST = "On request via Cerebrium support; location and provider not documented."

REGIONS: tuple[Region, ...] = (
    Region("us-east-1", "N. Virginia", "aws", "available", "Written by `cerebrium init`."),
    Region("us-central1", "Kansas City", "nebius", "available",
           "Needs `provider = \"nebius\"` when pinned."),
    Region("eu-north-1", "Stockholm", "aws", "available",
           "Not the same region as `eu-north1` (Nebius, Finland)."),
    Region("eu-north1", "Finland", "nebius", "available",
           "Needs `provider = \"nebius\"` when pinned. Not the same region as `eu-north-1` "
           "(AWS, Stockholm)."),
    Region("us-west-2", "", "", "on-request", _ON_REQUEST),
    Region("eu-west-2", "", "", "refused",
           "On request per the docs, but currently refused at deploy per Cerebrium's API "
           "reference."),
    Region("eu-central-1", "", "", "on-request", _ON_REQUEST),
    Region("ap-south-1", "", "", "on-request", _ON_REQUEST),
    Region("ap-northeast-1", "", "", "on-request", _ON_REQUEST),
    Region("sa-east-1", "", "", "on-request", _ON_REQUEST),
    Region("ca-central-1", "", "", "on-request", _ON_REQUEST),
    Region("me-central-1", "", "", "on-request", _ON_REQUEST),
    Region("global", "any region with capacity", "", "keyword",
           "Runs in any region with capacity and also mounts `/global-persistent-storage` "
           "(not the same as omitting `region`). Multi-region is beta."),
)  # fmt: skip

_GA_REGIONS = tuple(r.id for r in REGIONS if r.availability == "available")
_REQUEST_REGIONS = tuple(r.id for r in REGIONS if r.availability in ("on-request", "refused"))


# --- Compute types -----------------------------------------------------------------------------

# The docs allow 8 devices of every type per replica; the API reference gives lower per-type
# maximums.
DOCS_MAX_GPU_COUNT = 8


def _accelerator(
    id: str,
    hardware: str,
    vram_gb: int,
    *,
    max_gpu_count: int,
    per_gpu: tuple[float, float],
    docs_limits: tuple[float, float] | None,
    regions: tuple[str, ...],
    on_request: tuple[str, ...] = (),
    min_plan: Plan,
    price: float | None,
    note: str = "",
) -> ComputeType:
    """A GPU or AWS accelerator type; the note records the docs' differing limits."""
    family: GpuFamily = "aws" if hardware.startswith("AWS") else "nvidia"
    cpu, memory = per_gpu
    docs_text = (
        f"{docs_limits[0]:g} vCPU / {docs_limits[1]:g} GB in total"
        if docs_limits
        else "no CPU/memory figure"
    )
    source_note = (
        f"The docs allow {DOCS_MAX_GPU_COUNT} per replica and {docs_text}; Cerebrium's API "
        f"reference allows {max_gpu_count} per replica and {cpu:g} vCPU and {memory:g} GB "
        "memory per device. Beyond the API reference's limits is a warning, beyond both an "
        "error."
    )
    if price is None:
        source_note += " The pricing page lists no price."
    if note:
        source_note = f"{note} {source_note}"
    return ComputeType(
        id=id,
        hardware=hardware,
        family=family,
        vram_gb=vram_gb,
        max_gpu_count=max_gpu_count,
        max_cpu_per_gpu=cpu,
        max_memory_per_gpu=memory,
        max_cpu=None,
        max_memory=None,
        regions=regions,
        docs_max_gpu_count=DOCS_MAX_GPU_COUNT,
        docs_max_cpu=docs_limits[0] if docs_limits else None,
        docs_max_memory=docs_limits[1] if docs_limits else None,
        regions_on_request=on_request,
        min_plan=min_plan,
        price_per_second=price,
        source_note=source_note,
    )


_L4_REGIONS = ("us-east-1", "eu-north-1")
_L4_ON_REQUEST = ("us-west-2", "eu-west-2", "ap-south-1")

COMPUTE: tuple[ComputeType, ...] = (
    ComputeType(
        id="CPU",
        hardware="CPU only",
        family="cpu",
        vram_gb=None,
        max_gpu_count=0,
        max_cpu_per_gpu=None,
        max_memory_per_gpu=None,
        max_cpu=max(CPU_ONLY_CPU_VALUES),
        max_memory=CPU_ONLY_MAX_MEMORY,
        regions=_GA_REGIONS,
        regions_on_request=_REQUEST_REGIONS,
        min_plan="Hobby",
        price_per_second=_CPU_PRICE,
        source_note="The docs cap CPU-only replicas at 48 vCPU / 96 GB; Cerebrium's API "
        "reference allows a vCPU size from a fixed list (up to 80) and up to 160 GB, and the "
        "checks follow it. The docs list CPU in every region.",
    ),
    _accelerator("TURING_T4", "NVIDIA T4", 16, max_gpu_count=4, per_gpu=(11, 44),
                 docs_limits=(48, 192), regions=_L4_REGIONS,
                 on_request=("eu-west-2", "ap-south-1"), min_plan="Hobby", price=0.000164),
    _accelerator("ADA_L4", "NVIDIA L4", 24, max_gpu_count=4, per_gpu=(11, 44),
                 docs_limits=(48, 192), regions=_L4_REGIONS, on_request=_L4_ON_REQUEST,
                 min_plan="Hobby", price=0.000222),
    _accelerator("AMPERE_A10", "NVIDIA A10", 24, max_gpu_count=4, per_gpu=(11, 44),
                 docs_limits=(48, 192), regions=_L4_REGIONS, on_request=_L4_ON_REQUEST,
                 min_plan="Hobby", price=0.000306),
    _accelerator("ADA_L40", "NVIDIA L40S", 48, max_gpu_count=4, per_gpu=(11, 92),
                 docs_limits=(16, 128), regions=("us-east-1", "eu-north1", "eu-north-1"),
                 on_request=("us-west-2",), min_plan="Hobby", price=0.000542,
                 note="The identifier says L40; the hardware is an NVIDIA L40S."),
    _accelerator("INF2", "AWS Inferentia2", 32, max_gpu_count=12, per_gpu=(8, 32),
                 docs_limits=None, regions=_L4_REGIONS, on_request=("us-west-2",),
                 min_plan="Hobby", price=None),
    _accelerator("AMPERE_A100_40GB", "NVIDIA A100 40 GB", 40, max_gpu_count=8,
                 per_gpu=(22, 284), docs_limits=(12, 140), regions=("us-east-1",),
                 on_request=("us-west-2",), min_plan="Standard", price=0.000555),
    _accelerator("AMPERE_A100_80GB", "NVIDIA A100 80 GB", 80, max_gpu_count=8,
                 per_gpu=(22, 284), docs_limits=(12, 140), regions=("us-east-1",),
                 on_request=("us-west-2",), min_plan="Standard", price=0.000583),
    _accelerator("BLACKWELL_RTX6000", "NVIDIA RTX PRO 6000", 96, max_gpu_count=8,
                 per_gpu=(24, 218), docs_limits=(24, 218), regions=("us-central1",),
                 min_plan="Standard", price=0.000694),
    _accelerator("HOPPER_H100", "NVIDIA H100", 80, max_gpu_count=8, per_gpu=(24, 256),
                 docs_limits=(24, 256),
                 regions=("us-east-1", "eu-north1", "eu-north-1"),
                 on_request=("us-west-2", "eu-west-2"), min_plan="Standard", price=0.000944),
    _accelerator("HOPPER_H200", "NVIDIA H200", 141, max_gpu_count=8, per_gpu=(24, 256),
                 docs_limits=(24, 256),
                 regions=("us-east-1", "us-central1", "eu-north1"),
                 on_request=("us-west-2",), min_plan="Standard", price=0.001166),
    _accelerator("BLACKWELL_B200", "NVIDIA B200", 180, max_gpu_count=8, per_gpu=(44, 496),
                 docs_limits=(24, 256), regions=("us-east-1", "us-central1"),
                 min_plan="Standard", price=0.00167),
    _accelerator("TRN1", "AWS Trainium", 32, max_gpu_count=16, per_gpu=(8, 32),
                 docs_limits=(128, 512), regions=_L4_REGIONS,
                 on_request=("us-west-2",), min_plan="Enterprise", price=None,
                 note="Cerebrium's API reference allows 16 devices although the Enterprise "
                 "plan's ceiling is 8 GPUs; projects can be granted more than their plan."),
)  # fmt: skip

_NEAREST = "no longer offered; the nearest current type is"

LEGACY_COMPUTE: tuple[LegacyCompute, ...] = (
    LegacyCompute("AMPERE_A100", "AMPERE_A100_80GB",
                  "Old name of the 80 GB A100 (docs until 2024-12)."),
    LegacyCompute("AMPERE_A5000", "AMPERE_A10",
                  f"Cortex v3 (CoreWeave-only) type and the old default, {_NEAREST} "
                  "`AMPERE_A10` (same Ampere generation)."),
    LegacyCompute("AMPERE_A4000", "AMPERE_A10",
                  f"Cortex v3 (CoreWeave-only) type, {_NEAREST} `AMPERE_A10` (same Ampere "
                  "generation)."),
    LegacyCompute("AMPERE_A6000", "AMPERE_A10",
                  f"Cortex v3 (CoreWeave-only) type, {_NEAREST} `AMPERE_A10` (same Ampere "
                  "generation, 24 GB VRAM); use `ADA_L40` (48 GB) if the model needs more."),
    LegacyCompute("TURING_4000", "TURING_T4",
                  f"Cortex v3 (CoreWeave-only) type, {_NEAREST} `TURING_T4` (same Turing "
                  "generation); `ADA_L4` is the newer alternative."),
    LegacyCompute("TURING_5000", "TURING_T4",
                  f"Cortex v3 (CoreWeave-only) type, {_NEAREST} `TURING_T4` (same Turing "
                  "generation); `ADA_L4` is the newer alternative."),
    LegacyCompute("BLACKWELL_B300", "BLACKWELL_B200",
                  "Listed in the docs from 2026-03-27 to 2026-08-04 but never accepted."),
    LegacyCompute("ADA_L40S", "ADA_L40",
                  "Docs typo (multi-region page): the L40S is the `ADA_L40` type."),
    LegacyCompute("AMPERE_L4", "ADA_L4", "Docs typo (2024): the L4 is an Ada GPU."),
    LegacyCompute("TURING_L4", "TURING_T4", "Docs typo (2024) for the T4."),
)  # fmt: skip


def _price(value: float) -> str:
    return "$" + f"{value:.8f}".rstrip("0")


def _codes(ids: tuple[str, ...]) -> str:
    return ", ".join(f"`{i}`" for i in ids)


def _compute_value(c: ComputeType) -> EnumValue:
    """Completion/hover text for one compute id, derived from its ``ComputeType``."""
    if c.family == "cpu":
        detail = (
            f"{c.detail} · cpu {min(CPU_ONLY_CPU_VALUES):g}–{c.max_cpu:g} from a fixed list · "
            f"≤ {c.max_memory:g} GB RAM · {c.min_plan}+"
        )
        limits = (
            f"`gpu_count` must be 0. `cpu` is one of {_numbers(CPU_ONLY_CPU_VALUES)}; "
            f"`memory` at most {c.max_memory:g} GB."
        )
        price = f"{_price(_CPU_PRICE)} per vCPU-second, plus memory"
    else:
        unit = "device" if c.family == "aws" else "GPU"
        detail = (
            f"{c.detail} · per {unit} ≤ {c.max_cpu_per_gpu:g} vCPU / "
            f"{c.max_memory_per_gpu:g} GB RAM · {c.min_plan}+"
        )
        limits = (
            f"Up to {c.max_gpu_count} per replica (`gpu_count`); per {unit} at most "
            f"{c.max_cpu_per_gpu:g} vCPU (whole cores) and {c.max_memory_per_gpu:g} GB memory."
        )
        price = (
            f"{_price(c.price_per_second)} per {unit}-second"
            if c.price_per_second is not None
            else "not listed"
        )
    vram = f", {c.vram_gb} GB VRAM" if c.vram_gb else ""
    on_request = f"; on request: {_codes(c.regions_on_request)}" if c.regions_on_request else ""
    lines = [
        f"**{c.hardware}**{vram}.",
        "",
        f"- {limits}",
        f"- Plan: {c.min_plan} or higher.",
        f"- Regions: {_codes(c.regions)}{on_request}.",
        f"- Price: {price}.",
    ]
    if c.source_note:
        lines.extend(["", f"_Note:_ {c.source_note}"])
    return EnumValue(c.id, detail, "\n".join(lines))


def _region_value(r: Region) -> EnumValue:
    if r.availability == "available":
        detail = f"{r.location} · {r.provider} · generally available"
    elif r.availability == "keyword":
        detail = "keyword: any region with capacity"
    elif r.availability == "refused":
        detail = "on request · currently refused at deploy"
    else:
        detail = "on request"
    return EnumValue(r.id, detail, r.summary)


def _numbers(values: tuple[float, ...]) -> str:
    return ", ".join(f"{v:g}" for v in values[:-1]) + f" or {values[-1]:g}"


# --- Helpers for tables and keys --------------------------------------------------------------


def _path(dotted: str) -> tuple[str, ...]:
    return tuple(dotted.split("."))


def _legacy(message: str, replacement: str | None = None, since: str = "") -> Deprecation:
    return Deprecation(message, _path(replacement) if replacement else None, since)


def _with_link(summary: str, url: str) -> str:
    return f"{summary} [docs]({url})"


def _linked(table: TableSpec) -> TableSpec:
    """Append the docs link to the table's and every key's summary; keys without their own
    docs page take the table's."""
    keys = tuple(
        replace(k, docs=k.docs or table.docs, summary=_with_link(k.summary, k.docs or table.docs))
        for k in table.keys
    )
    return replace(table, summary=_with_link(table.summary, table.docs), keys=keys)


def _dependency_entries(manager: str) -> EntrySpec:
    examples = {
        "pip": (("torch", ">=2.1"), ("numpy", "latest"), ("transformers", "4.44.2")),
        "apt": (("ffmpeg", "latest"), ("libgl1", "")),
        "conda": (("cudatoolkit", "11.8"),),
    }[manager]
    return EntrySpec(
        summary=(
            f'{manager} package name = version spec. `"latest"`, `"*"` or `""` install '
            "any version; a spec starting with `=`, `>`, `<` or `!` is used as written "
            '(`">=1.5"`); anything else gets `==` prepended (`"2.0.0"` → `==2.0.0`). '
            "Quote names that contain `.`, `[`, `+` or spaces."
        ),
        type=ValueType.STRING,
        examples=examples,
    )


_DEPENDENCY_NOTE = (
    'Numbers and booleans are turned into strings by the CLI (`1.10` becomes "1.1"), so quote '
    'versions. Package names are lower-cased. A spec such as `"~=1.4"` becomes the invalid '
    "`name==~=1.4`; whether the backend repairs it is not documented."
)


def _build_flag(name: str, type_: ValueType, advice: str) -> KeySpec:
    """A key of the legacy ``[cerebrium.build]`` table that the CLI now takes as a flag."""
    return KeySpec(
        name=name,
        type=type_,
        summary="Setting of the old CLI, removed from the docs on 2024-05-22.",
        docs=_FROM_TABLE,
        stage=Stage.RUNTIME,
        deprecated=_legacy(f"Ignored by the CLI. {advice}", since="docs 2024-05-22"),
    )


_NO_FLAG = (
    "No replacement in `cerebrium.toml`; the CLI's flags are `--log-level`, "
    "`-y`/`--yes`/`--disable-confirmation` and `--disable-build-logs`."
)


def _partner_keys(partner: str) -> tuple[KeySpec, ...]:
    """Keys the CLI reads from a partner table (the same for every partner)."""
    port_note = "The Rime docs mark it required, typically 8001. " if partner == "rime" else ""
    return (
        KeySpec(
            name="port",
            type=ValueType.INTEGER,
            summary=f"Port of the partner service. {port_note}Not sent when "
            "`[cerebrium.runtime.custom]` is present.",
            docs=_FROM_TABLE,
            stage=Stage.RUNTIME,
            minimum=1,
            maximum=65535,
            examples=(8001,),
            source_note="Default not documented. The CLI reads it leniently: a non-numeric "
            "string becomes 0, which is not sent.",
        ),
        KeySpec(
            name="model_name",
            type=ValueType.STRING,
            summary="Partner model to serve, e.g. `arcana`, `mist` or `mistv2` for Rime.",
            docs=_FROM_TABLE,
            stage=Stage.RUNTIME,
            examples=("arcana", "mistv2"),
            since_cli="2.1.11",
            source_note="Documented for Rime only; the CLI reads it for every partner.",
        ),
        KeySpec(
            name="language",
            type=ValueType.STRING,
            summary="Language of the partner model, e.g. `en` or `es`.",
            docs=_FROM_TABLE,
            stage=Stage.RUNTIME,
            examples=("en", "es"),
            since_cli="2.1.11",
            source_note="Documented for Rime only; the CLI reads it for every partner.",
        ),
        KeySpec(
            name="image_version",
            type=ValueType.STRING,
            summary='Tag pinning the partner\'s image, e.g. `"260728"`; not validated.',
            docs=_FROM_TABLE,
            stage=Stage.RUNTIME,
            examples=("260728",),
            since_cli="after 2.6.0",
            source_note="Read only by CLI code newer than the v2.6.0 release ("
            f"[commit 47174b6]({CLI_REPO}/commit/47174b6), 2026-08-12); not in the docs. The "
            "Deepgram docs say deployments run self-hosted release 260728.",
        ),
    )


# --- Enumerations -----------------------------------------------------------------------------

_PYTHON: tuple[EnumValue, ...] = (
    EnumValue("3.10", "Python 3.10", "Quote it: an unquoted `3.10` is read as 3.1."),
    EnumValue("3.11", "Python 3.11 · backend default",
              "Applied when `python_version` is omitted; written by `cerebrium init`."),
    EnumValue("3.12", "Python 3.12", "The docs TOML reference names it as the default."),
    EnumValue("3.13", "Python 3.13",
              "Listed by the container-images page and Cerebrium's API reference, not by the "
              "docs' TOML reference page."),
)  # fmt: skip
PYTHON_VERSIONS = tuple(v.value for v in _PYTHON)

_SCALING_METRICS: tuple[EnumValue, ...] = (
    EnumValue("concurrency_utilization", "percent of replica_concurrency in use · default",
              "`scaling_target` is a percentage (1–100) of `replica_concurrency`."),
    EnumValue("requests_per_second", "requests per second",
              "`scaling_target` is a request rate (any positive number)."),
    EnumValue("cpu_utilization", "percent CPU",
              "`scaling_target` is a CPU percentage (1–100). The API rejects it with "
              "`min_replicas = 0` or with `scaling_buffer`."),
    EnumValue("memory_utilization", "percent memory",
              "`scaling_target` is a memory percentage (1–100). The API rejects it with "
              "`min_replicas = 0` or with `scaling_buffer`."),
)  # fmt: skip

_LOAD_BALANCING: tuple[EnumValue, ...] = (
    EnumValue("round-robin", "default per the API reference",
              "Requests rotate over replicas. The docs pick it automatically when "
              "`replica_concurrency` > 3."),
    EnumValue("first-available", "",
              "The docs pick it automatically when `replica_concurrency` ≤ 3."),
    EnumValue("min-connections", "", "Behaviour not documented."),
    EnumValue("random-choice-2", "", "Behaviour not documented."),
)  # fmt: skip

_COMPUTE_TIERS: tuple[EnumValue, ...] = (
    EnumValue("interruptible", "default",
              "Instances may be preempted or consolidated; standard rates."),
    EnumValue("protected", "no preemption · 2× compute rates",
              "No preemption or consolidation; GPU, CPU and memory are billed at twice the "
              "rate."),
)  # fmt: skip

_CONTAINER_RUNTIMES: tuple[EnumValue, ...] = (
    EnumValue("v1", "runc", "Standard container runtime (runc)."),
    EnumValue("v2", "gVisor", "Sandboxed runtime (gVisor)."),
)


def _gpu_limits_text() -> str:
    """'4 for TURING_T4, …; 8 for …' from COMPUTE, so the limits are written once."""
    groups: dict[int, list[str]] = {}
    for c in COMPUTE:
        if c.max_gpu_count:
            groups.setdefault(c.max_gpu_count, []).append(f"`{c.id}`")
    return "; ".join(f"{n} for {', '.join(ids)}" for n, ids in sorted(groups.items()))


def _plan_text(attribute: str, unit: str = "") -> str:
    return ", ".join(
        f"{plan} {getattr(limits, attribute):g}{unit}" for plan, limits in PLAN_LIMITS.items()
    )


_MAX_CPU = max(p.max_cpu for p in PLAN_LIMITS.values())
_MAX_MEMORY = max(p.max_memory for p in PLAN_LIMITS.values())


# --- Current tables ---------------------------------------------------------------------------

_ROOT = TableSpec(
    path=("cerebrium",),
    title="Cerebrium app configuration",
    summary="Root table of every setting. The CLI stops with “'cerebrium' key not found” "
    "without it, ignores every other top-level table, and matches keys case-insensitively.",
    docs=TOML_REFERENCE,
    stage=Stage.BASE,
    required=True,
    source_note="The CLI silently ignores unknown keys and tables. Since CLI v2.5.2 the raw "
    "file is uploaded as well, so the backend may read keys the CLI ignores; whether it does "
    "is not documented.",
)

_DEPLOYMENT = TableSpec(
    path=("cerebrium", "deployment"),
    title="Deployment",
    summary="App name, Python version and base image, build commands, and the files to "
    "upload. `name` is required.",
    docs=TOML_REFERENCE,
    stage=Stage.BASE,
    required=True,
    keys=(
        KeySpec(
            name="name",
            type=ValueType.STRING,
            summary="Name of the app; its id becomes `<project-id>-<name>`. Required: "
            "`cerebrium deploy` stops when it is missing or empty, even if `--name` is given.",
            docs=_FROM_TABLE,
            stage=Stage.RUNTIME,
            required=True,
            examples=("my-app",),
            source_note="No name format is documented for `deploy`; `cerebrium run` rejects "
            "names over 30 characters.",
        ),
        KeySpec(
            name="python_version",
            type=ValueType.STRING,
            summary="Python version of the image, as a quoted string. Ignored when "
            "`dockerfile_path` is set; changing it rebuilds the whole image.",
            docs=CONTAINER_IMAGES,
            stage=Stage.BASE,
            default="3.11",
            default_note="applied by the backend when omitted",
            enum=_PYTHON,
            examples=("3.11", "3.12"),
            source_note="The docs' TOML reference page lists 3.10–3.12 with 3.12 as the "
            f"default; the container-images page and {_API} allow 3.10–3.13, and the backend "
            "applies 3.11, which `cerebrium init` writes too. 3.10–3.13 are accepted here, with "
            '3.11 as the default. An unquoted number is sent in shortest form: `3.10` becomes "'
            '3.1".',
        ),
        KeySpec(
            name="docker_base_image_url",
            type=ValueType.STRING,
            summary="Base image of the build: a public image (Debian, Ubuntu, `nvidia/cuda`, "
            "`python`, …) or one from a private registry, using your local Docker credentials. "
            "Ignored when `dockerfile_path` is set; changing it rebuilds the whole image.",
            docs=CONTAINER_IMAGES,
            stage=Stage.BASE,
            default="debian:bookworm-slim",
            examples=(
                "debian:bookworm-slim",
                "nvidia/cuda:12.1.1-runtime-ubuntu22.04",
                "python:3.12-bookworm",
            ),
            source_note="Namespaced Docker Hub images need a prior `docker login -u <user>` "
            "(the browser login is not enough).",
        ),
        KeySpec(
            name="include",
            type=ValueType.STRING_LIST,
            summary="Glob patterns of the files to upload, relative to the working directory: "
            "`*` does not cross `/`, a trailing `/` means a whole folder, and `*` or `./*` "
            "alone mean every file. The deploy stops if nothing matches.",
            docs=_FROM_TABLE,
            stage=Stage.CODE,
            default=("./*", "main.py", "cerebrium.toml"),
            default_note="applied by the CLI when the key is missing or the list is empty",
            examples=(("./*", "main.py", "cerebrium.toml"),),
            source_note='The docs table gives `["*"]` as the default, which has the same '
            "effect as the CLI's. The active config file is always uploaded. A string is split "
            'on commas: the v3 style `"[./*, main.py]"` keeps its brackets and matches '
            "nothing.",
        ),
        KeySpec(
            name="exclude",
            type=ValueType.STRING_LIST,
            summary="Glob patterns of files to leave out of the upload (rules as for "
            "`include`). The default hides only dot-entries at the project root, and a list you "
            'write replaces it: keep `".*"` in it and add folders such as `".git/"` or '
            '`".venv/"`.',
            docs=_FROM_TABLE,
            stage=Stage.CODE,
            default=(".*",),
            default_note="applied by the CLI when the key is missing or the list is empty, so "
            "`exclude = []` still excludes root dot-files",
            examples=((".*", ".git/", "__pycache__/"),),
        ),
        KeySpec(
            name="shell_commands",
            type=ValueType.STRING_LIST,
            summary="Shell commands run in the last build stage, after the app code is copied "
            "(bash, stopping at the first failure). Ignored when `dockerfile_path` is set.",
            docs=CONTAINER_IMAGES,
            stage=Stage.SHELL,
            default=(),
            examples=(("python main.py download-files",),),
            source_note="A string instead of a list is split on commas into several commands.",
        ),
        KeySpec(
            name="pre_build_commands",
            type=ValueType.STRING_LIST,
            summary="Shell commands run first in the build, before the apt, conda and pip "
            "packages. Ignored when `dockerfile_path` is set.",
            docs=CONTAINER_IMAGES,
            stage=Stage.PRE_BUILD,
            default=(),
            examples=(("apt-get update",),),
            source_note="That every later stage re-runs after a change is inferred from the "
            "build order; the docs do not state it.",
        ),
        KeySpec(
            name="disable_auth",
            type=ValueType.BOOLEAN,
            summary="When true, the endpoint can be called without an API token. `cerebrium "
            "init` writes true; the Rime docs recommend it, as the Rime key authenticates.",
            docs=_FROM_TABLE,
            stage=Stage.RUNTIME,
            default=True,
            default_note="applied by the backend when omitted",
            examples=(True, False),
            source_note="The docs gave false as the default until 2026-08-17; the current "
            "docs, Cerebrium's API reference, the Python CLI and Go CLIs up to v2.2.x all say "
            "true.",
        ),
        KeySpec(
            name="use_uv",
            type=ValueType.BOOLEAN,
            summary="Install the pip packages with uv instead of pip (the build log shows "
            "`UV_PIP_INSTALL_STARTED`). Formerly in `[cerebrium.build]`.",
            docs=_FROM_TABLE,
            stage=Stage.PIP,
            default=False,
            examples=(True,),
            source_note="Its place in the pip stage is inferred from the build order. Moved "
            "here from `[cerebrium.build]` in the docs on 2025-10-01.",
        ),
        KeySpec(
            name="deployment_initialization_timeout",
            type=ValueType.INTEGER,
            summary="Seconds the platform waits for the app to initialise during a deploy.",
            docs=_FROM_TABLE,
            stage=Stage.RUNTIME,
            default=600,
            minimum=60,
            maximum=830,
            examples=(600,),
            source_note="Range 60–830 per the docs and Cerebrium's API reference; an older "
            "docs revision allowed 900, and the docs' SGLang example still uses 860.",
        ),
        KeySpec(
            name="cuda_version",
            type=ValueType.STRING,
            summary="Removed: CUDA comes from the base image now.",
            docs=USING_CUDA,
            stage=Stage.BASE,
            deprecated=_legacy(
                "Ignored by the CLI (the Python CLI refused it): set docker_base_image_url to "
                "an nvidia/cuda image instead.",
                "cerebrium.deployment.docker_base_image_url",
                "docs 2024-07-17",
            ),
        ),
    ),
)

_HARDWARE = TableSpec(
    path=("cerebrium", "hardware"),
    title="Hardware",
    summary="Compute type, GPU count, CPU and memory of each replica, and where it runs. Not "
    "part of the image: changes apply on the next deploy.",
    docs=USING_GPUS,
    stage=Stage.RUNTIME,
    keys=(
        KeySpec(
            name="cpu",
            type=ValueType.NUMBER,
            summary=f"vCPUs per replica. CPU-only compute takes one of "
            f"{_numbers(CPU_ONLY_CPU_VALUES)}; GPU compute takes whole cores, up to a per-GPU "
            "limit times `gpu_count`.",
            docs=CPU_AND_MEMORY,
            stage=Stage.RUNTIME,
            default=2.0,
            default_note="applied by the backend when omitted",
            minimum=min(CPU_ONLY_CPU_VALUES),
            maximum=_MAX_CPU,
            examples=(2, 4, 0.5),
            source_note="The docs' TOML reference page marks `cpu` required; "
            f"{_API} gives the backend default 2.0. For limits the docs give per-type "
            "totals, the API reference per-GPU figures and a fixed list for CPU-only; the "
            "checks follow the API reference. The maximum here is the highest plan ceiling "
            f"({_plan_text('max_cpu')}); the limit for a file depends on `compute` and "
            "`gpu_count`.",
        ),
        KeySpec(
            name="memory",
            type=ValueType.NUMBER,
            summary=f"Host memory (RAM, not GPU VRAM) per replica in GB, with at most "
            f"{MEMORY_DECIMALS} decimals. Capped per GPU on GPU compute and at "
            f"{CPU_ONLY_MAX_MEMORY:g} GB on CPU-only compute.",
            docs=CPU_AND_MEMORY,
            stage=Stage.RUNTIME,
            default=4.0,
            default_note="applied by the backend when omitted",
            maximum=_MAX_MEMORY,
            examples=(8.0, 16.0),
            source_note="The docs' TOML reference page marks `memory` required; "
            f"{_API} gives the backend default 4.0. Limits as for `cpu` (the API reference's "
            "are checked); the maximum here is the highest plan ceiling "
            f"({_plan_text('max_memory', ' GB')}). No minimum is documented.",
        ),
        KeySpec(
            name="compute",
            type=ValueType.STRING_OR_LIST,
            summary="Compute type of each replica: one identifier, or a list of "
            f"1–{COMPUTE_LIST_MAX} of one family (NVIDIA, CPU, or AWS accelerators) in order of "
            "preference. The backend rejects unknown identifiers; the CLI rejects an empty "
            "value.",
            docs=USING_GPUS,
            stage=Stage.RUNTIME,
            default="CPU",
            default_note="applied by the backend when omitted",
            enum=tuple(_compute_value(c) for c in COMPUTE),
            min_items=1,
            max_items=COMPUTE_LIST_MAX,
            examples=("CPU", "ADA_L4", ("HOPPER_H100", "AMPERE_A100_80GB")),
            source_note="Lists need CLI v2.5.0 or later; `cerebrium run` uses only the first "
            'entry. The CLI compares with "CPU" case-sensitively, so `"cpu"` is treated as '
            "a GPU type.",
        ),
        KeySpec(
            name="gpu_count",
            type=ValueType.INTEGER,
            summary="GPUs (or AWS accelerator devices) per replica: at least 1 on accelerators "
            f"and at most {_gpu_limits_text()}. The CLI drops it silently on CPU compute.",
            docs=USING_GPUS,
            stage=Stage.RUNTIME,
            default=1,
            default_note="on accelerators, where the CLI fills it in; 0 on CPU",
            minimum=0,
            maximum=max(c.max_gpu_count for c in COMPUTE),
            examples=(1, 2),
            source_note="Default: the docs' TOML reference page says 0; the CLI and "
            f"{_API} use 1 on accelerators. Maximum: the docs say 8 for every type; the "
            "checks use the API reference's per-type limits. Plans cap it too "
            f"({_plan_text('max_gpu_count')}).",
        ),
        KeySpec(
            name="provider",
            type=ValueType.STRING,
            summary="Cloud provider to place replicas on; omit it to let the platform choose "
            "and fall back across providers. `us-central1` and `eu-north1` need `nebius`.",
            docs=MULTI_REGION,
            stage=Stage.RUNTIME,
            default_note="the platform picks when omitted",
            enum=tuple(
                EnumValue(p.id, p.summary, p.summary, deprecated=p.legacy) for p in PROVIDERS
            ),
            examples=("aws", "nebius"),
            source_note="The docs name only `nebius` (and `aws` implicitly); "
            f"{_API} accepts `aws`, `nebius` and `crusoe`, and so do the checks. "
            "`coreweave` (Cortex v3) is refused by the CLI. That omitting it allows fallback "
            "comes from a docs draft not yet published.",
        ),
        KeySpec(
            name="region",
            type=ValueType.STRING,
            summary='Region to run replicas in, or `"global"` for any region with capacity. '
            "Omit it to let the platform choose; a region without the requested compute "
            "deploys but never gets a replica.",
            docs=MULTI_REGION,
            stage=Stage.RUNTIME,
            default_note="the platform picks when omitted",
            enum=tuple(_region_value(r) for r in REGIONS),
            enum_severity="warning",
            examples=("us-east-1",),
            source_note="More regions are enabled on request, so a region not listed is a "
            "warning, not an error. `eu-west-2` is on request per the docs but currently "
            f"refused per {_API}, so it is marked refused. A list of regions (from a docs "
            "draft never published) fails to decode.",
        ),
        KeySpec(
            name="gpu",
            type=ValueType.STRING,
            summary="Old name of `compute`.",
            docs=_FROM_TABLE,
            stage=Stage.RUNTIME,
            deprecated=_legacy(
                "Ignored by the CLI: no compute is sent, so the app deploys on the default CPU "
                "compute and gpu_count is dropped (the Python CLI refused the file).",
                "cerebrium.hardware.compute",
                "docs 2024-07-15",
            ),
        ),
    ),
)

_SCALING = TableSpec(
    path=("cerebrium", "scaling"),
    title="Scaling",
    summary="How many replicas run, when they scale, how requests are spread and how long "
    "they may take. Each deploy replaces the whole app record, so an omitted key reverts to "
    "its default (a `max_replicas` set with `cerebrium apps scale` goes back to 1).",
    docs=SCALING_APPS,
    stage=Stage.RUNTIME,
    keys=(
        KeySpec(
            name="min_replicas",
            type=ValueType.INTEGER,
            summary="Replicas kept running, and billed, without traffic; 0 lets the app scale "
            "to zero. Counted app-wide, not per region.",
            docs=_FROM_TABLE,
            stage=Stage.RUNTIME,
            default=0,
            minimum=0,
            maximum=2000,
            examples=(0, 1),
            source_note=f"Range 0–2000 per {_API}, further capped by the plan.",
        ),
        KeySpec(
            name="max_replicas",
            type=ValueType.INTEGER,
            summary="Most replicas the app may run, app-wide; too low a value is the most "
            "common cause of queued requests.",
            docs=_FROM_TABLE,
            stage=Stage.RUNTIME,
            default=1,
            minimum=1,
            maximum=2000,
            examples=(2, 5),
            source_note="Default 1 per the docs since 2026-08-04 and Cerebrium's API reference "
            "(older docs: 2; v3 docs: the plan limit); `cerebrium init` writes 2. Range 1–2000 "
            f"per {_API}, further capped by the plan.",
        ),
        KeySpec(
            name="cooldown",
            type=ValueType.INTEGER,
            summary="Seconds a replica stays at reduced load before it is scaled down.",
            docs=_FROM_TABLE,
            stage=Stage.RUNTIME,
            default=10,
            minimum=0,
            maximum=3600,
            examples=(30,),
            source_note="Default 10 per the current docs and Cerebrium's API reference (older "
            f"docs: 60, then 1800). Range 0–3600 per {_API}.",
        ),
        KeySpec(
            name="replica_concurrency",
            type=ValueType.INTEGER,
            summary="Most requests one replica handles at once (a hard limit). Above 1 on GPU "
            "compute the app must batch requests itself.",
            docs=BATCHING_CONCURRENCY,
            stage=Stage.RUNTIME,
            default_note="1 on GPU compute, 100 on CPU",
            minimum=1,
            examples=(1, 8),
        ),
        KeySpec(
            name="response_grace_period",
            type=ValueType.INTEGER,
            summary="Seconds a request may run, and the wait between SIGTERM and SIGKILL at "
            "shutdown; also the ceiling for async runs.",
            docs=GRACEFUL_TERMINATION,
            stage=Stage.RUNTIME,
            default=900,
            minimum=16,
            maximum=43200,
            examples=(900,),
            source_note="Default 900 per the current docs and Cerebrium's API reference (older "
            f"docs: 3600). Range 16–43200 per {_API}.",
        ),
        KeySpec(
            name="scaling_metric",
            type=ValueType.STRING,
            summary="Metric the autoscaler holds at `scaling_target`.",
            docs=_FROM_TABLE,
            stage=Stage.RUNTIME,
            default="concurrency_utilization",
            enum=_SCALING_METRICS,
            enum_severity="warning",
            examples=("concurrency_utilization",),
            source_note="Cerebrium's sources list these four values but none says that the "
            "backend rejects others, so another value is a warning.",
        ),
        KeySpec(
            name="scaling_target",
            type=ValueType.INTEGER,
            summary="Target of `scaling_metric`: a percentage (1–100) for the utilization "
            "metrics, a request rate for `requests_per_second`.",
            docs=_FROM_TABLE,
            stage=Stage.RUNTIME,
            default=100,
            minimum=1,
            examples=(100, 70),
            source_note="The 100 ceiling applies to the utilization metrics only (per "
            f"{_API}); any positive rate is allowed for `requests_per_second`.",
        ),
        KeySpec(
            name="scaling_buffer",
            type=ValueType.INTEGER,
            summary="Extra replicas on top of what the metric asks for; only with "
            "`concurrency_utilization` or `requests_per_second` (the API rejects it "
            "otherwise).",
            docs=_FROM_TABLE,
            stage=Stage.RUNTIME,
            default=0,
            minimum=0,
            examples=(1,),
        ),
        KeySpec(
            name="roll_out_duration_seconds",
            type=ValueType.INTEGER,
            summary="Seconds over which traffic moves to a new revision, in 5 steps of 20%.",
            docs=GRADUAL_ROLL_OUT,
            stage=Stage.RUNTIME,
            default=0,
            minimum=0,
            maximum=21600,
            examples=(300,),
            source_note=f"Maximum 600 per the docs, 21600 per {_API}; values up to 21600 are "
            "accepted.",
        ),
        KeySpec(
            name="evaluation_interval_seconds",
            type=ValueType.INTEGER,
            summary="Length in seconds of the window over which the scaling metric is measured.",
            docs=_FROM_TABLE,
            stage=Stage.RUNTIME,
            default=30,
            minimum=6,
            maximum=300,
            examples=(30,),
            since_cli="2.1.5",
        ),
        KeySpec(
            name="load_balancing_algorithm",
            type=ValueType.STRING,
            summary="How requests are spread over replicas.",
            docs=_FROM_TABLE,
            stage=Stage.RUNTIME,
            default="round-robin",
            default_note="per Cerebrium's API reference; the docs say an unset value picks "
            "`first-available` when `replica_concurrency` ≤ 3, else `round-robin`",
            enum=_LOAD_BALANCING,
            enum_severity="warning",
            examples=("round-robin",),
            since_cli="2.1.5",
            source_note=f"The docs and {_API} give different defaults; the API reference's "
            "is shown. Cerebrium's sources list four values but none says that the backend "
            "rejects others, so another value is a warning.",
        ),
        KeySpec(
            name="compute_tier",
            type=ValueType.STRING,
            summary="`protected` instances are never preempted or consolidated and are billed "
            "at twice the rate; the tier applies to instances started after the next deploy.",
            docs=CALCULATING_COST,
            stage=Stage.RUNTIME,
            default="interruptible",
            enum=_COMPUTE_TIERS,
            examples=("protected",),
            since_cli="2.2.5",
            source_note="The CLI rejects any other value, case-sensitively (“invalid "
            "compute_tier”). Parsed since CLI v2.2.4 and sent since v2.2.5 (the docs say "
            "2.1.6+), so 2.2.5 is shown.",
        ),
        KeySpec(
            name="evaluation_interval",
            type=ValueType.INTEGER,
            summary="Old name of `evaluation_interval_seconds` from the docs.",
            docs=_FROM_TABLE,
            stage=Stage.RUNTIME,
            deprecated=_legacy(
                "Ignored by the CLI: the backend default of 30 seconds applies.",
                "cerebrium.scaling.evaluation_interval_seconds",
                "docs 2026-03-12",
            ),
        ),
        KeySpec(
            name="load_balancing",
            type=ValueType.STRING,
            summary="Old name of `load_balancing_algorithm` from the docs.",
            docs=_FROM_TABLE,
            stage=Stage.RUNTIME,
            deprecated=_legacy(
                "Ignored by the CLI: the backend's default algorithm applies.",
                "cerebrium.scaling.load_balancing_algorithm",
                "docs 2026-03-12",
            ),
        ),
    ),
)

_DEPENDENCIES = TableSpec(
    path=("cerebrium", "dependencies"),
    title="Dependencies",
    summary="Packages installed in the image: inline `pip`, `apt` and `conda` tables, or files "
    "named in `paths`. Ignored by the build when `dockerfile_path` is set.",
    docs=CONTAINER_IMAGES,
    stage=Stage.APT,
    source_note="A `paths` file and a non-empty inline table for the same manager are "
    "mutually exclusive (the CLI stops when packaging the upload); the Python CLI merged them.",
)

_PIP = TableSpec(
    path=("cerebrium", "dependencies", "pip"),
    title="pip packages",
    summary="Python packages installed in stage 4, rendered into `requirements.txt`. A change "
    "installs only new or changed packages, thanks to a per-package cache.",
    docs=CONTAINER_IMAGES,
    stage=Stage.PIP,
    entries=_dependency_entries("pip"),
    source_note=_DEPENDENCY_NOTE + " VCS installs use the full `git+https://…` URL as the "
    'key with the value `"latest"`. If the project also uploads its own root '
    "`requirements.txt`, which one the build uses is not documented.",
)

_APT = TableSpec(
    path=("cerebrium", "dependencies", "apt"),
    title="apt packages",
    summary="System packages installed with apt in stage 2, rendered into `pkglist.txt`; a "
    "change rebuilds the whole image.",
    docs=CONTAINER_IMAGES,
    stage=Stage.APT,
    entries=_dependency_entries("apt"),
    source_note=_DEPENDENCY_NOTE + " Versions get `==` as for pip, while apt's syntax is "
    '`name=version`: write `"=1.2"` to get that. The docs say apt changes force a full '
    "rebuild although pre-build commands run earlier.",
)

_CONDA = TableSpec(
    path=("cerebrium", "dependencies", "conda"),
    title="conda packages",
    summary="Conda packages installed in stage 3, rendered into `conda_pkglist.txt`; a change "
    "rebuilds the whole image.",
    docs=CONTAINER_IMAGES,
    stage=Stage.CONDA,
    entries=_dependency_entries("conda"),
    source_note=_DEPENDENCY_NOTE + " The docs say conda changes force a full rebuild although "
    "pre-build commands run earlier.",
)


def _paths_key(manager: str, stage: Stage, upload_name: str, example: str) -> KeySpec:
    return KeySpec(
        name=manager,
        type=ValueType.STRING,
        summary=f"File listing the {manager} packages, uploaded verbatim as `{upload_name}`; "
        f"the deploy stops if it is missing or if `[cerebrium.dependencies.{manager}]` is also "
        "non-empty.",
        docs=_FROM_TABLE,
        stage=stage,
        examples=(example,),
        source_note="The CLI resolves it against the working directory; older docs said the "
        "project root.",
    )


_PATHS = TableSpec(
    path=("cerebrium", "dependencies", "paths"),
    title="Dependency files",
    summary="Files listing packages, used instead of the inline tables.",
    docs=CONTAINER_IMAGES,
    stage=Stage.APT,
    keys=(
        _paths_key("pip", Stage.PIP, "requirements.txt", "requirements.txt"),
        _paths_key("apt", Stage.APT, "pkglist.txt", "pkglist.txt"),
        _paths_key("conda", Stage.CONDA, "conda_pkglist.txt", "conda_pkglist.txt"),
    ),
)

_RUNTIME = TableSpec(
    path=("cerebrium", "runtime"),
    title="Runtime",
    summary="Container runtime, plus one sub-table for a custom web server (`custom`) or a "
    "partner service (`deepgram`, `rime`).",
    docs=CUSTOM_WEB_SERVERS,
    stage=Stage.RUNTIME,
    keys=(
        KeySpec(
            name="container_runtime",
            type=ValueType.STRING,
            summary="Container sandbox: `v1` (runc) or `v2` (gVisor). The CLI rejects any "
            "other value.",
            docs=CHECKPOINTING,
            stage=Stage.RUNTIME,
            default_note="unset: the backend default (not documented)",
            enum=_CONTAINER_RUNTIMES,
            examples=("v2",),
            since_cli="2.4.0",
            source_note="Not on the docs' TOML reference page. The checkpointing docs asked "
            'for "v2" from 2026-05-22 to 2026-06-17, then switched to '
            "`[cerebrium.experimental] checkpointing`. CLIs before v2.4.0 drop it silently.",
        ),
    ),
)

_CUSTOM = TableSpec(
    path=("cerebrium", "runtime", "custom"),
    title="Custom web server",
    summary="Runs your own web server, or a Dockerfile, instead of the default Python runtime; "
    "the table alone switches the runtime, even when empty.",
    docs=CUSTOM_WEB_SERVERS,
    stage=Stage.BASE,
    keys=(
        KeySpec(
            name="entrypoint",
            type=ValueType.STRING_OR_LIST,
            summary="Command that starts the server, as an argument list; the port in it must "
            "equal `port`. With a Dockerfile it is needed only if the Dockerfile has no CMD.",
            docs=_FROM_TABLE,
            stage=Stage.RUNTIME,
            default_note="required by the docs; CLIs up to v2.2.x and the Python CLI used "
            "`uvicorn app.main:app --host 0.0.0.0 --port 8000`",
            examples=(("uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"),),
            source_note="The docs' TOML reference page types it as a string list, the "
            "container-images page as a string or list. The Go CLI sends a string as a "
            "one-element list (it splits on commas), the Python CLI split it on spaces; how the "
            "backend treats the one-element form is not documented.",
        ),
        KeySpec(
            name="port",
            type=ValueType.INTEGER,
            summary="Port the server listens on; traffic and health checks go there. With a "
            "Dockerfile, the port it EXPOSEs.",
            docs=_FROM_TABLE,
            stage=Stage.RUNTIME,
            default=8000,
            default_note="applied by the backend when omitted; the docs mark it required",
            minimum=1,
            maximum=65535,
            examples=(8000,),
            source_note=f"The docs mark it required; {_API} says the backend uses 8000 when it "
            "is omitted. The CLI treats port 0 as unset.",
        ),
        KeySpec(
            name="healthcheck_endpoint",
            type=ValueType.STRING,
            summary="HTTP path polled for liveness: a replica that keeps failing it is "
            "restarted. Empty means a TCP check on `port`.",
            docs=_FROM_TABLE,
            stage=Stage.RUNTIME,
            default="",
            examples=("/health",),
        ),
        KeySpec(
            name="readycheck_endpoint",
            type=ValueType.STRING,
            summary="HTTP path polled for readiness: a replica failing it is taken out of "
            "routing. Empty means a TCP check on `port`.",
            docs=_FROM_TABLE,
            stage=Stage.RUNTIME,
            default="",
            examples=("/ready",),
        ),
        KeySpec(
            name="dockerfile_path",
            type=ValueType.STRING,
            summary="Dockerfile to build instead of the image described here (relative to the "
            "working directory; the deploy stops if it is missing). The toml dependencies, "
            "commands, `python_version` and `docker_base_image_url` then do not apply.",
            docs=CUSTOM_DOCKERFILES,
            stage=Stage.BASE,
            examples=("./Dockerfile",),
        ),
    ),
)

_DEEPGRAM = TableSpec(
    path=("cerebrium", "runtime", "deepgram"),
    title="Deepgram partner service",
    summary="Deploys Deepgram's self-hosted service instead of your code (nothing is "
    "uploaded); an empty table is enough. Needs a `DEEPGRAM_API_KEY` secret.",
    docs=DEEPGRAM,
    stage=Stage.RUNTIME,
    keys=_partner_keys("deepgram"),
    source_note="Only one partner table is used and `deepgram` wins over `rime`. The docs say "
    "partner services need CLI ≥ 1.39.0.",
)

_RIME = TableSpec(
    path=("cerebrium", "runtime", "rime"),
    title="Rime partner service",
    summary="Deploys Rime's text-to-speech service instead of your code (nothing is uploaded). "
    "Needs a `RIME_API_KEY` secret.",
    docs=RIME,
    stage=Stage.RUNTIME,
    keys=_partner_keys("rime"),
    source_note="Only one partner table is used and `deepgram` wins over `rime`. The docs say "
    "partner services need CLI ≥ 1.39.0.",
)

_EXPERIMENTAL = TableSpec(
    path=("cerebrium", "experimental"),
    title="Experimental features",
    summary="Beta features read by the backend from the uploaded file.",
    docs=CHECKPOINTING,
    stage=Stage.RUNTIME,
    keys=(
        KeySpec(
            name="checkpointing",
            type=ValueType.BOOLEAN,
            summary="Enables checkpointing (beta, `aws` provider only); the app must also "
            "trigger it with a POST from inside the container.",
            docs=_FROM_TABLE,
            stage=Stage.RUNTIME,
            default_note="not documented (the feature is opt-in)",
            examples=(True,),
            since_cli="2.5.2",
            source_note='Replaced `[cerebrium.runtime] container_runtime = "v2"` for '
            "checkpointing in the docs on 2026-06-17.",
        ),
    ),
    source_note="The CLI does not parse this table; it works only because the raw file is "
    "uploaded (CLI ≥ v2.5.2). No other key is documented.",
)


# --- Legacy tables ----------------------------------------------------------------------------

_BUILD = TableSpec(
    path=("cerebrium", "build"),
    title="Build settings (legacy)",
    summary="Options of the old CLI; the current CLI reads nothing from this table.",
    docs=TOML_REFERENCE,
    stage=Stage.RUNTIME,
    deprecated=_legacy(
        "Ignored by the CLI: use its flags --log-level, -y/--yes/--disable-confirmation and "
        "--disable-build-logs, and move use_uv to [cerebrium.deployment].",
        since="docs 2024-05-22",
    ),
    keys=(
        _build_flag("predict_data", ValueType.STRING, _NO_FLAG),
        _build_flag("force_rebuild", ValueType.BOOLEAN, _NO_FLAG),
        _build_flag("disable_animation", ValueType.BOOLEAN, _NO_FLAG),
        _build_flag("log_level", ValueType.STRING, "Use the `--log-level` flag instead."),
        _build_flag(
            "disable_confirmation",
            ValueType.BOOLEAN,
            "Use the `-y`/`--yes`/`--disable-confirmation` flag instead.",
        ),
        _build_flag("disable_predict", ValueType.BOOLEAN, _NO_FLAG),
        KeySpec(
            name="use_uv",
            type=ValueType.BOOLEAN,
            summary="Former place of `[cerebrium.deployment] use_uv` (docs 2025-09-02 to "
            "2025-10-01).",
            docs=_FROM_TABLE,
            stage=Stage.PIP,
            deprecated=_legacy(
                "Ignored by the CLI: uv is not enabled, unless the backend reads it from the "
                "uploaded file.",
                "cerebrium.deployment.use_uv",
                "docs 2025-10-01",
            ),
            source_note="A current docs example (SGLang) still uses this place.",
        ),
    ),
)


def _legacy_requirements(manager: str, stage: Stage) -> TableSpec:
    return TableSpec(
        path=("cerebrium", "requirements", manager),
        title=f"{manager} packages (legacy)",
        summary=f"Old name of `[cerebrium.dependencies.{manager}]`.",
        docs=CONTAINER_IMAGES,
        stage=stage,
        entries=_dependency_entries(manager),
        deprecated=_legacy(
            "Ignored by the CLI: these packages are not installed.",
            f"cerebrium.dependencies.{manager}",
            "docs 2023-12-07",
        ),
    )


_REQUIREMENTS = TableSpec(
    path=("cerebrium", "requirements"),
    title="Requirements (legacy)",
    summary="Old name of `[cerebrium.dependencies]`.",
    docs=CONTAINER_IMAGES,
    stage=Stage.APT,
    deprecated=_legacy(
        "Ignored by the CLI (and by the Python CLI 1.51): these packages are not installed.",
        "cerebrium.dependencies",
        "docs 2023-12-07",
    ),
)

_ASSEMBLYAI = TableSpec(
    path=("cerebrium", "runtime", "assemblyai"),
    title="AssemblyAI partner service (legacy)",
    summary="Partner service known only to the Python CLI.",
    docs=CUSTOM_WEB_SERVERS,
    stage=Stage.RUNTIME,
    deprecated=_legacy(
        "Ignored by the CLI: the app is deployed as a normal app, which needs main.py.",
    ),
)

_PARTNER_MESSAGE = (
    "Not read by the CLI (only the Python CLI wrote it): use [cerebrium.runtime.deepgram] or "
    "[cerebrium.runtime.rime]."
)

_PARTNER = TableSpec(
    path=("cerebrium", "partner"),
    title="Partner (legacy)",
    summary="Artefact of the Python CLI's writer; partner services live under "
    "`[cerebrium.runtime.<partner>]`.",
    docs=CUSTOM_WEB_SERVERS,
    stage=Stage.RUNTIME,
    deprecated=_legacy(_PARTNER_MESSAGE),
)

_PARTNER_SERVICE = replace(
    _PARTNER, path=("cerebrium", "partner", "service"), title="Partner service (legacy)"
)


# --- The model --------------------------------------------------------------------------------

MODEL = ConfigModel(
    tables=tuple(
        _linked(t)
        for t in (
            _ROOT,
            _DEPLOYMENT,
            _HARDWARE,
            _SCALING,
            _DEPENDENCIES,
            _PIP,
            _APT,
            _CONDA,
            _PATHS,
            _RUNTIME,
            _CUSTOM,
            _DEEPGRAM,
            _RIME,
            _EXPERIMENTAL,
            _BUILD,
            _REQUIREMENTS,
            _legacy_requirements("pip", Stage.PIP),
            _legacy_requirements("apt", Stage.APT),
            _legacy_requirements("conda", Stage.CONDA),
            _ASSEMBLYAI,
            _PARTNER,
            _PARTNER_SERVICE,
        )
    ),
    compute=COMPUTE,
    legacy_compute=LEGACY_COMPUTE,
    providers=PROVIDERS,
    regions=REGIONS,
    python_versions=PYTHON_VERSIONS,
)
