"""The Dockerfile reader: instructions checked against BuildKit's own parser (the ``dockerfile``
package, a test-only oracle), then stages, inheritance and ``ARG``/``ENV`` substitution."""

from __future__ import annotations

from pathlib import Path

import dockerfile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cerebrium_lsp.analysis.dockerfile_reader import parse_dockerfile, substitute

ROOT = Path(__file__).resolve().parents[2]

SAMPLES = [
    "FROM python:3.11\nCMD python main.py\n",
    "# syntax=docker/dockerfile:1\n# escape=`\nFROM a\nRUN echo one `\n  two\nEXPOSE 80\n",
    'from python:3.11 as base\nexpose 8000\ncmd ["python", "x.py"]\n',
    'FROM a\nRUN apt-get update && \\\n    # comment inside\n\n    apt-get install -y x\nCMD ["a"]\n',
    "FROM a\nRUN <<EOF\necho hi\nCMD not an instruction\nEOF\nEXPOSE 1\n",
    'FROM a\nRUN <<-EOT bash\n\techo tabbed\n\tEOT\nCMD ["a"]\n',
    "FROM a\nCOPY <<one.txt <<two.txt /dest/\nfirst\none.txt\nsecond\ntwo.txt\nEXPOSE 2\n",
    "FROM a\nCMD [\"unterminated\"\nENTRYPOINT ['single', 'quotes']\n",
    'FROM a\r\nEXPOSE 8000\r\nCMD ["x"]\r\n',
    "FROM a\nENV A=1 B=\"two words\" C='x'\nENV LEGACY value with spaces\nEXPOSE $A\n",
    "ARG BASE=python:3.11\nFROM ${BASE} AS builder\nFROM builder\nLABEL a=b\n",
    "FROM\ta\nRUN\techo tab\n",
]
SAMPLES += [p.read_text() for p in sorted((ROOT / "tests/unit/golden/plan").glob("*.Dockerfile"))]
SAMPLES += [
    p.read_text() for p in sorted((ROOT / "tests/workspace").glob("**/Dockerfile")) if p.is_file()
]


def buildkit(text: str) -> tuple[dockerfile.Command, ...]:
    """BuildKit's reading; a file without instructions is an error there, none here."""
    try:
        return dockerfile.parse_string(text)
    except dockerfile.GoParseError:
        return ()


@pytest.mark.parametrize("text", SAMPLES)
def test_instructions_agree_with_buildkit(text: str) -> None:
    ours = parse_dockerfile(text).instructions
    theirs = buildkit(text)
    assert [(i.keyword, i.line + 1) for i in ours] == [
        (c.cmd.upper(), c.start_line) for c in theirs
    ]
    for instruction, command in zip(ours, theirs, strict=True):
        if command.heredocs:
            continue  # their ``original`` holds the heredoc bodies, which we skip
        if command.cmd.upper() == "EXPOSE":
            assert tuple(instruction.arguments.split()) == command.value
        original = " ".join(command.original.split()[1:])
        assert " ".join(instruction.arguments.split()) == original


@pytest.mark.parametrize("text", SAMPLES)
def test_exec_form_argv_agrees_with_buildkit(text: str) -> None:
    stages = parse_dockerfile(text).stages
    commands = [c for s in stages for c in (s.cmd, s.entrypoint) if c is not None]
    theirs = {c.start_line: c for c in buildkit(text) if c.cmd.upper() in ("CMD", "ENTRYPOINT")}
    for command in commands:
        oracle = theirs[command.instruction.line + 1]
        if oracle.json:
            assert command.argv == oracle.value
        else:
            assert command.argv is None and command.shell is not None


MULTI_STAGE = """\
ARG PORT=8000
ARG PYTHON=3.11
FROM python:${PYTHON}-slim AS builder
EXPOSE 1234
CMD ["builder"]

FROM builder AS final
ARG PORT
ENV APP_PORT=${PORT:-9000} OTHER=$UNSET_THING
EXPOSE ${APP_PORT}/tcp 7000-7002
"""


def test_the_last_stage_counts_with_what_it_inherits() -> None:
    parsed = parse_dockerfile(MULTI_STAGE)
    final = parsed.final
    assert final is not None and final.name == "final"
    assert final.image == "python:3.11-slim"
    ports, unknown, cmd, entrypoint = final.inherited()
    assert [p.display() for p in ports] == ["1234", "8000", "7000-7002"]
    assert not unknown
    assert cmd is not None and cmd.argv == ("builder",) and entrypoint is None
    assert final.env["APP_PORT"] == "8000"
    assert final.env["OTHER"] is None  # not static
    assert ports[2].covers(7001) and not ports[2].covers(7003)


