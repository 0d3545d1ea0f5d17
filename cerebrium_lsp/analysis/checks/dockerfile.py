"""Checks of the Dockerfile ``dockerfile_path`` names, against the config: the ports its final
stage EXPOSEs against ``port`` (``dockerfile-port``), and a command to run: a ``CMD`` or
``ENTRYPOINT`` in the Dockerfile or an ``entrypoint`` in the config (``dockerfile-command``).

Nothing is said when the Dockerfile cannot be read (missing: ``missing-file``; outside the
project: ``path-outside-project``; larger than the read limit) or a value is not static.
"""

from __future__ import annotations

import math
from pathlib import Path

from cerebrium_lsp.analysis.checks.context import (
    CheckContext,
    number_value,
    string_value,
    subtable,
    value_of,
)
from cerebrium_lsp.analysis.checks.runtime import default_port, entrypoint_port, port_in_argv
from cerebrium_lsp.analysis.diagnostics import FileLocation, Related
from cerebrium_lsp.analysis.dockerfile_reader import (
    Command,
    Dockerfile,
    Instruction,
    Stage,
    parse_dockerfile,
    substitute,
)
from cerebrium_lsp.analysis.file_cache import parse_file, project_path
from cerebrium_lsp.analysis.tree import Array, ResolvedTable, Scalar, Span

# Images known to start no web server of their own: without a CMD the container runs their
# shell or Python prompt and exits.
PLAIN_IMAGES = ("debian", "ubuntu", "python", "nvidia/cuda", "alpine", "scratch", "busybox")


def read_dockerfile(project_dir: Path, relative: str) -> tuple[Path, Dockerfile] | None:
    """The parsed Dockerfile when it is a readable file inside the project (cached by stamp)."""
    path = project_path(project_dir, relative)
    if path is None:
        return None
    parsed = parse_file(path, parse_dockerfile)
    return (path, parsed) if parsed is not None else None


def instruction_location(path: Path, instruction: Instruction) -> FileLocation:
    return FileLocation(
        path, instruction.line, instruction.start, instruction.end, instruction.line_text
    )


def check_dockerfile(ctx: CheckContext, cerebrium: ResolvedTable) -> None:
    project_dir = ctx.options.project_dir
    custom = subtable(cerebrium, "runtime", "custom")
    relative = string_value(custom, "dockerfile_path")
    path_value = value_of(custom, "dockerfile_path")
    if not ctx.file_checks or project_dir is None or custom is None or path_value is None:
        return
    found = read_dockerfile(project_dir, relative) if relative else None
    if found is None:
        return
    path, dockerfile = found
    final = dockerfile.final
    if final is None:
        return  # no FROM: the build fails, and Docker's own message says why
    _check_port(ctx, custom, path_value.span, path, relative or "", final)
    _, _, cmd, entrypoint = final.inherited()
    if cmd is None and entrypoint is None and not _has_entrypoint(custom):
        _report_no_command(ctx, path_value.span, path, final, relative or "")


def _report_no_command(
    ctx: CheckContext, span: Span, path: Path, final: Stage, path_text: str
) -> None:
    image = final.image
    name = image.split("@")[0].rsplit(":", 1)[0] if ":" in image.split("/")[-1] else image
    name = name.lower().removeprefix("docker.io/").removeprefix("library/")
    plain = name in PLAIN_IMAGES or name.startswith("nvidia/cuda")
    consequence = (
        f"so the container runs what {image} starts by default and the app never starts"
        if plain
        else f"so nothing starts the app unless the base image {image} brings its own command"
    )
    ctx.report(
        "dockerfile-command",
        span,
        f"{_display(path_text)} has no CMD or ENTRYPOINT and `entrypoint` is not set, {consequence}. "
        'Add a CMD to the Dockerfile (CMD ["uvicorn", "main:app", "--host", "0.0.0.0", '
        '"--port", "8000"]) or set `entrypoint` in [cerebrium.runtime.custom].',
        severity=None if plain else "warning",
        related=[Related(span, f"FROM {image}", instruction_location(path, final.instruction))],
    )


def _has_entrypoint(custom: ResolvedTable) -> bool:
    value = value_of(custom, "entrypoint")
    if isinstance(value, Array):
        return any(isinstance(i, Scalar) and i.value for i in value.items)
    return isinstance(value, Scalar) and bool(value.value)


