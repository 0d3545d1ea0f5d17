"""Project files the checks read beyond ``cerebrium.toml`` (the entrypoint's Python module, the
Dockerfile), each parsed once per version of the file.

The analysis runs at every keystroke in ``cerebrium.toml``; re-reading and re-parsing ``main.py``
each time would put file I/O on the typing path. A parse is kept while the file's stamp (path,
``mtime_ns``, ``ctime_ns``, size, inode) is unchanged, so a keystroke costs one ``stat``; an edit
to the file changes its stamp, and the watched-files event that follows re-runs the analysis.

Only files that resolve, symlinks included, to a regular file inside the project folder are
read, and only when at most ``READ_LIMIT`` bytes long.
"""

from __future__ import annotations

import os
import stat
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

READ_LIMIT = 1024 * 1024  # bytes: a larger main.py, Dockerfile or requirements file is not read
_CACHE_SIZE = 64  # parsed files kept (a few per open project)

_Stamp = tuple[int, int, int, int]
_cache: OrderedDict[tuple[str, Callable[[str], Any]], tuple[_Stamp, Any]] = OrderedDict()
_lock = threading.Lock()  # the server may analyse a large document in a worker thread


def project_path(project_dir: Path, relative: str) -> Path | None:
    """``relative`` resolved (symlinks included) when it stays inside ``project_dir``, else None.
    The path need not exist."""
    text = relative.strip()
    if not text or Path(text).is_absolute() or "\x00" in text:
        return None
    try:
        root = project_dir.resolve()
        target = (root / text).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    return target if within(root, target) else None


def within(root: Path, target: Path) -> bool:
    """``target`` is ``root`` or lies below it (both already resolved): the one test of "inside
    the project" for every file the analysis and the plan read or count."""
    return target == root or root in target.parents


def parse_file(path: Path, parse: Callable[[str], T]) -> T | None:
    """``parse`` of the file's text (UTF-8, undecodable bytes replaced, BOM dropped), cached by
    the file's stamp; None when it is not a regular file, is larger than ``READ_LIMIT`` or cannot
    be read. ``path`` must come from :func:`project_path`."""
    try:
        info = path.stat()
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > READ_LIMIT:
        return None
    stamp = (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)
    key = (os.fspath(path), parse)
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == stamp:
            _cache.move_to_end(key)
            result: T = cached[1]
            return result
    try:
        with path.open("rb") as handle:
            data = handle.read(READ_LIMIT + 1)
    except OSError:
        return None
    if len(data) > READ_LIMIT:
        return None
    parsed = parse(data.decode("utf-8", errors="replace").removeprefix("\ufeff"))
    with _lock:
        _cache[key] = (stamp, parsed)
        _cache.move_to_end(key)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return parsed


def clear() -> None:
    """Forget every parse (tests)."""
    with _lock:
        _cache.clear()
