"""How the CLI decodes a value weakly (mapstructure's weakly-typed mode, which viper uses):
numbers given for strings become strings (``3.10`` -> ``"3.1"``), parsable strings given for
numbers become numbers, floats given for integers are truncated, and a string given for a list
is split on commas where the section does that. Shared by the build plan's settings and the
checks that must decode a value exactly as the CLI does (include/exclude)."""

from __future__ import annotations

import math

from cerebrium_lsp.analysis.checks.values import (
    go_format,
    parse_go_bool,
    parse_go_float,
    parse_go_int,
)
from cerebrium_lsp.analysis.tree import Array, Scalar, Value

__all__ = ["decoded_scalar", "weak_bool", "weak_int", "weak_list", "weak_number", "weak_string"]


def decoded_scalar(value: Value | None) -> object:
    if isinstance(value, Scalar) and value.terminated and value.kind != "invalid":
        return value.value
    return None


def weak_string(value: Value | None) -> str | None:
    raw = decoded_scalar(value)
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool | int | float):
        return go_format(raw)
    return None


def weak_number(value: Value | None) -> float | None:
    raw = decoded_scalar(value)
    if isinstance(raw, bool):
        return 1.0 if raw else 0.0
    if isinstance(raw, int | float):
        number = float(raw)
    elif isinstance(raw, str):
        parsed = parse_go_float(raw)
        if parsed is None:
            return None
        number = parsed
    else:
        return None
    return number if math.isfinite(number) else None


def weak_int(value: Value | None) -> int | None:
    raw = decoded_scalar(value)
    if isinstance(raw, bool):
        return int(raw)
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if math.isfinite(raw) else None  # truncated, as mapstructure does
    if isinstance(raw, str):
        return parse_go_int(raw)
    return None


def weak_bool(value: Value | None) -> bool | None:
    raw = decoded_scalar(value)
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float):
        return raw != 0
    if isinstance(raw, str):
        return parse_go_bool(raw)
    return None


def weak_list(value: Value | None, *, comma_split: bool = True) -> tuple[str, ...] | None:
    """A list of strings; a string is split on commas (``""`` -> empty list) when the section
    does that, else it becomes a one-item list. None when absent or not decodable."""
    if isinstance(value, Array):
        items = [weak_string(item) for item in value.items]
        return tuple(item for item in items if item is not None)
    text = weak_string(value)
    if text is None:
        return None
    if not comma_split:
        return (text,)
    return tuple(text.split(",")) if text else ()
