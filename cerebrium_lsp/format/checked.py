"""The command's formatter: :func:`format_text`'s result, with the validity checks each file
needs and no more (``cerebrium-lsp format`` runs over whole repositories, and as a pre-commit
hook on every commit).

:func:`format_text` asks :func:`load_toml` for every error: the parser, the resolver (duplicate
keys, table redefinitions) and then ``tomllib`` over the whole text. The command needs that
verdict only to decide two things, so each file gets the one check that decides it:

* a file the formatter would change is about to be rewritten: ``tomllib``, a real TOML reader,
  must accept it first (the write guard: a file any reader rejects is never rewritten);
* a file the formatter leaves as it is is not written: the parser and the resolver decide
  whether it has errors (they find every error of the TOML 1.0 suite themselves,
  tests/unit/test_toml_conformance.py), and ``--check`` still exits 2 on it.

Whenever a check finds a problem, :func:`format_text` runs in full, so the message and its
position are exactly the ones the language server and ``check`` give. The result is
:func:`format_text`'s wherever the resolver and ``tomllib`` agree on a document being valid
(every document of the TOML suite and of the real corpus, tested).
"""

from __future__ import annotations

import tomllib

from cerebrium_lsp.analysis.parser import gc_paused, parse
from cerebrium_lsp.analysis.resolve import resolve
from cerebrium_lsp.analysis.tree import SyntaxProblem
from cerebrium_lsp.format import format_text
from cerebrium_lsp.format.document import format_parsed
from cerebrium_lsp.format.values import FormatterError

__all__ = ["format_checked"]


def format_checked(text: str) -> str | SyntaxProblem:
    """``text`` formatted (itself when nothing changes), or the first error that keeps it
    from being formatted."""
    with gc_paused():  # see gc_paused: the tree is millions of acyclic objects on large files
        parsed = parse(text)
        if parsed.errors:
            return format_text(text)
        try:
            formatted = format_parsed(parsed, with_blocks=False).text
        except FormatterError:
            return format_text(text)  # the error, or the formatter's own refusal
        # Nothing to write: the resolver's verdict. A rewrite: tomllib's, the write guard.
        valid = not resolve(parsed)[1] if formatted == text else _tomllib_accepts(text)
    return formatted if valid else format_text(text)


def _tomllib_accepts(text: str) -> bool:
    try:
        tomllib.loads(text)
    except ValueError:  # TOMLDecodeError, or int()'s limit on decimal digits
        return False
    except RecursionError:
        return False
    return True
