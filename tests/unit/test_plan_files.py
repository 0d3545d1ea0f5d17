"""Include/exclude matching as the CLI does it (docs/sources.md; Go path.Match + doublestar), the
project walk, and reading files the config names without leaving the project."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cerebrium_lsp.analysis.project_files import (
    LARGE_FILE_BYTES,
    default_patterns,
    format_size,
    matches,
    normalize_patterns,
    read_project_file,
    walk_project,
)

# --- normalize_patterns (the CLI's Test_normalizePatterns, plus the `*`/`./*` rule) -----------


@pytest.mark.parametrize(
    ("patterns", "expected"),
    [
        (["assets/"], ["assets/**"]),
        (["src/", "models/", "assets/"], ["src/**", "models/**", "assets/**"]),
        (["main.py", "cerebrium.toml"], ["main.py", "cerebrium.toml"]),
        (["./src/", "./main.py"], ["src/**", "main.py"]),
        (["**/*.py", "*.txt"], ["**/*.py", "*.txt"]),
        (["src/", "", "  ", "main.py"], ["src/**", "main.py"]),
        (["*"], ["**/*"]),
        (["./*"], ["**/*"]),
        ([" ./* "], ["**/*"]),
        (["src\\lib\\"], ["src/lib/**"]),
        (["[./*", " main.py]"], ["[./*", "main.py]"]),
    ],
)
def test_normalize_patterns(patterns: list[str], expected: list[str]) -> None:
    assert normalize_patterns(patterns) == expected


def test_defaults_come_from_the_model() -> None:
    assert default_patterns("include") == ("./*", "main.py", "cerebrium.toml")
    assert default_patterns("exclude") == (".*",)


# --- matches ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        # The CLI's Test_matchesGlob table.
        ("*.py", "file.py", True),
        ("*.py", "file.txt", False),
        ("**/*.py", "src/utils/helper.py", True),
        ("**/*.py", "deep/nested/file.py", True),
        ("src/**/file.py", "src/nested/utils/file.py", True),
        ("src/**/file.py", "other/nested/utils/file.py", False),
        ("requirements.txt", "requirements.txt", True),
        ("src/*.py", "src/main.py", True),
        ("src/*.py", "src/utils/main.py", False),
        ("test[0-9].py", "test1.py", True),
        ("test?.py", "test1.py", True),
        # A single * never crosses "/".
        ("*.py", "src/main.py", False),
        ("*", "src/main.py", False),
        ("?", "/", False),
        # ** spans folders, including none.
        ("**/*.py", "main.py", True),
        ("**/*", "a/b/c", True),
        ("src/**/file.py", "src/file.py", True),
        ("assets/**", "assets/a/b.png", True),
        ("assets/**", "assets", True),
        ("assets/**", "assetsx/a", False),
        ("**", "anything/at/all", True),
        ("a**", "abc", True),
        ("a**", "a/b", False),
        # Braces (doublestar) and classes.
        ("*.{py,txt}", "notes.txt", True),
        ("*.{py,txt}", "notes.md", False),
        ("{src,lib}/**", "lib/x/y.py", True),
        ("{a,b/**}", "b/c/d", True),
        ("[a-c]*.py", "bmain.py", True),
        ("[a-c]*.py", "dmain.py", False),
        ("[^a-c]*.py", "dmain.py", True),
        ("[!a-c]*.py", "dmain.py", True),
        # Go's path.Match reads "[!a-c]" as the class {"!", a-c}; the CLI ORs both matchers.
        ("[!a-c]*.py", "amain.py", True),
        ("[!a-c]*.py", "!main.py", True),
        ("a[/]b", "a/b", False),
        # Escapes.
        ("\\*.py", "*.py", True),
        ("\\*.py", "x.py", False),
        # Dot-files are not special: the default exclude ".*" hides root dot-entries only.
        (".*", ".env", True),
        (".*", ".git/config", False),
        (".git/**", ".git/config", True),
        # Malformed patterns match nothing.
        ("[", "[", False),
        ("[a", "a", False),
        ("[]", "]", False),
        ("[z-a]", "b", False),
        ("{a,b", "a", False),
        ("a\\", "a", False),
        ("[./*", "main.py", False),
        ("main.py]", "main.py", False),
    ],
)
def test_matches(pattern: str, path: str, expected: bool) -> None:
    assert matches(pattern, path) is expected


_SEGMENT = st.text(alphabet="ab.-_x", min_size=1, max_size=6)


@given(pattern=st.text(alphabet="ab.*?x", min_size=1, max_size=6), name=_SEGMENT)
def test_single_segment_patterns_agree_with_fnmatch(pattern: str, name: str) -> None:
    """Within one path segment, Go's * and ? mean what fnmatch's do."""
    assert matches(pattern, name) is fnmatch.fnmatchcase(name, pattern)


@given(st.lists(_SEGMENT, min_size=2, max_size=4))
def test_star_never_crosses_a_slash(segments: list[str]) -> None:
    path = "/".join(segments)
    assert not matches("*", path)
    assert matches("**", path)
    assert matches("**/*", path)
    assert matches(f"{segments[0]}/**", path)


# --- walk_project -----------------------------------------------------------------------------


def make_tree(root: Path, files: dict[str, str | int]) -> None:
    """Create files; an int gives a (sparse) file of that size."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, int):
            with path.open("wb") as handle:
                handle.truncate(content)
        else:
            path.write_text(content)


