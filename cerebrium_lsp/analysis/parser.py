"""Error-tolerant TOML 1.0 parser: text in, :class:`ParsedDocument` out, never an exception.

The parser records exact code-point spans for every header, key component, value and comment,
and reports every syntax error it meets instead of stopping at the first. Recovery is
line-oriented: after an error the rest of the line is skipped and parsing resumes on the next
line. Arrays are the one construct that spans lines, so they get two extra rules: an error inside
an array skips to the next ``]`` on the same line (or to the next line), and an array still open
when a line that looks like ``key =`` or ``[header]`` begins is closed there, so one missing
``]`` does not swallow the rest of the file.

Scalars are decoded by the stdlib ``tomllib`` (one cached call per distinct raw text), so escape,
number and date rules are exactly TOML's; this module only finds where each value starts and ends.
The two exceptions have nothing to decode: a string without escapes is its own text, and a plain
decimal integer is ``int(text)``. Table semantics (duplicates, redefinitions) are
:mod:`cerebrium_lsp.analysis.resolve`'s job.

Speed: most lines of a real config (``key = "value"``, ``[table]``, comments, one-line arrays)
are matched whole by one regex (``_FAST_LINE``) and turned into nodes directly; the general
parser, which handles everything, builds the same tree for them (a test checks this).
"""

from __future__ import annotations

import gc
import re
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from functools import lru_cache
from typing import Literal, NamedTuple

from cerebrium_lsp.analysis.tree import (
    Array,
    Comment,
    InlineTable,
    Key,
    KeyPart,
    KeyValue,
    ParsedDocument,
    Scalar,
    ScalarKind,
    Span,
    StringStyle,
    SyntaxProblem,
    Table,
    Value,
)

__all__ = ["MAX_DEPTH", "gc_paused", "parse", "quote_source", "tomllib_error_position"]

# Arrays and inline tables nested deeper than this are reported and skipped, which keeps the
# recursive descent far from Python's recursion limit on hostile input. Dotted keys count
# towards the same limit (each part is one more table level): every resolved table stores its
# full path, so a key of n parts costs memory in n², and 10,000 parts would take gigabytes.
MAX_DEPTH = 100

_WS = re.compile(r"[ \t]*")
_REST_OF_LINE = re.compile(r"[^\r\n]*")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_DOT = re.compile(r"[ \t]*\.[ \t]*")
# Strings: group 1 is the closing delimiter, absent when the string is unterminated. Possessive
# quantifiers keep a failed match linear. Multi-line strings may end with up to two extra quotes.
_BASIC = re.compile(r'"(?:[^"\\\r\n]++|\\[^\r\n])*+(")?')
_LITERAL = re.compile(r"'[^'\r\n]*+(')?")
_ML_BASIC = re.compile(r'"""(?:[^"\\]++|\\[\s\S]|"(?!""))*+(""""{0,2})?')
_ML_LITERAL = re.compile(r"'''(?:[^']++|'(?!''))*+(''''{0,2})?")
# Numbers, booleans and date-times: one run of the characters they can use. A date followed by
# a space and a digit is a date-time with a space separator.
_BARE_VALUE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9][0-9A-Za-z_+\-.:]*|[0-9A-Za-z_+\-.:]+")
_WORD = re.compile(r"[A-Za-z0-9_+\-.:]+")

# What a line inside an unclosed array looks like when it is really the next statement.
_KEY_SEGMENT = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\r\n]|\\[^\r\n])*"|'[^'\r\n]*')"""
_DOTTED_KEY = rf"{_KEY_SEGMENT}(?:[ \t]*\.[ \t]*{_KEY_SEGMENT})*"
_KEY_LINE = re.compile(rf"[ \t]*{_DOTTED_KEY}[ \t]*=")
_HEADER_LINE = re.compile(
    rf"[ \t]*(\[\[?[ \t]*{_DOTTED_KEY}[ \t]*\]\]?)[ \t]*(?:#[^\r\n]*)?(?=[\r\n]|\Z)"
)

# Brackets outside strings and comments, to skip a value nested deeper than MAX_DEPTH.
_NESTING_TOKEN = re.compile(r"""\"(?:[^"\\\r\n]|\\.)*\"|'[^'\r\n]*'|#[^\r\n]*|[\[\]{}]""")

