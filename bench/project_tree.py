"""A realistic project folder around each bench document, so the upload checks (which walk the
whole folder) cost what they cost in a real project: a ``src/`` package with its
``__pycache__``, tests, a little data, git's object store and a vendored ``third_party/`` tree
of 40 packages, about 2,800 files in about 480 folders, all tiny; deterministic. Written beside
``main.py`` by ``targets.make_workspace``.

The object store and the packages sit where no upload check reports them (a top-level ``.git/``
or ``.venv/`` would add a ``dev-folder`` note), so every server still has exactly one
diagnostic to publish for ``compute = ""``; the walk costs the same.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

PACKAGES = 40  # in third_party/lib/python3.11/site-packages
MODULES_PER_FOLDER = 10
FOLDERS_PER_PACKAGE = 6
GIT_OBJECTS = 300


def write_project_tree(folder: Path) -> int:
    """Write the tree into ``folder``; returns how many files it wrote."""
    files: dict[str, str] = {"requirements.txt": "fastapi\nuvicorn\n"}
    for i in range(30):
        files[f"src/app/module_{i}.py"] = f"VALUE = {i}\n"
        files[f"src/app/__pycache__/module_{i}.cpython-311.pyc"] = "pyc"
    for i in range(20):
        files[f"tests/test_{i}.py"] = "def test() -> None:\n    pass\n"
    for i in range(5):
        files[f"data/sample_{i}.json"] = '{"text": "hello"}\n'
    for i in range(GIT_OBJECTS):
        digest = hashlib.sha1(str(i).encode()).hexdigest()
        files[f"third_party/.git/objects/{digest[:2]}/{digest[2:]}"] = "blob"
    site = "third_party/lib/python3.11/site-packages"
    for p in range(PACKAGES):
        for d in range(FOLDERS_PER_PACKAGE):
            for m in range(MODULES_PER_FOLDER):
                files[f"{site}/package_{p}/sub_{d}/module_{m}.py"] = "X = 1\n"
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return len(files)
