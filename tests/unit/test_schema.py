"""The committed JSON Schema: up to date, valid draft-07, and right about real files.

Good and bad documents are checked with ``jsonschema`` and ``tomllib`` only, against the
committed file, so these tests see exactly what an editor sees.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from cerebrium_lsp.model import MODEL, KeySpec, TableSpec, ValueType
from cerebrium_lsp.model.lookup import compute_family, subtables
from cerebrium_lsp.schema import render_schema

REPO = Path(__file__).resolve().parents[2]
SCHEMA_FILE = REPO / "schema" / "cerebrium.schema.json"
CORPUS = REPO.parent / "shared" / "corpus" / "real"
SNAPSHOT = Path(__file__).parent / "snapshots" / "schema_corpus.json"
REGENERATE = "run `cerebrium-lsp schema > schema/cerebrium.schema.json`"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


def _errors(validator: jsonschema.Draft7Validator, text: str) -> list[jsonschema.ValidationError]:
    return list(validator.iter_errors(tomllib.loads(text)))


# --- (a) drift, (b) draft-07 ------------------------------------------------------------------


def test_committed_schema_is_up_to_date() -> None:
    committed = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
    assert committed == render_schema(), f"schema/cerebrium.schema.json is stale: {REGENERATE}"


def test_render_is_stable() -> None:
    text = render_schema()
    assert text == render_schema()
    assert text.endswith("}\n")


def test_schema_is_valid_draft7() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["$id"] == "https://www.schemastore.org/cerebrium.json"  # docs/schemastore.md
    assert schema["title"]


def _walk_properties(schema: dict[str, Any], path: str = "") -> list[tuple[str, dict[str, Any]]]:
    found = []
    for name, sub in schema.get("properties", {}).items():
        found.append((f"{path}.{name}".lstrip("."), sub))
        found += _walk_properties(sub, f"{path}.{name}")
    return found


def test_every_property_is_documented() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    for path, prop in _walk_properties(schema):
        assert prop.get("description") and prop.get("markdownDescription"), path
        # A string-or-list value is an anyOf of typed branches (Ajv strict refuses a union type).
        typed = "type" in prop or all("type" in branch for branch in prop.get("anyOf", [{}]))
        assert typed, path
        assert prop["x-taplo"]["links"]["key"].startswith("https://cerebrium.ai/docs/"), path
        assert "](" not in prop["description"], f"{path}: Markdown link in plain description"
        if prop.get("deprecated"):  # VS Code's deprecationMessage is derived from this paragraph
            assert prop["description"].startswith("Deprecated"), path


def test_enums_carry_descriptions() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))

    def visit(node: object) -> int:
        count = 0
        if isinstance(node, dict):
            if "enum" in node and "markdownEnumDescriptions" in node:
                n = len(node["enum"])
                assert len(node["markdownEnumDescriptions"]) == n
                assert len(node["enumDescriptions"]) == n
                assert len(node["x-taplo"]["docs"]["enumValues"]) == n
                count += 1
            count += sum(visit(v) for v in node.values())
        elif isinstance(node, list):
            count += sum(visit(v) for v in node)
        return count

    assert visit(schema) >= 8


# --- (c) hand-written documents ----------------------------------------------------------------

GOOD = {
    "minimal": '[cerebrium.deployment]\nname = "app"\n',
    "init": """
[cerebrium.deployment]
name = "my-app"
python_version = "3.11"
docker_base_image_url = "debian:bookworm-slim"
disable_auth = true
include = ["./*", "main.py", "cerebrium.toml"]
exclude = [".*"]

[cerebrium.hardware]
cpu = 2.0
memory = 2.0
compute = "CPU"
region = "us-east-1"

[cerebrium.scaling]
min_replicas = 0
max_replicas = 2
cooldown = 30
replica_concurrency = 1
scaling_metric = "concurrency_utilization"

[cerebrium.dependencies.pip]
numpy = "latest"
""",
    "everything": """
[cerebrium.deployment]
name = "llm"
python_version = "3.13"
docker_base_image_url = "nvidia/cuda:12.1.1-runtime-ubuntu22.04"
shell_commands = ["python main.py download-files"]
pre_build_commands = ["apt-get update"]
use_uv = true
deployment_initialization_timeout = 830

[cerebrium.hardware]
cpu = 8
memory = 64.5
compute = ["HOPPER_H100", "AMPERE_A100_80GB"]
gpu_count = 2
provider = "nebius"
region = "eu-north1"

