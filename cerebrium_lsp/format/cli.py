"""``cerebrium-lsp format [--check] [--diff] [PATH ...]``: format files in place.

Files named explicitly (any TOML file) or folders searched for ``cerebrium.toml`` like ``check``;
``-`` formats standard input to standard output. A file with any error is left byte-for-byte as
it is, with ``path:line:col`` of its first error; the other files are still formatted.

Exit codes: 0 done or nothing to do; 1 with ``--check`` when a file would change; 2 on usage
or I/O problems and when a file has errors (2 wins over 1).
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from cerebrium_lsp.config_files import CONFIG_NAME, decode, find_configs
from cerebrium_lsp.format.checked import format_checked

__all__ = ["FormatProblem", "format_bytes", "run_format"]

_BOM = b"\xef\xbb\xbf"
# What Path.exists() reads as "not there" (a missing file, a file used as a folder, a loop).
_MISSING = {errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP}
_PROG = "cerebrium-lsp format"


@dataclass(frozen=True, slots=True)
class FormatProblem:
    """Why a text was not formatted: the first error, 1-based line and column (code points)."""

    line: int
    column: int
    message: str


def format_bytes(data: bytes) -> bytes | FormatProblem:
    """The formatted file, or the problem that keeps it as it is. A leading byte order mark is
    kept; every other byte outside the formatting changes is kept too (the text is decoded
    without newline translation)."""
    text, decode_errors = decode(data)
    if decode_errors:
        span, message = decode_errors[0].span, decode_errors[0].message
    else:
        result = format_checked(text)
        if result == text:  # already formatted: the bytes as they came
            return data
        if isinstance(result, str):
            return (_BOM if data.startswith(_BOM) else b"") + result.encode("utf-8")
        span, message = result.span, result.message
    from cerebrium_lsp.analysis.text import LineIndex  # only for a file with errors

    line, column = LineIndex(text).position(span.start, "utf-32")
    return FormatProblem(line + 1, column + 1, message)


@dataclass(slots=True)
class _Run:
    check: bool
    diff: bool
    out: TextIO
    err: TextIO
    changed: int = 0
    unchanged: int = 0
    failed: bool = False

    def problem(self, message: str) -> None:
        print(f"{_PROG}: {message}", file=self.err)
        self.failed = True

    def format_file(self, path: Path, mode: int | None = None) -> None:
        """``mode``: the file's permissions when the caller has them already."""
        try:
            data = path.read_bytes()
        except IsADirectoryError:
            self.problem(f"{path}: is a directory")
            return
        except OSError as error:
            self.problem(f"{path}: cannot read: {error.strerror}")
            return
        result = self.formatted(str(path), data)
        if result is None or result == data:
            return
        if self.check or self.diff:
            if self.check:
                print(f"would reformat {path}", file=self.err)
            return
        try:
            _write(path, result, mode)
        except OSError as error:
            self.problem(f"{path}: cannot write: {error.strerror}")
            return
        print(f"reformatted {path}", file=self.err)

    def format_stdin(self, stdin: BinaryIO, stdout: BinaryIO) -> None:
        data = stdin.read()
        result = self.formatted("-", data)
        if not (self.check or self.diff):
            stdout.write(data if result is None else result)  # unformattable: echoed unchanged
            stdout.flush()

    def formatted(self, name: str, data: bytes) -> bytes | None:
        """The new bytes (counted, and diffed when asked), or None with the problem reported."""
        result = format_bytes(data)
        if isinstance(result, FormatProblem):
            self.problem(
                f"{name}:{result.line}:{result.column}: not formatted, the file has errors "
                f"(first: {result.message}); fix them, then format again"
            )
            return None
        if result == data:
            self.unchanged += 1
            return result
        self.changed += 1
        if self.diff:
            self.out.writelines(_unified_diff(name, data, result))
        return result

    def summary(self) -> None:
        verb = "would be reformatted" if self.check or self.diff else "reformatted"
        files = (
            f"{self.changed} file{'s' if self.changed != 1 else ''} {verb}, "
            f"{self.unchanged} already formatted"
        )
        print(f"{_PROG}: {files}", file=self.err)


def run_format(
    paths: Sequence[str],
    *,
    check: bool = False,
    diff: bool = False,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    run = _Run(check, diff, out or sys.stdout, err or sys.stderr)
    for raw in paths or ["."]:
        if raw == "-":
            run.format_stdin(sys.stdin.buffer, sys.stdout.buffer)
            continue
        path = Path(raw)
        try:
            mode = path.stat().st_mode  # one call: is it there, a folder, its permissions
        except OSError as error:
            if error.errno in _MISSING:
                run.problem(f"{raw}: no such file or directory")
            else:
                run.problem(f"{raw}: cannot read: {error.strerror}")
            continue
        if stat.S_ISDIR(mode):
            configs = list(find_configs(path))
            if not configs:
                print(f"{_PROG}: no {CONFIG_NAME} found in {raw}", file=run.err)
            for config in configs:
                run.format_file(config)
        else:
            run.format_file(path, stat.S_IMODE(mode))
    if paths != ["-"]:
        run.summary()
    if run.failed:
        return 2
    return 1 if run.check and run.changed else 0


def _write(path: Path, data: bytes, mode: int | None) -> None:
    """Replace the file's content atomically (a new file renamed over it), keeping its
    permissions (``mode``, or read here when None); through a symlink, the file it points to is
    rewritten."""
    target = path.resolve() if path.is_symlink() else path
    temporary = target.with_name(f".{target.name}.cerebrium-lsp-format")
    if mode is None:
        mode = stat.S_IMODE(target.stat().st_mode)
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        try:
            os.fchmod(fd, mode)  # the umask may have dropped bits
            view = memoryview(data)
            while view:  # os.write may write less than asked
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        temporary.replace(target)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise


def _unified_diff(name: str, before: bytes, after: bytes) -> list[str]:
    import difflib  # only with --diff

    old, new = _lines(before.decode("utf-8")), _lines(after.decode("utf-8"))
    return list(difflib.unified_diff(old, new, f"{name} (before)", f"{name} (formatted)"))


def _lines(text: str) -> list[str]:
    """Lines ending at LF only (``splitlines`` would also split at U+2028 inside a string)."""
    lines = text.split("\n")
    last = lines.pop()
    return [line + "\n" for line in lines] + ([last] if last else [])