def paths(walk_files: list[object]) -> list[str]:
    return [getattr(f, "path") for f in walk_files]  # noqa: B009 - typed loosely on purpose


def test_directory_patterns_include_subfolders(tmp_path: Path) -> None:
    """The CLI's TestDetermineIncludes_DirectoryWithSubdirectories."""
    files = [
        "main.py",
        "cerebrium.toml",
        "assets/image.jpg",
        "assets/shaders/vertex.glsl",
        "assets/shaders/fragment.glsl",
        "assets/shaders/nested/compute.glsl",
        "src/main.py",
        "src/utils/helper.py",
        "models/model.pt",
        "models/v1/weights.bin",
    ]
    make_tree(tmp_path, dict.fromkeys(files, "test"))
    walk = walk_project(tmp_path, ["assets/", "src/", "models/", "main.py", "cerebrium.toml"], [])
    assert sorted(paths(walk.files)) == sorted(files)
    assert walk.total_bytes == 4 * len(files)


def test_exclude_a_subfolder(tmp_path: Path) -> None:
    """The CLI's TestDetermineIncludes_ExcludeSubdirectory; the config file is added anyway."""
    make_tree(tmp_path, {"assets/image.jpg": "x", "assets/shaders/vertex.glsl": "x"})
    walk = walk_project(tmp_path, ["assets/"], ["assets/shaders/"], config_name=None)
    assert paths(walk.files) == ["assets/image.jpg"]


def test_default_patterns_sweep_in_dot_folders_but_not_root_dot_files(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        {
            "main.py": "",
            "cerebrium.toml": "",
            ".env": "SECRET=1",
            ".git/config": "[core]",
            ".venv/bin/python": "",
            "node_modules/x/index.js": "",
            "pkg/__init__.py": "",
        },
    )
    walk = walk_project(tmp_path, default_patterns("include"), default_patterns("exclude"))
    assert paths(walk.files) == [
        ".git/config",
        ".venv/bin/python",
        "cerebrium.toml",
        "main.py",
        "node_modules/x/index.js",
        "pkg/__init__.py",
    ]
    assert walk.config_added is False


def test_walk_order_is_depth_first_and_lexical(tmp_path: Path) -> None:
    make_tree(tmp_path, {"b.py": "", "b/c.py": "", "a.py": "", "c/d/e.py": ""})
    walk = walk_project(tmp_path, ["**"], [], config_name=None)
    assert paths(walk.files) == ["a.py", "b/c.py", "b.py", "c/d/e.py"]


def test_the_config_file_is_always_uploaded(tmp_path: Path) -> None:
    make_tree(tmp_path, {"cerebrium.toml": "[cerebrium]", "main.py": ""})
    walk = walk_project(tmp_path, ["main.py"], ["cerebrium.toml"])
    assert paths(walk.files) == ["main.py", "cerebrium.toml"]
    assert walk.config_added is True
    assert walk.matched_patterns == 1


