"""Walk the ``[cerebrium]`` tree against the model: unknown, legacy and mis-cased keys and tables,
and the type/enum/range check of every known key."""

from __future__ import annotations

from cerebrium_lsp.analysis.checks.context import CheckContext, table_span
from cerebrium_lsp.analysis.checks.dependencies import check_dependency_entry, check_dotted_package
from cerebrium_lsp.analysis.checks.values import check_value, closest, describe
from cerebrium_lsp.analysis.diagnostics import Related
from cerebrium_lsp.analysis.tree import ResolvedEntry, ResolvedTable, Span, TableArray
from cerebrium_lsp.model import MODEL
from cerebrium_lsp.model.types import TableSpec

# Keys whose whole check lives in a dedicated module.
DEDICATED = {("cerebrium", "deployment", "python_version")}

# Tables people invent for settings the CLI never reads from the file.
_SECRET_TABLES = {"env", "environment", "secrets", "secret", "envs"}


def check_structure(ctx: CheckContext) -> None:
    root = ctx.document.root
    cerebrium = _find_root(ctx, root)
    _check_prefixless_sections(ctx, root, cerebrium is not None)
    if cerebrium is not None:
        spec = MODEL.table(("cerebrium",))
        _walk(ctx, cerebrium, ("cerebrium",), spec)


def _find_root(ctx: CheckContext, root: ResolvedTable) -> ResolvedTable | None:
    found = [
        (name, c)
        for name, c in root.children.items()
        if name.lower() == "cerebrium" and isinstance(c, ResolvedTable)
    ]
    if found:
        return found[0][1]
    bad = root.children.get("cerebrium")
    if isinstance(bad, ResolvedEntry | TableArray):
        span = bad.part.span if isinstance(bad, ResolvedEntry) else bad.name_span
        ctx.report(
            "missing-root", span, "`cerebrium` must be a table such as [cerebrium.deployment]."
        )
        return None
    ctx.report(
        "missing-root",
        _first_content_span(ctx),
        "No [cerebrium] table: the CLI stops with “'cerebrium' key not found”. Put the settings "
        "under [cerebrium.deployment], [cerebrium.hardware], …",
    )
    return None


def _first_content_span(ctx: CheckContext) -> Span:
    parsed = ctx.document.parsed
    for table in parsed.tables:
        if table.header is not None:
            return table.header.span
        if table.entries:
            return table.entries[0].key.span
    return Span(0, 0)


def _check_prefixless_sections(ctx: CheckContext, root: ResolvedTable, has_root: bool) -> None:
    sections = {t.path[1] for t in MODEL.current_tables() if len(t.path) > 1}
    for name, c in root.children.items():
        if name.lower() in sections and isinstance(c, ResolvedTable):
            ctx.report(
                "missing-prefix",
                table_span(c),
                f"[{name}] is ignored by the CLI: Cerebrium settings live under the cerebrium "
                f"table. Rename it to [cerebrium.{name.lower()}].",
                severity="warning" if has_root else "error",
                data={"replacement": f"cerebrium.{name.lower()}"},
            )


def _walk(
    ctx: CheckContext, table: ResolvedTable, path: tuple[str, ...], spec: TableSpec | None
) -> None:
    first_by_lower: dict[str, ResolvedEntry | ResolvedTable | TableArray] = {}
    for name, node in table.children.items():
        lowered = name.lower()
        if lowered in first_by_lower:
            _report_case_collision(ctx, name, node, first_by_lower[lowered])
            continue
        first_by_lower[lowered] = node
        child_path = (*path, lowered)
        if isinstance(node, ResolvedEntry):
            _check_entry(ctx, node, child_path, spec)
        else:
            _check_table(ctx, node, name, child_path, spec)


def _name_span(node: ResolvedEntry | ResolvedTable | TableArray) -> Span:
    if isinstance(node, ResolvedEntry):
        return node.part.span
    if isinstance(node, TableArray):
        return node.name_span
    return node.name_span or table_span(node)


def _report_case_collision(
    ctx: CheckContext,
    name: str,
    node: ResolvedEntry | ResolvedTable | TableArray,
    first: ResolvedEntry | ResolvedTable | TableArray,
) -> None:
    ctx.report(
        "case-collision",
        _name_span(node),
        f"`{name}` and an earlier key differ only by case; the CLI lower-cases keys, so they "
        "collapse into one and which value wins is undefined. Keep one of them.",
        related=[Related(_name_span(first), "the other spelling")],
    )


def _check_entry(
    ctx: CheckContext, node: ResolvedEntry, path: tuple[str, ...], spec: TableSpec | None
) -> None:
    if spec is None:
        return
    name = node.name
    if spec.entries is not None:
        check_dependency_entry(ctx, node, spec)
        return
    key = spec.key(name)
    if key is None:
        table_spec = MODEL.table(path)
        if table_spec is not None and node.value is not None:
            ctx.report(
                "type-mismatch",
                node.value.span,
                f"`{name}` must be a table ([{table_spec.dotted}]), found {describe(node.value)}.",
            )
            return
        _report_unknown_key(ctx, node, spec)
        return
    _report_case(ctx, name, key.name, node.part.span)
    if key.deprecated is not None:
        target = (
            f" Use `{key.deprecated.replacement[-1]}` in [{'.'.join(key.deprecated.replacement[:-1])}]."
            if key.deprecated.replacement
            else ""
        )
        ctx.report(
            "legacy-key",
            node.part.span,
            f"`{name}` is a legacy key: {_sentence(key.deprecated.message)}{target}",
            tags=("deprecated",),
            data={"replacement": list(key.deprecated.replacement)}
            if key.deprecated.replacement
            else None,
        )
        return
    if path in DEDICATED:
        return
    check_value(ctx, key, node.kv, path[-2] if len(path) > 1 else path[0])


