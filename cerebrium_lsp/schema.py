"""JSON Schema (draft-07) of ``cerebrium.toml``, generated from the config model.

The schema serves editors that validate TOML against JSON Schema (Even Better TOML / taplo, VS
Code): descriptions in plain text and Markdown, enum descriptions, ``x-taplo`` docs links and
deprecation notices. It checks what a schema can: types, ranges, closed value sets, required
keys and unknown keys in known tables. Cross-key rules (limits per compute type, Dockerfile
conflicts, …) are left to the language server's diagnostics.

Choices:

- Key names are the canonical lower-case ones; the CLI matches keys case-insensitively, which a
  JSON Schema cannot express, so ``Name`` is reported as unknown here.
- Known current tables reject unknown keys (``additionalProperties: false``), except the
  dependency tables, whose keys are package names. Legacy tables accept anything: they are
  listed, marked deprecated, but their content is ignored by the CLI. Other top-level tables
  are allowed (the CLI ignores them).
- An enum whose ``enum_severity`` is ``"error"`` is a closed ``enum``. A ``"warning"`` enum
  (region, scaling metric, load balancing algorithm: values the backend is not documented to
  reject, or an open set) is ``anyOf`` [the enum, any string], so editors still complete the
  known values without rejecting others. Deprecated enum values (``coreweave``) are rejected.
- Legacy keys keep their old type and carry ``deprecated: true``; their descriptions open with
  "Deprecated". JSON Schema validation does not fail on them.
- The schema is the one SchemaStore hosts (docs/schemastore.md): it compiles under Ajv 8 in
  strict mode with only the extra keywords SchemaStore registers (``markdownDescription``,
  ``enumDescriptions``, ``markdownEnumDescriptions``, ``x-taplo``, ``x-taplo-info``, …). So no
  VS Code-only ``deprecationMessage`` (the extension derives it for its own copy) and no union
  ``type`` (a string-or-list value is an ``anyOf`` of a string and an array).
"""

from __future__ import annotations

import json
import re

from .model import MODEL, ConfigModel, EnumValue, KeySpec, TableSpec, ValueType
from .model.lookup import compute_families, subtables

SCHEMA_DRAFT = "http://json-schema.org/draft-07/schema#"
# The URL SchemaStore serves the schema at once its catalog lists it (docs/schemastore.md).
SCHEMA_ID = "https://www.schemastore.org/cerebrium.json"

JsonObject = dict[str, object]

_CASE_NOTE = (
    "Key names are shown in lower case; the CLI matches keys case-insensitively "
    "(`Name` and `name` are the same key)."
)

_SCALAR_TYPES: dict[ValueType, str] = {
    ValueType.STRING: "string",
    ValueType.INTEGER: "integer",
    ValueType.NUMBER: "number",
    ValueType.BOOLEAN: "boolean",
}

_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")


def plain_text(markdown: str) -> str:
    """Markdown → plain text for ``description``: links become "text: URL", code and emphasis
    marks are dropped."""

    def link(match: re.Match[str]) -> str:
        text, url = match.group(1), match.group(2)
        return f"Docs: {url}" if text == "docs" else f"{text} ({url})"

    text = _LINK.sub(link, markdown)
    return text.replace("**", "").replace("`", "")


def _json_value(value: object) -> object:
    """Model values (tuples) → JSON values (lists)."""
    if isinstance(value, tuple | list):
        return [_json_value(v) for v in value]
    return value


def _toml_literal(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_literal(v) for v in value) + "]"
    return str(value)


def _range_text(minimum: float | None, maximum: float | None) -> str:
    if minimum is not None and maximum is not None:
        return f"{minimum:g}–{maximum:g}"
    return f"≥ {minimum:g}" if minimum is not None else f"≤ {maximum:g}"


def _deprecation_text(spec: KeySpec | TableSpec) -> str:
    assert spec.deprecated is not None
    text = spec.deprecated.message
    if spec.deprecated.replacement:
        text += f" Replacement: {'.'.join(spec.deprecated.replacement)}."
    return text


