"""Type, enum and range checks of single values, following how the CLI decodes them.

The CLI decodes with mapstructure in weakly-typed mode (docs/sources.md): numbers and booleans
given for strings become strings, parsable strings given for numbers become numbers, floats
given for integers are truncated, and a string given for a list is split on commas.
"""

from __future__ import annotations

import difflib
import math

from cerebrium_lsp.analysis.checks.context import CheckContext, toml_string
from cerebrium_lsp.analysis.requirements import version_text
from cerebrium_lsp.analysis.tree import Array, InlineTable, KeyValue, Scalar, Span, Value
from cerebrium_lsp.model import MODEL
from cerebrium_lsp.model.catalog_age import catalog_age_note
from cerebrium_lsp.model.types import KeySpec, ValueType

# Sections whose string-for-list values the CLI splits on commas (not [cerebrium.hardware]).
COMMA_SPLIT_SECTIONS = {"deployment", "scaling", "dependencies", "custom"}

_KIND_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "float": "a float",
    "boolean": "a boolean",
    "datetime": "a date-time",
    "date": "a date",
    "time": "a time",
}


def describe(value: Value) -> str:
    """How a found value is named in messages: ``a string ("8080")``, ``an array``."""
    if isinstance(value, Array):
        return "an array"
    if isinstance(value, InlineTable):
        return "an inline table"
    name = _KIND_NAMES.get(value.kind, "a value")
    return f"{name} ({value.raw.strip()})"


def go_format(value: object) -> str:
    """The string mapstructure makes of a scalar (floats in shortest form, bools as 1/0)."""
    text = version_text(value)
    return text if text is not None else str(value)


def parse_go_int(text: str) -> int | None:
    """strconv.ParseInt(text, 0, 64), as mapstructure uses for strings given to int keys."""
    cleaned = text.strip()
    if not cleaned:
        return None
    try:
        return int(cleaned, 0)
    except ValueError:
        return None


def parse_go_float(text: str) -> float | None:
    try:
        return float(text.strip())
    except ValueError:
        return None


def parse_go_bool(text: str) -> bool | None:
    if text in {"1", "t", "T", "TRUE", "true", "True"}:
        return True
    if text in {"0", "f", "F", "FALSE", "false", "False"}:
        return False
    return None


def closest(word: str, candidates: list[str] | tuple[str, ...]) -> str | None:
    """The most similar candidate (case-insensitive), or None when nothing is close."""
    if not candidates:
        return None
    lowered = {c.lower(): c for c in candidates}
    if word.lower() in lowered:
        return lowered[word.lower()]
    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[match[0]] if match else None


def string_items(value: Value | None) -> list[tuple[str, Scalar]]:
    """String items of a string or array value (for list-or-string keys)."""
    if isinstance(value, Scalar):
        value_items: list[Value] = [value]
    elif isinstance(value, Array):
        value_items = value.items
    else:
        return []
    # Unterminated strings are still being typed: their partial text is not a value yet.
    return [
        (item.value, item)
        for item in value_items
        if isinstance(item, Scalar) and isinstance(item.value, str) and item.terminated
    ]


def check_value(ctx: CheckContext, spec: KeySpec, kv: KeyValue, section: str) -> None:
    """Check one ``key = value`` of a known key against its spec."""
    value = kv.value
    if value is None or (
        isinstance(value, Scalar) and (not value.terminated or value.kind == "invalid")
    ):
        return  # the syntax error is already reported
    where = f"`{spec.name}`"
    if spec.type is ValueType.STRING:
        _check_string(ctx, spec, value, where)
    elif spec.type in (ValueType.INTEGER, ValueType.NUMBER):
        _check_number(ctx, spec, value, where)
    elif spec.type is ValueType.BOOLEAN:
        _check_bool(ctx, value, where)
    else:
        _check_list(ctx, spec, value, where, section)


def _wrong_type(ctx: CheckContext, value: Value, where: str, expected: str, section: str) -> None:
    ctx.report(
        "type-mismatch",
        value.span,
        f"{where} expects {expected}, found {describe(value)}: the CLI cannot decode it and stops "
        f"with “failed to parse {section} config”.",
    )


