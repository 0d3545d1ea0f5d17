"""The formatter over every document we have: the TOML 1.0 suite (210 valid files: every
invariant; 499 invalid files: never rewritten, exit 2) and every real ``cerebrium.toml`` of
``../shared/corpus/real`` (every invariant, or untouched when it has errors), and the real
corpus run through ``taplo fmt`` 0.9.3 (the PyPI wheel, a dev dependency) to count how many of
our outputs Taplo leaves unchanged. docs/formatting.md records the numbers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from format_invariants import check_invariants

from cerebrium_lsp.format.cli import FormatProblem, format_bytes

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "corpus"
SUITE = SHARED / "toml-test"
REAL = SHARED / "real"
if not (SUITE / "files-toml-1.0.0").is_file() and os.environ.get("CI") != "true":
    pytest.skip(f"the corpus is not at {SHARED}", allow_module_level=True)
LISTED = [n for n in (SUITE / "files-toml-1.0.0").read_text().split() if n.endswith(".toml")]
VALID = [n for n in LISTED if n.startswith("valid/")]
INVALID = [n for n in LISTED if n.startswith("invalid/")]
REAL_FILES = sorted(p.name for p in REAL.glob("*.toml"))
# Real files with errors (a duplicate key; a broken first line): never formatted.
REAL_WITH_ERRORS = {
    "CerebriumAI__cerebrium-prebuilts__controlnet__cerebrium.toml",
    "rafayaamirgull__cerebrium_ml_model_deployment__cerebrium.toml",
}
BOM = b"\xef\xbb\xbf"
TAPLO = Path(sys.executable).with_name("taplo")


def test_the_corpus_is_all_there() -> None:
    assert (len(VALID), len(INVALID), len(REAL_FILES)) == (210, 499, 198)


def check_file(data: bytes) -> None:
    result = format_bytes(data)
    assert isinstance(result, bytes), result
    assert result.startswith(BOM) == data.startswith(BOM), "the byte order mark changed"
    check_invariants(data.removeprefix(BOM).decode(), result.removeprefix(BOM).decode())
    assert format_bytes(result) == result


@pytest.mark.parametrize("name", VALID)
def test_valid_document_keeps_every_invariant(name: str) -> None:
    check_file((SUITE / name).read_bytes())


@pytest.mark.parametrize("name", REAL_FILES)
def test_real_file_keeps_every_invariant_or_is_left_alone(name: str) -> None:
    data = (REAL / name).read_bytes()
    if name in REAL_WITH_ERRORS:
        assert isinstance(format_bytes(data), FormatProblem)
    else:
        check_file(data)


def test_no_invalid_document_is_formatted() -> None:
    problems = [format_bytes((SUITE / name).read_bytes()) for name in INVALID]
    assert [
        n for n, p in zip(INVALID, problems, strict=True) if not isinstance(p, FormatProblem)
    ] == []


def test_the_cli_leaves_every_invalid_file_untouched_and_exits_2(tmp_path: Path) -> None:
    """All 499 files in one run of the real command: each reported, none written."""
    copies = []
    for index, name in enumerate(INVALID):
        copy = tmp_path / f"{index:03d}-{Path(name).name}"
        shutil.copyfile(SUITE / name, copy)
        copies.append(copy)
    run = subprocess.run(
        [sys.executable, "-m", "cerebrium_lsp", "format", *map(str, copies)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert run.stdout == ""
    for name, copy in zip(INVALID, copies, strict=True):
        assert copy.read_bytes() == (SUITE / name).read_bytes(), name
        assert f"{copy}:" in run.stderr, name
    assert run.stderr.count("not formatted, the file has errors") == len(INVALID)
    assert run.stderr.rstrip().endswith("0 files reformatted, 0 already formatted")


def test_taplo_leaves_our_output_unchanged(tmp_path: Path) -> None:
    """``taplo fmt`` (default options) over our output of every formattable real file: at least
    95% unchanged byte for byte; each file it does change differs only in its line breaks
    (Taplo writes LF into CRLF files)."""
    ours: dict[str, bytes] = {}
    for name in REAL_FILES:
        if name not in REAL_WITH_ERRORS:
            result = format_bytes((REAL / name).read_bytes())
            assert isinstance(result, bytes)
            ours[name] = result
            (tmp_path / name).write_bytes(result)
    run = subprocess.run(
        [str(TAPLO), "fmt", "--no-auto-config", *sorted(ours)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    changed = sorted(name for name in ours if (tmp_path / name).read_bytes() != ours[name])
    assert changed == [
        "kklabuser395817-max__special-fortnight__cerebrium.toml",
        "oscarterah__mtailor_assessment__cerebrium.toml",
    ]
    for name in changed:
        assert ours[name].replace(b"\r\n", b"\n") == (tmp_path / name).read_bytes()
    assert len(ours) == 196 and (len(ours) - len(changed)) / len(ours) >= 0.95
