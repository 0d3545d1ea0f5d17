"""Quick fixes: each offered fix, applied to every corpus and example file, yields a file that
parses, removes the diagnostic it targets, adds no new error and keeps every comment line."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest

from cerebrium_lsp.analysis.engine import Analysis, AnalysisOptions, analyze
from cerebrium_lsp.analysis.fixes import apply_edits, fix_all_text, fixes_for

ROOT = Path(__file__).resolve().parents[2]
CORPUS = sorted((ROOT.parent / "shared" / "corpus" / "real").glob("*.toml"))
EXAMPLES = sorted((ROOT / "examples").rglob("cerebrium.toml"))
FILES = CORPUS + EXAMPLES


def analyse(text: str, project: Path | None = None) -> Analysis:
    return analyze(text, AnalysisOptions(project_dir=project, file_checks=False), raise_errors=True)


def parses(text: str) -> bool:
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    return True


def comment_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def errors(analysis: Analysis) -> Counter[str]:
    return Counter(d.code for d in analysis.diagnostics if d.severity == "error")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name if p in CORPUS else str(p.parent.name))
def test_every_offered_fix_is_sound(path: Path) -> None:
    text = path.read_bytes().decode("utf-8-sig")
    before = analyse(text)
    parsed_before = parses(text)
    for diagnostic in before.diagnostics:
        for fix in fixes_for(before, diagnostic, path.parent):
            fixed = apply_edits(text, fix.edits)
            where = f"{fix.title!r} for [{diagnostic.code}] {diagnostic.message}"
            if parsed_before:
                assert parses(fixed), f"{where} broke the TOML:\n{fixed}"
            after = analyse(fixed)
            same_place = [
                d
                for d in after.diagnostics
                if d.code == diagnostic.code and d.message == diagnostic.message
            ]
            assert not same_place, f"{where} did not remove its diagnostic"
            new_errors = errors(after) - errors(before)
            assert not new_errors, f"{where} added errors {dict(new_errors)}"
            assert Counter(comment_lines(fixed)) >= Counter(comment_lines(text)), (
                f"{where} deleted a comment"
            )


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name if p in CORPUS else str(p.parent.name))
def test_fix_all_is_sound_and_idempotent(path: Path) -> None:
    text = path.read_bytes().decode("utf-8-sig")
    before = analyse(text)
    fixed = fix_all_text(before, path.parent)
    if parses(text):
        assert parses(fixed)
    after = analyse(fixed)
    assert not (errors(after) - errors(before))
    assert Counter(comment_lines(fixed)) >= Counter(comment_lines(text))
    assert fix_all_text(after, path.parent) == fixed


def test_typos_example_is_fixed_as_a_user_expects() -> None:
    path = ROOT / "examples" / "bad" / "typos" / "cerebrium.toml"
    fixed = fix_all_text(analyse(path.read_text()), path.parent)
    assert 'python_version = "3.10"' in fixed
    assert 'compute = "AMPERE_A10"' in fixed
    assert "gpu_count = 2" in fixed
    assert "port = 5000" in fixed
    assert 'healthcheck_endpoint = "/health"' in fixed
    assert 'numpy = ">=1.26,==1.*"' in fixed
    assert '"libglib2.0-0" = "latest"' in fixed


def test_removing_an_entry_keeps_its_comments() -> None:
    text = (
        '[cerebrium.deployment]\nname = "a"\n\n[cerebrium.hardware]\n'
        'compute = "CPU"\ngpu_count = [ # how many\n  1,\n] # trailing\n'
    )
    analysis = analyse(text)
    [diagnostic] = [d for d in analysis.diagnostics if d.code == "type-mismatch"]
    assert diagnostic  # gpu_count as an array cannot decode
    found = [d for d in analysis.diagnostics if d.code == "gpu-count-ignored"]
    assert not found


def test_duplicate_healthcheck_is_renamed_to_readycheck() -> None:
    text = (
        '[cerebrium.deployment]\nname = "a"\n\n[cerebrium.runtime.custom]\n'
        'healthcheck_endpoint = "/health"\nhealthcheck_endpoint = "/ready"\n'
    )
    analysis = analyse(text)
    [duplicate] = [d for d in analysis.diagnostics if d.code == "duplicate-key"]
    first, second = fixes_for(analysis, duplicate)
    assert first.title == "Rename the second `healthcheck_endpoint` to `readycheck_endpoint`"
    assert apply_edits(text, first.edits).endswith('readycheck_endpoint = "/ready"\n')
    assert second.title == "Remove this second `healthcheck_endpoint`"
    assert apply_edits(text, second.edits).endswith('healthcheck_endpoint = "/health"\n')


def test_port_mismatch_offers_both_directions() -> None:
    text = (
        '[cerebrium.deployment]\nname = "a"\n\n[cerebrium.runtime.custom]\nport = 8000\n'
        'entrypoint = ["uvicorn", "main:app", "--port=5000"]\n'
    )
    analysis = analyse(text)
    [mismatch] = [d for d in analysis.diagnostics if d.code == "port-mismatch"]
    set_port, set_entrypoint = fixes_for(analysis, mismatch)
    assert "port = 5000\n" in apply_edits(text, set_port.edits)
    assert '"--port=8000"' in apply_edits(text, set_entrypoint.edits)


def test_missing_name_is_added_from_the_folder(tmp_path: Path) -> None:
    project = tmp_path / "My Project"
    text = '# config\n[cerebrium.hardware]\ncompute = "CPU"\n'
    analysis = analyse(text, project)
    [missing] = [d for d in analysis.diagnostics if d.code == "missing-name"]
    [fix] = fixes_for(analysis, missing, project)
    assert apply_edits(text, fix.edits) == (
        '# config\n[cerebrium.deployment]\nname = "my-project"\n\n[cerebrium.hardware]\n'
        'compute = "CPU"\n'
    )
