"""The formatter: ``cerebrium-lsp format``, LSP formatting and the pre-commit hook share it.

Pure functions on our own syntax tree (``analysis/parser.py``): a document with any error
(syntax, duplicate key, table redefinition) is never formatted. docs/formatting.md lists the
rules; the output is what ``taplo fmt`` with default options leaves unchanged, apart from the
places where Taplo loses information (comments, CRLF line breaks).
"""

from __future__ import annotations

from cerebrium_lsp.analysis.tree import Span, SyntaxProblem
from cerebrium_lsp.format.document import Block, Formatted, format_document
from cerebrium_lsp.format.values import FormatterError

__all__ = ["Block", "Formatted", "FormatterError", "format_document", "format_text"]


def format_text(text: str) -> str | SyntaxProblem:
    """``text`` formatted, or the first error that keeps it from being formatted."""
    # Imported here: the command (format/checked.py) reaches it only for files with errors.
    from cerebrium_lsp.analysis.toml_document import load_toml

    document = load_toml(text)
    if document.errors:
        return document.errors[0]
    try:
        return format_document(document).text
    except FormatterError as error:  # the tree and the text disagree: a bug, never a rewrite
        message = f"the formatter cannot lay this document out ({error}); please report it"
        return SyntaxProblem("format", message, Span(0, 0))
