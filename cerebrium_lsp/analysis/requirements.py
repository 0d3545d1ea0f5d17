"""How the Cerebrium CLI turns ``[cerebrium.dependencies.pip|apt|conda]`` entries into lines.

The Go CLI's ``internal/files/dependencies.go`` ``generateRequirementsContent`` (docs/sources.md)
plus the decoding that happens before it (lower-cased names, weak typing):

* package names are lower-cased (viper lower-cases every key);
* a value that is not a string is turned into one the way mapstructure's weak typing does
  (``3.10`` -> ``"3.1"``, ``true`` -> ``"1"``); a table or array is a decode error;
* ``""``, ``"*"`` and ``"latest"`` render as the bare name; a value starting with ``=``, ``>``,
  ``<`` or ``!`` is appended as-is; anything else gets ``==`` prepended — so ``"~=1.4"`` becomes
  the invalid ``name==~=1.4``;
* lines are sorted by name and joined with ``\\n`` plus a final newline.

Pure: no LSP imports. Shared by hover and the build plan.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal
from typing import Literal

Manager = Literal["pip", "apt", "conda"]

# Output file each manager's entries are rendered into (the CLI's zipper.go).
OUTPUT_FILES: dict[Manager, str] = {
    "pip": "requirements.txt",
    "apt": "pkglist.txt",
    "conda": "conda_pkglist.txt",
}

_BARE_VALUES = frozenset({"", "*", "latest"})
_AS_IS_PREFIXES = ("=", ">", "<", "!")


def version_text(value: object) -> str | None:
    """The string the CLI sees for a dependency value after weak decoding, or None when the
    value cannot become a string (a table, an array, a date) and the CLI fails to decode."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):  # before int: bool is an int subclass
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _go_float(value)
    return None


def _go_float(value: float) -> str:
    """``strconv.FormatFloat(v, 'f', -1, 64)``: shortest digits, never an exponent."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    text = format(Decimal(repr(value)).normalize(), "f")
    return "0" if text == "-0" else text


def render_version(version: str) -> str:
    """The suffix appended to the package name for one version string."""
    if version in _BARE_VALUES:
        return ""
    if version.startswith(_AS_IS_PREFIXES):
        return version
    return "==" + version


def render_requirement(name: str, value: object) -> str | None:
    """The exact line the CLI writes for ``name = value``, or None if the value does not decode."""
    version = version_text(value)
    if version is None:
        return None
    return name.lower() + render_version(version)


def render_requirements(entries: Iterable[tuple[str, object]]) -> str:
    """The whole file the CLI generates for one table's entries (empty string for none).

    Names that collide after lower-casing collapse into one line; the CLI leaves which value
    wins undefined, we keep the last. Entries whose value does not decode are skipped.
    """
    lines: dict[str, str] = {}
    for name, value in entries:
        line = render_requirement(name, value)
        if line is not None:
            lines[name.lower()] = line
    if not lines:
        return ""
    return "\n".join(lines[name] for name in sorted(lines)) + "\n"


def rendering_note(name: str, value: object, manager: Manager) -> str | None:
    """One sentence when the rendered line is probably not what the author meant, else None."""
    version = version_text(value)
    if version is None:
        return "a table or array here fails to decode: the CLI stops with a parse error"
    if not isinstance(value, str):
        return f"the value is not a string: the CLI reads it as {version!r}"
    suffix = render_version(version)
    stripped = version.strip()
    if stripped != version and suffix:
        return "the version has surrounding spaces, which the CLI keeps in the line"
    if suffix.startswith("==") and stripped[:1] in ("~", "^"):
        operator = "~=" if stripped.startswith("~=") else stripped[:1]
        return (
            f"`{operator}` is not passed through: the CLI prepends `==`, which gives an invalid "
            'specifier; write a range such as `">=1.4,<2"` instead'
        )
    if manager == "apt" and suffix.startswith("==") and not version.startswith("="):
        return (
            "apt's version syntax is `name=version`; the CLI writes `==`. "
            'Write `"=VERSION"` to get `name=VERSION`'
        )
    if manager == "apt" and version.startswith("=="):
        return "apt's version syntax is `name=version` (a single `=`)"
    if name != name.lower():
        return "the CLI lower-cases package names"
    return None
