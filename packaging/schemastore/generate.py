"""Write what a SchemaStore pull request for cerebrium.toml adds, in SchemaStore's layout.

    python packaging/schemastore/generate.py          # (re)write the files under src/
    python packaging/schemastore/generate.py --check  # exit 1 and name the stale files

- ``src/schemas/json/cerebrium.json``: a symbolic link to ``schema/cerebrium.schema.json``
  (itself drift-tested against ``cerebrium-lsp schema``), so there is one copy to keep current.
- ``src/api/json/catalog-entry.json``: the entry to add to SchemaStore's ``catalog.json``.
- ``src/test/cerebrium/*.toml``: the bundled good examples, which must validate.
- ``src/negative_test/cerebrium/*.toml``: the parseable bad examples and one file per kind of
  mistake the schema itself catches, which must not validate.

Every test file starts with the ``#:schema`` pragma SchemaStore's ``cli.js check`` demands: the
schema's path relative to the test file. ``check.mjs`` validates all of it as SchemaStore's CI does.
"""

from __future__ import annotations

import json
import os
import sys
import tomllib
from pathlib import Path

from cerebrium_lsp.schema import SCHEMA_ID

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
NAME = "cerebrium"
SCHEMA_PATH = Path("src/schemas/json") / f"{NAME}.json"
SCHEMA_TARGET = REPO / "schema" / "cerebrium.schema.json"
CATALOG_ENTRY_PATH = Path("src/api/json/catalog-entry.json")
POSITIVE_DIR = Path("src/test") / NAME
NEGATIVE_DIR = Path("src/negative_test") / NAME
PRAGMA = f"#:schema ../../schemas/json/{NAME}.json\n"

CATALOG_ENTRY = {
    "name": "Cerebrium",
    "description": "Cerebrium serverless GPU app configuration (cerebrium.toml)",
    "fileMatch": ["cerebrium.toml"],
    "url": SCHEMA_ID,
}

# One file per kind of mistake the schema rejects on its own (no cross-key rules), each valid
# but for that mistake (SchemaStore's negative-isolation coverage), with where it is reported.
_VALID_START = '[cerebrium.deployment]\nname = "negative-test"\n\n'
NEGATIVE_CASES = {
    "gpu-typo": ('[cerebrium.hardware]\ncompute = "AMPERE_A1O"\n', "/cerebrium/hardware/compute"),
    "mixed-compute-families": (
        '[cerebrium.hardware]\ncompute = ["AMPERE_A10", "TRN1"]\n',
        "/cerebrium/hardware/compute",
    ),
    "unknown-key": ("[cerebrium.hardware]\ngpu_cont = 1\n", "/cerebrium/hardware"),
    "wrong-type": ('[cerebrium.scaling]\nmax_replicas = "5"\n', "/cerebrium/scaling/max_replicas"),
    "below-minimum": (
        "[cerebrium.scaling]\nmin_replicas = -1\n",
        "/cerebrium/scaling/min_replicas",
    ),
}
NO_CEREBRIUM_TABLE = '[tool.other]\nname = "x"\n'  # the one required top-level table


def _examples(kind: str) -> dict[str, str]:
    """``examples/<kind>/<name>/cerebrium.toml`` that parse as TOML, by example name."""
    found = {}
    for path in sorted((REPO / "examples" / kind).glob("*/cerebrium.toml")):
        text = path.read_text(encoding="utf-8")
        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            continue  # SchemaStore's check stops at a file it cannot parse
        found[path.parent.name] = text
    return found


def expected_files() -> dict[Path, str]:
    """Every generated file (relative to this folder) and its text."""
    files = {
        CATALOG_ENTRY_PATH: json.dumps(CATALOG_ENTRY, indent=2) + "\n",
    }
    for name, text in _examples("good").items():
        files[POSITIVE_DIR / f"{name}.toml"] = PRAGMA + text
    negatives = {name: _VALID_START + text for name, (text, _) in NEGATIVE_CASES.items()}
    negatives |= {**_examples("bad"), "no-cerebrium-table": NO_CEREBRIUM_TABLE}
    for name, text in negatives.items():
        files[NEGATIVE_DIR / f"{name}.toml"] = PRAGMA + text
    return files


def stale_files() -> list[str]:
    """Generated files that are missing, differ, or are left over, relative to this folder."""
    expected = expected_files()
    stale = [str(p) for p, text in expected.items() if _read(HERE / p) != text]
    link = HERE / SCHEMA_PATH
    if not link.is_symlink() or link.resolve() != SCHEMA_TARGET:
        stale.append(str(SCHEMA_PATH))
    for folder in (POSITIVE_DIR, NEGATIVE_DIR):
        for path in sorted((HERE / folder).glob("*")):
            if path.relative_to(HERE) not in expected:
                stale.append(str(path.relative_to(HERE)))
    return stale


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


def write() -> None:
    expected = expected_files()
    for folder in (POSITIVE_DIR, NEGATIVE_DIR):
        for path in (HERE / folder).glob("*"):
            if path.relative_to(HERE) not in expected:
                path.unlink()
    for path, text in expected.items():
        (HERE / path).parent.mkdir(parents=True, exist_ok=True)
        (HERE / path).write_text(text, encoding="utf-8")
    link = HERE / SCHEMA_PATH
    link.unlink(missing_ok=True)
    link.symlink_to(os.path.relpath(SCHEMA_TARGET, link.parent))


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        stale = stale_files()
        for name in stale:
            print(f"stale: packaging/schemastore/{name}", file=sys.stderr)
        if stale:
            print("run `python packaging/schemastore/generate.py`", file=sys.stderr)
        return 1 if stale else 0
    if argv:
        print(__doc__, file=sys.stderr)
        return 2
    write()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
