"""A compute type or region the catalog does not know says how old the catalog is (version and
date), so a user on an old version can tell a typo from a new GPU; `--version` prints the date."""

from __future__ import annotations

import pytest

from cerebrium_lsp import __version__
from cerebrium_lsp.analysis.engine import AnalysisOptions, analyze
from cerebrium_lsp.cli import main
from cerebrium_lsp.model.catalog_age import CATALOG_DATE

HARDWARE = '[cerebrium.deployment]\nname = "app"\n\n[cerebrium.hardware]\n'


def invalid_values(text: str) -> list[str]:
    analysis = analyze(HARDWARE + text, AnalysisOptions(file_checks=False), raise_errors=True)
    return [d.message for d in analysis.diagnostics if d.code == "invalid-value"]


@pytest.mark.parametrize(
    "line",
    [
        'compute = "HOPPER_H300"',
        'compute = ["ADA_L4", "RUBIN_R100"]',
        'region = "mars-north-1"',
    ],
)
def test_unknown_compute_or_region_names_the_catalog(line: str) -> None:
    [message] = invalid_values(line)
    assert f"cerebrium-lsp {__version__}" in message
    assert CATALOG_DATE in message
    assert "update cerebrium-lsp" in message


def test_other_invalid_values_do_not() -> None:
    [message] = invalid_values('provider = "azure"')
    assert CATALOG_DATE not in message


def test_legacy_gpu_is_not_a_catalog_question() -> None:
    [message] = invalid_values('compute = "AMPERE_A100"')
    assert CATALOG_DATE not in message and "AMPERE_A100_80GB" in message


def test_version_prints_the_catalog_date(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out == f"cerebrium-lsp {__version__} (catalog of {CATALOG_DATE})\n"
