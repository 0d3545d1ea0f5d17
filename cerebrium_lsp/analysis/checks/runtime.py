"""Checks of ``[cerebrium.runtime.*]``: the entrypoint's port against ``port``, check paths,
the Dockerfile, the ``main.py`` rule and partner services."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from cerebrium_lsp.analysis.checks.context import (
    CheckContext,
    child,
    entry,
    number_value,
    string_value,
    subtable,
    table_span,
    toml_string,
    value_of,
)
from cerebrium_lsp.analysis.checks.paths import check_project_file
from cerebrium_lsp.analysis.checks.values import go_format
from cerebrium_lsp.analysis.diagnostics import Related
from cerebrium_lsp.analysis.tree import Array, ResolvedTable, Scalar, Span, Value
from cerebrium_lsp.model import MODEL

PARTNERS = ("deepgram", "rime")
_PORT_FLAGS = ("--port", "-p", "--server.port", "--server-port", "--http-port")
_BIND_FLAGS = ("--bind", "-b", "--host", "--listen")
_HOST_PORT = re.compile(r"^(?:\[[^\]]*\]|[\w.\-]*):([0-9]{1,5})$")


@dataclass(slots=True)
class EntrypointPort:
    port: int
    span: Span  # the token (or part of the string) that holds the number


def argv_tokens(value: Value) -> list[tuple[str, Span]]:
    """(text, span) of each argv element; a string entrypoint is split on whitespace, with spans
    inside the string when its raw text holds the token verbatim."""
    if isinstance(value, Array):
        return [
            (item.value, item.span)
            for item in value.items
            if isinstance(item, Scalar) and isinstance(item.value, str)
        ]
    if isinstance(value, Scalar) and isinstance(value.value, str):
        tokens: list[tuple[str, Span]] = []
        search_from = 0
        for token in value.value.split():
            at = value.raw.find(token, search_from)
            if at == -1:
                tokens.append((token, value.span))
            else:
                start = value.span.start + at
                tokens.append((token, Span(start, start + len(token))))
                search_from = at + len(token)
        return tokens
    return []


def _is_port(text: str) -> bool:
    """1 to 5 ASCII digits (``str.isdigit`` also takes "²", which ``int`` refuses)."""
    return 0 < len(text) <= 5 and text.isascii() and text.isdigit()


def _number_span(span: Span, token: str, digits: str) -> Span:
    """Narrow a token's span to the digits of the port when the span holds the token verbatim."""
    at = token.rfind(digits)
    if span.end - span.start >= len(token) and at >= 0:
        # Array items include their quotes: skip the opening quote.
        offset = span.start + (1 if span.end - span.start == len(token) + 2 else 0) + at
        return Span(offset, offset + len(digits))
    return span


def entrypoint_port(value: Value | None) -> EntrypointPort | None:
    """The port the entrypoint's server listens on, from the common flag spellings."""
    if value is None:
        return None
    return port_in_argv(argv_tokens(value))


def port_in_argv(tokens: list[tuple[str, Span]]) -> EntrypointPort | None:
    """The port a command line's server listens on: ``--port 8000``, ``-b 0.0.0.0:8000``, …"""
    for index, (token, span) in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token in _PORT_FLAGS and following and _is_port(following[0]):
            return EntrypointPort(
                int(following[0]), _number_span(following[1], following[0], following[0])
            )
        flag, _, rest = token.partition("=")
        if rest and flag in _PORT_FLAGS and _is_port(rest):
            return EntrypointPort(int(rest), _number_span(span, token, rest))
        if rest and flag in _BIND_FLAGS:
            match = _HOST_PORT.match(rest)
            if match:
                return EntrypointPort(
                    int(match.group(1)), _number_span(span, token, match.group(1))
                )
        if token in _BIND_FLAGS and following:
            match = _HOST_PORT.match(following[0])
            if match:
                return EntrypointPort(
                    int(match.group(1)), _number_span(following[1], following[0], match.group(1))
                )
        match = _HOST_PORT.match(token)
        if match and "." in token.split(":")[0]:
            return EntrypointPort(int(match.group(1)), _number_span(span, token, match.group(1)))
    return None


def _entrypoint_items(value: Value | None) -> list[str]:
    if isinstance(value, Array):
        return [i.value for i in value.items if isinstance(i, Scalar) and isinstance(i.value, str)]
    if isinstance(value, Scalar) and isinstance(value.value, str):
        # The CLI comma-splits a string entrypoint (docs/sources.md).
        return [p for p in value.value.split(",") if p]
    return []


def check_runtime(ctx: CheckContext, cerebrium: ResolvedTable) -> None:
    runtime = subtable(cerebrium, "runtime")
    custom = subtable(runtime, "custom")
    if custom is not None:
        _check_port(ctx, custom)
        _check_endpoints(ctx, custom)
        _check_entrypoint_form(ctx, custom)
        dockerfile = string_value(custom, "dockerfile_path")
        dockerfile_entry = entry(custom, "dockerfile_path")
        if dockerfile and dockerfile_entry is not None and dockerfile_entry.value is not None:
            check_project_file(ctx, dockerfile, dockerfile_entry.value.span, "dockerfile_path")
    _check_partners(ctx, runtime)
    _check_main_py(ctx, cerebrium, runtime, custom)


