"""What the upload holds, beyond its file list: files that look like secrets, development
folders, and whether the patterns matched anything. The build plan and the upload checks both
read it, so ``plan`` and ``check`` cannot disagree.

Secret-looking files are recognised by name (``.env``, ``id_rsa``, ``.netrc``, files in ``.ssh/``
or ``.aws/``, gcloud's ``application_default_credentials.json``, ``*.p12``) or by their first
bytes (a ``*.pem``/``*.key`` that opens with a ``-----BEGIN … PRIVATE KEY-----`` line, a small
JSON file holding a service-account key or an OAuth client secret). Only those first bytes are
read, never more, and nothing read is ever shown. Files inside development folders
(``.venv/``, ``node_modules/``, …) are not examined: libraries ship test keys, and the folder
itself is reported.

Walking a large folder on every keystroke would be slow, so results are cached per project and
patterns and reused while every walked folder keeps its modification time (a file created,
deleted or renamed changes it); :func:`forget_uploads` drops them when the editor reports changed
files (a file's size or content changes no folder's time). Checking those times costs one
``lstat`` per folder, so a result checked less than ``TRUST_S`` ago is reused as it is: while
typing, the folders are looked at once a second at most.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from cerebrium_lsp.analysis.project_files import (
    DEV_FOLDERS,
    FileWalk,
    folder_stamp,
    matches,
    normalize_patterns,
    read_head,
    walk_project,
)

__all__ = [
    "DEFAULT_EXCLUDE",
    "DevFolder",
    "SecretFile",
    "UploadSet",
    "forget_uploads",
    "no_files_hint",
    "nothing_matched",
    "upload_set",
]

# The default exclude: root entries whose name starts with a dot.
DEFAULT_EXCLUDE = ".*"
_ENV_TEMPLATES = frozenset({"example", "sample", "template", "dist", "defaults", "schema"})
_SSH_KEYS = frozenset(
    {"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk"}
)
_CREDENTIAL_FILES = {
    ".netrc": "login credentials",
    ".git-credentials": "Git credentials",
    ".pypirc": "PyPI credentials",
    "application_default_credentials.json": "Google Cloud credentials",
}
_SECRET_FOLDERS = {".ssh": "SSH keys", ".aws": "AWS credentials"}
_KEY_STORES = frozenset({".p12", ".pfx"})
_PEM_SUFFIXES = frozenset({".pem", ".key"})
_PEM_PRIVATE = re.compile(rb"\s*-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----")
_JSON_SECRET = re.compile(
    rb'"type"\s*:\s*"service_account"|"private_key"\s*:|"client_secret"\s*:|"refresh_token"\s*:'
)
_HEAD_BYTES = 4096  # read from a candidate file, at most
_JSON_LIMIT = 64 * 1024  # larger JSON files are data, not a credential
_SNIFF_LIMIT = 500  # candidate files read per walk, at most
# Folders of libraries, not the project: their test keys are not its secrets.
_LIBRARY_FOLDERS = frozenset({*DEV_FOLDERS, "site-packages"})


@dataclass(frozen=True, slots=True)
class SecretFile:
    path: str  # the file, or the folder ("`.ssh/`") that holds several
    why: str  # what it looks like: "environment file", "SSH private key", …
    pattern: str  # the exclude pattern that keeps it out of the upload
    hidden_by_default: bool  # the default exclude [".*"] keeps it out


@dataclass(frozen=True, slots=True)
class DevFolder:
    name: str
    files: int
    size: int


@dataclass(frozen=True, slots=True)
class UploadSet:
    walk: FileWalk
    secrets: tuple[SecretFile, ...]
    dev_folders: tuple[DevFolder, ...]


def nothing_matched(walk: FileWalk) -> bool:
    """The CLI stops with "no files found matching include patterns"."""
    return walk.matched_patterns == 0 and not walk.truncated


def no_files_hint(include: Iterable[str]) -> str:
    """Why nothing matched, when the patterns show it (a one-string bracketed list)."""
    if any(p.strip().startswith("[") or p.strip().endswith("]") for p in include):
        return (
            " The patterns keep the brackets of a one-string list such as "
            '"[./*, main.py]": write a TOML array instead.'
        )
    return ""


def upload_set(
    project_dir: Path,
    include: Sequence[str],
    exclude: Sequence[str],
    config_name: str | None = "cerebrium.toml",
) -> UploadSet:
    """The upload of ``project_dir`` with these effective patterns (defaults applied)."""
    root = project_dir.resolve()
    key = (root, tuple(include), tuple(exclude), config_name)
    now = time.monotonic()
    with _lock:
        cached, checked = _cache.get(key, (None, 0.0))
    if cached is not None and now - checked < TRUST_S:
        return cached
    if cached is None or not _still_valid(cached.walk):
        walk = walk_project(root, include, exclude, config_name)
        cached = UploadSet(walk, tuple(_secret_files(root, walk)), tuple(_dev_folders(walk)))
    with _lock:
        if key not in _cache and len(_cache) >= _CACHE_SIZE:
            _cache.pop(next(iter(_cache)))
        _cache[key] = (cached, now)
    return cached


def forget_uploads(projects: Iterable[Path] | None = None) -> None:
    """Drop cached uploads of these project folders (of every project when None)."""
    with _lock:
        if projects is None:
            _cache.clear()
            return
        roots = set()
        for project in projects:
            try:
                roots.add(project.resolve())
            except (OSError, RuntimeError):
                continue
        for key in [k for k in _cache if k[0] in roots]:
            del _cache[key]


# --- The cache ----------------------------------------------------------------------------------

_CacheKey = tuple[Path, tuple[str, ...], tuple[str, ...], str | None]
_CACHE_SIZE = 16
TRUST_S = 1.0  # a result checked this recently is reused without looking at the folders
_cache: dict[_CacheKey, tuple[UploadSet, float]] = {}  # -> (result, when its stamps were checked)
_lock = threading.Lock()  # the server also analyses large documents in a thread


def _still_valid(walk: FileWalk) -> bool:
    """No walked folder changed: nothing was created, deleted or renamed in the project."""
    return all(folder_stamp(folder) == stamp for folder, stamp in walk.folder_stamps)


# --- Findings -----------------------------------------------------------------------------------


def _dev_folders(walk: FileWalk) -> Iterable[DevFolder]:
    """Top-level development folders in the upload (the CLI warns about the same ones)."""
    for name in DEV_FOLDERS:
        inside = [f for f in walk.files if f.path.split("/", 1)[0] == name and "/" in f.path]
        if inside:
            yield DevFolder(name, len(inside), sum(f.size for f in inside))


def _secret_files(root: Path, walk: FileWalk) -> Iterable[SecretFile]:
    folders: set[str] = set()
    sniffed = 0
    for file in walk.files:
        parts = file.path.split("/")
        if not _LIBRARY_FOLDERS.isdisjoint(parts[:-1]):
            continue
        folder = _secret_folder(parts)
        if folder is not None:
            if folder[0] not in folders:
                folders.add(folder[0])
                yield SecretFile(folder[0] + "/", folder[1], folder[0] + "/", False)
            continue
        why = _secret_by_name(parts[-1])
        if why is None and sniffed < _SNIFF_LIMIT and _worth_reading(parts[-1], file.size):
            sniffed += 1
            why = _secret_by_content(root, file.path)
        if why is not None:
            yield _secret(file.path, why)


def _secret(path: str, why: str) -> SecretFile:
    hidden = "/" not in path and path.startswith(".")
    pattern = DEFAULT_EXCLUDE if hidden else path
    if not hidden and not any(matches(p, path) for p in normalize_patterns([pattern])):
        pattern = ""  # a name with glob characters no pattern can spell exactly
    return SecretFile(path, why, pattern, hidden)


def _secret_folder(parts: list[str]) -> tuple[str, str] | None:
    for index, part in enumerate(parts[:-1]):
        why = _SECRET_FOLDERS.get(part)
        if why is not None:
            return "/".join(parts[: index + 1]), why
    return None


def _secret_by_name(name: str) -> str | None:
    if name == ".env" or (
        name.startswith(".env.") and name[5:].lower() not in _ENV_TEMPLATES and name[5:]
    ):
        return "environment file"
    if name in _SSH_KEYS:
        return "SSH private key"
    if name in _CREDENTIAL_FILES:
        return _CREDENTIAL_FILES[name]
    if PurePosixPath(name).suffix.lower() in _KEY_STORES:
        return "key store"
    return None


def _worth_reading(name: str, size: int) -> bool:
    suffix = PurePosixPath(name).suffix.lower()
    return suffix in _PEM_SUFFIXES or (suffix == ".json" and size <= _JSON_LIMIT)


def _secret_by_content(root: Path, path: str) -> str | None:
    head = read_head(root, path, _HEAD_BYTES)
    if not head:
        return None
    if path.lower().endswith(".json"):
        return "credentials JSON" if _JSON_SECRET.search(head) else None
    first_line = head.removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0]
    return "private key" if _PEM_PRIVATE.match(first_line) else None
