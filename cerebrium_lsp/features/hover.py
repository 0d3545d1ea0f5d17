"""Hover for ``cerebrium.toml``: keys, values, table headers and dependency entries.

LSP method: ``textDocument/hover``.

Every text comes from the config model (``cerebrium_lsp.model.catalog.MODEL``): a key's summary,
type, default, allowed values or range, docs link and rebuild cost (its ``Stage``); a value's
description (a compute type's VRAM, limits and regions); a table's summary and what changing its
keys costs; for a pip/apt/conda entry, the exact line the CLI renders. The Markdown builders here
are shared with completion (item documentation). Clients without Markdown get plain text.

A key or package changed since the baseline (git ``HEAD``, else the last save) also shows what
the change re-runs: the rebuild impact cached by :mod:`cerebrium_lsp.features.build_plan`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from lsprotocol import types

from cerebrium_lsp.analysis.checks.context import string_value, subtable
from cerebrium_lsp.analysis.checks.secrets import redact
from cerebrium_lsp.analysis.context import node_at
from cerebrium_lsp.analysis.requirements import (
    OUTPUT_FILES,
    render_requirement,
    rendering_note,
    version_text,
)
from cerebrium_lsp.analysis.tree import Array, InlineTable, Scalar, Span, Value
from cerebrium_lsp.features.common import guarded, offset_at, project_dir, to_lsp_range
from cerebrium_lsp.model.catalog import CLI_REPO, MODEL
from cerebrium_lsp.model.lookup import legacy_compute, subtables
from cerebrium_lsp.model.types import EnumValue, KeySpec, Stage, TableSpec

if TYPE_CHECKING:
    from cerebrium_lsp.analysis.engine import Analysis
    from cerebrium_lsp.plan.impact import KeyChange
    from cerebrium_lsp.server import CerebriumLanguageServer

DOCKERFILE_PATH_KEY = ("cerebrium", "runtime", "custom", "dockerfile_path")

# --- Markdown builders (shared with completion) -------------------------------------------------


def toml_literal(value: object) -> str:
    """A Python value as TOML source text (for defaults and examples)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_literal(v) for v in value) + "]"
    return str(value)


def _number(value: float) -> str:
    return f"{value:g}"


def _range_text(spec: KeySpec) -> str:
    if spec.minimum is not None and spec.maximum is not None:
        return f"{_number(spec.minimum)}–{_number(spec.maximum)}"
    if spec.minimum is not None:
        return f"≥ {_number(spec.minimum)}"
    if spec.maximum is not None:
        return f"≤ {_number(spec.maximum)}"
    return ""


def default_text(spec: KeySpec) -> str:
    """``"CPU"`` / ``"CPU" (applied by the backend when omitted)`` / the note alone / ""."""
    if spec.default is not None:
        literal = f"`{toml_literal(spec.default)}`"
        return f"{literal} ({spec.default_note})" if spec.default_note else literal
    return spec.default_note


def key_detail(spec: KeySpec) -> str:
    """One line for a completion item: type and default."""
    if spec.default is not None:
        return f"{spec.type.label} · default {toml_literal(spec.default)}"
    return spec.type.label


def _allowed_text(spec: KeySpec) -> str:
    """The current allowed values; quoted where a bare value would read as a number
    (``"3.10"``), so the hover does not suggest writing ``3.10``."""
    return ", ".join(
        f"`{toml_literal(e.value) if _looks_numeric(e.value) else e.value}`"
        for e in spec.enum
        if not e.deprecated
    )


