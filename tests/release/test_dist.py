"""The release artefacts: ``python -m build`` on a clean copy of the repository gives an sdist and
a wheel that pass ``twine check --strict``, and the wheel, installed alone into a fresh venv,
runs ``check``, ``plan``, ``serve`` and ``schema``.

Offline, as every test: the build runs without isolation on the dev venv's setuptools (the
release workflow builds isolated, with network), and the fresh venv gets the runtime
dependencies from ``.venv/wheelhouse``, the pinned wheels ``scripts/setup.sh --dev`` downloads,
with every other package source switched off.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cerebrium_lsp import __version__

REPO = Path(__file__).resolve().parents[2]
WHEELHOUSE = REPO / ".venv" / "wheelhouse"
GOOD = REPO / "examples" / "good" / "gpu-llm"
BAD = REPO / "examples" / "bad" / "typos"

pytestmark = pytest.mark.timeout(180)


def _run(args: list[str | Path], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [str(a) for a in args], capture_output=True, text=True, timeout=120, **kwargs
    )


def _clean_copy(dest: Path) -> None:
    """What a fresh clone would hold: tracked and not-ignored files, as in the work tree."""
    listed = _run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        check=True,
    ).stdout
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file() and not source.is_symlink():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)


def _offline_env() -> dict[str, str]:
    """No index, no configured find-links: only what the command line names."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON"))}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("release")
    _clean_copy(root / "src")
    built = _run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", root / "dist", root / "src"],
        env=_offline_env(),
    )
    assert built.returncode == 0, built.stdout + built.stderr
    yield root / "dist"


@pytest.fixture(scope="module")
def venv(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert (WHEELHOUSE / "complete").exists(), (
        "run scripts/setup.sh --dev (it fills the wheelhouse)"
    )
    where = tmp_path_factory.mktemp("venv") / "venv"
    _run([sys.executable, "-m", "venv", where], check=True)
    wheel = next(dist.glob("*.whl"))
    installed = _run(
        [where / "bin/python", "-m", "pip", "install", "--find-links", WHEELHOUSE, wheel],
        env=_offline_env(),
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return where


def test_build_gives_sdist_and_wheel_of_this_version(dist: Path) -> None:
    assert sorted(p.name for p in dist.iterdir()) == [
        f"cerebrium_lsp-{__version__}-py3-none-any.whl",
        f"cerebrium_lsp-{__version__}.tar.gz",
    ]


def test_twine_check_strict(dist: Path) -> None:
    result = _run([sys.executable, "-m", "twine", "check", "--strict", *dist.iterdir()])
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2, result.stdout


def test_artefacts_hold_the_package_and_licence(dist: Path) -> None:
    with zipfile.ZipFile(next(dist.glob("*.whl"))) as wheel:
        names = wheel.namelist()
    assert "cerebrium_lsp/server.py" in names
    assert "cerebrium_lsp/py.typed" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names), names
    assert not any(n.startswith(("tests/", "vscode-extension/")) for n in names)
    with tarfile.open(next(dist.glob("*.tar.gz"))) as sdist:
        members = {m.name.split("/", 1)[1] for m in sdist.getmembers() if "/" in m.name}
    assert {"pyproject.toml", "README.md", "LICENSE", "cerebrium_lsp/cli.py"} <= members


def _cli(venv: Path, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return _run([venv / "bin/cerebrium-lsp", *args], cwd=cwd, env=_offline_env())


def test_installed_wheel_imports_from_the_venv(venv: Path, tmp_path: Path) -> None:
    where = _run(
        [venv / "bin/python", "-c", "import cerebrium_lsp, pygls; print(cerebrium_lsp.__file__)"],
        cwd=tmp_path,
        env=_offline_env(),
    )
    assert where.returncode == 0, where.stderr
    assert where.stdout.startswith(str(venv)), where.stdout


def test_installed_check_and_plan(venv: Path, tmp_path: Path) -> None:
    shutil.copytree(GOOD, tmp_path / "good")
    shutil.copytree(BAD, tmp_path / "bad")
    version = _cli(venv, "--version", cwd=tmp_path)
    assert version.stdout.startswith(f"cerebrium-lsp {__version__}"), version.stdout
    good = _cli(venv, "check", "good", cwd=tmp_path)
    assert good.returncode == 0, good.stdout + good.stderr
    bad = _cli(venv, "check", "bad", cwd=tmp_path)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "AMPERE_A1O" in bad.stdout
    plan = _cli(venv, "plan", "good/cerebrium.toml", cwd=tmp_path)
    assert plan.returncode == 0, plan.stdout + plan.stderr
    assert "AMPERE_A10" in plan.stdout


def test_installed_schema_is_the_committed_one(venv: Path, tmp_path: Path) -> None:
    schema = _cli(venv, "schema", cwd=tmp_path)
    assert schema.returncode == 0, schema.stderr
    assert schema.stdout == (REPO / "schema" / "cerebrium.schema.json").read_text(encoding="utf-8")


def _frame(message: dict[str, object]) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def _messages(stream: bytes) -> list[dict[str, Any]]:
    """The JSON-RPC messages of an LSP byte stream (Content-Length framing)."""
    found = []
    while stream:
        header, _, rest = stream.partition(b"\r\n\r\n")
        fields = dict(line.split(b": ", 1) for line in header.split(b"\r\n"))
        length = int(fields[b"Content-Length"])
        found.append(json.loads(rest[:length]))
        stream = rest[length:]
    return found


def test_installed_serve_answers_initialize_and_shuts_down(venv: Path, tmp_path: Path) -> None:
    session = b"".join(
        _frame(m)
        for m in (
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "initialize",
                "params": {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}},
            },
            {"jsonrpc": "2.0", "method": "initialized", "params": {}},
            {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
            {"jsonrpc": "2.0", "method": "exit"},
        )
    )
    served = subprocess.run(
        [venv / "bin/cerebrium-lsp", "serve"],
        cwd=tmp_path,
        input=session,
        capture_output=True,
        timeout=60,
        env=_offline_env(),
        check=False,
    )
    assert served.returncode == 0, served.stderr.decode()
    replies = {m["id"]: m for m in _messages(served.stdout) if "id" in m}
    initialize = replies[1]["result"]
    assert initialize["serverInfo"] == {"name": "cerebrium-lsp", "version": __version__}
    assert "hoverProvider" in initialize["capabilities"]
    assert replies[2] == {"jsonrpc": "2.0", "id": 2, "result": None}