[cerebrium.scaling]
min_replicas = 1
max_replicas = 2000
cooldown = 3600
response_grace_period = 43200
scaling_metric = "requests_per_second"
scaling_target = 500
scaling_buffer = 1
roll_out_duration_seconds = 21600
evaluation_interval_seconds = 6
load_balancing_algorithm = "min-connections"
compute_tier = "protected"

[cerebrium.dependencies.pip]
torch = ">=2.1"
"git+https://github.com/org/repo.git" = "latest"

[cerebrium.dependencies.apt]
"libglib2.0-0" = "latest"

[cerebrium.dependencies.conda]
cudatoolkit = "11.8"

[cerebrium.runtime]
container_runtime = "v2"

[cerebrium.runtime.custom]
entrypoint = ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]
port = 8000
healthcheck_endpoint = "/health"
readycheck_endpoint = "/ready"
dockerfile_path = "./Dockerfile"

[cerebrium.experimental]
checkpointing = true
""",
    "partner": """
[cerebrium.deployment]
name = "tts"
disable_auth = true

[cerebrium.runtime.rime]
port = 8001
model_name = "arcana"
language = "en"
image_version = "260728"

[cerebrium.runtime.deepgram]
""",
    "entrypoint string and paths": """
[cerebrium.deployment]
name = "web"

[cerebrium.runtime.custom]
entrypoint = "uvicorn main:app --host 0.0.0.0 --port 5000"
port = 5000

[cerebrium.dependencies.paths]
pip = "requirements.txt"
apt = "pkglist.txt"
conda = "conda_pkglist.txt"
""",
    # Legacy tables and keys are deprecated, not invalid: the CLI ignores them.
    "legacy": """
[cerebrium.build]
predict_data = '{"prompt": "hi"}'
log_level = "INFO"
disable_confirmation = true
some_old_flag = false

[cerebrium.deployment]
name = "old"
cuda_version = "12"

[cerebrium.hardware]
gpu = "AMPERE_A5000"

[cerebrium.scaling]
evaluation_interval = 30
load_balancing = "round-robin"

[cerebrium.requirements.pip]
torch = "2.0.0"

[cerebrium.partner.service]
name = "deepgram"
""",
    # Open sets: regions on request or new, and values of "warning" enums.
    "open values": """
[cerebrium.deployment]
name = "app"

[cerebrium.hardware]
region = "xx-new-1"
provider = "crusoe"

[cerebrium.scaling]
scaling_metric = "latency"
""",
    "other top-level tables": """
[project]
name = "x"

[tool.something]
a = 1