# Characters TOML forbids in comments and single-line strings (tab is allowed); lone surrogates
# stand for bytes that were not UTF-8, or for broken UTF-16 from the client.
_FORBIDDEN = "\x00-\x08\x0a-\x1f\x7f\ud800-\udfff"
_BAD_COMMENT_CHAR = re.compile(f"[{_FORBIDDEN}]")
_BAD_LINE_STRING_CHAR = _BAD_COMMENT_CHAR
_BAD_ML_STRING_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]|\r(?!\n)")

# A whole line that needs none of the general parser: ``key = value`` (group 1: a dotted bare key
# or one quoted key without escapes; group 2: the ``=``) whose value is a string without escapes
# (group 3), a number, boolean or date (group 4), a one-line array of those (group 5) or an inline
# table of ``bare_key = one of those`` (group 6); a ``[table]`` header (group 7); or nothing; each
# with an optional comment (group 8) and the line break. Most lines of a real config match: one
# regex match per line keeps large documents fast.
_PLAIN_STRING = rf"\"[^\"\\{_FORBIDDEN}]*\"|'[^'{_FORBIDDEN}]*'"  # a string without escapes
_FAST_BARE_KEY = rf"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+){{0,{MAX_DEPTH - 1}}}"  # longer: slow path
_FAST_ITEM = rf"(?:{_PLAIN_STRING}|[0-9A-Za-z_+\-.:]+)"
_FAST_ENTRY = rf"[A-Za-z0-9_-]+[ \t]*=[ \t]*{_FAST_ITEM}"
_FAST_LINE = re.compile(
    rf"[ \t]*(?:({_FAST_BARE_KEY}|{_PLAIN_STRING})[ \t]*(=)[ \t]*"
    rf"(?:({_PLAIN_STRING})|([0-9A-Za-z_+\-.:]+)"
    rf"|(\[[ \t]*(?:{_FAST_ITEM}[ \t]*(?:,[ \t]*{_FAST_ITEM}[ \t]*)*+,?[ \t]*)?\])"
    rf"|(\{{[ \t]*(?:{_FAST_ENTRY}[ \t]*(?:,[ \t]*{_FAST_ENTRY}[ \t]*)*+)?\}}))"
    rf"|\[({_FAST_BARE_KEY})\])?"
    rf"[ \t]*(#[^{_FORBIDDEN}]*)?(?:\r?\n|\Z)"
)
_FAST_ITEMS = re.compile(rf"({_PLAIN_STRING})|[0-9A-Za-z_+\-.:]+")
_FAST_ENTRIES = re.compile(
    rf"([A-Za-z0-9_-]+)[ \t]*(=)[ \t]*(?:({_PLAIN_STRING})|([0-9A-Za-z_+\-.:]+))"
)
_NOTHING_TO_DECODE = re.compile(_PLAIN_STRING)
_PLAIN_INTEGER = re.compile(r"[+-]?(?:0|[1-9][0-9]{0,17})")
_TOMLLIB_AT = re.compile(r"(.*) \(at line (\d+), column (\d+)\)$", re.DOTALL)
_TOMLLIB_AT_END = re.compile(r" \(at end of document\)$")
_DATE_LIKE = re.compile(r"[0-9]+-[0-9]+-|[0-9]+:[0-9]")
_MAX_BARE_VALUE = 1_000  # characters of a number, boolean or date decoded at all


class _Decoded(NamedTuple):
    kind: ScalarKind
    value: object
    # (message, start, end) with start/end relative to the raw text, or None when valid
    problem: tuple[str, int, int] | None