def _deprecation_markdown(spec: KeySpec | TableSpec) -> list[str]:
    if not spec.deprecated:
        return []
    since = f" ({spec.deprecated.since})" if spec.deprecated.since else ""
    return [f"**Deprecated**{since}. {_deprecation_text(spec)}", ""]


def _key_markdown(spec: KeySpec) -> str:
    lines = _deprecation_markdown(spec)
    lines += [spec.summary, ""]
    facts = [f"**Type:** {spec.type.label}"]
    if spec.default is not None:
        default = f"`{_toml_literal(spec.default)}`"
        facts.append(
            f"**Default:** {default}" + (f" ({spec.default_note})" if spec.default_note else "")
        )
    elif spec.default_note:
        facts.append(f"**Default:** {spec.default_note}")
    if spec.minimum is not None or spec.maximum is not None:
        facts.append(f"**Range:** {_range_text(spec.minimum, spec.maximum)}")
    if spec.required:
        facts.append("**Required.**")
    if spec.since_cli:
        facts.append(f"**Since:** CLI {spec.since_cli}")
    if not spec.deprecated:  # a legacy key is ignored: changing it rebuilds nothing
        facts.append(f"**Stage:** {spec.stage.title} — {spec.stage.rebuild_cost}")
    if spec.source_note:
        facts.append(f"**Sources:** {spec.source_note}")
    lines += [f"- {fact}" for fact in facts]
    return "\n".join(lines)


def _table_markdown(table: TableSpec) -> str:
    lines = _deprecation_markdown(table)
    lines.append(table.summary)
    if table.path == ("cerebrium",):
        lines += ["", _CASE_NOTE]
    if table.entries:
        lines += ["", f"Each entry: {table.entries.summary}"]
    if table.source_note:
        lines += ["", f"Sources: {table.source_note}"]
    return "\n".join(lines)


def _enum_schema(values: tuple[EnumValue, ...]) -> JsonObject:
    """``enum`` with the descriptions VS Code (``markdownEnumDescriptions``) and taplo
    (``x-taplo.docs.enumValues``) show; deprecated values are left out."""
    current = [v for v in values if not v.deprecated]
    markdown = [
        f"**{v.detail}**\n\n{v.description}" if v.detail else v.description for v in current
    ]
    return {
        "type": "string",
        "enum": [v.value for v in current],
        "enumDescriptions": [plain_text(m).replace("\n\n", " — ", 1) for m in markdown],
        "markdownEnumDescriptions": markdown,
        "x-taplo": {"docs": {"enumValues": markdown}},
    }


def _string_schema(spec: KeySpec) -> JsonObject:
    if not spec.enum:
        return {"type": "string", "minLength": 1} if spec.required else {"type": "string"}
    closed = _enum_schema(spec.enum)
    if spec.enum_severity == "error":
        return closed
    schema: JsonObject = {"type": "string", "anyOf": [closed, {"type": "string"}]}
    refused = [v.value for v in spec.enum if v.deprecated]
    if refused:
        schema["not"] = {"enum": refused}
    return schema


def _compute_list_schema(spec: KeySpec, model: ConfigModel) -> JsonObject:
    """A list of compute ids: 1-N entries, every one in the enum, all of one family."""
    families = compute_families(model)
    array: JsonObject = {
        "type": "array",
        "items": _enum_schema(spec.enum),
        "anyOf": [{"items": {"enum": list(ids)}} for ids in families.values()],
    }
    if spec.min_items is not None:
        array["minItems"] = spec.min_items
    if spec.max_items is not None:
        array["maxItems"] = spec.max_items
    return array


