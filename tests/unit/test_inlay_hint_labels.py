"""Inlay hint labels from the config model (features/inlay_hints.py): short for every compute
type, the facts the CLI would act on, none repeating a diagnostic, and the setting that turns
them off."""

from __future__ import annotations

from pathlib import Path

import pytest

from cerebrium_lsp.analysis.engine import analyze
from cerebrium_lsp.features.inlay_hints import MAX_LABEL, compute_label, document_hints
from cerebrium_lsp.model.catalog import MODEL
from cerebrium_lsp.model.types import ComputeType
from cerebrium_lsp.settings import Settings, parse_settings

CORPUS = sorted(
    (Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "real").glob("*.toml")
)


@pytest.mark.parametrize("compute", MODEL.compute, ids=lambda c: c.id)
def test_every_compute_label_is_short_and_names_the_memory(compute: ComputeType) -> None:
    label = compute_label(compute)
    assert len(label) <= MAX_LABEL, label
    if compute.vram_gb:
        assert f"{compute.vram_gb} GB" in label


def _label(compute_id: str) -> str:
    compute = MODEL.compute_type(compute_id)
    assert compute is not None
    return compute_label(compute)


def test_labels() -> None:
    assert _label("AMPERE_A10") == "NVIDIA A10 · 24 GB · $1.10/h"
    assert _label("AMPERE_A100_80GB") == "NVIDIA A100 80 GB · $2.10/h"  # the name has the memory
    assert _label("BLACKWELL_RTX6000") == "RTX PRO 6000 · 96 GB · $2.50/h"  # too long with NVIDIA
    assert _label("INF2") == "AWS Inferentia2 · 32 GB"  # no list price


def _labels(text: str) -> list[tuple[str, str]]:
    analysis = analyze(text)
    return [(text[h.value.start : h.value.end], h.label) for h in document_hints(analysis)]


def test_compute_list_and_gpu_memory() -> None:
    text = '[cerebrium.hardware]\ncompute = ["ADA_L40", "AMPERE_A10"]\ngpu_count = 2.9\n'
    assert _labels(text) == [
        ('"ADA_L40"', "NVIDIA L40S · 48 GB · $1.95/h"),
        ('"AMPERE_A10"', "NVIDIA A10 · 24 GB · $1.10/h"),
        ("2.9", "48–96 GB VRAM"),  # truncated to 2, as the CLI does
    ]


def test_no_hint_where_a_diagnostic_says_it_or_the_value_is_wrong() -> None:
    text = (
        "[cerebrium.deployment]\nname = 'x'\npython_version = 3.11\nexclude = 'a,b'\n"
        "include = '[./*, main.py]'\n"
        "[cerebrium.hardware]\ncompute = 'CPU'\ngpu_count = 1\n"
        "[cerebrium.scaling]\nmin_replicas = 0\nscaling_metric = 'cpu_utilization'\n"
    )
    # python_version: its warning says what the CLI sends; exclude: its note lists the
    # patterns; include: an error (the CLI keeps the brackets); gpu_count on CPU: an error;
    # min_replicas = 0 with a utilisation metric: an error.
    assert _labels(text) == [("'CPU'", "CPU only · $0.024/vCPU·h")]


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_corpus_hints_are_short(path: Path) -> None:
    analysis = analyze(path.read_text(encoding="utf-8"))
    for hint in document_hints(analysis):
        assert 0 < len(hint.label) <= MAX_LABEL
        assert hint.tooltip


@pytest.mark.parametrize(
    ("raw", "enabled", "problems"),
    [
        ({}, True, 0),
        ({"inlayHints": {"enabled": False}}, False, 0),
        ({"inlay_hints": {"enabled": True}}, True, 0),
        ({"inlayHints": {"enabled": "no"}}, True, 1),
        ({"inlayHints": False}, True, 1),
    ],
)
def test_setting(raw: object, enabled: bool, problems: int) -> None:
    settings, found = parse_settings(raw)
    assert settings.inlay_hints is enabled
    assert len(found) == problems
    assert Settings().inlay_hints is True
