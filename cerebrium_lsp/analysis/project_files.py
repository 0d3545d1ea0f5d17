"""Which project files the CLI uploads: include/exclude patterns and the project walk.

The CLI's ``internal/files/include.go`` (docs/sources.md): patterns are trimmed and empty ones
dropped; exactly ``*`` or ``./*`` means every file (``**/*``); otherwise a leading ``./`` is
removed and a trailing ``/`` means the whole folder (``assets/`` -> ``assets/**``). A file is
matched by Go's ``path.Match`` (``*`` and ``?`` never cross ``/``) or by doublestar (``**`` as a
whole segment spans folders, ``{a,b}`` alternatives, ``[a-z]`` classes). Only files are matched;
folders are walked. Missing **or empty** lists take the CLI's defaults, and the config file is
always uploaded.

The walk never follows symlinks (a link to a file is counted only when its target stays inside
the project; its content is never read), never reads file contents, and stops after
``WALK_LIMIT`` entries so a huge folder cannot hang an editor.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from cerebrium_lsp.analysis.file_cache import READ_LIMIT, within
from cerebrium_lsp.model.lookup import key_spec

__all__ = [
    "DEV_FOLDERS",
    "LARGE_FILE_BYTES",
    "READ_LIMIT",
    "WALK_LIMIT",
    "FileWalk",
    "ReadResult",
    "SkippedFile",
    "UploadFile",
    "count",
    "default_patterns",
    "folder_stamp",
    "format_size",
    "matches",
    "normalize_patterns",
    "read_head",
    "read_project_file",
    "selects",
    "walk_project",
]

WALK_LIMIT = 100_000  # files and folders visited before the walk stops
LARGE_FILE_BYTES = 50 * 1024 * 1024  # files at least this big are named in a warning
# Top-level folders the CLI warns about when they are uploaded (include.go DetectDevFolders).
DEV_FOLDERS = ("venv", "virtualenv", ".venv", ".git", "node_modules", "__pycache__")


def default_patterns(key: str) -> tuple[str, ...]:
    """The CLI's default for ``include`` or ``exclude``, read from the model."""
    spec = key_spec(("cerebrium", "deployment"), key)
    default = spec.default if spec is not None else None
    return tuple(str(p) for p in default) if isinstance(default, tuple) else ()


def normalize_patterns(patterns: Iterable[str]) -> list[str]:
    """The patterns as the CLI matches them (include.go ``normalizePatterns``)."""
    normalized: list[str] = []
    for pattern in patterns:
        text = pattern.strip().replace("\\", "/")
        if not text:
            continue
        if text in ("*", "./*"):
            text = "**/*"
        else:
            text = text.removeprefix("./")
            if text.endswith("/"):
                text += "**"
        normalized.append(text)
    return normalized


def matches(pattern: str, path: str) -> bool:
    """Whether a normalized pattern matches a slash-separated relative file path, as the CLI
    decides it: Go ``path.Match`` or doublestar ``Match``; a malformed pattern matches nothing."""
    for doublestar in (False, True):
        regex = _compile(pattern, doublestar)
        if regex is not None and regex.fullmatch(path):
            return True
    return False


# --- Pattern translation ----------------------------------------------------------------------


class _BadPatternError(ValueError):
    """The pattern is malformed (``ErrBadPattern`` in Go)."""


@lru_cache(maxsize=512)
def _compile(pattern: str, doublestar: bool) -> re.Pattern[str] | None:
    try:
        return re.compile(_Translator(pattern, doublestar).translate(), re.DOTALL)
    except _BadPatternError:
        return None