def _check_string(ctx: CheckContext, spec: KeySpec, value: Value, where: str) -> None:
    if not isinstance(value, Scalar) or value.kind in ("datetime", "date", "time"):
        _wrong_type(ctx, value, where, "a string", "the")
        return
    if isinstance(value.value, str):
        check_enum(ctx, spec, value.value, value.span)
        return
    converted = go_format(value.value)
    if isinstance(value.value, bool) or converted != value.raw.strip():
        ctx.report(
            "type-mismatch",
            value.span,
            f'{where} expects a string, found {describe(value)}: the CLI sends it as "{converted}". '
            f'Write "{value.raw.strip()}" in quotes.',
            severity="warning",
            data={"replacement": f'"{value.raw.strip()}"'},
        )
    else:
        ctx.report(
            "type-coerced",
            value.span,
            f'{where} expects a string, found {describe(value)}; the CLI converts it to "{converted}". '
            "Quote it to make that explicit.",
            data={"replacement": f'"{converted}"'},
        )
    check_enum(ctx, spec, converted, value.span)


def _check_number(ctx: CheckContext, spec: KeySpec, value: Value, where: str) -> None:
    integer = spec.type is ValueType.INTEGER
    expected = "an integer" if integer else "a number"
    if not isinstance(value, Scalar) or value.kind in ("datetime", "date", "time"):
        _wrong_type(ctx, value, where, expected, "the")
        return
    raw = value.value
    number: float | None
    if isinstance(raw, bool):
        number = 1.0 if raw else 0.0
        ctx.report(
            "type-mismatch",
            value.span,
            f"{where} expects {expected}, found {describe(value)}; the CLI turns it into "
            f"{int(number)}.",
            severity="warning",
        )
    elif isinstance(raw, int):
        number = float(raw)
    elif isinstance(raw, float):
        number = raw
        if integer and not raw.is_integer():
            truncated = math.trunc(raw) if math.isfinite(raw) else 0
            ctx.report(
                "type-mismatch",
                value.span,
                f"{where} expects an integer, found {describe(value)}: the CLI silently "
                f"truncates it to {truncated}.",
                severity="warning",
                data={"replacement": str(truncated)},
            )
            number = float(truncated)
    elif isinstance(raw, str):
        parsed = parse_go_int(raw) if integer else parse_go_float(raw)
        if parsed is None:
            ctx.report(
                "type-mismatch",
                value.span,
                f"{where} expects {expected}, found {describe(value)}, which is not a number: "
                "the CLI stops with a decode error.",
            )
            return
        number = float(parsed)
        ctx.report(
            "type-coerced",
            value.span,
            f"{where} expects {expected}, found {describe(value)}; the CLI converts it to "
            f"{go_format(parsed)}. Write it without quotes.",
            data={"replacement": go_format(parsed)},
        )
    else:
        return
    check_range(ctx, spec, number, value.span, where)


def _check_bool(ctx: CheckContext, value: Value, where: str) -> None:
    if not isinstance(value, Scalar) or value.kind in ("datetime", "date", "time", "float"):
        _wrong_type(ctx, value, where, "a boolean (true or false)", "the")
        return
    raw = value.value
    if isinstance(raw, bool):
        return
    if isinstance(raw, int):
        ctx.report(
            "type-mismatch",
            value.span,
            f"{where} expects true or false, found {describe(value)}; the CLI reads it as "
            f"{'true' if raw else 'false'}.",
            severity="warning",
            data={"replacement": "true" if raw else "false"},
        )
        return
    if isinstance(raw, str):
        parsed = parse_go_bool(raw)
        if parsed is None:
            ctx.report(
                "type-mismatch",
                value.span,
                f"{where} expects true or false, found {describe(value)}: the CLI stops with a "
                "decode error.",
            )
            return
        ctx.report(
            "type-coerced",
            value.span,
            f"{where} expects true or false, found {describe(value)}; the CLI reads it as "
            f"{'true' if parsed else 'false'}. Write it without quotes.",
            data={"replacement": "true" if parsed else "false"},
        )


