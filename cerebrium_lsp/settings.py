"""The server's settings: the ``cerebrium`` section of the client's configuration.

Read with ``workspace/configuration`` after ``initialized`` and on
``workspace/didChangeConfiguration`` (clients without ``workspace/configuration`` pass them as
``initializationOptions``). Keys are accepted in camelCase (``fileChecks``, as VS Code writes
them) or snake_case (``file_checks``). A bad value falls back to its default; unknown keys (such
as the extension's own ``server``/``trace`` settings) are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal, TypeGuard, get_args

SeverityOverride = Literal["error", "warning", "information", "hint", "off"]
_SEVERITIES: frozenset[str] = frozenset(get_args(SeverityOverride))

DEFAULT_FILES = ("**/cerebrium.toml",)
MAX_DEBOUNCE_MS = 10_000


@dataclass(frozen=True, slots=True)
class Settings:
    file_checks: bool = True
    # Per diagnostic code: a new severity, or "off" to drop it.
    severity: dict[str, SeverityOverride] = field(default_factory=dict)
    # Globs (``**``, ``*``, ``?``, ``[...]``, ``{a,b}``) matched against the document URI's path;
    # a glob without a leading ``/`` matches at any depth.
    files: list[str] = field(default_factory=lambda: list(DEFAULT_FILES))
    # 0: analyse as soon as the server is idle, edits that arrive meanwhile joining in; > 0: a
    # quiet window after each edit (see features/diagnostics.py).
    debounce_ms: int = 0
    # ``inlayHints.enabled``: show inlay hints (features/inlay_hints.py).
    inlay_hints: bool = True
    # ``format.enabled``: answer formatting requests (features/formatting.py).
    format_enabled: bool = True

    def serves_path(self, path: str) -> bool:
        """True when ``path`` (a URI path such as ``/home/me/app/cerebrium.toml``) matches."""
        return any(_glob_regex(pattern).fullmatch(path) for pattern in self.files)


def parse_settings(raw: object) -> tuple[Settings, list[str]]:
    """Build settings from the client's JSON; returns them and the problems found (each bad
    value falls back to its default)."""
    defaults = Settings()
    if raw is None:
        return defaults, []
    if not isinstance(raw, Mapping):
        return defaults, [f"expected an object, got {_json_type(raw)}"]

    problems: list[str] = []

    file_checks = _get(raw, "fileChecks", "file_checks")
    if file_checks is not None and not isinstance(file_checks, bool):
        problems.append(f"fileChecks: expected true or false, got {_json_type(file_checks)}")
        file_checks = None

    severity: dict[str, SeverityOverride] | None = None
    raw_severity = _get(raw, "severity")
    if isinstance(raw_severity, Mapping):
        severity = {}
        for code, level in raw_severity.items():
            if isinstance(code, str) and _is_severity(level):
                severity[code] = level
            else:
                problems.append(
                    f"severity.{code}: expected one of {', '.join(sorted(_SEVERITIES))}, "
                    f"got {level!r}"
                )
    elif raw_severity is not None:
        problems.append(f"severity: expected an object, got {_json_type(raw_severity)}")

    files: list[str] | None = None
    raw_files = _get(raw, "files")
    if isinstance(raw_files, list) and all(isinstance(f, str) and f for f in raw_files):
        files = [str(f) for f in raw_files]
    elif raw_files is not None:
        problems.append("files: expected a list of non-empty glob strings")

    debounce = _get(raw, "debounceMs", "debounce_ms")
    if debounce is not None and not (
        isinstance(debounce, int)
        and not isinstance(debounce, bool)
        and 0 <= debounce <= MAX_DEBOUNCE_MS
    ):
        problems.append(f"debounceMs: expected an integer from 0 to {MAX_DEBOUNCE_MS}")
        debounce = None

    inlay_hints = _get(raw, "inlayHints", "inlay_hints")
    enabled = inlay_hints.get("enabled") if isinstance(inlay_hints, Mapping) else None
    if inlay_hints is not None and not isinstance(enabled, bool):
        problems.append('inlayHints: expected {"enabled": true or false}')
        enabled = None

    format_section = _get(raw, "format")
    format_enabled = format_section.get("enabled") if isinstance(format_section, Mapping) else None
    if format_section is not None and not isinstance(format_enabled, bool):
        problems.append('format: expected {"enabled": true or false}')
        format_enabled = None

    settings = Settings(
        file_checks=file_checks if isinstance(file_checks, bool) else defaults.file_checks,
        severity=severity if severity is not None else defaults.severity,
        files=files if files is not None else defaults.files,
        debounce_ms=debounce if isinstance(debounce, int) else defaults.debounce_ms,
        inlay_hints=enabled if isinstance(enabled, bool) else defaults.inlay_hints,
        format_enabled=(
            format_enabled if isinstance(format_enabled, bool) else defaults.format_enabled
        ),
    )
    return settings, problems


def _is_severity(value: object) -> TypeGuard[SeverityOverride]:
    return isinstance(value, str) and value in _SEVERITIES


def _get(raw: Mapping[object, object], *names: str) -> object:
    for name in names:
        if name in raw:
            return raw[name]
    return None


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


@lru_cache(maxsize=64)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """Translate a VS Code style glob to a regex over ``/``-separated paths."""
    if not pattern.startswith(("/", "**")):
        pattern = "**/" + pattern
    out: list[str] = []
    i = 0
    n = len(pattern)
    depth = 0  # inside {a,b}
    while i < n:
        ch = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            close = pattern.find("]", i + 1)
            if close == -1:
                out.append(re.escape(ch))
            else:
                body = pattern[i + 1 : close]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = close
        elif ch == "{":
            depth += 1
            out.append("(?:")
        elif ch == "}" and depth:
            depth -= 1
            out.append(")")
        elif ch == "," and depth:
            out.append("|")
        else:
            out.append(re.escape(ch))
        i += 1
    out.append(")" * depth)
    try:
        return re.compile("".join(out))
    except re.error:
        return re.compile(re.escape(pattern))