def _value_schema(table: TableSpec, spec: KeySpec, model: ConfigModel) -> JsonObject:
    if spec.type in _SCALAR_TYPES and spec.type is not ValueType.STRING:
        schema: JsonObject = {"type": _SCALAR_TYPES[spec.type]}
        if spec.minimum is not None:
            schema["minimum"] = spec.minimum
        if spec.maximum is not None:
            schema["maximum"] = spec.maximum
        return schema
    if spec.type is ValueType.STRING:
        return _string_schema(spec)
    items: JsonObject = _enum_schema(spec.enum) if spec.enum else {"type": "string"}
    string: JsonObject = _string_schema(spec) if spec.enum else {"type": "string"}
    if spec.type is ValueType.STRING_LIST:
        return {"type": "array", "items": items}
    # STRING_OR_LIST
    if spec.enum and table.path == ("cerebrium", "hardware") and spec.name == "compute":
        array = _compute_list_schema(spec, model)
    else:
        array = {"type": "array", "items": items}
    return {"anyOf": [string, array]}  # Ajv strict refuses a union `type`


def _key_schema(table: TableSpec, spec: KeySpec, model: ConfigModel) -> JsonObject:
    schema = _value_schema(table, spec, model)
    markdown = _key_markdown(spec)
    schema["description"] = plain_text(markdown)
    schema["markdownDescription"] = markdown
    if spec.default is not None:
        schema["default"] = _json_value(spec.default)
    if spec.examples:
        schema["examples"] = [_json_value(e) for e in spec.examples]
    if spec.deprecated:
        schema["deprecated"] = True
    taplo = schema.get("x-taplo")
    links: JsonObject = {"links": {"key": spec.docs}}
    schema["x-taplo"] = {**taplo, **links} if isinstance(taplo, dict) else links
    return schema


def _table_schema(table: TableSpec, model: ConfigModel) -> JsonObject:
    markdown = _table_markdown(table)
    properties: JsonObject = {k.name: _key_schema(table, k, model) for k in table.keys}
    for sub in subtables(table.path, model):
        properties[sub.path[-1]] = _table_schema(sub, model)
    required = [k.name for k in table.keys if k.required]
    required += [s.path[-1] for s in subtables(table.path, model) if s.required]

    schema: JsonObject = {
        "type": "object",
        "title": table.title,
        "description": plain_text(markdown),
        "markdownDescription": markdown,
        "x-taplo": {"links": {"key": table.docs}},
    }
    if properties:
        schema["properties"] = properties
    if required:
        schema["required"] = required
        schema["x-taplo"] = {"links": {"key": table.docs}, "initKeys": required}
    if table.deprecated:
        schema["deprecated"] = True
        schema["additionalProperties"] = True  # ignored by the CLI whatever it holds
    elif table.entries:
        schema["additionalProperties"] = {
            "type": "string",
            "description": plain_text(table.entries.summary),
            "markdownDescription": table.entries.summary,
        }
        schema["examples"] = [dict(table.entries.examples)]
    else:
        schema["additionalProperties"] = False
    return schema


def build_schema(model: ConfigModel = MODEL) -> JsonObject:
    """The JSON Schema of ``cerebrium.toml`` as a JSON-ready dict."""
    root = model.table(("cerebrium",))
    assert root is not None, "the model has no [cerebrium] table"
    description = (
        "Configuration of a Cerebrium app, read by `cerebrium deploy`. Only the `cerebrium` "
        "table is read; other top-level tables are ignored. " + _CASE_NOTE
    )
    return {
        "$schema": SCHEMA_DRAFT,
        "$id": SCHEMA_ID,
        "title": "cerebrium.toml",
        "description": plain_text(description),
        "markdownDescription": description,
        "type": "object",
        "properties": {"cerebrium": _table_schema(root, model)},
        "required": ["cerebrium"],
        "additionalProperties": True,
        "x-taplo-info": {"authors": ["cerebrium-lsp"], "patterns": [r"^(.*/)?cerebrium\.toml$"]},
    }


def render_schema() -> str:
    """The schema as stable JSON text: sorted object keys, two-space indent, final newline."""
    return json.dumps(build_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
