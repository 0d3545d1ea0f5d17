"""``cerebrium-lsp format``: files and folders, ``-``, ``--check``, ``--diff``, exit codes, and
bytes kept exactly apart from the formatting."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from cerebrium_lsp.cli import main
from cerebrium_lsp.format.cli import run_format

UGLY = b'[cerebrium.deployment]\nname  =  "app"   # the name\ninclude = [\n  "a",\n  "b"\n]\n'
PRETTY = b'[cerebrium.deployment]\nname = "app"         # the name\ninclude = ["a", "b"]\n'
BROKEN = b'[cerebrium.deployment]\nname = "app"\nname = "again"\n'


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    paths = [a for a in args if not a.startswith("--")]
    code = run_format(paths, check="--check" in args, diff="--diff" in args, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_formats_files_in_place(tmp_path: Path) -> None:
    path = write(tmp_path / "cerebrium.toml", UGLY)
    assert run(str(path)) == (
        0,
        "",
        f"reformatted {path}\ncerebrium-lsp format: 1 file reformatted, 0 already formatted\n",
    )
    assert path.read_bytes() == PRETTY
    assert run(str(path))[0] == 0 and path.read_bytes() == PRETTY


def test_byte_order_mark_and_crlf_are_kept(tmp_path: Path) -> None:
    path = write(tmp_path / "x.toml", b"\xef\xbb\xbf" + UGLY.replace(b"\n", b"\r\n"))
    assert run(str(path))[0] == 0
    assert path.read_bytes() == b"\xef\xbb\xbf" + PRETTY.replace(b"\n", b"\r\n")


def test_folders_are_searched_for_cerebrium_toml_only(tmp_path: Path) -> None:
    app = write(tmp_path / "app" / "cerebrium.toml", UGLY)
    other = write(tmp_path / "app" / "pyproject.toml", b"a  =  1\n")
    skipped = write(tmp_path / ".venv" / "cerebrium.toml", UGLY)
    assert run(str(tmp_path))[0] == 0
    assert app.read_bytes() == PRETTY
    assert other.read_bytes() == b"a  =  1\n" and skipped.read_bytes() == UGLY
    assert run(str(other))[0] == 0 and other.read_bytes() == b"a = 1\n"  # named: formatted


def test_check_and_diff_write_nothing(tmp_path: Path) -> None:
    path = write(tmp_path / "cerebrium.toml", UGLY)
    code, out, err = run("--check", str(path))
    assert (code, out) == (1, "") and f"would reformat {path}" in err
    code, out, _ = run("--diff", str(path))
    assert code == 0 and path.read_bytes() == UGLY
    assert f"--- {path} (before)\n+++ {path} (formatted)\n" in out
    assert '-name  =  "app"   # the name\n' in out
    assert '+name = "app"         # the name\n+include = ["a", "b"]\n' in out
    code, out, _ = run("--check", "--diff", str(path))
    assert code == 1 and out.startswith(f"--- {path} (before)")
    write(tmp_path / "cerebrium.toml", PRETTY)
    assert run("--check", str(path)) == (
        0,
        "",
        "cerebrium-lsp format: 0 files would be reformatted, 1 already formatted\n",
    )


def test_a_file_with_errors_is_untouched_and_the_others_are_formatted(tmp_path: Path) -> None:
    broken = write(tmp_path / "a" / "cerebrium.toml", BROKEN)
    good = write(tmp_path / "b" / "cerebrium.toml", UGLY)
    code, _, err = run(str(broken), str(good))
    assert code == 2
    assert broken.read_bytes() == BROKEN and good.read_bytes() == PRETTY
    assert f"{broken}:3:1: not formatted, the file has errors (first: duplicate key" in err
    assert run("--check", str(broken), str(good))[0] == 2  # 2 wins over 1


def test_invalid_utf8_is_an_error_with_its_position(tmp_path: Path) -> None:
    path = write(tmp_path / "cerebrium.toml", b'a = 1\nb = "\xff"\n')
    code, _, err = run(str(path))
    assert code == 2 and path.read_bytes() == b'a = 1\nb = "\xff"\n'
    assert f"{path}:2:6: not formatted" in err and "not valid UTF-8" in err


def test_usage_problems_exit_2_and_the_other_files_are_still_formatted(tmp_path: Path) -> None:
    good = write(tmp_path / "cerebrium.toml", UGLY)
    code, _, err = run(str(tmp_path / "missing.toml"), str(good))
    assert code == 2 and "missing.toml: no such file or directory" in err
    assert good.read_bytes() == PRETTY
    with pytest.raises(SystemExit) as exit_info:
        main(["format", "--bogus"])
    assert exit_info.value.code == 2


def test_permissions_and_symlinks_are_kept(tmp_path: Path) -> None:
    real = write(tmp_path / "real" / "cerebrium.toml", UGLY)
    real.chmod(0o640)
    link = tmp_path / "cerebrium.toml"
    link.symlink_to(real)
    assert run(str(link))[0] == 0
    assert link.is_symlink() and real.read_bytes() == PRETTY
    assert real.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in real.parent.iterdir()] == ["cerebrium.toml"]  # no temporary left


def cli(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "cerebrium_lsp", "format", *args],
        input=stdin,
        capture_output=True,
        check=False,
    )


def test_stdin_to_stdout() -> None:
    done = cli("-", stdin=b"\xef\xbb\xbf" + UGLY.replace(b"\n", b"\r\n"))
    assert (done.returncode, done.stderr) == (0, b"")
    assert done.stdout == b"\xef\xbb\xbf" + PRETTY.replace(b"\n", b"\r\n")
    assert cli("--check", "-", stdin=UGLY).returncode == 1
    assert cli("--check", "-", stdin=PRETTY).returncode == 0


def test_stdin_with_errors_is_echoed_unchanged_and_exits_2() -> None:
    done = cli("-", stdin=BROKEN)
    assert done.returncode == 2 and done.stdout == BROKEN
    assert b"-:3:1: not formatted, the file has errors" in done.stderr
