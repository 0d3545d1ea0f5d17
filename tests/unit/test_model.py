"""Consistency of the config model (``cerebrium_lsp.model``) with itself and the public sources (docs/sources.md)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from cerebrium_lsp.model import MODEL, KeySpec, Stage, TableSpec, ValueType
from cerebrium_lsp.model.catalog import CPU_ONLY_CPU_VALUES, PLAN_LIMITS, PRICES
from cerebrium_lsp.model.lookup import compute_families, key_spec, legacy_compute, subtables

# The 13 identifiers the docs list, typed here independently of the catalog.
REFERENCE_COMPUTE = {
    "CPU",
    "TURING_T4",
    "ADA_L4",
    "AMPERE_A10",
    "ADA_L40",
    "INF2",
    "AMPERE_A100_40GB",
    "AMPERE_A100_80GB",
    "BLACKWELL_RTX6000",
    "HOPPER_H100",
    "HOPPER_H200",
    "BLACKWELL_B200",
    "TRN1",
}

# Docs pages named in docs/sources.md.
REFERENCE_PAGES = {
    "toml-reference/toml-reference",
    "container-images/defining-container-images",
    "container-images/custom-dockerfiles",
    "container-images/custom-web-servers",
    "container-images/private-docker-registry",
    "hardware/using-gpus",
    "hardware/cpu-and-memory",
    "hardware/using-cuda",
    "deployments/multi-region-deployment",
    "deployments/gradual-roll-out",
    "scaling/scaling-apps",
    "scaling/graceful-termination",
    "scaling/batching-concurrency",
    "partner-services/index",
    "partner-services/deepgram",
    "partner-services/rime",
    "performance/checkpointing",
    "calculating-cost",
    "endpoints/inference-api",
}

DOCS_URL = re.compile(r"^https://cerebrium\.ai/docs/(?P<page>[a-z0-9-]+(?:/[a-z0-9-]+)*)$")

ALL_KEYS = [(t, k) for t in MODEL.tables for k in t.keys]


def _key_id(item: tuple[TableSpec, KeySpec]) -> str:
    table, key = item
    return f"{table.dotted}.{key.name}"


def _path_exists(path: tuple[str, ...]) -> bool:
    """A current table, or a current key of a current table."""
    table = MODEL.table(path)
    if table is not None:
        return table.deprecated is None
    parent = MODEL.table(path[:-1])
    key = parent.key(path[-1]) if parent else None
    return (
        parent is not None
        and parent.deprecated is None
        and key is not None
        and not (key.deprecated)
    )


def test_table_paths_unique_and_lower_case() -> None:
    counts = Counter(t.path for t in MODEL.tables)
    assert [p for p, n in counts.items() if n > 1] == []
    for table in MODEL.tables:
        assert all(part == part.lower() for part in table.path), table.dotted


def test_every_table_has_its_parent() -> None:
    for table in MODEL.tables:
        if len(table.path) > 1:
            assert MODEL.table(table.path[:-1]) is not None, table.dotted
    assert MODEL.tables[0].path == ("cerebrium",)


def test_required_tables() -> None:
    required = {t.dotted for t in MODEL.tables if t.required}
    assert required == {"cerebrium", "cerebrium.deployment"}
    deployment = MODEL.table(("cerebrium", "deployment"))
    assert deployment is not None
    assert [k.name for k in deployment.keys if k.required] == ["name"]


@pytest.mark.parametrize("table", MODEL.tables, ids=lambda t: t.dotted)
def test_key_names_lower_case_and_unique(table: TableSpec) -> None:
    names = [k.name for k in table.keys]
    assert all(n == n.lower() for n in names)
    assert len(names) == len(set(names))
    subtable_names = {s.path[-1] for s in subtables(table.path)}
    assert not subtable_names & set(names), "a key and a sub-table share a name"


@pytest.mark.parametrize("item", ALL_KEYS, ids=_key_id)
def test_key_has_summary_and_docs_link(item: tuple[TableSpec, KeySpec]) -> None:
    _, key = item
    match = DOCS_URL.match(key.docs)
    assert match, key.docs
    assert match["page"] in REFERENCE_PAGES
    assert key.summary.endswith(f"[docs]({key.docs})")
    text = key.summary.removesuffix(f"[docs]({key.docs})").strip()
    assert len(text) > 10 and text.endswith((".", ")")), text


@pytest.mark.parametrize("table", MODEL.tables, ids=lambda t: t.dotted)
def test_table_has_summary_and_docs_link(table: TableSpec) -> None:
    match = DOCS_URL.match(table.docs)
    assert match and match["page"] in REFERENCE_PAGES, table.docs
    assert table.summary.endswith(f"[docs]({table.docs})")


@pytest.mark.parametrize("item", ALL_KEYS, ids=_key_id)
def test_key_values_consistent(item: tuple[TableSpec, KeySpec]) -> None:
    _, key = item
    if key.minimum is not None and key.maximum is not None:
        assert key.minimum <= key.maximum
    if key.enum:
        assert len(set(key.enum_values)) == len(key.enum)
        if isinstance(key.default, str):
            assert key.default in key.enum_values
    if isinstance(key.default, int | float) and not isinstance(key.default, bool):
        assert key.minimum is None or key.default >= key.minimum
        assert key.maximum is None or key.default <= key.maximum
    if key.min_items is not None or key.max_items is not None:
        assert key.type in (ValueType.STRING_LIST, ValueType.STRING_OR_LIST)


LEGACY_PATHS = {
    "cerebrium.build",
    *(
        f"cerebrium.build.{k}"
        for k in (
            "predict_data",
            "force_rebuild",
            "disable_animation",
            "log_level",
            "disable_confirmation",
            "disable_predict",
            "use_uv",
        )
    ),
    "cerebrium.requirements",
    "cerebrium.requirements.pip",
    "cerebrium.requirements.apt",
    "cerebrium.requirements.conda",
    "cerebrium.hardware.gpu",
    "cerebrium.deployment.cuda_version",
    "cerebrium.scaling.evaluation_interval",
    "cerebrium.scaling.load_balancing",
    "cerebrium.runtime.assemblyai",
    "cerebrium.partner",
    "cerebrium.partner.service",
}


def test_legacy_replacements_exist() -> None:
    legacy_tables = [t for t in MODEL.tables if t.deprecated]
    legacy_keys = [(t, k) for t, k in ALL_KEYS if k.deprecated]
    found = {t.dotted for t in legacy_tables} | {_key_id(item) for item in legacy_keys}
    assert found == LEGACY_PATHS
    specs: list[KeySpec | TableSpec] = [*legacy_tables, *(k for _, k in legacy_keys)]
    for spec in specs:
        assert spec.deprecated is not None and spec.deprecated.message
        if spec.deprecated.replacement is not None:
            assert _path_exists(spec.deprecated.replacement), spec.deprecated.replacement


def test_keys_of_legacy_tables_are_deprecated() -> None:
    for table in MODEL.tables:
        if table.deprecated:
            assert all(k.deprecated for k in table.keys), table.dotted
            assert all(s.deprecated for s in subtables(table.path)), table.dotted


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (("cerebrium", "hardware", "gpu"), ("cerebrium", "hardware", "compute")),
        (("cerebrium", "build", "use_uv"), ("cerebrium", "deployment", "use_uv")),
        (("cerebrium", "scaling", "load_balancing"), None),
        (("cerebrium", "requirements", "pip"), ("cerebrium", "dependencies", "pip")),
        (("cerebrium", "build", "log_level"), None),
    ],
)
def test_selected_legacy_paths(old: tuple[str, ...], new: tuple[str, ...] | None) -> None:
    spec: KeySpec | TableSpec | None = MODEL.table(old) or key_spec(old[:-1], old[-1])
    assert spec is not None and spec.deprecated is not None
    if new is not None:
        assert spec.deprecated.replacement == new


def test_compute_ids_match_reference() -> None:
    ids = [c.id for c in MODEL.compute]
    assert len(ids) == 13
    assert set(ids) == REFERENCE_COMPUTE
    compute = key_spec(("cerebrium", "hardware"), "compute")
    assert compute is not None
    assert list(compute.enum_values) == ids
    assert compute.enum_severity == "error"
    assert all(e.detail and e.description for e in compute.enum)


def test_compute_metadata() -> None:
    for c in MODEL.compute:
        if c.family == "cpu":
            assert c.max_gpu_count == 0 and c.max_cpu == max(CPU_ONLY_CPU_VALUES)
        else:
            assert c.max_gpu_count >= 1 and c.vram_gb
            assert c.max_cpu_per_gpu and c.max_memory_per_gpu
        assert set(c.regions) | set(c.regions_on_request) <= {r.id for r in MODEL.regions}
    assert set(compute_families()) == {"cpu", "nvidia", "aws"}
    assert compute_families()["aws"] == ("INF2", "TRN1")


def test_legacy_compute_replacements_are_current() -> None:
    ids = {c.id for c in MODEL.compute}
    for legacy in MODEL.legacy_compute:
        assert legacy.id not in ids
        assert legacy.replacement in ids, legacy
    found = legacy_compute("AMPERE_A100")
    assert found is not None and found.replacement == "AMPERE_A100_80GB"


def test_providers_regions_python() -> None:
    provider = key_spec(("cerebrium", "hardware"), "provider")
    region = key_spec(("cerebrium", "hardware"), "region")
    python = key_spec(("cerebrium", "deployment"), "python_version")
    assert provider and region and python
    assert set(provider.enum_values) == {p.id for p in MODEL.providers}
    assert [e.value for e in provider.enum if e.deprecated] == ["coreweave"]
    assert region.enum_values == tuple(r.id for r in MODEL.regions)
    assert region.enum_severity == "warning"
    for r in MODEL.regions:
        assert r.provider == "" or MODEL.provider(r.provider) is not None
    assert MODEL.python_versions == ("3.10", "3.11", "3.12", "3.13")
    assert python.enum_values == MODEL.python_versions
    assert python.default == "3.11"


def test_case_insensitive_lookup() -> None:
    assert MODEL.table(("Cerebrium", "HARDWARE")) is MODEL.table(("cerebrium", "hardware"))
    assert key_spec(("cerebrium", "deployment"), "Name") is not None


@pytest.mark.parametrize(
    ("path", "stage"),
    [
        ("cerebrium.deployment.python_version", Stage.BASE),
        ("cerebrium.deployment.docker_base_image_url", Stage.BASE),
        ("cerebrium.runtime.custom.dockerfile_path", Stage.BASE),
        ("cerebrium.deployment.pre_build_commands", Stage.PRE_BUILD),
        ("cerebrium.deployment.use_uv", Stage.PIP),
        ("cerebrium.dependencies.paths.pip", Stage.PIP),
        ("cerebrium.dependencies.paths.apt", Stage.APT),
        ("cerebrium.dependencies.paths.conda", Stage.CONDA),
        ("cerebrium.deployment.include", Stage.CODE),
        ("cerebrium.deployment.exclude", Stage.CODE),
        ("cerebrium.deployment.shell_commands", Stage.SHELL),
        ("cerebrium.deployment.name", Stage.RUNTIME),
        ("cerebrium.deployment.disable_auth", Stage.RUNTIME),
        ("cerebrium.deployment.deployment_initialization_timeout", Stage.RUNTIME),
    ],
)
def test_stages(path: str, stage: Stage) -> None:
    parts = tuple(path.split("."))
    spec = key_spec(parts[:-1], parts[-1])
    assert spec is not None and spec.stage is stage


def test_runtime_sections_act_at_runtime() -> None:
    for name in ("hardware", "scaling", "runtime", "experimental"):
        for table in MODEL.tables:
            if table.path[:2] == ("cerebrium", name) and not table.deprecated:
                for key in table.keys:
                    if key.name != "dockerfile_path":
                        assert key.stage is Stage.RUNTIME, f"{table.dotted}.{key.name}"


def test_dependency_tables() -> None:
    for manager, stage in (("pip", Stage.PIP), ("apt", Stage.APT), ("conda", Stage.CONDA)):
        table = MODEL.table(("cerebrium", "dependencies", manager))
        assert table is not None and table.entries is not None
        assert table.stage is stage and table.keys == ()
        assert table.entries.type is ValueType.STRING


def test_plan_limits_and_prices() -> None:
    assert list(PLAN_LIMITS) == ["Hobby", "Standard", "Enterprise"]
    assert PLAN_LIMITS["Enterprise"].max_cpu == 352
    assert tuple(sorted(CPU_ONLY_CPU_VALUES)) == CPU_ONLY_CPU_VALUES
    assert CPU_ONLY_CPU_VALUES[0] == 0.25 and CPU_ONLY_CPU_VALUES[-1] == 80
    assert PRICES.memory_per_gb_second == 0.00000222
    cpu = MODEL.compute_type("CPU")
    assert cpu is not None and cpu.price_per_second == PRICES.cpu_per_vcpu_second