def test_symlinks_are_never_followed_out_of_the_project(tmp_path: Path) -> None:
    project = tmp_path / "project"
    outside = tmp_path / "outside"
    make_tree(project, {"main.py": "x", "real/data.txt": "12345"})
    make_tree(outside, {"secret.txt": "secret", "deep/file.txt": "x"})
    (project / "inside-link.txt").symlink_to(project / "real" / "data.txt")
    (project / "outside-link.txt").symlink_to(outside / "secret.txt")
    (project / "outside-dir").symlink_to(outside / "deep", target_is_directory=True)
    (project / "broken").symlink_to(project / "missing")
    (project / "inside-dir").symlink_to(project / "real", target_is_directory=True)
    walk = walk_project(project, ["**"], [], config_name=None)
    assert {f.path: f.size for f in walk.files} == {
        "inside-link.txt": 5,
        "main.py": 1,
        "real/data.txt": 5,
    }
    reasons = {s.path: s.reason for s in walk.skipped}
    assert "outside the project" in reasons["outside-link.txt"]
    assert "outside the project" in reasons["outside-dir"]
    assert "symlink to a folder" in reasons["inside-dir"]
    assert "broken" in reasons["broken"]
    assert not any(f.path.startswith("outside-dir/") for f in walk.files)


def test_the_walk_stops_at_its_limit(tmp_path: Path) -> None:
    make_tree(tmp_path, {f"f{i:02}.txt": "" for i in range(30)})
    walk = walk_project(tmp_path, ["**"], [], config_name=None, limit=10)
    assert walk.truncated is True
    assert len(walk.files) == 10


def test_sizes_come_from_stat_not_from_reading(tmp_path: Path) -> None:
    make_tree(tmp_path, {"weights.bin": LARGE_FILE_BYTES * 3})
    walk = walk_project(tmp_path, ["**"], [], config_name=None)
    assert walk.total_bytes == LARGE_FILE_BYTES * 3


def test_unreadable_folders_are_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_tree(tmp_path, {"locked/a.txt": "", "main.py": ""})
    real_scandir = os.scandir

    def scandir(path: Path) -> object:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr("cerebrium_lsp.analysis.project_files.os.scandir", scandir)
    walk = walk_project(tmp_path, ["**"], [], config_name=None)
    assert paths(walk.files) == ["main.py"]


# --- read_project_file ------------------------------------------------------------------------


def test_read_inside_the_project(tmp_path: Path) -> None:
    make_tree(tmp_path, {"deps/requirements.txt": "\ufefftorch\n"})
    result = read_project_file(tmp_path, "./deps/requirements.txt")
    assert (result.text, result.note) == ("torch\n", "")


@pytest.mark.parametrize(
    ("relative", "note"),
    [
        ("../../etc/passwd", "not read: outside the project"),
        ("/etc/passwd", "not read: outside the project"),
        ("deps/../../secret.txt", "not read: outside the project"),
        ("link-out.txt", "not read: outside the project"),
        ("deps", "not read: a folder, not a file"),
        ("missing.txt", "not found in the project"),
        ("deps/a\x00.txt", "not read: the path cannot be resolved"),
    ],
)
def test_read_refuses_or_explains(tmp_path: Path, relative: str, note: str) -> None:
    project = tmp_path / "project"
    make_tree(project, {"deps/a.txt": ""})
    make_tree(tmp_path, {"secret.txt": "secret"})
    (project / "link-out.txt").symlink_to(tmp_path / "secret.txt")
    result = read_project_file(project, relative)
    assert (result.text, result.note) == (None, note)


def test_read_without_a_project_folder() -> None:
    assert read_project_file(None, "requirements.txt").note == "not read: no project folder"


def test_read_caps_the_size(tmp_path: Path) -> None:
    make_tree(tmp_path, {"huge.txt": 2 * 1024 * 1024})
    assert read_project_file(tmp_path, "huge.txt").note == "not read: larger than 1 MB"


@pytest.mark.parametrize(
    ("size", "text"),
    [(0, "0 B"), (999, "999 B"), (1000, "1.0 kB"), (1_234_567, "1.2 MB"), (3 * 10**9, "3.0 GB")],
)
def test_format_size(size: int, text: str) -> None:
    assert format_size(size) == text
