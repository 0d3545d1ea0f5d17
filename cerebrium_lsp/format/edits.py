"""Formatting as minimal text edits: only the changed spans, so an editor keeps the cursor,
selections, folds and undo steps of everything formatting did not touch.

:func:`document_edits` diffs the old and new text line by line and trims each changed hunk to
the characters that differ. :func:`range_edits` does the same for the statements a range
touches only (a statement with its trailing comment, whole lines).
"""

from __future__ import annotations

from difflib import SequenceMatcher

from cerebrium_lsp.analysis.tree import Span
from cerebrium_lsp.format.document import Formatted

__all__ = ["Edit", "document_edits", "range_edits"]

Edit = tuple[Span, str]  # replace the span of the old text with the string


def document_edits(old: str, new: str, offset: int = 0) -> list[Edit]:
    """Edits that turn ``old`` into ``new``; spans are shifted by ``offset`` (where ``old``
    starts in the document)."""
    if old == new:
        return []
    a, b = _lines(old), _lines(new)
    a_starts, b_starts = _starts(a), _starts(b)
    edits: list[Edit] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        start, end = a_starts[i1], a_starts[i2]
        text = new[b_starts[j1] : b_starts[j2]]
        prefix = _common_prefix(old, start, end, text)
        suffix = _common_suffix(old, start + prefix, end, text, prefix)
        edits.append(
            (
                Span(offset + start + prefix, offset + end - suffix),
                text[prefix : len(text) - suffix],
            )
        )
    return edits


def range_edits(old: str, formatted: Formatted, span: Span) -> list[Edit]:
    """Edits that format the statements (and comment lines) on the lines ``span`` touches, and
    nothing else (the first and last statements also own the document's start and end). A range
    ending at the start of a line does not touch that line."""
    start = _line_start(old, span.start)
    end = span.end
    if end > span.start and _line_start(old, end) == end:
        end -= 1  # a selection of whole lines ends at the next line's start
    end = _line_end(old, max(end, span.start))
    touched = [b for b in formatted.blocks if b.source.start <= end and b.source.end >= start]
    if not touched:
        return []
    first, last = touched[0], touched[-1]
    region = Span(_line_start(old, first.source.start), _line_end(old, last.source.end))
    piece = Span(first.start, last.end)
    # The first and last statements also own the start and the end of the document (blank
    # lines there, the final line break).
    if first is formatted.blocks[0]:
        region, piece = Span(0, region.end), Span(0, piece.end)
    if last is formatted.blocks[-1]:
        region, piece = Span(region.start, len(old)), Span(piece.start, len(formatted.text))
    return document_edits(
        old[region.start : region.end], formatted.text[piece.start : piece.end], region.start
    )


def _lines(text: str) -> list[str]:
    """Lines with their LF (``splitlines`` would also break at U+2028 inside a string)."""
    lines = text.split("\n")
    last = lines.pop()
    return [line + "\n" for line in lines] + ([last] if last else [])


def _starts(lines: list[str]) -> list[int]:
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    return starts


def _common_prefix(old: str, start: int, end: int, text: str) -> int:
    limit = min(end - start, len(text))
    n = 0
    while n < limit and old[start + n] == text[n]:
        n += 1
    if n and text[n - 1] == "\r" and old[start + n : start + n + 1] == "\n":
        n -= 1  # never between the CR and LF of one line break
    return n


def _common_suffix(old: str, start: int, end: int, text: str, prefix: int) -> int:
    limit = min(end - start, len(text) - prefix)
    n = 0
    while n < limit and old[end - 1 - n] == text[len(text) - 1 - n]:
        n += 1
    if n and old[end - n] == "\n" and old[end - n - 1 : end - n] == "\r":
        n -= 1
    return n


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _line_end(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    if end == -1:
        return len(text)
    return end - 1 if end > 0 and text[end - 1] == "\r" else end