def _sentence(text: str) -> str:
    """A model message as a sentence inside ours: lower-case start, one final period."""
    text = text.strip().rstrip(".")
    return (text[:1].lower() + text[1:] if text[1:2].islower() else text) + "."


def _report_case(ctx: CheckContext, written: str, canonical: str, span: Span) -> None:
    if written != canonical:
        ctx.report(
            "key-case",
            span,
            f"`{written}` works (the CLI lower-cases keys), but the documented spelling is "
            f"`{canonical}`.",
            data={"replacement": canonical},
        )


def _report_unknown_key(ctx: CheckContext, node: ResolvedEntry, spec: TableSpec) -> None:
    name = node.name
    current = [k.name for k in spec.keys if k.deprecated is None]
    home = [
        t
        for t in MODEL.current_tables()
        if t is not spec and t.key(name) is not None and t.key(name).deprecated is None  # type: ignore[union-attr]
    ]
    if home:
        advice = f" `{name.lower()}` belongs in [{home[0].dotted}]."
        data = None
    else:
        suggestion = closest(name, current)
        advice = f" Did you mean `{suggestion}`?" if suggestion else ""
        data = {"replacement": suggestion} if suggestion else None
    ctx.report(
        "unknown-key",
        node.part.span,
        f"Unknown key `{name}` in [{spec.dotted}]: the CLI ignores it.{advice}",
        data=data,
    )


def _check_table(
    ctx: CheckContext,
    node: ResolvedTable | TableArray,
    name: str,
    path: tuple[str, ...],
    parent: TableSpec | None,
) -> None:
    if parent is None:
        return
    if parent.entries is not None:
        if isinstance(node, ResolvedTable) and node.defined_by == "dotted":
            check_dotted_package(ctx, node, name, parent)
        else:
            ctx.report(
                "type-mismatch",
                _name_span(node),
                f"[{parent.dotted}] maps package names to version strings; `{name}` is a table, "
                "which the CLI cannot decode.",
            )
        return
    spec = MODEL.table(path)
    key = parent.key(name)
    if spec is None and key is not None:
        span = (
            node.inline.span
            if isinstance(node, ResolvedTable) and node.inline
            else _name_span(node)
        )
        ctx.report(
            "type-mismatch",
            span,
            f"`{name}` expects {key.type.label}, found a table: the CLI cannot decode it.",
        )
        return
    if spec is None or isinstance(node, TableArray):
        _report_unknown_table(ctx, node, name, path, parent)
        return
    _report_case(ctx, name, path[-1], _name_span(node))
    if spec.deprecated is not None:
        replacement = spec.deprecated.replacement
        target = f" Use [{'.'.join(replacement)}] instead." if replacement else ""
        ctx.report(
            "legacy-table",
            _name_span(node),
            f"[{'.'.join(path)}] is a legacy table: {_sentence(spec.deprecated.message)}{target}",
            tags=("deprecated",),
            data={"replacement": list(replacement)} if replacement else None,
        )
        _report_moved_keys(ctx, node, spec)
        return
    _walk(ctx, node, path, spec)


def _report_moved_keys(ctx: CheckContext, table: ResolvedTable, spec: TableSpec) -> None:
    """Inside a legacy table, point out the keys that have a new home (e.g. build.use_uv)."""
    for node in table.entries():
        key = spec.key(node.name)
        if key is None or key.deprecated is None or key.deprecated.replacement is None:
            continue
        new = key.deprecated.replacement
        ctx.report(
            "legacy-key",
            node.part.span,
            f"`{node.name}` here is ignored: {_sentence(key.deprecated.message)} Move it to "
            f"[{'.'.join(new[:-1])}] as `{new[-1]}`.",
            tags=("deprecated",),
            data={"replacement": list(new)},
        )


def _report_unknown_table(
    ctx: CheckContext,
    node: ResolvedTable | TableArray,
    name: str,
    path: tuple[str, ...],
    parent: TableSpec,
) -> None:
    dotted = ".".join(path)
    if name.lower() in _SECRET_TABLES and len(path) == 2:
        ctx.report(
            "unknown-table",
            _name_span(node),
            f"[{dotted}] is ignored: the CLI does not read environment variables or secrets from "
            "cerebrium.toml, and this file is uploaded with every deploy. Store them as project or "
            "app secrets in Cerebrium instead.",
        )
        return
    siblings = [
        t.path[len(parent.path)]
        for t in MODEL.current_tables()
        if len(t.path) == len(path) and t.path[: len(parent.path)] == parent.path
    ]
    suggestion = closest(name, siblings)
    advice = f" Did you mean [{'.'.join((*parent.path, suggestion))}]?" if suggestion else ""
    ctx.report(
        "unknown-table",
        _name_span(node),
        f"Unknown table [{dotted}]: the CLI ignores it and everything in it.{advice}",
        data={"replacement": suggestion} if suggestion else None,
    )
