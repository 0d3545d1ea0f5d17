"""The shortcuts that keep ``cerebrium-lsp format`` fast give the same answers as the long way:

* its arguments read without argparse (``cli._plain_format_args``) are what argparse reads, and
  everything else still goes to argparse;
* ``format_checked`` (one validity check per file: the resolver when nothing changes, tomllib
  before a rewrite) returns what ``format_text`` (parser, resolver and tomllib on every file)
  returns, error message and position included, on every document we have;
* the command imports neither argparse nor the checks, the language server or JSON.
"""

from __future__ import annotations

import gc
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cerebrium_lsp.cli import _parser, _plain_format_args
from cerebrium_lsp.format import format_text
from cerebrium_lsp.format.checked import format_checked
from cerebrium_lsp.format.cli import run_format

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "corpus"
SUITE = SHARED / "toml-test"


@pytest.mark.parametrize(
    "argv",
    [
        ["format"],
        ["format", "a.toml"],
        ["format", "--check"],
        ["format", "--check", "--diff", "a", "b"],
        ["format", "a", "b", "--diff"],
        ["format", "--diff", "a", "--check"],
        ["format", "-"],
        ["format", "--check", "-", "x y.toml", ""],
        ["format", "--check", "--check", "a"],
    ],
)
def test_plain_arguments_read_as_argparse_reads_them(argv: list[str]) -> None:
    args = _parser().parse_args(argv)
    assert _plain_format_args(argv) == (args.paths, args.check, args.diff)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["check", "a"],
        ["format", "--help"],
        ["format", "--che", "a"],  # an abbreviation: argparse's to accept
        ["format", "--", "-a.toml"],
        ["format", "-a.toml"],
        ["format", "a", "--check", "b"],  # paths among the options: argparse's error
        ["format", "--check=1"],
        ["--version", "format"],
    ],
)
def test_everything_else_goes_to_argparse(argv: list[str]) -> None:
    assert _plain_format_args(argv) is None


def _documents() -> list[tuple[str, str]]:
    if not (SUITE / "files-toml-1.0.0").is_file():
        pytest.skip(f"the corpus is not at {SHARED}")
    listed = [n for n in (SUITE / "files-toml-1.0.0").read_text().split() if n.endswith(".toml")]
    files = [SUITE / name for name in listed] + sorted((SHARED / "real").glob("*.toml"))
    documents = []
    for path in files:
        data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
        try:
            documents.append((str(path.relative_to(SHARED)), data.decode("utf-8")))
        except UnicodeDecodeError:
            continue  # an encoding error: reported before either formatter runs
    return documents


def test_format_checked_answers_as_format_text_on_every_document() -> None:
    documents = _documents()
    assert len(documents) > 800
    differ = [name for name, text in documents if format_checked(text) != format_text(text)]
    assert differ == []


@pytest.mark.parametrize(
    "text",
    [
        "a = 1\na = 2\n",  # formatted already, a duplicate key: the resolver says so
        "a  =  1\na = 2\n",  # would change, a duplicate key: refused before any write
        "[t]\nx = 1\n[t]\n",  # a table defined twice
        "a = [1,\n2\n",  # a syntax error
        "a = 1\n",
        "a=1\r\n\r\n\r\n\r\nb={x=1}\r\n",
    ],
)
def test_format_checked_on_small_documents(text: str) -> None:
    assert format_checked(text) == format_text(text)


def test_the_command_imports_only_what_formatting_needs(tmp_path: Path) -> None:
    path = tmp_path / "cerebrium.toml"
    path.write_bytes(b"a  =  1\n")
    probe = (
        "import sys\n"
        "from cerebrium_lsp.cli import main\n"
        f"code = main(['format', '--check', {str(path)!r}])\n"
        "print(code, ' '.join(sorted(sys.modules)))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env
    )
    code, modules = done.stdout.split(" ", 1)
    loaded = set(modules.split())
    assert code == "1"
    unwanted = {"argparse", "json", "difflib", "pygls", "lsprotocol", "cerebrium_lsp.check"}
    assert loaded & unwanted == set()
    assert not any(name.startswith("cerebrium_lsp.analysis.checks") for name in loaded)


def test_formatting_builds_no_reference_cycles(tmp_path: Path) -> None:
    """The command runs with the cyclic collector off (cli._format_without_collector): over
    every real file and the TOML suite, with and without errors, nothing is left for it
    (beyond what the first imports leave, once)."""
    for index, (_, text) in enumerate(_documents()):
        (tmp_path / f"{index:04d}.toml").write_text(text, encoding="utf-8", newline="")
    (tmp_path / "not-utf8.toml").write_bytes(b'a = "\xff"\n')
    paths = sorted(str(path) for path in tmp_path.iterdir())
    # A first pass imports what the error paths need (imports leave some cycles, once).
    run_format(paths, check=True, out=io.StringIO(), err=io.StringIO())
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for check in (True, False):
            run_format(paths, check=check, diff=check, out=io.StringIO(), err=io.StringIO())
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()
