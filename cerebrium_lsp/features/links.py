"""``textDocument/documentLink``: links only where Ctrl+click goes somewhere a user needs, since
editors underline every link for good:

* file paths (``dockerfile_path``, ``dependencies.paths.*``) to the file, when it exists in the
  project;
* the entrypoint's module or script to its file: ``main`` in ``uvicorn main:app`` to
  ``main.py`` (or the package's ``__init__.py``), ``serve.py`` in ``python serve.py``, ``pkg`` in
  ``python -m pkg`` to ``pkg/__main__.py``;
* ``http(s)://`` URLs written in the file (strings, comments, quoted package names).

Table headers are not links: a table's docs page is in its hover.

Also the lookup of the path values, shared with :mod:`cerebrium_lsp.features.definition`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.capabilities import get_capability

from cerebrium_lsp.analysis.checks.context import entry, subtable
from cerebrium_lsp.analysis.checks.entrypoint import entrypoint_file, entrypoint_target
from cerebrium_lsp.analysis.file_cache import project_path
from cerebrium_lsp.analysis.tree import Scalar, Span
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

# A URL ends at white space, a quote or a backslash (an escape: the text is not the URL);
# trailing punctuation is prose, not part of it.
_URL = re.compile(r"https?://[^\s\"'`<>\\]+")
_TRAILING = ".,;:!?)]}>"


def register(server: CerebriumLanguageServer) -> None:
    server.feature(
        types.TEXT_DOCUMENT_DOCUMENT_LINK, types.DocumentLinkOptions(resolve_provider=False)
    )(document_link)


@dataclass(frozen=True, slots=True)
class PathValue:
    span: Span  # the file's name in the document (a string's contents, quotes excluded)
    target: Path  # an existing file inside the project


def path_values(analysis: Analysis, project_dir: Path | None) -> list[PathValue]:
    """The path-valued keys whose file exists inside the project, in document order."""
    if project_dir is None:
        return []
    found: list[PathValue] = []
    for key_path in PATH_KEYS:
        table = subtable(analysis.document.root, *key_path[:-1])
        found_entry = entry(table, key_path[-1])
        scalar = found_entry.value if found_entry is not None else None
        if not isinstance(scalar, Scalar) or scalar.kind != "string" or not scalar.terminated:
            continue
        if not isinstance(scalar.value, str):
            continue
        # Never a link out of the project (``../../etc/passwd``, a symlink that leaves it): the
        # editor would open it.
        target = project_path(project_dir, scalar.value)
        if target is not None and target.is_file():
            found.append(PathValue(_string_contents(scalar), target))
    found.sort(key=lambda p: p.span.start)
    return found


def _string_contents(scalar: Scalar) -> Span:
    quote = 3 if scalar.style in ("ml-basic", "ml-literal") else 1
    start, end = scalar.span.start + quote, scalar.span.end - quote
    return Span(start, end) if start <= end else scalar.span


def urls(text: str) -> list[tuple[Span, str]]:
    """Every ``http(s)://`` URL in the text with its span. In TOML a URL can only stand in a
    string, a comment or a quoted key, so the text is scanned as a whole. A URL carrying a user
    name or password is left out: the link would show the credential."""
    found: list[tuple[Span, str]] = []
    for match in _URL.finditer(text):
        url = match.group()
        while url and url[-1] in _TRAILING and not _balanced_close(url):
            url = url[:-1]
        authority = url.split("://", 1)[1].split("/", 1)[0]
        if not authority or "@" in authority:
            continue
        if text.endswith("git+", 0, match.start()):
            url = _without_git_ref(url)
        found.append((Span(match.start(), match.start() + len(url)), url))
    return found


def _balanced_close(url: str) -> bool:
    """A closing bracket that closes one in the URL (``…/Foo_(bar)``) belongs to it."""
    pairs = {")": "(", "]": "[", "}": "{", ">": "<"}
    opener = pairs.get(url[-1])
    return opener is not None and url.count(opener) >= url.count(url[-1])


def _without_git_ref(url: str) -> str:
    """``git+https://host/org/repo@v1.0#egg=x``: the repository's page is the URL up to ``@``."""
    scheme, rest = url.split("://", 1)
    host, _, path = rest.partition("/")
    return f"{scheme}://{host}/{path.split('@', 1)[0]}" if path else url


@guarded("documentLink", list)
def document_link(
    ls: CerebriumLanguageServer, params: types.DocumentLinkParams
) -> list[types.DocumentLink]:
    uri = params.text_document.uri
    analysis = ls.analysis_for(uri)
    if analysis is None:
        return []
    tooltips = bool(
        get_capability(ls.client_capabilities, "text_document.document_link.tooltip_support", False)
    )
    files = path_values(analysis, project_dir(uri))
    folder = project_dir(uri)
    if folder is not None:
        cerebrium = subtable(analysis.document.root, "cerebrium")
        started = (
            entrypoint_file(entrypoint_target(cerebrium), folder) if cerebrium is not None else None
        )
        if started is not None:
            files.append(PathValue(*started))
    links = [
        types.DocumentLink(
            range=to_lsp_range(analysis, value.span),
            target=value.target.as_uri(),
            tooltip=f"Open {value.target.name}" if tooltips else None,
        )
        for value in files
    ]
    links += [
        types.DocumentLink(
            range=to_lsp_range(analysis, span),
            target=url,
            tooltip="Open in the browser" if tooltips else None,
        )
        for span, url in urls(analysis.text)
    ]
    links.sort(key=lambda link: (link.range.start.line, link.range.start.character))
    return links
