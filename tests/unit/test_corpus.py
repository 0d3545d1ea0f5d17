"""The real-world corpus (../shared/corpus/real): no crash, no false errors, every legacy or
unknown key warned about, and a reviewed snapshot of every diagnostic."""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from cerebrium_lsp.analysis.engine import Analysis, AnalysisOptions, analyze
from cerebrium_lsp.model import MODEL

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "real"
SNAPSHOT = Path(__file__).parent / "snapshots" / "corpus_diagnostics.txt"
SCHEMA = json.loads((ROOT / "schema" / "cerebrium.schema.json").read_text(encoding="utf-8"))
FILES = sorted(CORPUS.glob("*.toml"))

SINGLE_KEY_CODES = {
    "unknown-key",
    "unknown-table",
    "legacy-key",
    "legacy-table",
    "key-case",
    "type-mismatch",
    "invalid-value",
    "out-of-range",
    "string-for-list",
    "python-version-float",
}

pytestmark = pytest.mark.skipif(not FILES, reason="the shared corpus is not beside the checkout")


def analyse(path: Path) -> Analysis:
    text = path.read_bytes().decode("utf-8-sig")
    # The corpus is checked away from its projects: no checks that read other files.
    return analyze(text, AnalysisOptions(file_checks=False), raise_errors=True)


def render(path: Path, analysis: Analysis) -> list[str]:
    lines = []
    for d in analysis.diagnostics:
        line, column = analysis.index.position(d.span.start, "utf-32")
        lines.append(f"{path.name}:{line + 1}:{column + 1}: {d.severity} [{d.code}] {d.message}")
    return lines


def lower_keys(value: Any) -> Any:
    """What viper does to the document: every key lower-cased (docs/sources.md)."""
    if isinstance(value, dict):
        return {k.lower(): lower_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [lower_keys(v) for v in value]
    return value


def cli_rejects(data: dict[str, Any]) -> list[str]:
    """Reasons the CLI or backend refuses the file, per the CLI's code and the docs — computed from
    tomllib's decoding, independently of our parser and checks."""
    reasons = []
    root = lower_keys(data).get("cerebrium")
    if not isinstance(root, dict):
        return ["no cerebrium table"]
    deployment = root.get("deployment") or {}
    if not isinstance(deployment, dict) or not str(deployment.get("name", "")).strip():
        reasons.append("deployment.name missing")
    hardware = root.get("hardware") or {}
    compute = hardware.get("compute") if isinstance(hardware, dict) else None
    computes = compute if isinstance(compute, list) else [compute] if compute is not None else []
    if compute is not None and (
        not computes or any(not isinstance(c, str) or not c for c in computes)
    ):
        reasons.append("empty compute")
    known = {c.id for c in MODEL.compute}
    if any(isinstance(c, str) and c and c not in known for c in computes):
        reasons.append("unknown compute id")
    if isinstance(hardware, dict) and hardware.get("provider") == "coreweave":
        reasons.append("coreweave")
    version = deployment.get("python_version") if isinstance(deployment, dict) else None
    if isinstance(version, str) and version not in MODEL.python_versions:
        reasons.append("unsupported python")
    deps = root.get("dependencies") or {}
    if isinstance(deps, dict):
        for name in ("pip", "apt", "conda", "paths"):
            table = deps.get(name)
            if table is not None and not isinstance(table, dict):
                reasons.append(f"dependencies.{name} is not a table")
            elif isinstance(table, dict) and any(
                isinstance(v, dict | list) for v in table.values()
            ):
                reasons.append(f"dependencies.{name} value is not a string")
    return reasons


def unknown_or_legacy_keys(data: dict[str, Any]) -> list[tuple[str, ...]]:
    """Paths of keys and tables under [cerebrium] that the model does not know as current."""
    found: list[tuple[str, ...]] = []

    def walk(table: dict[str, Any], path: tuple[str, ...]) -> None:
        spec = MODEL.table(path)
        if spec is None or spec.entries is not None:
            return
        for key, value in table.items():
            child = (*path, key.lower())
            child_table = MODEL.table(child)
            key_spec = spec.key(key)
            if child_table is not None:
                if child_table.deprecated is not None:
                    found.append(child)
                elif isinstance(value, dict):
                    walk(value, child)
                # a known table written as a value is a decode error (cli_rejects)
            elif key_spec is None or key_spec.deprecated is not None:
                found.append(child)

    root = {k: v for k, v in data.items() if k.lower() == "cerebrium"}
    for value in root.values():
        if isinstance(value, dict):
            walk(value, ("cerebrium",))
    return found


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_corpus_file(path: Path) -> None:
    analysis = analyse(path)
    errors = [d for d in analysis.diagnostics if d.severity == "error"]
    warnings = [d for d in analysis.diagnostics if d.severity in ("error", "warning")]
    for d in analysis.diagnostics:
        assert 0 <= d.span.start <= d.span.end <= len(analysis.text)
    try:
        data = tomllib.loads(analysis.text)
    except tomllib.TOMLDecodeError:
        assert any(d.code.startswith(("toml-", "duplicate-")) for d in errors)
        return
    reasons = cli_rejects(data)
    if reasons:
        assert errors, f"the CLI rejects this file ({', '.join(reasons)}) but we report no error"
    for key_path in unknown_or_legacy_keys(data):
        name = key_path[-1]
        assert any(name in analysis.text[d.span.start : d.span.end].lower() for d in warnings), (
            f"no warning on the unknown or legacy key {'.'.join(key_path)}"
        )
    if (
        not reasons
        and not unknown_or_legacy_keys(data)
        and not list(jsonschema.Draft7Validator(SCHEMA).iter_errors(data))
    ):
        # Only known keys with schema-valid values: no error, and no warning about a single key
        # (cross-key warnings such as gpu_count on CPU are reviewed in the snapshot).
        assert not errors, "a file with only known keys and valid values got errors"
        single_key = [d for d in warnings if d.code in SINGLE_KEY_CODES]
        assert not single_key, "a file with only known keys and valid values got warnings"


def test_snapshot_of_every_corpus_diagnostic() -> None:
    """Any change in what the corpus reports shows up in review (UPDATE_SNAPSHOTS=1 rewrites)."""
    lines = [line for path in FILES for line in render(path, analyse(path))]
    text = "\n".join(lines) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(text, encoding="utf-8")
    assert SNAPSHOT.read_text(encoding="utf-8") == text
