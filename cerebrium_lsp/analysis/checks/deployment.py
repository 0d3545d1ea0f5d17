"""Checks of ``[cerebrium.deployment]``: the app name, ``python_version``, and settings a
``dockerfile_path`` makes irrelevant."""

from __future__ import annotations

from cerebrium_lsp.analysis.checks.context import (
    CheckContext,
    child,
    entry,
    string_value,
    subtable,
    table_span,
)
from cerebrium_lsp.analysis.checks.values import describe, go_format
from cerebrium_lsp.analysis.tree import Array, ResolvedTable, Scalar, Value
from cerebrium_lsp.model import MODEL

RUN_NAME_LIMIT = 30


def check_deployment(ctx: CheckContext, cerebrium: ResolvedTable) -> None:
    deployment = subtable(cerebrium, "deployment")
    _check_name(ctx, cerebrium, deployment)
    _check_python_version(ctx, deployment)
    _check_dockerfile_overrides(ctx, cerebrium, deployment)


def _check_name(
    ctx: CheckContext, cerebrium: ResolvedTable, deployment: ResolvedTable | None
) -> None:
    name_entry = entry(deployment, "name")
    if deployment is None or name_entry is None:
        node = child(cerebrium, "deployment")
        span = table_span(node) if isinstance(node, ResolvedTable) else table_span(cerebrium)
        where = "[cerebrium.deployment]" if deployment is not None else "the file"
        ctx.report(
            "missing-name",
            span,
            f"{where} has no `name`: `cerebrium deploy` stops with “deployment.name is required” "
            '(even with --name). Add name = "my-app" under [cerebrium.deployment].',
        )
        return
    value = name_entry.value
    if not isinstance(value, Scalar) or not value.terminated or value.kind == "invalid":
        return
    text = value.value if isinstance(value.value, str) else go_format(value.value)
    if not text.strip():
        ctx.report(
            "missing-name",
            value.span,
            "`name` is empty: `cerebrium deploy` stops with “deployment.name is required”. "
            'Give the app a name such as "my-app".',
        )
    elif len(text) > RUN_NAME_LIMIT:
        ctx.report(
            "app-name",
            value.span,
            f"The name has {len(text)} characters: `cerebrium deploy` accepts it, but "
            f"`cerebrium run` rejects names over {RUN_NAME_LIMIT}.",
        )


def _check_python_version(ctx: CheckContext, deployment: ResolvedTable | None) -> None:
    node = entry(deployment, "python_version")
    if node is None or node.value is None:
        return
    value = node.value
    supported = MODEL.python_versions
    listed = ", ".join(f'"{v}"' for v in supported)
    if not isinstance(value, Scalar) or value.kind in ("datetime", "date", "time", "boolean"):
        ctx.report(
            "type-mismatch",
            value.span,
            f'`python_version` expects a string such as "3.11", found {describe(value)}.',
        )
        return
    if not value.terminated or value.kind == "invalid":
        return
    if isinstance(value.value, int | float):
        written = value.raw.strip()
        sent = go_format(value.value)
        ok = sent in supported
        meaning = (
            f'the CLI sends it as "{sent}"'
            + ("" if sent == written else f', not "{written}"')
            + ("" if ok else f", which Cerebrium does not build (supported: {listed})")
        )
        ctx.report(
            "python-version-float",
            value.span,
            f'`python_version` is the number {written}: {meaning}. Write it as a string: "{written}".',
            severity="warning" if ok else "error",
            data={"replacement": f'"{written}"'},
        )
        return
    if isinstance(value.value, str) and value.value not in supported:
        ctx.report(
            "python-version",
            value.span,
            f'Python "{value.value}" is not supported: Cerebrium builds {listed}.',
            data={"replacement": supported[-1]} if supported else None,
        )


_IGNORED_DEPLOYMENT_KEYS = {
    "python_version": "information",
    "docker_base_image_url": "information",
    "shell_commands": "warning",
    "pre_build_commands": "warning",
}


def _has_commands(value: Value | None) -> bool:
    """True when a command list holds at least one non-blank command."""
    if isinstance(value, Scalar):
        return isinstance(value.value, str) and bool(value.value.strip())
    if isinstance(value, Array):
        return any(_has_commands(item) for item in value.items)
    return False


def _check_dockerfile_overrides(
    ctx: CheckContext, cerebrium: ResolvedTable, deployment: ResolvedTable | None
) -> None:
    custom = subtable(cerebrium, "runtime", "custom")
    dockerfile = string_value(custom, "dockerfile_path")
    if not dockerfile:
        return
    reason = f"the image is built from {dockerfile}"
    for key, severity in _IGNORED_DEPLOYMENT_KEYS.items():
        node = entry(deployment, key)
        if node is None or (severity == "warning" and not _has_commands(node.value)):
            continue
        ctx.report(
            "ignored-with-dockerfile",
            node.part.span,
            f"`{key}` is ignored because `dockerfile_path` is set: {reason}. Move it into the "
            "Dockerfile or remove it.",
            severity="information" if severity == "information" else "warning",
            tags=("unnecessary",),
        )
    dependencies = subtable(cerebrium, "dependencies")
    for name in ("pip", "apt", "conda"):
        table = subtable(dependencies, name)
        if table is not None and table.children:
            ctx.report(
                "ignored-with-dockerfile",
                table_span(table),
                f"[cerebrium.dependencies.{name}] is ignored because `dockerfile_path` is set: "
                f"{reason}. Install these packages in the Dockerfile.",
                tags=("unnecessary",),
            )
    paths = subtable(dependencies, "paths")
    for path_entry in paths.entries() if paths is not None else []:
        ctx.report(
            "ignored-with-dockerfile",
            path_entry.part.span,
            f"`paths.{path_entry.name}` is ignored because `dockerfile_path` is set: {reason}.",
            tags=("unnecessary",),
        )