def _check_port(
    ctx: CheckContext,
    custom: ResolvedTable,
    path_span: Span,
    path: Path,
    path_text: str,
    final: Stage,
) -> None:
    """``port`` against where the Dockerfile's server listens: the port in its CMD/ENTRYPOINT
    when it names one (``--port 8080``; EXPOSE is only documentation then), else its EXPOSEd
    ports. A config ``entrypoint`` replaces the Dockerfile's command; its port is
    ``port-mismatch``'s."""
    port_value = value_of(custom, "port")
    port = number_value(custom, "port")
    if port_value is not None and (port is None or not math.isfinite(port)):
        return  # a port of the wrong type is reported by the value checks
    default = default_port()
    effective = int(port) if port is not None else default
    if effective is None or entrypoint_port(value_of(custom, "entrypoint")) is not None:
        return
    ports, unknown, cmd, entrypoint = final.inherited()
    started = None if _has_entrypoint(custom) else _command_port(final, cmd, entrypoint)
    exposes = list({id(p.instruction): p.instruction for p in ports}.values())
    name = _display(path_text)
    said = (
        f"`port` is {effective}"
        if port_value is not None
        else f"`port` is not set (the platform uses {effective})"
    )
    span = port_value.span if port_value is not None else path_span
    related = [
        Related(span, f"EXPOSE {i.arguments}", instruction_location(path, i)) for i in exposes
    ]
    if started is not None:
        listening, instruction = started
        if listening == effective:
            return
        ctx.report(
            "dockerfile-port",
            span,
            f"{said}, but {name}'s {instruction.keyword} starts the server on port {listening}: "
            "traffic and health checks go to `port`, so the app never becomes ready. Set "
            "`port` to the port the server listens on.",
            related=[
                Related(span, instruction.keyword, instruction_location(path, instruction)),
                *related,
            ],
            data=_port_fix(port_value is not None, [listening]),
        )
        return
    if not ports or unknown or any(p.covers(effective) for p in ports):
        return
    exposed = ", ".join(dict.fromkeys(p.display() for p in ports))
    single = {p.first for p in ports if p.first == p.last and p.protocol == "tcp"}
    ctx.report(
        "dockerfile-port",
        span,
        f"{said}, but {name} EXPOSEs {exposed}: traffic and health checks go to `port`, so "
        f"a server listening on {exposed} never becomes ready. Set `port` to the port the "
        "server listens on, and EXPOSE that one.",
        related=related,
        data=_port_fix(port_value is not None, sorted(single) if len(ports) == 1 else []),
    )


def _command_port(
    final: Stage, cmd: Command | None, entrypoint: Command | None
) -> tuple[int, Instruction] | None:
    """The port the final stage's command names, and the instruction that names it. A
    shell-form ENTRYPOINT ignores CMD; ``$VAR`` resolves through the image's static ENV."""
    parts = [c for c in (entrypoint, cmd) if c is not None]
    if entrypoint is not None and entrypoint.argv is None:
        parts = [entrypoint]
    words: list[str] = []
    owners: list[Instruction] = []
    for part in parts:
        found = list(part.argv) if part.argv is not None else _shell_words(part.shell, final)
        words += found
        owners += [part.instruction] * len(found)
    # Each word's "span" is its index, so the port found tells which instruction holds it.
    port = port_in_argv([(word, Span(i, i)) for i, word in enumerate(words)])
    return (port.port, owners[port.span.start]) if port is not None else None


def _shell_words(shell: str | None, final: Stage) -> list[str]:
    text = shell or ""
    return (substitute(text, final.env) or text).split()


def _display(path_text: str) -> str:
    return path_text.strip().removeprefix("./") or path_text


def _port_fix(port_written: bool, candidates: list[int]) -> dict[str, object] | None:
    """Set ``port`` to the one port the Dockerfile points at (when ``port`` is written)."""
    if not port_written or len(candidates) != 1:
        return None
    return {"replacement": str(candidates[0]), "title": f"Set `port = {candidates[0]}`"}


def dockerfile_summary(project_dir: Path | None, relative: str) -> str | None:
    """Markdown for the hover on ``dockerfile_path``: base image, exposed ports, command."""
    found = read_dockerfile(project_dir, relative) if project_dir is not None else None
    if found is None:
        return None
    _, dockerfile = found
    final = dockerfile.final
    if final is None:
        return f"**{_display(relative)}**: no `FROM` instruction, so the build fails."
    ports, unknown, cmd, entrypoint = final.inherited()
    stages = len(dockerfile.stages)
    heading = f"**{_display(relative)}**"
    if stages > 1:
        heading += f" · {stages} stages, the last ({final.name or final.base}) is the image"
    exposed = ", ".join(dict.fromkeys(p.display() for p in ports))
    if unknown:
        exposed = f"{exposed} and one set at run time" if exposed else "set at run time"
    commands = [
        _code(f"{kind} {command.display()}")
        for kind, command in (("ENTRYPOINT", entrypoint), ("CMD", cmd))
        if command is not None
    ]
    lines = [
        heading,
        "",
        f"- Base image: {_code(final.image)}",
        f"- Exposed ports: {exposed or 'none'}",
        f"- Command: {' + '.join(commands) if commands else 'none (set `entrypoint`)'}",
    ]
    return "\n".join(lines)


def _code(text: str) -> str:
    """Markdown inline code that survives backticks in ``text``."""
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"
