"""Checks of ``[cerebrium.dependencies.*]``: version specs the CLI mangles, unquoted dotted
package names, ``paths.X`` files, and inline tables that conflict with them."""

from __future__ import annotations

import re

from cerebrium_lsp.analysis.checks.context import (
    CheckContext,
    entry,
    string_value,
    subtable,
    table_span,
    toml_string,
)
from cerebrium_lsp.analysis.checks.paths import check_project_file
from cerebrium_lsp.analysis.diagnostics import Related
from cerebrium_lsp.analysis.requirements import render_requirement, render_version, version_text
from cerebrium_lsp.analysis.tree import ResolvedEntry, ResolvedTable, Scalar
from cerebrium_lsp.model.types import TableSpec

MANAGERS = ("pip", "apt", "conda")


def _manager(spec: TableSpec) -> str:
    return spec.path[-1]


def check_dependency_entry(ctx: CheckContext, node: ResolvedEntry, spec: TableSpec) -> None:
    """One ``package = "version"`` line of a pip/apt/conda table."""
    value = node.value
    if value is None or (
        isinstance(value, Scalar) and (not value.terminated or value.kind == "invalid")
    ):
        return
    manager = _manager(spec)
    raw = value.value if isinstance(value, Scalar) else None
    version = version_text(raw) if isinstance(value, Scalar) else None
    if version is None:
        ctx.report(
            "type-mismatch",
            value.span,
            f"[{spec.dotted}] maps a package name to a version string; `{node.name}` has "
            f"{'an array' if not isinstance(value, Scalar) else 'a ' + value.kind}, which the CLI "
            'cannot decode. Write a string such as "latest" or ">=1.2".',
        )
        return
    assert isinstance(value, Scalar)
    if not isinstance(raw, str):
        written = value.raw.strip()
        ctx.report(
            "type-mismatch" if version != written else "type-coerced",
            value.span,
            f"`{node.name}` has a {value.kind} version ({written}); the CLI reads it as "
            f'"{version}" and writes `{render_requirement(node.name, raw)}`. Quote it: "{written}".',
            severity="warning" if version != written else None,
            data={"replacement": f'"{written}"'},
        )
    _check_version_spec(ctx, node, version, manager, value)
    _check_url_case(ctx, node)


_COMPATIBLE = re.compile(r"^~(?P<eq>=?)\s*(?P<v>\d+(?:\.\d+)*)")
_CARET = re.compile(r"^\^\s*(?P<v>\d+(?:\.\d+)*)")


def intended_spec(version: str) -> str | None:
    """The spec the author meant for ``~=1.4`` or ``^1.2.3``, written so the CLI keeps it."""
    text = version.strip()
    compatible = _COMPATIBLE.match(text)
    if compatible:
        parts = compatible.group("v").split(".")
        if len(parts) < 2:
            return f">={parts[0]}"
        # PEP 440 ~=1.4.2 keeps all but the last component; npm/poetry ~1.4.2 keeps major.minor.
        kept = parts[:-1] if compatible.group("eq") else parts[:2]
        return f">={compatible.group('v')},=={'.'.join(kept)}.*"
    caret = _CARET.match(text)
    if caret:
        numbers = [int(n) for n in caret.group("v").split(".")]
        # ^ bumps the first non-zero component (poetry/npm semantics).
        index = next((i for i, n in enumerate(numbers) if n != 0), len(numbers) - 1)
        upper = [*numbers[:index], numbers[index] + 1]
        return f">={caret.group('v')},<{'.'.join(str(n) for n in upper)}"
    return None


def _check_version_spec(
    ctx: CheckContext, node: ResolvedEntry, version: str, manager: str, value: Scalar
) -> None:
    suffix = render_version(version)
    line = node.name.lower() + suffix
    stripped = version.strip()
    if suffix.startswith("==") and stripped[:1] in ("~", "^"):
        meant = intended_spec(stripped)
        fix = f' Write "{meant}" instead.' if meant else ' Write a range such as ">=1.4,<2".'
        ctx.report(
            "version-spec",
            value.span,
            f'The CLI prepends "==" to "{version}", writing the invalid line `{line}`, so the '
            f"{manager} stage fails.{fix}",
            data={"replacement": f'"{meant}"'} if meant else None,
        )
        return
    if manager == "apt" and suffix.startswith("=="):
        plain = stripped.lstrip("=")
        ctx.report(
            "version-spec",
            value.span,
            f"apt pins versions as `name=version`, but the CLI writes `{line}`. "
            f'Write "={plain}" to get `{node.name.lower()}={plain}`.',
            data={"replacement": toml_string(f"={plain}")},
        )


def _check_url_case(ctx: CheckContext, node: ResolvedEntry) -> None:
    name = node.name
    if "://" in name and "@" in name and name != name.lower():
        ref = name.rsplit("@", 1)[1]
        if ref != ref.lower():
            ctx.report(
                "version-spec",
                node.part.span,
                f"The CLI lower-cases package names, so the git ref `{ref}` becomes "
                f"`{ref.lower()}` and may not exist. Install it from `shell_commands` instead.",
            )


def check_dotted_package(
    ctx: CheckContext, node: ResolvedTable, name: str, parent: TableSpec
) -> None:
    """``libglib2.0-0 = "latest"`` is a dotted key: it builds a nested table."""
    leaf = node
    parts = [name]
    while True:
        children = list(leaf.children.items())
        if len(children) != 1:
            break
        child_name, child_node = children[0]
        parts.append(child_name)
        if isinstance(child_node, ResolvedTable) and child_node.defined_by == "dotted":
            leaf = child_node
            continue
        break
    full = ".".join(parts)
    first_entry = next(iter(leaf.entries()), None)
    span = first_entry.kv.key.span if first_entry is not None else table_span(node)
    ctx.report(
        "dotted-package-name",
        span,
        f"`{full}` is read as the dotted key {' → '.join(parts)}, which makes a nested table "
        f'the CLI cannot decode. Quote the package name: "{full}".',
        data={"replacement": toml_string(full)},
    )


def check_dependency_files(ctx: CheckContext, cerebrium: ResolvedTable) -> None:
    """``paths.X`` files must exist and must not be combined with inline ``[…X]`` entries."""
    deps = subtable(cerebrium, "dependencies")
    paths = subtable(deps, "paths")
    if paths is None:
        return
    for manager in MANAGERS:
        path_entry = entry(paths, manager)
        path_text = string_value(paths, manager)
        if path_entry is None or path_text is None or not path_text.strip():
            continue
        inline = subtable(deps, manager)
        if inline is not None and inline.children:
            ctx.report(
                "dependency-conflict",
                path_entry.part.span,
                f"`paths.{manager}` and [cerebrium.dependencies.{manager}] both give {manager} "
                f"packages; the CLI refuses the pair. Keep the file or the inline table.",
                related=[Related(table_span(inline), "inline packages defined here")],
            )
        assert path_entry.value is not None
        check_project_file(ctx, path_text, path_entry.value.span, f"paths.{manager}")
