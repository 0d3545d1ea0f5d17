"""Offsets in a document ``str`` <-> LSP positions (line, character) in a negotiated encoding.

LSP counts characters in UTF-16 code units by default; clients may negotiate UTF-8 or UTF-32.
Lines end at ``\\n``, ``\\r\\n`` or a lone ``\\r`` (the LSP definition of a line break).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Literal

from cerebrium_lsp.analysis.tree import Span

Encoding = Literal["utf-16", "utf-8", "utf-32"]


def _units(ch: str, encoding: Encoding) -> int:
    cp = ord(ch)
    if encoding == "utf-16":
        return 2 if cp > 0xFFFF else 1
    if encoding == "utf-8":
        return 1 if cp < 0x80 else 2 if cp < 0x800 else 3 if cp < 0x10000 else 4
    return 1


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` as LSP counts them (``str.splitlines`` also breaks at form feeds
    and other separators, which would shift line numbers in another file)."""
    return _LINE_BREAK.split(text)


class LineIndex:
    """Line starts of one text, for fast offset <-> position conversion."""

    __slots__ = ("_ascii_lines", "line_starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        i = 0
        n = len(text)
        find_n = text.find
        # Fast path: scan for line breaks with str.find rather than per character.
        while i < n:
            j = find_n("\n", i)
            k = find_n("\r", i, j if j != -1 else n)
            if k != -1:
                # a \r before the next \n: a lone CR or the CR of a CRLF
                if k + 1 < n and text[k + 1] == "\n":
                    starts.append(k + 2)
                    i = k + 2
                else:
                    starts.append(k + 1)
                    i = k + 1
                continue
            if j == -1:
                break
            starts.append(j + 1)
            i = j + 1
        self.line_starts = starts
        self._ascii_lines: dict[int, bool] = {}

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line_of(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset) - 1

    def line_end(self, line: int, *, include_break: bool = False) -> int:
        """Offset where ``line``'s content ends (before its line break unless asked)."""
        if line + 1 < len(self.line_starts):
            nxt = self.line_starts[line + 1]
            if include_break:
                return nxt
            end = nxt - 1
            if end > 0 and self.text[end] == "\n" and self.text[end - 1] == "\r":
                end -= 1
            return end
        return len(self.text)

    def line_text(self, line: int) -> str:
        return self.text[self.line_starts[line] : self.line_end(line)]

    def position(self, offset: int, encoding: Encoding = "utf-16") -> tuple[int, int]:
        """(line, character) of a code-point offset, the character in ``encoding`` units."""
        offset = max(0, min(offset, len(self.text)))
        line = self.line_of(offset)
        start = self.line_starts[line]
        segment = self.text[start:offset]
        if encoding == "utf-32" or segment.isascii():
            return line, len(segment)
        return line, sum(_units(ch, encoding) for ch in segment)

    def offset(self, line: int, character: int, encoding: Encoding = "utf-16") -> int:
        """Code-point offset of an LSP position; positions past a line's end clamp to it, and
        a position inside a surrogate pair (or a UTF-8 sequence) snaps to the character start."""
        if line < 0:
            return 0
        if line >= len(self.line_starts):
            return len(self.text)
        start = self.line_starts[line]
        end = self.line_end(line)
        if character <= 0:
            return start
        if encoding == "utf-32" or self.text[start:end].isascii():
            return min(start + character, end)
        units = 0
        i = start
        while i < end:
            step = _units(self.text[i], encoding)
            if units + step > character:
                return i
            units += step
            i += 1
        return end

    def range(
        self, span: Span, encoding: Encoding = "utf-16"
    ) -> tuple[tuple[int, int], tuple[int, int]]:
        return self.position(span.start, encoding), self.position(span.end, encoding)