def parse(text: str) -> ParsedDocument:
    """Parse ``text`` into a syntax tree with every syntax error recorded. Never raises."""
    with gc_paused():
        return _Parser(text).document()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector. A large document allocates millions of tree objects
    (and no cycles); the collector's repeated passes over them would double the parse time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Parser:
    """Recursive descent over one text, with ``pos`` as the only cursor."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self.pos = 0
        self.errors: list[SyntaxProblem] = []
        self.comments: list[Comment] = []
        root = Table("root", None, Span(0, 0))
        self.tables = [root]
        self.table = root
        # Set when an unclosed array stopped at the start of a line holding the next statement:
        # that line must be parsed from its start, not skipped.
        self.restart_line = False
        # Bumped whenever an error made a container skip text; an array or inline table whose
        # content was skipped does not add a second "missing closing bracket" error.
        self.recoveries = 0

    # --- document and statements ----------------------------------------------------------------

    def document(self) -> ParsedDocument:
        text, n = self.text, self.n
        pos = 0
        if text.startswith("\ufeff"):
            # Whoever decoded the file (the editor, ``check``) already removed its byte order
            # mark, so one here was a second BOM: invalid TOML (toml-test's bom-not-at-start).
            message = (
                "extra byte order mark U+FEFF at the start of the text: a TOML file may begin "
                "with one BOM only; delete this invisible character"
            )
            self.error(message, Span(0, 1))
            pos = 1
        fast_line = _FAST_LINE.match
        while pos < n:
            line = fast_line(text, pos)
            if line is None:
                self.pos = pos
                self.slow_line()
                pos = self.pos
                continue
            key, _, _, _, _, _, table, comment = line.groups()
            if key is not None:
                self.table.entries.append(self.fast_key_value(line))
            elif table is not None:
                self.fast_header(line, table)
            if comment is not None:
                start = line.start(8)
                self.comments.append(Comment(Span(start, start + len(comment)), comment))
            pos = line.end()
        self.table.body_end = n
        return ParsedDocument(text, self.tables, self.comments, self.errors)

    def slow_line(self) -> None:
        """Parse from ``pos`` up to the next line break (or past it, for a multi-line value)."""
        self.skip_ws()
        if self.pos >= self.n:
            return
        c = self.text[self.pos]
        if c == "\n" or c == "\r":
            self.newline()
        elif c == "#":
            self.comment()
        else:
            self.statement(c)

    def fast_key_value(self, match: re.Match[str]) -> KeyValue:
        """``key = value`` matched by ``_FAST_LINE`` or ``_FAST_ENTRIES`` (same groups 1-4)."""
        key, plain_string, bare_value = match.group(1, 3, 4)
        value: Value
        if plain_string is not None:
            value = _plain_string(plain_string, match.start(3))
        elif bare_value is not None:
            value = self.scalar(match.start(4), bare_value, None)
        elif match.group(5) is not None:
            value = self.fast_array(match.start(5), match.end(5))
        else:
            value = self.fast_inline_table(match.start(6), match.end(6))
        start = match.start(1)
        return KeyValue(_fast_key(key, start), value, Span(start, value.span.end), match.start(2))

    def fast_array(self, start: int, end: int) -> Array:
        """A one-line array of plain strings, numbers, booleans and dates."""
        items: list[Value] = []
        for item in _FAST_ITEMS.finditer(self.text, start + 1, end - 1):
            if item.group(1) is not None:
                items.append(_plain_string(item.group(), item.start()))
            else:
                items.append(self.scalar(item.start(), item.group(), None))
        return Array(items, Span(start, end))

    def fast_inline_table(self, start: int, end: int) -> InlineTable:
        """A one-line inline table whose entries are ``bare_key = `` a plain value."""
        entries = _FAST_ENTRIES.finditer(self.text, start + 1, end - 1)
        return InlineTable([self.fast_key_value(entry) for entry in entries], Span(start, end))

    def fast_header(self, line: re.Match[str], name: str) -> None:
        """A whole line ``[a.b]`` already matched by ``_FAST_LINE``."""
        start = line.start(7)
        span = Span(start - 1, start + len(name) + 1)
        self.open_table("table", _fast_key(name, start), span, True)

    def statement(self, first: str) -> None:
        errors_before = len(self.errors)
        if first == "[":
            self.header()
            self.end_statement(errors_before, "table header")
            return
        kv = self.key_value(0, "a key", Span(self.pos, self.pos + 1))
        if kv is not None:
            self.table.entries.append(kv)
        self.end_statement(errors_before, "value")

    def end_statement(self, errors_before: int, what: str) -> None:
        """Only whitespace and a comment may follow a statement on its line."""
        if self.restart_line:
            self.restart_line = False
            return
        self.skip_ws()
        if self.pos < self.n and self.text[self.pos] == "#":
            self.comment()
        if self.at_line_end():
            return
        if len(self.errors) == errors_before:
            self.expected(f"end of line after {what}", Span(self.pos, self.pos))
        self.skip_to_line_end()

    def header(self) -> None:
        text = self.text
        start = self.pos
        is_array = text.startswith("[[", start)
        opener, closer = ("[[", "]]") if is_array else ("[", "]")
        self.pos += len(opener)
        self.skip_ws()
        key, complete = self.key(f"a table name after '{opener}'", Span(start, self.pos))
        closed = False
        if key is None:
            key = Key([], Span(self.pos, self.pos))
        elif complete:
            self.skip_ws()
            if text.startswith(closer, self.pos):
                self.pos += len(closer)
                closed = True
            elif self.at_line_end() or text[self.pos] == "#":
                kind = "array-of-tables header" if is_array else "table header"
                self.error(f"{kind} is missing its closing '{closer}'", Span(start, key.span.end))
            else:
                name = quote_source(text[key.span.start : key.span.end])
                self.expected(f"'{closer}' after table name {name}", key.span)
        end = self.pos if closed else max(key.span.end, start + len(opener))
        self.open_table("array" if is_array else "table", key, Span(start, end), closed)

    def open_table(
        self, kind: Literal["table", "array"], key: Key, span: Span, closed: bool
    ) -> None:
        self.table.body_end = span.start
        table = Table(kind, key, span, closed=closed)
        self.tables.append(table)
        self.table = table

    # --- keys -----------------------------------------------------------------------------------

    def key_value(self, depth: int, what: str, fallback: Span) -> KeyValue | None:
        """``key = value``; a KeyValue with value None when the ``=`` or the value is missing."""
        key, complete = self.key(what, fallback, MAX_DEPTH - depth)
        if key is None:
            return None
        if not complete:
            return KeyValue(key, None, key.span, None)
        self.skip_ws()
        if not self.text.startswith("=", self.pos):
            name = quote_source(self.text[key.span.start : key.span.end])
            self.expected(f"'=' after key {name}", key.span)
            return KeyValue(key, None, key.span, None)
        eq = self.pos
        self.pos += 1
        self.skip_ws()
        value = self.value(depth + len(key.parts) - 1, "a value after '='", Span(eq, eq + 1))
        end = value.span.end if value is not None else eq + 1
        return KeyValue(key, value, Span(key.span.start, end), eq)

    def key(self, what: str, fallback: Span, max_parts: int = MAX_DEPTH) -> tuple[Key | None, bool]:
        """A dotted key; ``complete`` is False when it broke off (the error is recorded), or
        when it has more than ``max_parts`` parts (the rest of the line is then skipped)."""
        start = self.pos
        parts: list[KeyPart] = []
        while True:
            if len(parts) >= max(1, max_parts):
                message = f"key nested too deeply: more than {MAX_DEPTH} levels of dotted keys"
                self.error(message, Span(start, parts[-1].span.end))
                self.skip_to_line_end()
                self.recoveries += 1
                return Key(parts, Span(start, parts[-1].span.end)), False
            errors_before = len(self.errors)
            part = self.key_part()
            if part is None:
                if len(self.errors) == errors_before:  # key_part reports its own failures
                    self.expected(what, fallback)
                if not parts:
                    return None, False
                return Key(parts, Span(start, parts[-1].span.end)), False
            parts.append(part)
            dot = _DOT.match(self.text, self.pos)
            if dot is None:
                return Key(parts, Span(start, part.span.end)), True
            self.pos = dot.end()
            at = self.text.index(".", dot.start())
            what, fallback = "a key after '.'", Span(at, at + 1)

    def key_part(self) -> KeyPart | None:
        text, pos = self.text, self.pos
        bare = _BARE_KEY.match(text, pos)
        if bare is not None:
            self.pos = bare.end()
            return KeyPart(bare.group(), Span(pos, self.pos), False)
        quote = text[pos : pos + 1]
        if quote != '"' and quote != "'":
            return None
        if text.startswith(quote * 3, pos):
            self.error("a key cannot be a multi-line string", Span(pos, pos + 3))
            return None
        match = (_BASIC if quote == '"' else _LITERAL).match(text, pos)
        assert match is not None  # both patterns match the opening quote alone
        if match.group(1) is None:
            end = self.line_end(pos)
            self.error(f"unterminated string: add a closing {quote}", Span(pos, end))
            return None
        raw = match.group()
        decoded = _decode(raw)
        self.pos = match.end()
        if decoded.problem is not None:
            self.report_decode_problem(pos, decoded.problem)
            return KeyPart(raw[1:-1], Span(pos, self.pos), True)
        assert isinstance(decoded.value, str)
        return KeyPart(decoded.value, Span(pos, self.pos), True)

    # --- values ---------------------------------------------------------------------------------

    def value(self, depth: int, what: str, fallback: Span) -> Value | None:
        """One value at ``pos``; None (with the error recorded) when nothing valid starts here."""
        text, pos = self.text, self.pos
        c = text[pos] if pos < self.n else ""
        if c == '"' or c == "'":
            return self.string()
        if c == "[" or c == "{":
            if depth >= MAX_DEPTH:
                return self.too_deep()
            return self.array(depth + 1) if c == "[" else self.inline_table(depth + 1)
        match = _BARE_VALUE.match(text, pos)
        if match is None:
            self.expected(what, fallback)
            return None
        self.pos = match.end()
        return self.scalar(pos, match.group(), None)

    def string(self) -> Scalar:
        text, start = self.text, self.pos
        quote = text[start]
        style: StringStyle
        if text.startswith(quote * 3, start):
            style = "ml-basic" if quote == '"' else "ml-literal"
            match = (_ML_BASIC if quote == '"' else _ML_LITERAL).match(text, start)
        else:
            style = "basic" if quote == '"' else "literal"
            match = (_BASIC if quote == '"' else _LITERAL).match(text, start)
        assert match is not None  # every pattern matches its opening delimiter alone
        if match.group(1) is not None:
            self.pos = match.end()
            return self.scalar(start, match.group(), style)
        return self.unterminated_string(start, style)

    def unterminated_string(self, start: int, style: StringStyle) -> Scalar:
        """The partial text typed so far, undecoded, so completion can still see it."""
        multi_line = style.startswith("ml-")
        delimiter = ('"' if style.endswith("basic") else "'") * (3 if multi_line else 1)
        end = self.n if multi_line else self.line_end(start)
        what = "multi-line string" if multi_line else "string"
        # A multi-line string runs to the end of the file: mark only its opening delimiter.
        span = Span(start, start + 3) if multi_line else Span(start, end)
        self.error(f"unterminated {what}: add a closing {delimiter}", span)
        self.pos = end
        raw = self.text[start:end]
        return Scalar("string", raw[len(delimiter) :], Span(start, end), raw, style, False)

    def scalar(self, start: int, raw: str, style: StringStyle | None) -> Scalar:
        decoded = _decode(raw)
        if decoded.problem is not None:
            self.report_decode_problem(start, decoded.problem)
        return Scalar(decoded.kind, decoded.value, Span(start, start + len(raw)), raw, style)

    def report_decode_problem(self, start: int, problem: tuple[str, int, int]) -> None:
        message, rel_start, rel_end = problem
        self.error(message, Span(start + rel_start, start + rel_end))

    def too_deep(self) -> Scalar:
        """Skip a value nested deeper than MAX_DEPTH as one invalid scalar, with one error."""
        text, start = self.text, self.pos
        end, depth = self.n, 0
        for match in _NESTING_TOKEN.finditer(text, start):
            token = match.group()
            if token == "[" or token == "{":
                depth += 1
            elif token == "]" or token == "}":
                depth -= 1
                if depth == 0:
                    end = match.end()
                    break
        message = f"value nested too deeply: more than {MAX_DEPTH} levels of arrays/inline tables"
        self.error(message, Span(start, start + 1))
        self.pos = end
        self.recoveries += 1  # enclosing containers may have lost their closers to the skip
        return Scalar("invalid", None, Span(start, end), text[start:end])

    def array(self, depth: int) -> Array:
        text = self.text
        start = self.pos
        self.pos += 1
        recoveries = self.recoveries
        items: list[Value] = []
        end = self.pos
        expecting_value = True  # after '[' or ','
        while True:
            if not self.array_gap():
                return self.unclosed_array(items, start, end, recoveries)
            c = text[self.pos]
            if c == "]":
                self.pos += 1
                return Array(items, Span(start, self.pos))
            if expecting_value:
                item = self.value(depth, "a value or ']'", Span(self.pos, self.pos))
                if item is not None:
                    items.append(item)
                    end = item.span.end
                    expecting_value = False
                if self.restart_line:
                    return self.unclosed_array(items, start, end, recoveries)
                if item is None:
                    self.recover_to("]")
            elif c == ",":
                self.pos += 1
                end = self.pos
                expecting_value = True
            else:
                self.expected("',' or ']' after an array item", Span(self.pos, self.pos))
                self.recover_to("]")
                expecting_value = True  # the next line starts afresh

    def array_gap(self) -> bool:
        """Skip whitespace, comments and line breaks between array items. False when the array
        cannot go on here: the file ended, or a line that looks like a statement starts."""
        text = self.text
        while True:
            self.pos = _WS.match(text, self.pos).end()  # type: ignore[union-attr]
            if self.pos >= self.n:
                return False
            c = text[self.pos]
            if c == "#":
                self.comment()
            elif c == "\n" or c == "\r":
                self.newline()
                if _looks_like_statement(text, self.pos):
                    self.restart_line = True
                    return False
            else:
                return True

    def unclosed_array(self, items: list[Value], start: int, end: int, recoveries: int) -> Array:
        if self.recoveries == recoveries:
            self.error("array is missing its closing ']'", Span(start, start + 1))
        return Array(items, Span(start, end), closed=False)

    def inline_table(self, depth: int) -> InlineTable:
        text = self.text
        start = self.pos
        self.pos += 1
        recoveries = self.recoveries
        entries: list[KeyValue] = []
        end = self.pos
        self.skip_ws()
        if text.startswith("}", self.pos):
            self.pos += 1
            return InlineTable(entries, Span(start, self.pos))
        what, fallback = "a key", Span(start, start + 1)
        while True:
            self.skip_ws()
            if self.at_line_end() or text[self.pos] == "#":
                return self.unclosed_inline_table(entries, start, end, recoveries)
            kv = self.key_value(depth, what, fallback)
            if kv is not None:
                entries.append(kv)
                end = kv.span.end
            if self.restart_line:
                return self.unclosed_inline_table(entries, start, end, recoveries)
            if kv is None or kv.value is None:
                self.recover_to("}")
            else:
                self.skip_ws()
                if text.startswith(",", self.pos):
                    comma = self.pos
                    self.pos += 1
                    end = self.pos
                    self.skip_ws()
                    if text.startswith("}", self.pos):
                        message = "trailing comma is not allowed in an inline table"
                        self.error(message, Span(comma, comma + 1))
                    else:
                        what, fallback = "a key after ','", Span(comma, comma + 1)
                        continue
                elif not (self.at_line_end() or text.startswith(("}", "#"), self.pos)):
                    where = "after a value in an inline table"
                    self.expected(f"',' or '}}' {where}", Span(self.pos, self.pos))
                    self.recover_to("}")
            if text.startswith("}", self.pos):
                self.pos += 1
                return InlineTable(entries, Span(start, self.pos))

    def unclosed_inline_table(
        self, entries: list[KeyValue], start: int, end: int, recoveries: int
    ) -> InlineTable:
        if self.recoveries == recoveries:
            message = "inline table is missing its closing '}' (inline tables must fit on one line)"
            self.error(message, Span(start, start + 1))
        return InlineTable(entries, Span(start, end), closed=False)

    # --- lines, whitespace, comments ------------------------------------------------------------

    def skip_ws(self) -> None:
        self.pos = _WS.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def at_line_end(self) -> bool:
        return self.pos >= self.n or self.text[self.pos] in "\r\n"

    def line_end(self, pos: int) -> int:
        return _REST_OF_LINE.match(self.text, pos).end()  # type: ignore[union-attr]

    def skip_to_line_end(self) -> None:
        self.pos = self.line_end(self.pos)

    def recover_to(self, closer: str) -> None:
        """After an error in a container: resume at ``closer`` on this line, else at its end."""
        self.recoveries += 1
        line_end = self.line_end(self.pos)
        found = self.text.find(closer, self.pos, line_end)
        self.pos = found if found != -1 else line_end

    def newline(self) -> None:
        """Consume one line break at ``pos``: LF or CRLF; a lone CR is an error (treated as a
        line break so the lines match what the editor shows)."""
        pos = self.pos
        if self.text.startswith("\r", pos) and not self.text.startswith("\n", pos + 1):
            self.error("lone carriage return: end lines with LF or CRLF", Span(pos, pos + 1))
            self.pos = pos + 1
        elif pos < self.n:
            self.pos = pos + (2 if self.text[pos] == "\r" else 1)

    def comment(self) -> None:
        start = self.pos
        end = self.line_end(start)
        body = self.text[start:end]
        self.comments.append(Comment(Span(start, end), body))
        bad = _BAD_COMMENT_CHAR.search(body)
        if bad is not None:
            at = start + bad.start()
            self.error(
                f"{_describe_char(bad.group())} is not allowed in a comment", Span(at, at + 1)
            )
        self.pos = end

    # --- errors ---------------------------------------------------------------------------------

    def error(self, message: str, span: Span) -> None:
        self.errors.append(SyntaxProblem("toml-syntax", message, span))

    def expected(self, what: str, fallback: Span) -> None:
        """``expected <what>, found <the token at pos>``, marked on that token, or on
        ``fallback`` when the line or file ends here (an empty range is hard to see)."""
        found, span = self.found()
        self.error(f"expected {what}, found {found}", span or fallback)

    def found(self) -> tuple[str, Span | None]:
        text, pos = self.text, self.pos
        if pos >= self.n:
            return "end of file", None
        c = text[pos]
        if c == "\r" or c == "\n":
            return "end of line", None
        if c == "#":
            return "a comment", Span(pos, self.line_end(pos))
        word = _WORD.match(text, pos)
        if word is not None:
            return quote_source(word.group()), Span(pos, word.end())
        if not c.isprintable() or c.isspace():
            return _describe_char(c), Span(pos, pos + 1)
        return quote_source(c), Span(pos, pos + 1)


# --- helpers without parser state ---------------------------------------------------------------


def _plain_string(raw: str, start: int) -> Scalar:
    """A string without escapes or forbidden characters: its text is its value."""
    style: StringStyle = "basic" if raw[0] == '"' else "literal"
    return Scalar("string", raw[1:-1], Span(start, start + len(raw)), raw, style)


def _fast_key(key: str, start: int) -> Key:
    """The key at ``start`` written as one quoted key without escapes, or as bare keys joined
    by dots without spaces (``a.b.c``)."""
    span = Span(start, start + len(key))
    if key[0] == '"' or key[0] == "'":
        return Key([KeyPart(key[1:-1], span, True)], span)
    if "." not in key:
        return Key([KeyPart(key, span, False)], span)
    parts = []
    for name in key.split("."):
        parts.append(KeyPart(name, Span(start, start + len(name)), False))
        start += len(name) + 1
    return Key(parts, span)


def _looks_like_statement(text: str, pos: int) -> bool:
    """True when the line at ``pos`` reads as ``key = …`` or ``[header]``: never valid inside an
    array, so an array still open there is missing its ``]``. ``[1]`` or ``["a"]`` are values."""
    if _KEY_LINE.match(text, pos) is not None:
        return True
    header = _HEADER_LINE.match(text, pos)
    return header is not None and not _is_value(header.group(1))


def _is_value(raw: str) -> bool:
    try:
        tomllib.loads("v = " + raw)
    except ValueError:
        return False
    return True


def _decode(raw: str) -> _Decoded:
    """The value of one scalar's source text, or precisely why it is invalid.

    Strings without escapes and plain decimal integers have nothing TOML-specific to decode
    (the text itself, ``int(text)``), which keeps a large document with many distinct values
    fast; everything else goes through tomllib, cached for the short texts that repeat."""
    if _NOTHING_TO_DECODE.fullmatch(raw):
        return _Decoded("string", raw[1:-1], None)
    if _PLAIN_INTEGER.fullmatch(raw):
        return _Decoded("integer", int(raw), None)
    if len(raw) > _MAX_BARE_VALUE and raw[0] not in "\"'":
        # tomllib's number pattern keeps about 100 bytes of backtracking state a character: a
        # megabyte-long "number" took 115 MB. No real number, boolean or date is this long.
        message = f"invalid value {quote_source(raw)}: {len(raw):,} characters is too long"
        return _Decoded("invalid", None, (message, 0, len(raw)))
    if len(raw) <= 200:
        return _decode_with_tomllib_cached(raw)
    return _decode_with_tomllib(raw)


def _decode_with_tomllib(raw: str) -> _Decoded:
    is_string = raw[0] in "\"'"
    if is_string:
        bad = _bad_string_char(raw)
        if bad is not None:
            return _Decoded("invalid", None, bad)
    source = "v = " + raw
    try:
        value = tomllib.loads(source)["v"]
    except ValueError as exc:  # TOMLDecodeError, or int()'s limit on decimal digits
        detail, offset = tomllib_error_position(source, str(exc))
        if is_string:
            return _Decoded("invalid", None, _string_problem(raw, detail, offset))
        return _Decoded("invalid", None, (_bare_value_message(raw), 0, len(raw)))
    return _Decoded(_kind_of(value), value, None)


_decode_with_tomllib_cached = lru_cache(maxsize=16384)(_decode_with_tomllib)


def tomllib_error_position(source: str, message: str) -> tuple[str, int | None]:
    """Split a tomllib error message into its text and the offset into ``source`` that its
    "(at line L, column C)" suffix names (tomllib counts lines by LF only, columns from 1)."""
    at = _TOMLLIB_AT.match(message)
    if at is None:
        return _TOMLLIB_AT_END.sub("", message), None
    line_start = 0
    for _ in range(int(at.group(2)) - 1):
        line_start = source.find("\n", line_start) + 1
        if line_start == 0:
            return at.group(1), None
    return at.group(1), min(line_start + int(at.group(3)) - 1, len(source))


def _bad_string_char(raw: str) -> tuple[str, int, int] | None:
    pattern = _BAD_ML_STRING_CHAR if raw.startswith(('"""', "'''")) else _BAD_LINE_STRING_CHAR
    bad = pattern.search(raw)
    if bad is None:
        return None
    ch = bad.group()
    if ch == "\r":
        message = "lone carriage return in a string: end lines with LF or CRLF"
    elif "\ud800" <= ch <= "\udfff":
        message = f"{_describe_char(ch)} is not allowed in a string"
    else:
        escape = f"\\u{ord(ch):04X}"
        fix = f"write it as {escape}" if raw[0] == '"' else f'use a "basic" string and {escape}'
        message = f"{_describe_char(ch)} is not allowed in a string: {fix}"
    return message, bad.start(), bad.start() + 1