[cerebrium.deployment]
name = "app"
""",
}

BAD = {
    # name: (document, path of the expected error, as "a/b/c")
    "unknown compute": (
        '[cerebrium.hardware]\ncompute = "AMPERE_A1O"',
        "cerebrium/hardware/compute",
    ),
    "legacy compute id": (
        '[cerebrium.hardware]\ncompute = "AMPERE_A100"',
        "cerebrium/hardware/compute",
    ),
    "lower-case compute": ('[cerebrium.hardware]\ncompute = "cpu"', "cerebrium/hardware/compute"),
    "empty compute": ('[cerebrium.hardware]\ncompute = ""', "cerebrium/hardware/compute"),
    "empty compute list": ("[cerebrium.hardware]\ncompute = []", "cerebrium/hardware/compute"),
    "compute list of 6": (
        '[cerebrium.hardware]\ncompute = ["ADA_L4", "AMPERE_A10", "TURING_T4", "ADA_L40", '
        '"HOPPER_H100", "HOPPER_H200"]',
        "cerebrium/hardware/compute",
    ),
    "mixed compute families": (
        '[cerebrium.hardware]\ncompute = ["ADA_L4", "CPU"]',
        "cerebrium/hardware/compute",
    ),
    "python_version as float": (
        '[cerebrium.deployment]\nname = "app"\npython_version = 3.11',
        "cerebrium/deployment/python_version",
    ),
    "python 3.9": (
        '[cerebrium.deployment]\nname = "app"\npython_version = "3.9"',
        "cerebrium/deployment/python_version",
    ),
    "gpu_count as string": (
        '[cerebrium.hardware]\ngpu_count = "1"',
        "cerebrium/hardware/gpu_count",
    ),
    "gpu_count too high": ("[cerebrium.hardware]\ngpu_count = 17", "cerebrium/hardware/gpu_count"),
    "missing deployment.name": (
        '[cerebrium.deployment]\npython_version = "3.11"',
        "cerebrium/deployment",
    ),
    "empty name": ('[cerebrium.deployment]\nname = ""', "cerebrium/deployment/name"),
    "no deployment": ('[cerebrium.hardware]\ncompute = "CPU"', "cerebrium"),
    "no cerebrium table": ('[deployment]\nname = "app"', ""),
    "typo key in hardware": ("[cerebrium.hardware]\ngpu_cont = 2", "cerebrium/hardware"),
    "typo table": ('[cerebrium.dependancies.pip]\ntorch = "2"', "cerebrium"),
    "capitalised key": ('[cerebrium.deployment]\nName = "app"', "cerebrium/deployment"),
    "coreweave": ('[cerebrium.hardware]\nprovider = "coreweave"', "cerebrium/hardware/provider"),
    "compute_tier case": (
        '[cerebrium.scaling]\ncompute_tier = "Protected"',
        "cerebrium/scaling/compute_tier",
    ),
    "container_runtime v3": (
        '[cerebrium.runtime]\ncontainer_runtime = "v3"',
        "cerebrium/runtime/container_runtime",
    ),
    "timeout above 830": (
        '[cerebrium.deployment]\nname = "app"\ndeployment_initialization_timeout = 900',
        "cerebrium/deployment/deployment_initialization_timeout",
    ),
    "float min_replicas": (
        "[cerebrium.scaling]\nmin_replicas = 1.5",
        "cerebrium/scaling/min_replicas",
    ),
    "cpu zero": ("[cerebrium.hardware]\ncpu = 0", "cerebrium/hardware/cpu"),
    "port out of range": (
        "[cerebrium.runtime.custom]\nport = 70000",
        "cerebrium/runtime/custom/port",
    ),
    "region as list": ('[cerebrium.hardware]\nregion = ["us-east-1"]', "cerebrium/hardware/region"),
    "bracketed include string": (
        '[cerebrium.deployment]\nname = "app"\ninclude = "[./*, main.py]"',
        "cerebrium/deployment/include",
    ),
    "dependency as table": (
        '[cerebrium.dependencies.pip]\ntorch = { version = "2" }',
        "cerebrium/dependencies/pip/torch",
    ),
    # The CLI turns numbers into strings (1.10 -> "1.1"); the schema asks for quotes.
    "dependency as number": (
        "[cerebrium.dependencies.pip]\nnumpy = 1.26",
        "cerebrium/dependencies/pip/numpy",
    ),
    "dependencies as list": (
        '[cerebrium.dependencies]\npip = ["requirements.txt"]',
        "cerebrium/dependencies/pip",
    ),
    "unknown experimental key": (
        "[cerebrium.experimental]\ncheckpoint = true",
        "cerebrium/experimental",
    ),
}

_WITH_NAME = '[cerebrium.deployment]\nname = "app"\n'


@pytest.mark.parametrize("name", GOOD)
def test_good_document_validates(validator: jsonschema.Draft7Validator, name: str) -> None:
    errors = _errors(validator, GOOD[name])
    assert [e.message for e in errors] == []


@pytest.mark.parametrize("name", BAD)
def test_bad_document_fails(validator: jsonschema.Draft7Validator, name: str) -> None:
    text, path = BAD[name]
    if "[cerebrium.deployment]" not in text and path not in ("", "cerebrium"):
        text = _WITH_NAME + text  # only the intended error
    errors = _errors(validator, text)
    assert errors, f"{name}: expected a schema error"
    paths = {"/".join(str(p) for p in e.absolute_path) for e in errors}
    assert paths == {path}, [e.message for e in errors]


# --- (d) the real-world corpus -----------------------------------------------------------------


def _corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*cerebrium.toml")) if CORPUS.is_dir() else []


def _summary(error: jsonschema.ValidationError) -> str:
    path = ".".join(str(p) for p in error.absolute_path) or "<root>"
    message = error.message if len(error.message) <= 120 else error.message[:119] + "…"
    return f"{path}: [{error.validator}] {message}"


def _corpus_results(validator: jsonschema.Draft7Validator) -> dict[str, list[str]]:
    results: dict[str, list[str]] = {}
    for file in _corpus_files():
        try:
            document = tomllib.loads(file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError:
            results[file.name] = ["<not valid TOML: not checked>"]
            continue
        results[file.name] = sorted(_summary(e) for e in validator.iter_errors(document))
    return results


def test_corpus_matches_reviewed_snapshot(validator: jsonschema.Draft7Validator) -> None:
    """Every corpus file's schema errors, as reviewed. Regenerate with UPDATE_SNAPSHOTS=1 and
    review the diff: an entry must never be a false rejection of a valid file."""
    if not _corpus_files():
        pytest.skip(f"no corpus at {CORPUS}")
    results = _corpus_results(validator)
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(results, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        SNAPSHOT.write_text(text, encoding="utf-8")
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    changed = sorted(
        n for n in expected.keys() | results.keys() if expected.get(n) != results.get(n)
    )
    assert changed == [], "corpus schema errors changed; rerun with UPDATE_SNAPSHOTS=1 and review"


def _value_valid(spec: KeySpec, value: object, table: TableSpec) -> bool:
    """The model's own judgement of a value (independent of the schema): type, closed enum,
    range, list length and family. Cross-key rules are not considered."""
    strings = isinstance(value, list) and all(isinstance(v, str) for v in value)
    type_ok = {
        ValueType.STRING: isinstance(value, str),
        ValueType.INTEGER: isinstance(value, int) and not isinstance(value, bool),
        ValueType.NUMBER: isinstance(value, int | float) and not isinstance(value, bool),
        ValueType.BOOLEAN: isinstance(value, bool),
        ValueType.STRING_LIST: strings,
        ValueType.STRING_OR_LIST: isinstance(value, str) or strings,
    }[spec.type]
    if not type_ok:
        return False
    if spec.required and value == "":
        return False
    items = value if isinstance(value, list) else [value]
    if spec.min_items is not None and isinstance(value, list) and len(value) < spec.min_items:
        return False
    if spec.max_items is not None and isinstance(value, list) and len(value) > spec.max_items:
        return False
    if spec.enum and spec.enum_severity == "error":
        allowed = {e.value for e in spec.enum if not e.deprecated}
        if any(item not in allowed for item in items):
            return False
        is_compute = table.path == ("cerebrium", "hardware") and spec.name == "compute"
        if is_compute and len({compute_family(str(item)) for item in items}) > 1:
            return False
    elif spec.enum and any(item in {e.value for e in spec.enum if e.deprecated} for item in items):
        return False
    if isinstance(value, int | float) and not isinstance(value, bool):
        if spec.minimum is not None and value < spec.minimum:
            return False
        if spec.maximum is not None and value > spec.maximum:
            return False
    return True


def _lookup(document: dict[str, Any], path: tuple[str, ...]) -> object:
    node: Any = document
    for part in path:
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def _rejection_is_justified(error: jsonschema.ValidationError, document: dict[str, Any]) -> bool:
    path = tuple(str(p) for p in error.absolute_path)
    if error.validator == "additionalProperties":
        # Only names the model does not know at that level may be refused.
        listed = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        instance = error.instance if isinstance(error.instance, dict) else {}
        refused = set(instance) - set(listed)
        table = MODEL.table(path)
        known = {k.name for k in table.keys} if table else set()
        known |= {s.path[-1] for s in subtables(path)}
        return not refused & known
    if error.validator == "required":
        return True  # the key or table is really absent
    if MODEL.table(path) is not None:
        return not isinstance(error.instance, dict)  # a table given as something else
    # The key holding the value (for an error inside a list, the whole list is judged).
    for cut in range(len(path) - 1, 0, -1):
        parent = MODEL.table(path[:cut])
        if parent is None:
            continue
        if parent.entries is not None:
            return not isinstance(error.instance, str)  # a dependency spec that is not a string
        spec = parent.key(path[cut])
        return spec is None or not _value_valid(spec, _lookup(document, path[: cut + 1]), parent)
    return True


@pytest.mark.parametrize("file", _corpus_files(), ids=lambda f: f.name)
def test_corpus_has_no_false_rejections(validator: jsonschema.Draft7Validator, file: Path) -> None:
    """A schema error on a real file must be an unknown key or table, a missing required key,
    or a value the model itself judges invalid; never a valid value of a known key."""
    try:
        document = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError:
        pytest.skip("not valid TOML")
    unjustified = [
        _summary(e)
        for e in validator.iter_errors(document)
        if not _rejection_is_justified(e, document)
    ]
    assert unjustified == []
