"""Start-up imports only what ``initialize`` needs: the feature modules in
``lazy_features.LAZY_FEATURES`` are declared there and imported on first use. These
declarations must be exactly what each module registers, or a capability would be advertised
wrongly."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from cerebrium_lsp.lazy_features import LAZY_FEATURES, Recorder
from cerebrium_lsp.server import build_server


@pytest.mark.parametrize("name", sorted(LAZY_FEATURES))
def test_declared_methods_and_options_are_what_the_module_registers(name: str) -> None:
    module = importlib.import_module(f"cerebrium_lsp.features.{name}")
    recorder = Recorder(build_server())
    module.register(recorder)
    assert recorder.options == dict(LAZY_FEATURES[name])


def test_the_server_starts_without_importing_them() -> None:
    lazy = [f"cerebrium_lsp.features.{name}" for name in LAZY_FEATURES]
    heavy = [*lazy, "cerebrium_lsp.model.catalog", "cerebrium_lsp.analysis.engine"]
    code = (
        "import sys\n"
        "from cerebrium_lsp.server import build_server\n"
        "build_server()\n"
        f"print([m for m in {heavy!r} if m in sys.modules])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