class _Translator:
    """Glob -> regex. ``doublestar`` adds ``**`` segments, ``{a,b}`` and ``!`` negation in
    classes; without it the rules are Go's ``path.Match``."""

    def __init__(self, pattern: str, doublestar: bool) -> None:
        self.pattern = pattern
        self.doublestar = doublestar
        self.pos = 0

    def translate(self) -> str:
        out = self._sequence(stop="")
        if self.pos != len(self.pattern):
            raise _BadPatternError(self.pattern)
        return out

    def _sequence(self, stop: str) -> str:
        """Translate until one of ``stop`` (not consumed) or the end of the pattern."""
        parts: list[str] = []
        p = self.pattern
        while self.pos < len(p) and p[self.pos] not in stop:
            char = p[self.pos]
            if char == "*":
                parts.append(self._star())
            elif char == "?":
                parts.append("[^/]")
                self.pos += 1
            elif char == "[":
                parts.append(self._class())
            elif char == "\\":
                if self.pos + 1 >= len(p):
                    raise _BadPatternError(p)
                parts.append(re.escape(p[self.pos + 1]))
                self.pos += 2
            elif char == "{" and self.doublestar:
                parts.append(self._braces())
            elif char == "/" and self.doublestar and self._globstar_follows(self.pos + 1):
                # "a/**" at the end also matches "a" itself (doublestar).
                self.pos += 3
                parts.append("(?:/.*)?")
            else:
                parts.append(re.escape(char))
                self.pos += 1
        return "".join(parts)

    def _globstar_follows(self, at: int) -> bool:
        """``**`` at ``at`` is the last segment of the pattern (or of a brace alternative)."""
        p = self.pattern
        end = at + 2
        return p[at:end] == "**" and (end == len(p) or p[end] in ",}")

    def _star(self) -> str:
        p = self.pattern
        start = self.pos
        while self.pos < len(p) and p[self.pos] == "*":
            self.pos += 1
        count = self.pos - start
        at_segment_start = start == 0 or p[start - 1] in "/{,"
        if self.doublestar and count == 2 and at_segment_start:
            if self.pos < len(p) and p[self.pos] == "/":
                self.pos += 1
                return "(?:.*/)?"  # "**/": zero or more folders
            if self.pos == len(p) or p[self.pos] in ",}":
                return ".*"  # "**" alone: everything
        return "[^/]*"

    def _class(self) -> str:
        p = self.pattern
        self.pos += 1  # "["
        negate = False
        if self.pos < len(p) and (p[self.pos] == "^" or (self.doublestar and p[self.pos] == "!")):
            negate = True
            self.pos += 1
        items: list[str] = []
        while True:
            if self.pos >= len(p):
                raise _BadPatternError(p)
            if p[self.pos] == "]" and items:
                self.pos += 1
                break
            low = self._class_char()
            if self.pos < len(p) and p[self.pos] == "-" and p[self.pos + 1 : self.pos + 2] != "]":
                self.pos += 1
                high = self._class_char()
                if high < low:
                    raise _BadPatternError(p)
                items.append(f"{re.escape(low)}-{re.escape(high)}")
            else:
                items.append(re.escape(low))
        body = "".join(items)
        # A class never matches the separator, negated or not.
        return f"[^/{body}]" if negate else f"(?!/)[{body}]"

    def _class_char(self) -> str:
        p = self.pattern
        if self.pos >= len(p):
            raise _BadPatternError(p)
        char = p[self.pos]
        if char == "\\":
            if self.pos + 1 >= len(p):
                raise _BadPatternError(p)
            self.pos += 2
            return p[self.pos - 1]
        if char == "]":
            raise _BadPatternError(p)  # "[]": an empty class
        self.pos += 1
        return char

    def _braces(self) -> str:
        self.pos += 1  # "{"
        alternatives = [self._sequence(stop=",}")]
        while self.pos < len(self.pattern) and self.pattern[self.pos] == ",":
            self.pos += 1
            alternatives.append(self._sequence(stop=",}"))
        if self.pos >= len(self.pattern):
            raise _BadPatternError(self.pattern)  # unclosed "{"
        self.pos += 1  # "}"
        return "(?:" + "|".join(alternatives) + ")"


# --- The walk ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UploadFile:
    path: str  # relative, slash-separated
    size: int  # bytes


@dataclass(frozen=True, slots=True)
class SkippedFile:
    path: str
    reason: str


@dataclass(slots=True)
class FileWalk:
    files: list[UploadFile] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    matched_patterns: int = 0  # files matched by the patterns (before the config file is added)
    config_added: bool = False  # the config file was not matched and is added anyway
    truncated: bool = False  # the walk stopped at WALK_LIMIT
    visited: int = 0
    # (absolute folder path, modification time in ns) of every folder walked, the root first:
    # a file created, deleted or renamed changes its folder's time (see upload_set's cache).
    folder_stamps: list[tuple[str, int]] = field(default_factory=list)

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)


def walk_project(
    project_dir: Path,
    include: Sequence[str],
    exclude: Sequence[str],
    config_name: str | None = "cerebrium.toml",
    *,
    limit: int = WALK_LIMIT,
) -> FileWalk:
    """The files the CLI would upload from ``project_dir``, in the CLI's (lexical) walk order.

    ``include``/``exclude`` are the effective lists (defaults already applied); ``config_name``
    is the config file's path relative to the project, added when the patterns miss it.
    """
    include_patterns = normalize_patterns(include)
    exclude_patterns = normalize_patterns(exclude)
    result = FileWalk()
    root = project_dir.resolve()
    result.folder_stamps.append((os.fspath(root), folder_stamp(root)))
    # Depth-first in lexical order, like Go's filepath.Walk: (folder, its entries, next index).
    stack: list[tuple[str, list[_Entry], int]] = [("", _scan(root), 0)]
    while stack:
        folder, entries, index = stack.pop()
        if index >= len(entries):
            continue
        stack.append((folder, entries, index + 1))
        name, mode, size, mtime = entries[index]
        result.visited += 1
        if result.visited > limit:
            result.truncated = True
            break
        relative = f"{folder}/{name}" if folder else name
        if stat.S_ISDIR(mode):
            path = root / relative
            result.folder_stamps.append((os.fspath(path), mtime))
            stack.append((relative, _scan(path), 0))
            continue
        if not _selected(relative, include_patterns, exclude_patterns):
            continue
        result.matched_patterns += 1
        if stat.S_ISLNK(mode):
            _add_link(result, root, relative)
        elif stat.S_ISREG(mode):
            result.files.append(UploadFile(relative, size))
        else:
            result.skipped.append(SkippedFile(relative, "not a regular file: not uploaded"))
    return _finish(result, root, config_name)