def _check_list(ctx: CheckContext, spec: KeySpec, value: Value, where: str, section: str) -> None:
    or_string = spec.type is ValueType.STRING_OR_LIST
    if isinstance(value, Scalar) and isinstance(value.value, str):
        if or_string:
            if value.value.strip() == "" and spec.enum:
                ctx.report(
                    "empty-value",
                    value.span,
                    f"{where} is empty: the CLI stops with “{spec.name} must not be empty”. "
                    f'Set a value such as "{spec.enum[0].value}".',
                )
                return
            check_enum(ctx, spec, value.value, value.span)
            return
        _string_for_list(ctx, value, where, section)
        return
    if not isinstance(value, Array):
        _wrong_type(ctx, value, where, "a list of strings", "the")
        return
    if or_string and spec.enum and not value.items and value.closed:
        ctx.report(
            "empty-value",
            value.span,
            f"{where} is an empty list: the CLI stops with “{spec.name} must not be empty”.",
        )
    for item in value.items:
        if isinstance(item, Scalar) and isinstance(item.value, str):
            if or_string and spec.enum and item.value.strip() == "":
                ctx.report("empty-value", item.span, f"{where} holds an empty string.")
                continue
            check_enum(ctx, spec, item.value, item.span)
        elif isinstance(item, Scalar) and item.kind == "invalid":
            continue
        else:
            ctx.report(
                "type-mismatch",
                item.span,
                f"{where} expects a list of strings, found {describe(item)} in it.",
                severity="error" if not isinstance(item, Scalar) or or_string else "warning",
            )


def _string_for_list(ctx: CheckContext, value: Scalar, where: str, section: str) -> None:
    text = str(value.value)
    parts = [p.strip() for p in text.split(",") if p.strip()]
    quoted = ", ".join(toml_string(p.strip("[]").strip()) for p in parts)
    if section not in COMMA_SPLIT_SECTIONS:
        _wrong_type(ctx, value, where, "a list of strings", "the")
        return
    if text.strip().startswith("["):
        ctx.report(
            "string-for-list",
            value.span,
            f"{where} is one string that looks like a list ({value.raw.strip()}); the CLI splits "
            "it on commas and keeps the brackets, so the patterns match nothing. Write a TOML "
            f"array: [{quoted}].",
            severity="error",
            data={"replacement": f"[{quoted}]"},
        )
        return
    ctx.report(
        "string-for-list",
        value.span,
        f"{where} expects a list, found a string; the CLI splits it on commas into "
        f"{len(parts)} item{'s' if len(parts) != 1 else ''}. Write a TOML array: [{quoted}].",
        severity="information",
        data={"replacement": f"[{quoted}]"},
    )


def check_enum(ctx: CheckContext, spec: KeySpec, text: str, span: Span) -> None:
    """Report a value outside the key's allowed values, with the closest suggestion."""
    if not spec.enum:
        return
    allowed = spec.enum_values
    current = [e.value for e in spec.enum if not e.deprecated]
    if (
        text in allowed
        if spec.enum_case_sensitive
        else text.lower() in {a.lower() for a in allowed}
    ):
        deprecated = next((e for e in spec.enum if e.value == text and e.deprecated), None)
        if deprecated is None:
            return
    if spec.name == "compute":
        legacy = next((c for c in MODEL.legacy_compute if c.id.lower() == text.lower()), None)
        if legacy is not None:
            ctx.report(
                "invalid-value",
                span,
                f'"{text}" is a legacy GPU type that the platform no longer accepts: '
                f'{legacy.note.rstrip(".")}. Use "{legacy.replacement}".',
                data={"replacement": legacy.replacement},
            )
            return
    suggestion = closest(text, current)
    listed = ", ".join(f'"{v}"' for v in current)
    hint = f' Did you mean "{suggestion}"?' if suggestion else ""
    # A new GPU or region is unknown to an older catalog: say how old it is.
    age = f" {catalog_age_note()}" if spec.name in ("compute", "region") else ""
    ctx.report(
        "invalid-value",
        span,
        f'"{text}" is not a valid `{spec.name}`.{hint} Expected one of: {listed}.{age}',
        severity=spec.enum_severity,
        data={"replacement": suggestion} if suggestion else None,
    )


def check_range(ctx: CheckContext, spec: KeySpec, number: float, span: Span, where: str) -> None:
    low, high = spec.minimum, spec.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        bounds = (
            f"between {go_format(low)} and {go_format(high)}"
            if low is not None and high is not None
            else f"at least {go_format(low)}"
            if low is not None
            else f"at most {go_format(high)}"
        )
        ctx.report(
            "out-of-range",
            span,
            f"{where} is {go_format(number)}; it must be {bounds}.",
        )
