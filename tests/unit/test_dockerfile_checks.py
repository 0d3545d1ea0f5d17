"""``dockerfile-port`` and ``dockerfile-command`` on the project fixtures of
tests/workspace/dockerfiles, through ``cerebrium-lsp check`` (text, JSON and SARIF)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cerebrium_lsp.analysis.checks.dockerfile import dockerfile_summary
from cerebrium_lsp.analysis.engine import AnalysisOptions, analyze
from cerebrium_lsp.analysis.fixes import apply_edits, fixes_for
from cerebrium_lsp.cli import main

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "workspace" / "dockerfiles"
CODES = ("dockerfile-port", "dockerfile-command")

# fixture -> [(line:column, severity, code, words in the message)]
EXPECTED: dict[str, list[tuple[str, str, str, tuple[str, ...]]]] = {
    "port-mismatch": [
        ("6:8", "warning", "dockerfile-port", ("`port` is 8000, but Dockerfile EXPOSEs 8080",))
    ],
    "port-unset": [
        (
            "5:19",
            "warning",
            "dockerfile-port",
            ("`port` is not set (the platform uses 8000), but docker/Dockerfile EXPOSEs 5000",),
        )
    ],
    "no-command": [
        (
            "5:19",
            "error",
            "dockerfile-command",
            ("Dockerfile has no CMD or ENTRYPOINT", "python:3.11-slim starts by default"),
        )
    ],
    "no-command-custom-base": [
        (
            "5:19",
            "warning",
            "dockerfile-command",
            ("unless the base image vllm/vllm-openai:v0.6.0 brings its own command",),
        )
    ],
    "cmd-port-mismatch": [
        (
            "6:8",
            "warning",
            "dockerfile-port",
            ("`port` is 8000, but Dockerfile's CMD starts the server on port 5000",),
        )
    ],
    "clean-cmd-port-matches": [],
    "clean-multistage-arg": [],
    "clean-inherited": [],
    "clean-entrypoint-in-toml": [],
    "clean-unknown-expose": [],
    "clean-escape-continuation": [],
}


def test_every_fixture_is_listed() -> None:
    assert sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_command_on_fixture(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(FIXTURES / name)])
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if any(f"[{c}]" in line for c in CODES)]
    assert len(lines) == len(EXPECTED[name]), out
    for line, (position, severity, code, words) in zip(lines, EXPECTED[name], strict=True):
        assert f"cerebrium.toml:{position}: {severity} [{code}]" in line
        for word in words:
            assert word in line


def test_related_information_points_at_the_expose_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["check", "--format", "json", str(FIXTURES / "port-mismatch")])
    [file] = json.loads(capsys.readouterr().out)["files"]
    [diagnostic] = [d for d in file["diagnostics"] if d["code"] == "dockerfile-port"]
    assert diagnostic["relatedInformation"] == [
        {
            "location": {
                "uri": (FIXTURES / "port-mismatch" / "Dockerfile").as_uri(),
                "range": {
                    "start": {"line": 4, "character": 0},
                    "end": {"line": 4, "character": 11},
                },
            },
            "message": "EXPOSE 8080",
        }
    ]


def test_sarif_related_location_names_the_dockerfile(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--format", "sarif", str(FIXTURES / "port-mismatch")])
    [run] = json.loads(capsys.readouterr().out)["runs"]
    [result] = [r for r in run["results"] if r["ruleId"] == "dockerfile-port"]
    [related] = result["relatedLocations"]
    location = related["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("port-mismatch/Dockerfile")
    assert location["region"] == {"startLine": 5, "startColumn": 1, "endLine": 5, "endColumn": 12}


def test_quick_fix_sets_the_exposed_port() -> None:
    folder = FIXTURES / "port-mismatch"
    text = (folder / "cerebrium.toml").read_text()
    analysis = analyze(text, AnalysisOptions(project_dir=folder))
    [diagnostic] = [d for d in analysis.diagnostics if d.code == "dockerfile-port"]
    [fix] = fixes_for(analysis, diagnostic, folder)
    assert (fix.title, fix.safe) == ("Set `port = 8080`", False)
    assert "port = 8080\n" in apply_edits(text, fix.edits)


TOML = '[cerebrium.deployment]\nname = "x"\n\n[cerebrium.runtime.custom]\n'


def codes(project: Path, toml: str) -> list[str]:
    analysis = analyze(toml, AnalysisOptions(project_dir=project), raise_errors=True)
    return [d.code for d in analysis.diagnostics if d.code in CODES]


def test_dockerfile_edits_change_the_result(tmp_path: Path) -> None:
    toml = TOML + 'dockerfile_path = "Dockerfile"\nport = 8000\n'
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM python:3.11\nEXPOSE 8080\n")
    assert codes(tmp_path, toml) == ["dockerfile-command", "dockerfile-port"]
    dockerfile.write_text('FROM python:3.11\nEXPOSE 8000\nCMD ["python", "main.py"]\n')
    assert codes(tmp_path, toml) == []


def test_no_dockerfile_or_no_file_checks_says_nothing(tmp_path: Path) -> None:
    toml = TOML + 'dockerfile_path = "Dockerfile"\nport = 8000\n'
    assert codes(tmp_path, toml) == []  # missing-file's to report
    (tmp_path / "Dockerfile").write_text("FROM python:3.11\nEXPOSE 8080\n")
    analysis = analyze(toml, AnalysisOptions(project_dir=tmp_path, file_checks=False))
    assert [d.code for d in analysis.diagnostics if d.code in CODES] == []


def test_a_symlink_out_of_the_project_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "Dockerfile.outside"
    outside.write_text("FROM python:3.11\nEXPOSE 8080\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "Dockerfile").symlink_to(outside)
    assert codes(project, TOML + 'dockerfile_path = "Dockerfile"\nport = 8000\n') == []


def test_a_long_chain_of_stages_is_checked(tmp_path: Path) -> None:
    chain = "".join(f"FROM s{i} AS s{i + 1}\n" for i in range(20_000))
    (tmp_path / "Dockerfile").write_text('FROM python:3.11 AS s0\nEXPOSE 9000\nCMD ["x"]\n' + chain)
    assert codes(tmp_path, TOML + 'dockerfile_path = "Dockerfile"\nport = 8000\n') == [
        "dockerfile-port"
    ]
    summary = dockerfile_summary(tmp_path, "Dockerfile")
    assert summary is not None and "- Exposed ports: 9000" in summary


def test_wrongly_typed_port_is_left_to_the_value_checks(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text('FROM python:3.11\nEXPOSE 8080\nCMD ["x"]\n')
    assert codes(tmp_path, TOML + 'dockerfile_path = "Dockerfile"\nport = "8000"\n') == []


def test_hover_summary_of_a_multi_stage_dockerfile() -> None:
    summary = dockerfile_summary(FIXTURES / "clean-multistage-arg", "./Dockerfile")
    assert summary == (
        "**Dockerfile** · 2 stages, the last (final) is the image\n\n"
        "- Base image: `python:3.11-slim`\n"
        "- Exposed ports: 8000\n"
        "- Command: `CMD uvicorn main:app --host 0.0.0.0 --port ${APP_PORT}`"
    )


def test_hover_summary_without_command_or_static_port(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM python:3.11\nEXPOSE $PORT\n")
    summary = dockerfile_summary(tmp_path, "Dockerfile")
    assert summary is not None
    assert "- Exposed ports: set at run time" in summary
    assert "- Command: none (set `entrypoint`)" in summary
    assert dockerfile_summary(tmp_path, "Missing") is None
    assert dockerfile_summary(None, "Dockerfile") is None


def test_the_command_port_wins_over_expose_and_points_at_its_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["check", "--format", "json", str(FIXTURES / "cmd-port-mismatch")])
    [file] = json.loads(capsys.readouterr().out)["files"]
    [diagnostic] = [d for d in file["diagnostics"] if d["code"] == "dockerfile-port"]
    assert [
        (r["message"], r["location"]["range"]["start"]["line"])
        for r in diagnostic["relatedInformation"]
    ] == [("CMD", 6), ("EXPOSE 8000", 2)]
    assert diagnostic["data"] == {"replacement": "5000", "title": "Set `port = 5000`"}


def test_a_config_entrypoint_replaces_the_dockerfile_command(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text('FROM python:3.11\nEXPOSE 8080\nCMD ["x"]\n')
    toml = TOML + 'dockerfile_path = "Dockerfile"\nport = 8000\n'
    with_port = toml + 'entrypoint = ["uvicorn", "main:app", "--port", "8000"]\n'
    assert codes(tmp_path, with_port) == []  # the server's port is known: EXPOSE is moot
    assert codes(tmp_path, toml + 'entrypoint = ["python", "main.py"]\n') == ["dockerfile-port"]
