"""Formatting as minimal text edits: only the changed spans, so an editor keeps the cursor,
selections, folds and undo steps of everything formatting did not touch.

:func:`document_edits` diffs the old and new text region by region (each statement's lines and
the gaps between statements, aligned by the formatter's blocks) and trims each changed region
to the characters that differ. :func:`range_edits` does the same for the statements a range
touches only (a statement with its trailing comment, whole lines).
"""

from __future__ import annotations

from cerebrium_lsp.analysis.tree import Span
from cerebrium_lsp.format.document import Formatted

__all__ = ["Edit", "document_edits", "range_edits"]

Edit = tuple[Span, str]  # replace the span of the old text with the string


def document_edits(old: str, formatted: Formatted) -> list[Edit]:
    """Edits that turn ``old`` into ``formatted.text``."""
    regions = _regions(old, formatted)
    return _edits(old, formatted.text, regions)


def range_edits(old: str, formatted: Formatted, span: Span) -> list[Edit]:
    """Edits that format the statements (and comment lines) on the lines ``span`` touches, and
    nothing else (the first and last statements also own the document's start and end). A range
    ending at the start of a line does not touch that line."""
    start = _line_start(old, span.start)
    end = span.end
    if end > span.start and _line_start(old, end) == end:
        end -= 1  # a selection of whole lines ends at the next line's start
    end = _line_end(old, max(end, span.start))
    blocks = formatted.blocks
    touched = [i for i, b in enumerate(blocks) if b.source.start <= end and b.source.end >= start]
    if not touched:
        return []
    first, last = touched[0], touched[-1]
    regions = _regions(old, formatted)
    # regions[3 * i + 1] is block i, 3 * i the gap before it, 3 * i + 2 the rest of its last
    # line (trailing spaces); regions[-1] the end of the document.
    low = 0 if first == 0 else 3 * first + 1
    high = len(regions) if last == len(blocks) - 1 else 3 * last + 3
    return _edits(old, formatted.text, regions[low:high])


def _regions(old: str, formatted: Formatted) -> list[tuple[Span, Span]]:
    """Pairs of corresponding (old, new) spans covering both texts: for each block the gap
    before it (line breaks, blank lines), its text from the start of its first line, and the
    rest of its last line (spaces); then the document's end.
    The formatter keeps the order of statements, so this is the diff of the two texts, aligned
    on statements: linear, where a general line diff can take quadratic time."""
    new = formatted.text
    regions: list[tuple[Span, Span]] = []
    old_pos = new_pos = 0
    for block in formatted.blocks:
        start = _line_start(old, block.source.start)
        end = _line_end(old, block.source.end)
        regions.append((Span(old_pos, start), Span(new_pos, block.start)))
        regions.append((Span(start, block.source.end), Span(block.start, block.end)))
        regions.append((Span(block.source.end, end), Span(block.end, block.end)))
        old_pos, new_pos = end, block.end
    regions.append((Span(old_pos, len(old)), Span(new_pos, len(new))))
    return regions


def _edits(old: str, new: str, regions: list[tuple[Span, Span]]) -> list[Edit]:
    """One edit per region that changed, trimmed to the characters that differ."""
    edits: list[Edit] = []
    for before, after in regions:
        start, end = before.start, before.end
        text = new[after.start : after.end]
        if old[start:end] == text:
            continue
        prefix = _common_prefix(old, start, end, text)
        suffix = _common_suffix(old, start + prefix, end, text, prefix)
        edits.append((Span(start + prefix, end - suffix), text[prefix : len(text) - suffix]))
    return edits


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
