"""``textDocument/documentLink``: file paths (``dockerfile_path``, ``dependencies.paths.*``)
link to the file when it exists; each table header links to its Cerebrium docs page.

Also the lookup of those path values, shared with :mod:`cerebrium_lsp.features.definition`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.capabilities import get_capability

from cerebrium_lsp.analysis.tree import ResolvedEntry, ResolvedTable, Scalar, Span
from cerebrium_lsp.features.common import guarded, project_dir, to_lsp_range

if TYPE_CHECKING:
    from cerebrium_lsp.analysis.engine import Analysis
    from cerebrium_lsp.server import CerebriumLanguageServer

# Keys whose value is a file path, relative to the folder of the cerebrium.toml.
PATH_KEYS: tuple[tuple[str, ...], ...] = (
    ("cerebrium", "runtime", "custom", "dockerfile_path"),
    ("cerebrium", "dependencies", "paths", "pip"),
    ("cerebrium", "dependencies", "paths", "apt"),
    ("cerebrium", "dependencies", "paths", "conda"),
)


def register(server: CerebriumLanguageServer) -> None:
    server.feature(
        types.TEXT_DOCUMENT_DOCUMENT_LINK, types.DocumentLinkOptions(resolve_provider=False)
    )(document_link)


@dataclass(frozen=True, slots=True)
class PathValue:
    span: Span  # the string's contents, quotes excluded
    target: Path  # an existing file


def path_values(analysis: Analysis, project_dir: Path | None) -> list[PathValue]:
    """The path-valued keys whose file exists inside the project, in document order."""
    if project_dir is None:
        return []
    found: list[PathValue] = []
    for key_path in PATH_KEYS:
        entry = _lookup(analysis.document.root, key_path)
        if entry is None or not isinstance(entry.value, Scalar):
            continue
        scalar = entry.value
        if scalar.kind != "string" or not scalar.terminated or not isinstance(scalar.value, str):
            continue
        if not scalar.value.strip():
            continue
        try:
            root = project_dir.resolve()
            target = (root / scalar.value).resolve()
            # Never a link out of the project (``../../etc/passwd``, a symlink that leaves it):
            # the editor would open it.
            exists = root in target.parents and target.is_file()
        except (OSError, ValueError, RuntimeError):
            continue
        if exists:
            found.append(PathValue(_string_contents(scalar), target))
    found.sort(key=lambda p: p.span.start)
    return found


def _lookup(table: ResolvedTable, path: tuple[str, ...]) -> ResolvedEntry | None:
    """The entry at ``path``, keys matched case-insensitively (the CLI lower-cases them)."""
    node: ResolvedTable | ResolvedEntry = table
    for name in path:
        if not isinstance(node, ResolvedTable):
            return None
        child = next(
            (c for key, c in node.children.items() if key.lower() == name),
            None,
        )
        if child is None or not isinstance(child, ResolvedTable | ResolvedEntry):
            return None
        node = child
    return node if isinstance(node, ResolvedEntry) else None


def _string_contents(scalar: Scalar) -> Span:
    quote = 3 if scalar.style in ("ml-basic", "ml-literal") else 1
    start, end = scalar.span.start + quote, scalar.span.end - quote
    return Span(start, end) if start <= end else scalar.span


@guarded("documentLink", list)
def document_link(
    ls: CerebriumLanguageServer, params: types.DocumentLinkParams
) -> list[types.DocumentLink]:
    uri = params.text_document.uri
    analysis = ls.analysis_for(uri)
    if analysis is None:
        return []
    from cerebrium_lsp.model.catalog import MODEL

    tooltips = bool(
        get_capability(ls.client_capabilities, "text_document.document_link.tooltip_support", False)
    )
    links: list[types.DocumentLink] = []
    for table in analysis.document.parsed.tables:
        if table.header is None:
            continue
        spec = MODEL.table(table.header.names)
        if spec is None or not spec.docs:
            continue
        links.append(
            types.DocumentLink(
                range=to_lsp_range(analysis, table.header.span),
                target=spec.docs,
                tooltip=f"{spec.title}: Cerebrium docs" if tooltips else None,
            )
        )
    for value in path_values(analysis, project_dir(uri)):
        links.append(
            types.DocumentLink(
                range=to_lsp_range(analysis, value.span),
                target=value.target.as_uri(),
                tooltip=f"Open {value.target.name}" if tooltips else None,
            )
        )
    links.sort(key=lambda link: (link.range.start.line, link.range.start.character))
    return links