def _string_problem(raw: str, detail: str, offset: int | None) -> tuple[str, int, int]:
    """Mark the bad escape itself: tomllib reports the offset just after it."""
    end = offset - 4 if offset is not None else -1  # 4 = len("v = ")
    start = raw.rfind("\\", 0, end) if 0 < end <= len(raw) else -1
    if start == -1:
        return f"invalid string: {detail[:1].lower()}{detail[1:]}", 0, len(raw)
    end = max(end, start + 2)
    escape = quote_source(raw[start:end])
    if detail.startswith("Unescaped"):
        hint = 'valid escapes are \\b \\t \\n \\f \\r \\" \\\\ \\uXXXX and \\UXXXXXXXX'
    elif detail.startswith("Invalid hex"):
        hint = "\\u takes 4 hex digits, \\U takes 8"
    else:
        hint = detail[:1].lower() + detail[1:]
    return f"invalid escape {escape}: {hint}", start, end


def _kind_of(value: object) -> ScalarKind:
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    if isinstance(value, time):
        return "time"
    return "invalid"  # not reachable for a scalar: tomllib returns only the types above


def _bare_value_message(raw: str) -> str:
    """Why a number, boolean, date or bare word does not decode (tomllib only says where it
    stopped reading, which is no help here)."""
    shown = quote_source(raw)
    if raw.lower() in ("true", "false"):
        return f"invalid value {shown}: booleans are written in lower case, true or false"
    if raw[0].isalpha() and raw not in ("inf", "nan"):
        import json  # only for this message: the formatter's start-up does without it

        return f"invalid value {shown}: text must be quoted, as in {json.dumps(raw)}"
    if _DATE_LIKE.match(raw):
        return (
            f"invalid date or time {shown}: expected a real date and time such as "
            "1979-05-27, 07:32:00 or 1979-05-27T07:32:00Z"
        )
    hint = _number_hint(raw)
    if hint is None:
        return f"invalid value {shown}: not a TOML number, boolean or date"
    return f"invalid number {shown}: {hint}"


