"""What an ``entrypoint`` command starts: an ASGI/WSGI app (``uvicorn main:app``), a Python file
(``python serve.py``) or a module (``python -m pkg``). Read from the argv text only.

Recognised: ``uvicorn``/``gunicorn``/``hypercorn`` (also by path, ``/usr/bin/uvicorn``, and as
``python -m uvicorn``) with their options before or after the target, ``--factory``,
``--app-dir DIR`` (uvicorn) and ``--chdir DIR`` (gunicorn); ``python``/``python3``/``python3.X``
with interpreter options before the file or ``-m``. Anything else (a shell, a wrapper such as
``ddtrace-run``, ``gunicorn --pythonpath``) yields None: what it starts cannot be told.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from cerebrium_lsp.analysis.tree import Span

SERVERS = ("uvicorn", "gunicorn", "hypercorn")
_PYTHON = re.compile(r"^python(?:3(?:\.\d+)?)?$")
# ``module.sub:attr``, also ``attr.inner`` (uvicorn) and ``factory()`` (gunicorn).
_TARGET = re.compile(
    r"^(?P<module>[^\W\d]\w*(?:\.[^\W\d]\w*)*):(?P<attr>[^\W\d]\w*)(?:\.[^\W\d]\w*)*(?:\(.*\))?$"
)
# Options of the three servers that take a separate value (so the value is not the target).
_VALUE_OPTIONS = frozenset(
    {
        "--host",
        "--port",
        "-p",
        "--uds",
        "--fd",
        "--reload-dir",
        "--reload-include",
        "--reload-exclude",
        "--reload-delay",
        "--workers",
        "-w",
        "--loop",
        "--http",
        "--ws",
        "--ws-max-size",
        "--ws-max-queue",
        "--ws-ping-interval",
        "--ws-ping-timeout",
        "--lifespan",
        "--interface",
        "--env-file",
        "--log-config",
        "--log-level",
        "--root-path",
        "--limit-concurrency",
        "--limit-max-requests",
        "--backlog",
        "--timeout-keep-alive",
        "--timeout-graceful-shutdown",
        "--ssl-keyfile",
        "--ssl-certfile",
        "--ssl-keyfile-password",
        "--ssl-version",
        "--ssl-cert-reqs",
        "--ssl-ca-certs",
        "--ssl-ciphers",
        "--header",
        "--forwarded-allow-ips",
        "--h11-max-incomplete-event-size",
        "--bind",
        "-b",
        "--worker-class",
        "-k",
        "--config",
        "-c",
        "--timeout",
        "-t",
        "--threads",
        "--name",
        "-n",
        "--env",
        "-e",
        "--access-logfile",
        "--error-logfile",
        "--log-file",
        "--access-logformat",
        "--graceful-timeout",
        "--keep-alive",
        "--max-requests",
        "--max-requests-jitter",
        "--worker-connections",
        "--user",
        "-u",
        "--group",
        "-g",
        "--umask",
        "-m",
        "--pid",
        "--worker-tmp-dir",
        "--certfile",
        "--keyfile",
        "--ca-certs",
        "--ciphers",
        "--statsd-host",
        "--insecure-bind",
        "--quic-bind",
        "--server-name",
    }
)
_APP_DIR_OPTIONS = frozenset({"--app-dir", "--chdir"})
_OPAQUE_OPTIONS = frozenset({"--pythonpath"})  # adds folders to search: the module is anywhere
_PYTHON_VALUE_OPTIONS = frozenset({"-W", "-X", "--check-hash-based-pycs"})


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # the argv element
    span: Span  # where it is in cerebrium.toml (an array item includes its quotes)

    def part(self, start: int, end: int) -> Span | None:
        """The span of ``text[start:end]`` when the document holds the token verbatim."""
        width = self.span.end - self.span.start
        if width == len(self.text) + 2:  # a quoted array item
            base = self.span.start + 1
        elif width == len(self.text):
            base = self.span.start
        else:
            return None  # escapes: the text and the document differ
        return Span(base + start, base + end)

    @property
    def text_span(self) -> Span | None:
        """The span of the whole text (quotes excluded) when the document holds it verbatim."""
        return self.part(0, len(self.text))


@dataclass(frozen=True, slots=True)
class AppTarget:
    """``uvicorn module:attr``: ``attr`` must be defined at the top level of ``module``."""

    server: str
    module: str
    attr: str
    token: Token
    module_span: Span | None
    attr_span: Span | None
    app_dirs: tuple[str, ...]  # folders searched for the module, in order
    factory: bool


@dataclass(frozen=True, slots=True)
class ScriptTarget:
    """``python path/file.py``: the file must exist."""

    path: str
    token: Token


@dataclass(frozen=True, slots=True)
class ModuleTarget:
    """``python -m pkg.mod``: ``pkg/mod.py`` or ``pkg/mod/__main__.py``, when ``pkg`` is the
    project's own (an installed package is not the checker's to find)."""

    module: str
    token: Token


Target = AppTarget | ScriptTarget | ModuleTarget


def parse_target(tokens: list[Token]) -> Target | None:
    if not tokens:
        return None
    program = PurePosixPath(tokens[0].text).name
    if program in SERVERS:
        return _server_target(program, tokens[1:], python_m=False)
    if _PYTHON.match(program):
        return _python_target(tokens[1:])
    return None


def _python_target(args: list[Token]) -> Target | None:
    index = 0
    while index < len(args):
        text = args[index].text
        if text in ("-m", "--module") or (text.startswith("-m") and len(text) > 2):
            if text.startswith("-m") and len(text) > 2:
                module, at = text[2:], index
            elif index + 1 < len(args):
                module, at = args[index + 1].text, index + 1
            else:
                return None
            if module in SERVERS:
                return _server_target(module, args[at + 1 :], python_m=True)
            if not re.fullmatch(r"[^\W\d]\w*(?:\.[^\W\d]\w*)*", module):
                return None
            return ModuleTarget(module, args[at]) if at != index else None
        if text == "-c" or text.startswith("-c") or text == "-":
            return None  # code on the command line or stdin: nothing to find
        if text in _PYTHON_VALUE_OPTIONS:
            index += 2
            continue
        if text.startswith("-"):
            index += 1
            continue
        return ScriptTarget(text, args[index])
    return None


def _server_target(server: str, args: list[Token], *, python_m: bool) -> AppTarget | None:
    app_dir = "."
    factory = False
    target: Token | None = None
    index = 0
    while index < len(args):
        text = args[index].text
        option, has_value, value = text.partition("=")
        if option in _OPAQUE_OPTIONS:
            return None
        if option in _APP_DIR_OPTIONS:
            if has_value:
                app_dir = value
            elif index + 1 < len(args):
                app_dir = args[index + 1].text
                index += 1
            index += 1
            continue
        if text == "--factory":
            factory = True
        elif text in _VALUE_OPTIONS:
            index += 1  # skip the value
        elif target is None and _TARGET.match(text):
            target = args[index]
        index += 1
    if target is None:
        return None
    match = _TARGET.match(target.text)
    assert match is not None
    # ``python -m uvicorn`` also finds modules in the working folder (sys.path[0] = "").
    dirs = (app_dir, ".") if python_m and app_dir != "." else (app_dir,)
    return AppTarget(
        server=server,
        module=match["module"],
        attr=match["attr"],
        token=target,
        module_span=target.part(match.start("module"), match.end("module")),
        attr_span=target.part(match.start("attr"), match.end("attr")),
        app_dirs=dirs,
        factory=factory,
    )
