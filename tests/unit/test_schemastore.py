"""The SchemaStore contribution (packaging/schemastore/): current, and accepted by the checks
SchemaStore's CI runs (Ajv 8 strict, its extra keywords, test file pragmas, catalog lint).

The Ajv checks run in Node (packaging/schemastore/check.mjs, dependencies from its lockfile,
installed by ``scripts/setup.sh --dev``)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import tomllib
from pathlib import Path
from types import ModuleType

import jsonschema
import pytest

REPO = Path(__file__).resolve().parents[2]
HERE = REPO / "packaging" / "schemastore"
SCHEMA_FILE = REPO / "schema" / "cerebrium.schema.json"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("schemastore_generate", HERE / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _node(*args: str) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    assert node, "node is not installed (scripts/test.sh needs Node for the VS Code extension)"
    assert (HERE / "node_modules" / "ajv").is_dir(), (
        "packaging/schemastore/node_modules is missing: run scripts/setup.sh --dev"
    )
    return subprocess.run(
        [node, *args], cwd=HERE, capture_output=True, text=True, timeout=60, check=False
    )


def test_generated_files_are_current() -> None:
    assert _generator().stale_files() == [], "run `python packaging/schemastore/generate.py`"


def test_catalog_entry_names_the_schema_id() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    entry = json.loads((HERE / "src/api/json/catalog-entry.json").read_text(encoding="utf-8"))
    assert entry["url"] == schema["$id"] == "https://www.schemastore.org/cerebrium.json"
    assert entry["fileMatch"] == ["cerebrium.toml"]


@pytest.mark.parametrize("name", sorted(_generator().NEGATIVE_CASES))
def test_each_negative_case_fails_only_for_its_mistake(name: str) -> None:
    """SchemaStore's negative tests should each isolate one mistake."""
    _, where = _generator().NEGATIVE_CASES[name]
    text = (HERE / "src/negative_test/cerebrium" / f"{name}.toml").read_text(encoding="utf-8")
    validator = jsonschema.Draft7Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    paths = {
        "/" + "/".join(str(p) for p in e.absolute_path)
        for e in validator.iter_errors(tomllib.loads(text))
    }
    assert paths == {where}


def test_schemastore_checks_pass() -> None:
    """The schema compiles under Ajv strict with SchemaStore's keywords; every positive test file
    validates, every negative one is rejected; pragmas and the catalog entry pass its lint."""
    result = _node("check.mjs")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "compiles (Ajv strict)" in result.stdout
    positives = len(list((HERE / "src/test/cerebrium").glob("*.toml")))
    negatives = len(list((HERE / "src/negative_test/cerebrium").glob("*.toml")))
    assert result.stdout.count(" validates\n") == positives >= 5
    assert result.stdout.count(" is rejected (") == negatives >= 6


@pytest.mark.parametrize(
    ("schema", "refusal"),
    [
        ({"type": "string", "deprecationMessage": "old"}, 'unknown keyword: "deprecationMessage"'),
        ({"type": ["string", "array"]}, "allowUnionTypes"),
    ],
    ids=["vscode-keyword", "union-type"],
)
def test_the_check_is_as_strict_as_schemastore(schema: dict[str, object], refusal: str) -> None:
    """What SchemaStore's Ajv refused in the old schema, ours refuses too."""
    script = (
        'import { schemaStoreAjv } from "./check.mjs";'
        f"try {{ schemaStoreAjv().compile({json.dumps(schema)}); console.log('accepted'); }}"
        "catch (err) { console.log(err.message); }"
    )
    result = _node("--input-type=module", "-e", script)
    assert refusal in result.stdout, result.stdout + result.stderr
