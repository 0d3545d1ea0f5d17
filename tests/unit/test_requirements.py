"""Dependency rendering as the Go CLI does it (``generateRequirementsContent``, docs/sources.md)."""

from __future__ import annotations

import pytest

from cerebrium_lsp.analysis.requirements import (
    render_requirement,
    render_requirements,
    render_version,
    rendering_note,
    version_text,
)


@pytest.mark.parametrize(
    ("name", "value", "line"),
    [
        ("numpy", "latest", "numpy"),
        ("numpy", "", "numpy"),
        ("numpy", "*", "numpy"),
        ("torch", "2.0.0", "torch==2.0.0"),
        ("torch", ">=1.5", "torch>=1.5"),
        ("torch", "<3", "torch<3"),
        ("torch", "==2.1", "torch==2.1"),
        ("torch", "!=2.1", "torch!=2.1"),
        ("torch", "=2.1", "torch=2.1"),
        ("pkg", "~=1.4", "pkg==~=1.4"),
        ("pkg", "^1.4", "pkg==^1.4"),
        ("pkg", " >=1", "pkg== >=1"),
        ("Pillow", "10.0", "pillow==10.0"),
        ("git+https://github.com/Org/Repo@Main", "latest", "git+https://github.com/org/repo@main"),
        ("LATEST", "Latest", "latest==Latest"),
        # weak typing: non-strings become strings first
        ("pkg", 3.10, "pkg==3.1"),
        ("pkg", 2.0, "pkg==2"),
        ("pkg", 1e20, "pkg==100000000000000000000"),
        ("pkg", 0.0001, "pkg==0.0001"),
        ("pkg", 3, "pkg==3"),
        ("pkg", True, "pkg==1"),
        ("pkg", False, "pkg==0"),
        ("pkg", ["1"], None),
        ("pkg", {"a": 1}, None),
    ],
)
def test_render_requirement(name: str, value: object, line: str | None) -> None:
    assert render_requirement(name, value) == line


def test_render_version() -> None:
    assert render_version("latest") == ""
    assert render_version("1") == "==1"
    assert render_version(">1") == ">1"


def test_version_text_special_floats() -> None:
    assert version_text(float("inf")) == "+Inf"
    assert version_text(float("-inf")) == "-Inf"
    assert version_text(float("nan")) == "NaN"
    assert version_text(-0.0) == "0"


def test_render_requirements_sorted_and_collapsed() -> None:
    text = render_requirements(
        [("torch", ">=2"), ("Numpy", "1.26"), ("accelerate", "latest"), ("numpy", "2.0"), ("x", [])]
    )
    assert text == "accelerate\nnumpy==2.0\ntorch>=2\n"
    assert render_requirements([]) == ""


@pytest.mark.parametrize(
    ("name", "value", "manager", "fragment"),
    [
        ("pkg", "~=1.4", "pip", "`~=` is not passed through"),
        ("pkg", "^1.4", "pip", "`^` is not passed through"),
        ("curl", "7.88", "apt", "`name=version`"),
        ("curl", "==7.88", "apt", "single `=`"),
        ("pkg", 3.10, "pip", "'3.1'"),
        ("pkg", [], "pip", "fails to decode"),
        ("Pkg", "1", "pip", "lower-cases"),
        ("pkg", " 1", "pip", "surrounding spaces"),
    ],
)
def test_rendering_note(name: str, value: object, manager: str, fragment: str) -> None:
    note = rendering_note(name, value, manager)  # type: ignore[arg-type]
    assert note is not None
    assert fragment in note


@pytest.mark.parametrize(
    ("name", "value", "manager"),
    [
        ("pkg", ">=1", "pip"),
        ("pkg", "latest", "apt"),
        ("curl", "=7.88", "apt"),
        ("np", "1", "conda"),
    ],
)
def test_rendering_note_none(name: str, value: object, manager: str) -> None:
    assert rendering_note(name, value, manager) is None  # type: ignore[arg-type]