def default_port() -> int | None:
    """The port the platform uses when ``port`` is not set (the model's default)."""
    spec = MODEL.table(("cerebrium", "runtime", "custom"))
    port_spec = spec.key("port") if spec else None
    return port_spec.default if port_spec and isinstance(port_spec.default, int) else None


def _check_port(ctx: CheckContext, custom: ResolvedTable) -> None:
    found = entrypoint_port(value_of(custom, "entrypoint"))
    if found is None:
        return
    port_value = value_of(custom, "port")
    port = number_value(custom, "port")
    default = default_port()
    if port_value is None and default is not None and found.port != default:
        ctx.report(
            "port-mismatch",
            found.span,
            f"The entrypoint listens on port {found.port}, but `port` is not set and defaults to "
            f"{default}: traffic and health checks would go to {default}. Add `port = "
            f"{found.port}`.",
            data={"port": default, "entrypoint_port": found.port},
        )
    elif (
        port is not None
        and math.isfinite(port)
        and port_value is not None
        and int(port) != found.port
    ):
        ctx.report(
            "port-mismatch",
            found.span,
            f"The entrypoint listens on port {found.port}, but `port` is {go_format(port)}: "
            "traffic and health checks go to `port`, so the app never becomes ready. Make them "
            "the same.",
            related=[Related(port_value.span, f"port = {go_format(port)}")],
            data={"port": int(port), "entrypoint_port": found.port},
        )


def _check_endpoints(ctx: CheckContext, custom: ResolvedTable) -> None:
    for key in ("healthcheck_endpoint", "readycheck_endpoint"):
        text = string_value(custom, key)
        value = value_of(custom, key)
        if text and value is not None and not text.startswith("/"):
            ctx.report(
                "endpoint-path",
                value.span,
                f'`{key}` is "{text}"; it must be an HTTP path starting with "/", such as '
                f'"/{text.lstrip("/")}".',
                data={"replacement": toml_string(f"/{text}")},
            )


def _check_entrypoint_form(ctx: CheckContext, custom: ResolvedTable) -> None:
    value = value_of(custom, "entrypoint")
    if isinstance(value, Scalar) and isinstance(value.value, str) and value.value.strip():
        parts = value.value.split()
        ctx.report(
            "entrypoint-string",
            value.span,
            "`entrypoint` is one string: the CLI sends it as a single argument holding the whole "
            "command line. Write it as a list: [" + ", ".join(f'"{p}"' for p in parts) + "].",
            data={"replacement": "[" + ", ".join(toml_string(p) for p in parts) + "]"},
        )


def _check_partners(ctx: CheckContext, runtime: ResolvedTable | None) -> None:
    present = [(name, subtable(runtime, name)) for name in PARTNERS]
    tables = [(name, table) for name, table in present if table is not None]
    if len(tables) > 1:
        (first_name, first), *rest = tables
        for name, table in rest:
            assert table is not None and first is not None
            ctx.report(
                "partner-conflict",
                table_span(table),
                f"Only one partner service is used: the CLI picks [cerebrium.runtime.{first_name}] "
                f"and ignores [cerebrium.runtime.{name}]. Remove one of them.",
                related=[Related(table_span(first), f"{first_name} is used")],
            )


def _check_main_py(
    ctx: CheckContext,
    cerebrium: ResolvedTable,
    runtime: ResolvedTable | None,
    custom: ResolvedTable | None,
) -> None:
    """``main.py`` must exist unless a Dockerfile, a non-uvicorn entrypoint or a partner service
    is configured (the CLI's validator.go, docs/sources.md)."""
    if not ctx.file_checks or ctx.options.project_dir is None:
        return
    if string_value(custom, "dockerfile_path"):
        return
    items = _entrypoint_items(value_of(custom, "entrypoint"))
    if items and items[0] != "uvicorn":
        return
    if any(subtable(runtime, name) is not None for name in PARTNERS):
        return
    if (ctx.options.project_dir / "main.py").is_file():
        return
    entrypoint = value_of(custom, "entrypoint")
    deployment = child(cerebrium, "deployment")
    span = (
        entrypoint.span
        if entrypoint is not None
        else table_span(deployment)
        if isinstance(deployment, ResolvedTable)
        else table_span(cerebrium)
    )
    reason = (
        "a uvicorn entrypoint still needs it"
        if items
        else "a cortex app (no custom runtime) runs it"
    )
    ctx.report(
        "missing-file",
        span,
        f"No main.py in {ctx.options.project_dir}: the CLI refuses to deploy without it "
        f"({reason}). Add main.py, set a non-uvicorn `entrypoint`, or use `dockerfile_path`.",
    )