def _looks_numeric(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _rebuild_line(stage: Stage) -> str:
    return f"**Rebuild cost:** {stage.rebuild_cost} _(stage: {stage.title})_"


def _replacement_text(path: tuple[str, ...] | None) -> str:
    if not path:
        return ""
    table = MODEL.table(path)
    if table is not None:
        return f"`[{table.dotted}]`"
    return f"`{path[-1]}` in `[{'.'.join(path[:-1])}]`"


def _deprecation_lines(what: str, spec: KeySpec | TableSpec) -> list[str]:
    dep = spec.deprecated
    if dep is None:
        return []
    since = f" (since {dep.since})" if dep.since else ""
    lines = [f"⚠ **Legacy {what}**{since}: {dep.message}"]
    replacement = _replacement_text(dep.replacement)
    if replacement:
        lines.append(f"**Use instead:** {replacement}")
    return lines


# The model is static: texts are built once per (kind, path, name, value) and kept. Keys are
# paths rather than the specs themselves, whose hashes would walk every nested field.
_TEXTS: dict[tuple[object, ...], str] = {}


def key_markdown(table: TableSpec, spec: KeySpec, *, full: bool = True) -> str:
    """What a key does, its type, default, allowed values or range, rebuild cost and docs.

    ``full`` adds the source notes (hover); completion documentation leaves them out.
    """
    cache_key = ("key", table.path, spec.name, full)
    text = _TEXTS.get(cache_key)
    if text is None:
        text = _TEXTS[cache_key] = _key_markdown(table, spec, full)
    return text


def _key_markdown(table: TableSpec, spec: KeySpec, full: bool) -> str:
    lines = [f"**`{spec.name}`** in `[{table.dotted}]` · _{spec.type.label}_"]
    lines.append("")
    lines.extend(_deprecation_lines("key", spec))
    if spec.deprecated is not None:
        lines.append("")
    lines.append(spec.summary)
    lines.append("")
    facts: list[str] = []
    if spec.required:
        facts.append("**Required.**")
    default = default_text(spec)
    if default:
        facts.append(f"**Default:** {default}")
    if spec.enum:
        facts.append("**Allowed:** " + _allowed_text(spec))
    range_text = _range_text(spec)
    if range_text:
        facts.append(f"**Range:** {range_text}")
    if spec.min_items is not None or spec.max_items is not None:
        low = spec.min_items if spec.min_items is not None else 0
        high = spec.max_items if spec.max_items is not None else "any number of"
        facts.append(f"**List:** {low}–{high} entries")
    facts.append(_rebuild_line(spec.stage))
    if spec.since_cli:
        facts.append(f"**CLI:** {_cli_version(spec.since_cli)}")
    lines.append("  \n".join(facts))
    if full and spec.source_note:
        lines.extend(["", f"_Note:_ {spec.source_note}"])
    return "\n".join(lines).strip()


def _cli_version(since: str) -> str:
    """``v2.1.5 or later`` or ``only in code newer than v2.6.0``, the version linked to its
    release page."""
    version = since.removeprefix("after ")
    release = f"[v{version}]({CLI_REPO}/releases/tag/v{version})"
    return f"only in code newer than {release}" if since != version else f"{release} or later"


def value_markdown(table: TableSpec, spec: KeySpec, value: EnumValue) -> str:
    """One allowed value: its detail line and description (a compute type's VRAM, limits,
    regions and price)."""
    cache_key = ("value", table.path, spec.name, value.value)
    text = _TEXTS.get(cache_key)
    if text is None:
        text = _TEXTS[cache_key] = _value_markdown(spec, value)
    return text


def _value_markdown(spec: KeySpec, value: EnumValue) -> str:
    title = f"**`{value.value}`**"
    if value.detail:
        title += f" · {value.detail}"
    lines = [title, ""]
    if value.deprecated:
        lines.extend(["⚠ **Legacy value**, refused or ignored today.", ""])
    if value.description:
        lines.append(value.description)
        lines.append("")
    lines.append(f"_Value of `{spec.name}`._ {_rebuild_line(spec.stage)}")
    return "\n".join(lines).strip()


def _stage_groups(table: TableSpec) -> dict[Stage, list[str]]:
    groups: dict[Stage, list[str]] = {}
    for key in table.keys:
        if key.deprecated is None:
            groups.setdefault(key.stage, []).append(key.name)
    return groups


def table_markdown(table: TableSpec, *, full: bool = True) -> str:
    """What a table configures, its keys and sub-tables, and what changing them costs."""
    cache_key = ("table", table.path, full)
    text = _TEXTS.get(cache_key)
    if text is None:
        text = _TEXTS[cache_key] = _table_markdown(table, full)
    return text


def _table_markdown(table: TableSpec, full: bool) -> str:
    lines = [f"**`[{table.dotted}]`** · {table.title}", ""]
    lines.extend(_deprecation_lines("table", table))
    if table.deprecated is not None:
        lines.append("")
    lines.append(table.summary)
    lines.append("")
    facts: list[str] = []
    if table.required:
        facts.append("**Required.**")
    groups = _stage_groups(table)
    if groups:
        facts.append(
            "**Keys:** " + ", ".join(f"`{k.name}`" for k in table.keys if not k.deprecated)
        )
    if table.entries is not None:
        facts.append(f"**Entries:** {table.entries.summary}")
    children = [t for t in subtables(table.path) if t.deprecated is None]
    if children:
        facts.append("**Tables:** " + ", ".join(f"`[{t.dotted}]`" for t in children))
    lines.append("  \n".join(facts))
    if len(groups) > 1:
        lines.extend(["", "**Rebuild cost of a change:**"])
        for stage in sorted(groups, key=lambda s: s.value):
            names = ", ".join(f"`{n}`" for n in groups[stage])
            lines.append(f"- {names}: {stage.rebuild_cost}")
    elif groups or table.entries is not None:
        stage = next(iter(groups)) if groups else table.stage
        lines.extend(["", _rebuild_line(stage)])
    if full and table.source_note:
        lines.extend(["", f"_Note:_ {table.source_note}"])
    return "\n".join(lines).strip()


def entry_markdown(table: TableSpec, name: str, value: object) -> str:
    """A pip/apt/conda entry: the exact line the CLI renders, and why it may be wrong."""
    manager = table.path[-1]
    output = OUTPUT_FILES.get(manager)  # type: ignore[call-overload]
    line = render_requirement(name, value)
    what = f"{manager} package" if output else "entry"
    lines = [f"**`{name}`** · {what} in `[{table.dotted}]`", ""]
    if line is None:
        lines.append("The value does not decode to a string: the CLI stops with a parse error.")
    else:
        target = f"`{output}`" if output else "the generated file"
        lines.extend([f"The CLI writes this line to {target}:", "", "```text", line, "```"])
        version = version_text(value)
        if version is not None and version != "" and not line.endswith(version):
            lines.extend(["", f"(from the version spec `{toml_literal(version)}`)"])
    note = rendering_note(name, value, manager) if output else None  # type: ignore[arg-type]
    if note:
        lines.extend(["", f"⚠ {note}"])
    lines.extend(["", _rebuild_line(table.stage)])
    return "\n".join(lines)


def skeleton_markdown(text: str) -> str:
    return "The `cerebrium.toml` that `cerebrium init` writes:\n\n```toml\n" + text + "```"


_LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")
_EMPHASIS = re.compile(r"\*\*|__|(?<![\w`])_(?=\S)|(?<=\S)_(?![\w`])")


def to_plaintext(markdown: str) -> str:
    """Markdown as readable plain text: links become ``text (url)``, emphasis and code
    fences are dropped, inline code keeps its text."""
    text = _LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", markdown)
    text = text.replace("```text\n", "").replace("```toml\n", "").replace("```", "")
    text = _EMPHASIS.sub("", text)
    text = text.replace("`", "").replace("  \n", "\n")
    return text


# --- Hover ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HoverResult:
    markdown: str
    span: Span
    path: tuple[str, ...] | None = None  # the key (or package) hovered, for its rebuild impact


def hover_at(analysis: Analysis, offset: int) -> HoverResult | None:
    """The hover text (Markdown) and the exact span it is about, or None."""
    node = node_at(analysis.document.parsed, offset)
    if node is None:
        return None
    if node.kind == "header":
        return _table_hover(node.path, node.span)
    if node.kind == "key":
        if node.names_table:
            return _table_hover(node.path, node.span)
        table = MODEL.table(node.path[:-1])
        if table is None:
            return None
        name = node.path[-1]
        spec = table.key(name)
        if spec is not None:
            return HoverResult(key_markdown(table, spec), node.span, node.path)
        if table.entries is not None and node.kv is not None:
            markdown = entry_markdown(table, name, _python_value(node.kv.value))
            return HoverResult(markdown, node.span, node.path)
        if table.deprecated is None:
            message = (
                f"Unknown key `{name}` in `[{table.dotted}]`: the CLI ignores it "
                "(the backend may read the raw file)."
            )
            return HoverResult(message, node.span, node.path)
        return None
    return _value_hover(node.path, node.span, node.scalar, node.in_array)


def _table_hover(path: tuple[str, ...], span: Span) -> HoverResult | None:
    table = MODEL.table(path)
    if table is not None:
        return HoverResult(table_markdown(table), span)
    parent = MODEL.table(path[:-1]) if len(path) > 1 else None
    if parent is not None and parent.deprecated is None:
        message = f"Unknown table `[{'.'.join(path)}]`: the CLI ignores it."
        return HoverResult(message, span)
    return None


def _value_hover(
    path: tuple[str, ...], span: Span, scalar: Scalar | None, in_array: bool
) -> HoverResult | None:
    if scalar is None or len(path) < 2:
        return None
    table = MODEL.table(path[:-1])
    if table is None:
        return None
    name = path[-1]
    spec = table.key(name)
    if spec is None:
        if table.entries is not None:
            value = [scalar.value] if in_array else scalar.value
            return HoverResult(entry_markdown(table, name, value), span, path)
        return None
    if spec.enum and isinstance(scalar.value, str):
        found = _enum_value(spec, scalar.value)
        if found is not None:
            return HoverResult(value_markdown(table, spec, found), span, path)
        legacy = legacy_compute(scalar.value) if spec.enum_values == _compute_ids() else None
        if legacy is not None:
            message = (
                f"**`{legacy.id}`** · legacy compute type\n\n{legacy.note}\n\n"
                f"**Use instead:** `{legacy.replacement}`"
            )
            return HoverResult(message, span, path)
        message = (
            f"`{scalar.value}` is not a known value of `{spec.name}`. "
            f"Allowed: {_allowed_text(spec)}"
        )
        return HoverResult(message, span, path)
    return HoverResult(key_markdown(table, spec), span, path)


@lru_cache(maxsize=1)
def _compute_ids() -> tuple[str, ...]:
    return tuple(c.id for c in MODEL.compute)


def _enum_value(spec: KeySpec, value: str) -> EnumValue | None:
    for candidate in spec.enum:
        if candidate.value == value:
            return candidate
    if not spec.enum_case_sensitive:
        lowered = value.lower()
        for candidate in spec.enum:
            if candidate.value.lower() == lowered:
                return candidate
    return None


def _python_value(value: Value | None) -> object:
    """The decoded value of a node, for rendering (arrays and tables as lists/dicts)."""
    if value is None:
        return ""
    if isinstance(value, Scalar):
        return value.value if value.value is not None else value.raw
    if isinstance(value, Array):
        return [_python_value(v) for v in value.items]
    if isinstance(value, InlineTable):
        return {".".join(e.key.names): _python_value(e.value) for e in value.entries}
    return None


def _hover_format(ls: CerebriumLanguageServer) -> str:
    """ "markdown" or "plaintext" (MarkupContent of that kind) or "string" (the client named no
    format: a plain string)."""
    document = ls.client_capabilities.text_document
    hover = document.hover if document is not None else None
    formats = (hover.content_format if hover is not None else None) or ()
    if types.MarkupKind.Markdown in formats:
        return "markdown"
    if types.MarkupKind.PlainText in formats:
        return "plaintext"
    return "string"


def register(server: CerebriumLanguageServer) -> None:
    server.feature(types.TEXT_DOCUMENT_HOVER)(hover)


# How long a hover waits for a baseline still being computed (git) before it goes without the
# rebuild impact; the code lens usually computed it already.
IMPACT_WAIT_S = 1.0


def change_markdown(change: KeyChange, baseline_label: str) -> str:
    """What changed in a key since the baseline and what that re-runs, e.g. ``**Changed since
    git HEAD** (was `1.26`): pip stage and later, …``."""
    since = "the last save" if baseline_label == "last save" else baseline_label
    was = {
        "added": "added",
        "removed": "removed",
        "changed": f"was {_inline_code(change.old or '')}",
    }[change.kind]
    effect = change.cost if change.applies else f"nothing re-runs ({change.note})"
    return f"**Changed since {since}** ({was}): {effect}"


def _inline_code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


async def _impact_note(ls: CerebriumLanguageServer, uri: str, path: tuple[str, ...]) -> str:
    from cerebrium_lsp.features.build_plan import impact_for

    rebuild = await impact_for(ls, uri, wait_s=IMPACT_WAIT_S)
    if rebuild is None or rebuild.baseline.source == "none":
        return ""
    change = rebuild.impact.change_at(path)
    return change_markdown(change, rebuild.baseline.label) if change is not None else ""


def _dockerfile_note(analysis: Analysis, uri: str, path: tuple[str, ...] | None) -> str | None:
    """On ``dockerfile_path``: what the Dockerfile it names holds (read from the project)."""
    if path is None or tuple(p.lower() for p in path) != DOCKERFILE_PATH_KEY:
        return None
    from cerebrium_lsp.analysis.checks.dockerfile import dockerfile_summary

    custom = subtable(analysis.document.root, *DOCKERFILE_PATH_KEY[:-1])
    relative = string_value(custom, DOCKERFILE_PATH_KEY[-1])
    return dockerfile_summary(project_dir(uri), relative) if relative else None


@guarded("hover", lambda: None)
async def hover(ls: CerebriumLanguageServer, params: types.HoverParams) -> types.Hover | None:
    uri = params.text_document.uri
    analysis = ls.analysis_for(uri)
    if analysis is None:
        return None
    result = hover_at(analysis, offset_at(analysis, params.position))
    if result is None:
        return None
    markdown = result.markdown
    summary = _dockerfile_note(analysis, uri, result.path)
    if summary:
        markdown = f"{summary}\n\n---\n\n{markdown}"
    if result.path is not None:
        note = await _impact_note(ls, uri, result.path)
        if note:
            markdown = f"{markdown}\n\n---\n\n{note}"
        if ls.analysis_for(uri) is not analysis:
            return None  # edited while waiting: the range would be stale
    markdown = redact(markdown)  # a package URL or value may hold a credential
    contents: str | types.MarkupContent
    kind = _hover_format(ls)
    if kind == "markdown":
        contents = types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown)
    elif kind == "plaintext":
        contents = types.MarkupContent(
            kind=types.MarkupKind.PlainText, value=to_plaintext(markdown)
        )
    else:
        contents = to_plaintext(markdown)
    return types.Hover(contents=contents, range=to_lsp_range(analysis, result.span))
