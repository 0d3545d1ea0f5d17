"""`cerebrium-lsp check`: paths, output formats, exit codes, and bad input handled without a
traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cerebrium_lsp.analysis.engine import AnalysisOptions, analyze
from cerebrium_lsp.cli import main

ROOT = Path(__file__).resolve().parents[2]
GOOD = '[cerebrium.deployment]\nname = "app"\n\n[cerebrium.hardware]\ncompute = "CPU"\n'
BAD = '[cerebrium.deployment]\nname = "app"\n\n[cerebrium.hardware]\ncompute = "AMPERE_A1O"\n'
WARN = '[cerebrium.deployment]\nname = "app"\n\n[cerebrium.hardware]\ngpu_cont = 1\n'


def write(folder: Path, text: str | bytes, name: str = "cerebrium.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.py").write_text("")
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_file_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD)
    code, out, _ = run(capsys, str(path))
    assert code == 0
    assert out == "1 file checked: 0 errors, 0 warnings, 0 notes\n"


def test_error_exits_one_with_one_based_position(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, BAD)
    code, out, _ = run(capsys, str(path))
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(f'{path}:5:11: error [invalid-value] "AMPERE_A1O" is not a valid')
    assert 'Did you mean "AMPERE_A10"?' in first


def test_warnings_fail_only_on_request(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, WARN)
    assert run(capsys, str(path))[0] == 0
    assert run(capsys, "--fail-on", "warning", str(path))[0] == 1


def test_json_is_exactly_what_the_server_publishes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = '# ünïcödé 🚀\n[cerebrium.deployment]\nname = "🚀"\npython_version = 3.10\n'
    path = write(tmp_path, text)
    code, out, _ = run(capsys, "--format", "json", str(path))
    assert code == 1
    payload = json.loads(out)
    analysis = analyze(text, AnalysisOptions(project_dir=tmp_path))
    expected = [d.to_lsp(analysis.index, path.resolve().as_uri()) for d in analysis.diagnostics]
    assert payload == {"files": [{"path": str(path), "diagnostics": expected}]}
    diagnostic = payload["files"][0]["diagnostics"][0]
    assert diagnostic["code"] == "python-version-float"
    assert diagnostic["source"] == "cerebrium"
    assert diagnostic["range"] == {
        "start": {"line": 3, "character": 17},
        "end": {"line": 3, "character": 21},
    }


def test_folders_are_searched_skipping_vendored_trees(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "app", GOOD)
    write(tmp_path / "node_modules" / "x", BAD)
    write(tmp_path / ".git" / "x", BAD)
    venv = tmp_path / "env"
    write(venv / "lib", BAD)
    (venv / "pyvenv.cfg").write_text("home = /usr\n")
    code, out, _ = run(capsys, str(tmp_path))
    assert code == 0
    assert out == "1 file checked: 0 errors, 0 warnings, 0 notes\n"


def test_missing_path_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(tmp_path / "nope.toml"))
    assert code == 2
    assert out == ""
    assert err == f"cerebrium-lsp check: {tmp_path / 'nope.toml'}: no such file or directory\n"


def test_bad_severity_override_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--severity", "unknown-key=loud", ".")
    assert code == 2
    assert "expected CODE=LEVEL" in err


def test_severity_override(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, WARN)
    code, out, _ = run(capsys, "--severity", "unknown-key=error", str(path))
    assert code == 1
    assert "error [unknown-key]" in out
    code, out, _ = run(capsys, "--severity", "unknown-key=off", str(path))
    assert "unknown-key" not in out


def test_invalid_utf8_is_reported_not_raised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, b'[cerebrium.deployment]\nname = "a\xff"\n')
    code, out, _ = run(capsys, str(path))
    assert code == 1
    assert out.splitlines()[0].startswith(
        f"{path}:2:10: error [toml-syntax] The file is not valid UTF-8 (byte 0xff"
    )


def test_bom_does_not_shift_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "\ufeff" + BAD)
    code, out, _ = run(capsys, str(path))
    assert code == 1
    assert out.startswith(f"{path}:5:11: error [invalid-value]")


def test_file_checks_can_be_switched_off(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, GOOD)
    (tmp_path / "main.py").unlink()
    code, out, _ = run(capsys, str(path))
    assert code == 1
    assert "[missing-file] No main.py" in out
    assert run(capsys, "--no-file-checks", str(path))[0] == 0


def test_examples_good_are_clean_and_bad_fail(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, str(ROOT / "examples" / "good"))[0] == 0
    code, out, _ = run(capsys, str(ROOT / "examples" / "bad"))
    assert code == 1
    assert "3 files checked" in out


def test_console_script_runs_without_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cerebrium_lsp", "check", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stderr == f"cerebrium-lsp check: no cerebrium.toml found in {tmp_path}\n"
    assert "Traceback" not in result.stdout + result.stderr
