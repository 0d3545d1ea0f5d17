"""Rebuild impact of an edit: which build stages re-run when ``cerebrium.toml`` changes.

Both versions are compared as the CLI reads them (keys lower-cased, values weakly typed,
dependency entries as the lines the CLI renders), so quoting ``3.11`` or re-ordering packages
is no change. Each changed key gets the stage the model assigns it; the earliest stage that
actually re-runs decides the summary (a stage re-runs with every later one, docs/sources.md).
Keys the CLI ignores (unknown or legacy keys, settings a Dockerfile or a partner service
replaces) are listed but re-run nothing.

:func:`git_baseline` (from :mod:`.baseline`) gives the version in git to compare with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cerebrium_lsp.analysis.checks.context import subtable, table_span
from cerebrium_lsp.analysis.checks.secrets import redact_all, secret_in_value
from cerebrium_lsp.analysis.checks.values import COMMA_SPLIT_SECTIONS, go_format
from cerebrium_lsp.analysis.project_files import default_patterns
from cerebrium_lsp.analysis.requirements import render_requirement
from cerebrium_lsp.analysis.toml_document import load_toml, to_python
from cerebrium_lsp.analysis.tree import (
    Array,
    ResolvedEntry,
    ResolvedTable,
    Scalar,
    Span,
    TableArray,
    TomlDocument,
)
from cerebrium_lsp.model import MODEL
from cerebrium_lsp.model.types import KeySpec, Stage, ValueType
from cerebrium_lsp.plan.baseline import Baseline, choose_baseline, git_baseline
from cerebrium_lsp.plan.settings import (
    PARTNERS,
    Settings,
    read_settings,
    weak_bool,
    weak_int,
    weak_list,
    weak_number,
    weak_string,
)

__all__ = [
    "Baseline",
    "ChangeKind",
    "Impact",
    "KeyChange",
    "choose_baseline",
    "git_baseline",
    "rebuild_impact",
]

ChangeKind = Literal["added", "removed", "changed"]
KeyPath = tuple[str, ...]

_HEADLINES = {
    Stage.BASE: "full rebuild",
    Stage.PRE_BUILD: "from pre-build stage",
    Stage.APT: "from apt stage",
    Stage.CONDA: "from conda stage",
    Stage.PIP: "from pip stage",
    Stage.CODE: "code and shell commands only",
    Stage.SHELL: "shell commands only",
}
_DEPENDENCY_TABLES = {("cerebrium", "dependencies", m) for m in ("pip", "apt", "conda")}
_RUNTIME_SELECTORS = {("cerebrium", "runtime", name) for name in ("custom", *PARTNERS)}
# Keys a Dockerfile replaces (custom-dockerfiles docs); dependency tables and paths too.
_DOCKERFILE_REPLACES = {
    ("cerebrium", "deployment", k)
    for k in (
        "python_version",
        "docker_base_image_url",
        "pre_build_commands",
        "shell_commands",
        "use_uv",
    )
}


@dataclass(frozen=True, slots=True)
class KeyChange:
    path: KeyPath  # lower-cased, from "cerebrium"; dependency entries end with the package name
    kind: ChangeKind
    old: str | None  # display text of the value as the CLI reads it
    new: str | None
    stage: Stage
    applies: bool  # False: the CLI or the build ignores this key, nothing re-runs for it
    note: str  # why it does not apply, or what the change does
    span: Span | None  # the ``key = value`` (or table header) in the new text

    @property
    def key(self) -> str:
        """Dotted name below ``[cerebrium]``, e.g. ``deployment.python_version``."""
        return ".".join(self.path[1:] if self.path[:1] == ("cerebrium",) else self.path)

    @property
    def cost(self) -> str:
        return self.stage.rebuild_cost if self.applies else self.note


@dataclass(frozen=True, slots=True)
class Impact:
    summary: str  # one line, e.g. "from pip stage (2 packages added)"
    earliest: Stage | None  # the first stage that re-runs; None when no image stage re-runs
    changes: tuple[KeyChange, ...]
    baseline: bool = True  # False: nothing to compare with (a new file)

    @property
    def rebuild(self) -> bool:
        return self.earliest is not None

    @property
    def stages(self) -> tuple[Stage, ...]:
        """The image stages that re-run, in build order."""
        if self.earliest is None:
            return ()
        return tuple(s for s in Stage if s.in_image and s.value >= self.earliest.value)

    def change_at(self, path: KeyPath) -> KeyChange | None:
        """The change of one key (or package) path, matched case-insensitively."""
        lowered = tuple(p.lower() for p in path)
        return next((c for c in self.changes if c.path == lowered), None)


@dataclass(frozen=True, slots=True)
class _Leaf:
    value: object  # comparable normalized value
    text: str  # display
    span: Span | None


_NO_BASELINE = Impact("full build (no earlier version to compare with)", Stage.BASE, (), False)


def rebuild_impact(old_text: str | None, new_text: str) -> Impact:
    """What changing ``old_text`` into ``new_text`` re-runs. ``old_text`` None means there is
    no baseline: the whole image is built."""
    if old_text is None:
        return _NO_BASELINE
    return impact_between(load_toml(old_text), load_toml(new_text))


def impact_between(old_doc: TomlDocument | None, new_doc: TomlDocument) -> Impact:
    """:func:`rebuild_impact` of two documents already parsed (the server keeps both: the
    baseline's, and the open document's from its analysis)."""
    if old_doc is None:
        return _NO_BASELINE
    old_root = subtable(old_doc.root, "cerebrium")
    new_root = subtable(new_doc.root, "cerebrium")
    old_settings, new_settings = read_settings(old_root), read_settings(new_root)
    old_leaves, new_leaves = _leaves(old_doc), _leaves(new_doc)
    changes: list[KeyChange] = []
    for path in sorted(old_leaves.keys() | new_leaves.keys()):
        before, after = old_leaves.get(path), new_leaves.get(path)
        if before is not None and after is not None and before.value == after.value:
            continue
        kind: ChangeKind = "added" if before is None else "removed" if after is None else "changed"
        stage, applies, note = _classify(path, old_settings, new_settings)
        changes.append(
            KeyChange(
                path=path,
                kind=kind,
                old=before.text if before else None,
                new=after.text if after else None,
                stage=stage,
                applies=applies,
                note=note,
                span=after.span if after else None,
            )
        )
    runtime_change = _runtime_change(old_settings, new_settings, new_root)
    if runtime_change is not None:
        changes.insert(0, runtime_change)
    # Shown in code lenses, hovers and `plan --diff`: no credential (a package URL may hold one).
    return redact_all(_summarize(tuple(changes), new_settings))


# --- Flattening: path -> value as the CLI reads it --------------------------------------------


def _leaves(document: TomlDocument) -> dict[KeyPath, _Leaf]:
    found: dict[KeyPath, _Leaf] = {}
    _collect(document.root, (), found, document.text, set())
    _apply_defaults(found)
    return found


def _collect(
    table: ResolvedTable,
    path: KeyPath,
    out: dict[KeyPath, _Leaf],
    text: str,
    taken: set[KeyPath],
) -> None:
    """``taken``: every leaf path collected so far and all their prefixes (a set, so a table of
    a thousand packages is not scanned once per package)."""
    for name, node in table.children.items():
        key = (*path, name.lower())
        if key in taken:
            continue  # keys differing only by case collapse; the first one wins
        if isinstance(node, ResolvedTable):
            _collect(node, key, out, text, taken)
            continue
        if isinstance(node, TableArray):
            items = repr([to_python(item) for item in node.items])
            out[key] = _Leaf(("tables", items), f"{len(node.items)} tables", node.name_span)
        else:
            out[key] = _entry_leaf(key, node, text)
        taken.update(key[:end] for end in range(1, len(key) + 1))


def _entry_leaf(path: KeyPath, node: ResolvedEntry, text: str) -> _Leaf:
    value = node.value
    span = node.kv.span
    if value is None:
        return _Leaf(None, "", span)
    source = " ".join(text[value.span.start : value.span.end].split())
    if path[:-1] in _DEPENDENCY_TABLES and isinstance(value, Scalar):
        line = render_requirement(path[-1], value.value) if value.terminated else None
        return _Leaf(("line", line or source), line or source, span)
    written = value.value if isinstance(value, Scalar) else None
    if isinstance(written, str) and secret_in_value(path[-1], written) is not None:
        return _Leaf(("source", source), "…", span)  # a credential: compared, not shown
    spec = _key_spec(path)
    if spec is None:
        return _Leaf(("source", source), source, span)
    decoded = _decode(spec, path, value)
    if decoded is None:
        return _Leaf(("source", source), source, span)
    return _Leaf(decoded, _display(decoded), span)


def _decode(spec: KeySpec, path: KeyPath, value: object) -> object:
    if not isinstance(value, Scalar | Array):
        return None
    if spec.type is ValueType.STRING:
        return weak_string(value)
    if spec.type is ValueType.INTEGER:
        return weak_int(value)
    if spec.type is ValueType.NUMBER:
        return weak_number(value)
    if spec.type is ValueType.BOOLEAN:
        return weak_bool(value)
    section = path[-2] if len(path) >= 2 else ""
    return weak_list(value, comma_split=section in COMMA_SPLIT_SECTIONS)


def _apply_defaults(found: dict[KeyPath, _Leaf]) -> None:
    """Missing or empty include/exclude take the CLI's defaults, so writing them out (or
    emptying them) is no change."""
    for key in ("include", "exclude"):
        path = ("cerebrium", "deployment", key)
        leaf = found.get(path)
        if leaf is None or leaf.value == ():
            default = default_patterns(key)
            found[path] = _Leaf(default, _display(default), leaf.span if leaf else None)


def _display(value: object) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(f'"{v}"' for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return go_format(value)
    return str(value)


def _key_spec(path: KeyPath) -> KeySpec | None:
    table = MODEL.table(path[:-1])
    return table.key(path[-1]) if table is not None else None


# --- Classification ---------------------------------------------------------------------------


def _classify(path: KeyPath, old: Settings, new: Settings) -> tuple[Stage, bool, str]:
    """(stage, applies, note) of a changed key."""
    if path[:1] != ("cerebrium",):
        return Stage.RUNTIME, False, "outside [cerebrium]: ignored by the CLI"
    table = MODEL.table(path[:-1])  # a package name's table is its parent too
    if table is None:
        return Stage.RUNTIME, False, "unknown table: ignored by the CLI"
    if table.deprecated is not None:
        return table.stage, False, f"legacy table: {table.deprecated.message}"
    if path[:-1] == table.path and table.entries is not None:
        stage = table.stage
    else:
        spec = table.key(path[-1]) if path[:-1] == table.path else None
        if spec is None:
            return Stage.RUNTIME, False, "unknown key: ignored by the CLI"
        if spec.deprecated is not None:
            return spec.stage, False, f"legacy key: {spec.deprecated.message}"
        stage = spec.stage
    both = {old.runtime, new.runtime}
    if both == {"partner"} and stage.in_image:
        return stage, False, "not built: a partner service runs its own image"
    if both == {"dockerfile"} and _replaced_by_dockerfile(path):
        return stage, False, "not used: the Dockerfile builds the image"
    return stage, True, stage.rebuild_cost


def _replaced_by_dockerfile(path: KeyPath) -> bool:
    return path in _DOCKERFILE_REPLACES or path[:2] == ("cerebrium", "dependencies")


def _selector(settings: Settings) -> str | None:
    """The runtime table that decides how the app runs: a partner, custom, or None (cortex)."""
    return settings.partner or ("custom" if settings.custom else None)


def _runtime_label(settings: Settings) -> str:
    if settings.partner:
        return f"the {settings.partner} partner service"
    return "a custom web server" if settings.custom else "cortex"


def _runtime_change(old: Settings, new: Settings, root: ResolvedTable | None) -> KeyChange | None:
    """A change of runtime (cortex, custom, a partner) that the key changes may not show, such
    as adding an empty ``[cerebrium.runtime.custom]`` table."""
    before, after = _selector(old), _selector(new)
    if before == after:
        return None
    name = after or before
    assert name is not None
    table = subtable(root, "runtime", name) if after else None
    kind: ChangeKind = "added" if before is None else "removed" if after is None else "changed"
    old_label, new_label = _runtime_label(old), _runtime_label(new)
    return KeyChange(
        path=("cerebrium", "runtime", name),
        kind=kind,
        old=old_label,
        new=new_label,
        stage=Stage.BASE,
        applies=True,
        note=f"the runtime changes from {old_label} to {new_label}",
        span=table_span(table) if table is not None else None,
    )


# --- Summary ----------------------------------------------------------------------------------


def _summarize(changes: tuple[KeyChange, ...], new: Settings) -> Impact:
    if not changes:
        return Impact("no changes", None, changes)
    applying = [c for c in changes if c.applies]
    image = [c for c in applying if c.stage.in_image]
    if not image:
        if not applying:
            return Impact("no rebuild (only settings the CLI ignores changed)", None, changes)
        labels = _runtime_labels(applying)
        return Impact(f"no rebuild ({_join(labels)} only)", None, changes)
    earliest = min((c.stage for c in image), key=lambda s: s.value)
    reason = _reason([c for c in image if c.stage is earliest])
    headline = _HEADLINES[earliest]
    if earliest is Stage.CODE and new.runtime == "dockerfile":
        headline = "Dockerfile build from its copy of the code"
    return Impact(f"{headline} ({reason})", earliest, changes)


def _runtime_labels(changes: list[KeyChange]) -> list[str]:
    """Section names for hardware and scaling, key names for the rest."""
    labels: list[str] = []
    for change in changes:
        section = change.path[1] if len(change.path) > 2 else change.path[-1]
        label = section if section in ("hardware", "scaling") else change.path[-1]
        if label not in labels:
            labels.append(label)
    return labels


def _reason(changes: list[KeyChange]) -> str:
    packages = [c for c in changes if c.path[:-1] in _DEPENDENCY_TABLES]
    runtime = [c for c in changes if c.path in _RUNTIME_SELECTORS]
    keys = [_short(c.path) for c in changes if c not in packages and c not in runtime]
    parts = [c.note for c in runtime]
    if packages:
        parts.append(_package_counts(packages))
    if keys:
        parts.append(f"{_join(keys)} changed")
    return "; ".join(parts)


def _package_counts(changes: list[KeyChange]) -> str:
    counts = [
        (n, kind)
        for kind in ("added", "removed", "changed")
        if (n := sum(1 for c in changes if c.kind == kind))
    ]
    (first, first_kind), rest = counts[0], counts[1:]
    words = [f"{first} package{'' if first == 1 else 's'} {first_kind}"]
    words += [f"{n} {kind}" for n, kind in rest]
    return ", ".join(words)


def _short(path: KeyPath) -> str:
    """The key's name, with its table when the name alone is ambiguous (``paths.pip``)."""
    return ".".join(path[-2:]) if path[-2:-1] == ("paths",) else path[-1]


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