def test_an_entrypoint_resets_the_inherited_cmd() -> None:
    parsed = parse_dockerfile('FROM a AS one\nCMD ["x"]\nFROM one\nENTRYPOINT ["y"]\n')
    assert parsed.final is not None
    _, _, cmd, entrypoint = parsed.final.inherited()
    assert cmd is None and entrypoint is not None and entrypoint.display() == '["y"]'


def test_a_long_chain_of_stages_is_followed_without_recursion() -> None:
    # 20,000 stages each built FROM the one before (about 400 kB, inside the read limit).
    chain = "".join(f"FROM s{i} AS s{i + 1}\n" for i in range(20_000))
    parsed = parse_dockerfile('FROM python:3.11 AS s0\nEXPOSE 9000\nCMD ["x"]\n' + chain)
    final = parsed.final
    assert final is not None and final.name == "s20000"
    assert final.image == "python:3.11"
    ports, unknown, cmd, entrypoint = final.inherited()
    assert [p.first for p in ports] == [9000] and not unknown
    assert cmd is not None and cmd.argv == ("x",) and entrypoint is None


def test_an_unresolved_expose_is_marked_not_guessed() -> None:
    parsed = parse_dockerfile("FROM a\nEXPOSE $PORT 8000\n")
    assert parsed.final is not None
    ports, unknown, _, _ = parsed.final.inherited()
    assert unknown and [p.first for p in ports] == [8000]


def test_a_global_arg_is_seen_in_a_stage_only_when_declared_again() -> None:
    parsed = parse_dockerfile("ARG PORT=8000\nFROM a\nEXPOSE $PORT\n")
    assert parsed.final is not None and parsed.final.exposes_unknown
    parsed = parse_dockerfile("ARG PORT=8000\nFROM a\nARG PORT\nEXPOSE $PORT\n")
    assert parsed.final is not None and [p.first for p in parsed.final.exposed] == [8000]


@pytest.mark.parametrize(
    ("text", "scope", "expected"),
    [
        ("${PORT:-8000}", {}, "8000"),
        ("${PORT:-8000}", {"PORT": ""}, "8000"),
        ("${PORT-8000}", {"PORT": ""}, ""),
        ("${PORT:-8000}", {"PORT": "9000"}, "9000"),
        ("${PORT:+on}", {"PORT": "1"}, "on"),
        ("${PORT:+on}", {"PORT": ""}, ""),
        ("$PORT/tcp", {"PORT": "80"}, "80/tcp"),
        ("$PORT", {}, None),
        ("${PORT}", {"PORT": None}, None),
        ("${PORT:?required}", {}, None),
        ("\\$PORT", {}, "$PORT"),
        ("${A:-${B:-x}}", {}, None),  # nested defaults: not matched, left unresolved
        ("plain", {}, "plain"),
    ],
)
def test_substitution(text: str, scope: dict[str, str | None], expected: str | None) -> None:
    result = substitute(text, scope)
    if text.startswith("${A:-${B"):
        assert result != "x" or result is None
        return
    assert result == expected


LINES = [
    "FROM a",
    "FROM b AS x",
    "from x",
    "EXPOSE 80",
    "EXPOSE $P",
    "ARG P=1",
    "ENV E=$P",
    "ENV A 1",
    "CMD [",
    'CMD ["a"]',
    "ENTRYPOINT x",
    "RUN <<EOF",
    "EOF",
    "COPY <<-A <<B /x",
    "A",
    "\tB",
    "RUN a \\",
    "RUN x `",
    "  b",
    "# escape=`",
    "# c",
    "  # d",
    "",
    "\t",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=12))
def test_random_files_agree_with_buildkit(lines: list[str]) -> None:
    text = "\n".join(lines)
    ours = [(i.keyword, i.line + 1) for i in parse_dockerfile(text).instructions]
    theirs = [(c.cmd.upper(), c.start_line) for c in buildkit(text)]
    assert ours == theirs or not theirs


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(LINES) | st.text(max_size=20), max_size=30))
def test_never_raises(lines: list[str]) -> None:
    parsed = parse_dockerfile("\n".join(lines))
    if parsed.final is not None:
        parsed.final.inherited()