_Entry = tuple[str, int, int, int]  # name, lstat mode, size, modification time (ns)


def folder_stamp(folder: str | Path) -> int:
    """The folder's modification time in ns (its own, not a link's target); -1 when gone."""
    try:
        return os.lstat(folder).st_mtime_ns  # a str path: no Path object per folder
    except OSError:
        return -1


def _scan(folder: Path) -> list[_Entry]:
    """(name, lstat mode, size, mtime) of a folder's entries, sorted by name; unreadable ->
    empty."""
    try:
        with os.scandir(folder) as iterator:
            found = []
            for item in iterator:
                try:
                    info = item.stat(follow_symlinks=False)
                except OSError:
                    continue
                found.append((item.name, info.st_mode, info.st_size, info.st_mtime_ns))
    except OSError:
        return []
    # Go's filepath.Walk sorts names byte-wise.
    found.sort(key=lambda e: e[0].encode("utf-8", "surrogateescape"))
    return found


def selects(include: Sequence[str], exclude: Sequence[str], path: str) -> bool:
    """Whether these (effective, not yet normalized) patterns upload ``path``."""
    return _selected(path, normalize_patterns(include), normalize_patterns(exclude))


def _selected(path: str, include: list[str], exclude: list[str]) -> bool:
    return any(matches(p, path) for p in include) and not any(matches(p, path) for p in exclude)


def _add_link(result: FileWalk, root: Path, relative: str) -> None:
    """A symlink the patterns select: counted when it points to a file inside the project."""
    try:
        target = (root / relative).resolve(strict=True)
    except (OSError, RuntimeError):
        result.skipped.append(SkippedFile(relative, "broken symlink: the CLI fails to read it"))
        return
    if not within(root, target):
        result.skipped.append(
            SkippedFile(relative, "not read: symlink to a path outside the project")
        )
        return
    if not target.is_file():
        result.skipped.append(
            SkippedFile(relative, "symlink to a folder: the CLI treats it as a file and fails")
        )
        return
    result.files.append(UploadFile(relative, target.stat().st_size))


def _finish(result: FileWalk, root: Path, config_name: str | None) -> FileWalk:
    if config_name and all(f.path != config_name for f in result.files):
        config = root / config_name
        if config.is_file() and not config.is_symlink():
            result.files.append(UploadFile(config_name, config.stat().st_size))
            result.config_added = True
    return result


# --- Files the config names -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReadResult:
    text: str | None
    note: str  # why ``text`` is None; "" when read


def read_project_file(project_dir: Path | None, relative: str) -> ReadResult:
    """The text of a file the config names, read only when it resolves (symlinks included) to a
    file inside the project folder."""
    if project_dir is None:
        return ReadResult(None, "not read: no project folder")
    text = relative.strip()
    if Path(text).is_absolute():
        return ReadResult(None, "not read: outside the project")
    root = project_dir.resolve()
    try:
        target = (root / text).resolve()
    except (OSError, RuntimeError, ValueError):  # ValueError: a NUL (written "\u0000" in TOML)
        return ReadResult(None, "not read: the path cannot be resolved")
    if not within(root, target):
        return ReadResult(None, "not read: outside the project")
    if target.is_dir():
        return ReadResult(None, "not read: a folder, not a file")
    if not target.is_file():
        return ReadResult(None, "not found in the project")
    try:
        with target.open("rb") as handle:
            data = handle.read(READ_LIMIT + 1)
    except OSError as error:
        return ReadResult(None, f"not read: {error.strerror or 'unreadable'}")
    if len(data) > READ_LIMIT:
        return ReadResult(None, f"not read: larger than {READ_LIMIT // 1024 // 1024} MB")
    return ReadResult(data.decode("utf-8", errors="replace").removeprefix("\ufeff"), "")


def read_head(root: Path, relative: str, count: int) -> bytes | None:
    """The first ``count`` bytes of an uploaded file (``root`` already resolved), or None when
    it cannot be read or resolves outside the project (a symlink is never followed out)."""
    try:
        target = (root / relative).resolve()
        if not within(root, target):
            return None
        with target.open("rb") as handle:
            return handle.read(count)
    except (OSError, RuntimeError):
        return None


def count(number: int, noun: str) -> str:
    """``1 file``, ``2,048 files``."""
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


def format_size(size: int) -> str:
    """Decimal units, as file managers show them: ``512 B``, ``1.2 kB``, ``3.4 GB``."""
    if size < 1000:
        return f"{size} B"
    value = float(size)
    for unit in ("kB", "MB", "GB", "TB"):
        value /= 1000
        if value < 1000 or unit == "TB":
            return f"{value:.1f} {unit}"
    raise AssertionError("unreachable")
