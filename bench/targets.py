"""The servers the benchmark runs, and the workspace each one gets.

Every server gets a fresh copy of the same workspace: the two documents (each beside a
``main.py``), our generated JSON Schema, a ``tombi.toml`` and a ``.taplo.toml`` that point
``cerebrium.toml`` at that schema and turn catalogs off. Servers run in an empty network
namespace (``unshare -n``) when the machine allows it, so none of them reaches the network.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from project_tree import write_project_tree

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DOCUMENTS = BENCH / "documents"
SCHEMA = ROOT / "schema" / "cerebrium.schema.json"
TAPLO_DIR = BENCH / "servers" / "taplo"
TOMBI_VERSION = "1.9.6"

TOMBI_TOML = """\
# Our generated schema for cerebrium.toml, and no catalog (nothing is fetched).
[schema]
catalog = { paths = [] }

[[schemas]]
path = "cerebrium.schema.json"
include = ["cerebrium.toml"]

[lsp]
workspace-diagnostic.enabled = false
"""

TAPLO_TOML = """\
[[rule]]
include = ["**/cerebrium.toml"]

[rule.schema]
path = "cerebrium.schema.json"
"""

# What Even Better TOML answers to Taplo's workspace/configuration, with the SchemaStore catalog
# switched off (the schema comes from .taplo.toml).
TAPLO_SETTINGS: dict[str, Any] = {
    "taplo": {"configFile": {"enabled": True}},
    "schema": {
        "enabled": True,
        "catalogs": [],
        "associations": {},
        "links": False,
        "cache": {"memoryExpiration": 60, "diskExpiration": 600},
    },
    "completion": {"maxKeys": 5},
    "syntax": {"semanticTokens": False},
    "formatter": {},
    "rules": [],
}


def _section(settings: dict[str, Any], name: str) -> Callable[[str | None], Any]:
    def answer(section: str | None) -> Any:
        if not section:
            return {name: settings}
        if section == name:
            return settings
        value: Any = settings
        for part in section.removeprefix(name + ".").split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return value

    return answer


@dataclass(frozen=True)
class Target:
    name: str
    label: str
    command: list[str]
    initialization_options: Any = None
    configuration: Callable[[str | None], Any] = field(default=lambda section: None)

    def available(self) -> str | None:
        """None when the server can run here, else why not."""
        if not Path(self.command[0]).exists() and shutil.which(self.command[0]) is None:
            return f"{self.command[0]} not found"
        if self.name == "taplo" and not (TAPLO_DIR / "node_modules" / "@taplo" / "lsp").is_dir():
            return "run `npm ci` in bench/servers/taplo first"
        return None


def _venv_bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def targets() -> dict[str, Target]:
    return {
        "ours": Target(
            "ours",
            "cerebrium-lsp",
            [_venv_bin("cerebrium-lsp")],
            configuration=_section({}, "cerebrium"),
        ),
        "tombi": Target(
            "tombi", f"Tombi {TOMBI_VERSION}", [_venv_bin("tombi"), "lsp", "--offline"]
        ),
        "taplo": Target(
            "taplo",
            "Taplo 0.8 (WASM)",
            [shutil.which("node") or "node", str(TAPLO_DIR / "launcher.js")],
            initialization_options={"configurationSection": "evenBetterToml", "cachePath": None},
            configuration=_section(TAPLO_SETTINGS, "evenBetterToml"),
        ),
        "bare": Target(
            "bare", "bare pygls 2", [sys.executable, str(BENCH / "servers" / "bare.py")]
        ),
    }


def run_as_installed() -> None:
    """Run the Python servers as ``pip install`` leaves them: byte-compiled. pip compiles every
    module at install time, but an editable checkout has no ``__pycache__``, and a machine that
    sets ``PYTHONDONTWRITEBYTECODE`` (CI images often do) would make every start-up compile our
    sources again, a cost no user pays. So: compile the package once, and let the servers this
    process starts read and write bytecode."""
    import compileall
    import os

    compileall.compile_dir(str(ROOT / "cerebrium_lsp"), quiet=1)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


@cache
def network_isolation() -> list[str]:
    """The command prefix that runs a server without network (``unshare -n``), or ``[]`` when
    this machine does not allow it (reported in the results)."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return []
    try:
        subprocess.run([unshare, "-n", "true"], check=True, capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return []
    return [unshare, "-n"]


def make_workspace(root: Path) -> Path:
    """A workspace with both documents, the schema and the anchors' configuration files."""
    root.mkdir(parents=True, exist_ok=True)
    for document in ("small", "large"):
        target = root / document
        target.mkdir(exist_ok=True)
        for name in ("cerebrium.toml", "main.py"):
            shutil.copyfile(DOCUMENTS / document / name, target / name)
        write_project_tree(target)  # the folder the upload checks walk
    shutil.copyfile(SCHEMA, root / "cerebrium.schema.json")
    (root / "tombi.toml").write_text(TOMBI_TOML, encoding="utf-8")
    (root / ".taplo.toml").write_text(TAPLO_TOML, encoding="utf-8")
    return root