def _number_hint(raw: str) -> str | None:
    body = raw.lstrip("+-")
    prefix = body[:2]
    if len(raw) - len(body) > 1:
        return "use at most one sign"
    if prefix in ("0X", "0O", "0B"):
        return "write the prefix in lower case: 0x, 0o or 0b"
    if prefix in ("0x", "0o", "0b"):
        return _prefixed_number_hint(raw, body)
    if re.match(r"0[0-9_]", body):
        return "leading zeros are not allowed"
    if re.search(r"__|^_|_$|_[^0-9]|[^0-9]_", body):
        return "put each _ between two digits"
    if re.search(r"^\.|\.$|\.[eE]", body):
        return "a decimal point needs a digit on each side"
    if re.search(r"[eE]([+-]?$|.*[eE.])", body):
        return "an exponent is e followed by digits, as in 1e6 or 2.5e-3"
    return None


def _prefixed_number_hint(raw: str, body: str) -> str:
    if raw != body:
        return "hexadecimal, octal and binary numbers cannot have a sign"
    digits = body[2:]
    if not digits:
        return f"digits must follow the {body} prefix"
    if re.search(r"__|^_|_$", digits):
        return "put each _ between two digits"
    allowed = {"0x": "0-9 and a-f", "0o": "0-7", "0b": "0 and 1"}[body[:2]]
    return f"the digits of a {body[:2]} number are {allowed}"


def _describe_char(ch: str) -> str:
    code = f"U+{ord(ch):04X}"
    if "\ud800" <= ch <= "\udfff":
        return f"invalid character {code} (not valid UTF-8 text)"
    if ch < " " or ch == "\x7f":
        return f"control character {code}"
    return f"character {code}"


def quote_source(text: str) -> str:
    """Quote a piece of source for a message, shortened when long."""
    if len(text) > 40:
        text = text[:39] + "…"
    return f"'{text}'" if '"' in text else f'"{text}"'
