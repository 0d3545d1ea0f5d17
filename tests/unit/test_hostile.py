"""Hostile and odd input: each has a test, and each is analysed in bounded time and memory.

The large inputs (``hostile_documents.HOSTILE``: a 5 MB config, 10,000 tables, nesting 10,000
deep, megabyte lines, 100,000 syntax errors) run in a subprocess each, which analyses the text
and runs symbols, folding, hover, completion, selection and fix-all on it, and reports its time
and peak memory. The budgets here are loose ceilings (CI machines are slow and shared);
``bench/hostile.py`` measures the real numbers (see ``bench/RELIABILITY.md``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fuzz_support import exercise
from hostile_documents import HOSTILE

from cerebrium_lsp.analysis.engine import AnalysisOptions, analyze
from cerebrium_lsp.analysis.tree import Span
from cerebrium_lsp.cli import main
from cerebrium_lsp.model import MODEL

HERE = Path(__file__).resolve().parent
OPTIONS = AnalysisOptions(file_checks=False)

# name -> (seconds, peak RSS in MB) for analysis plus every feature; loose ceilings.
BUDGETS: dict[str, tuple[float, float]] = {
    "large_config_5mb": (60.0, 900.0),
    "tables_10000": (20.0, 400.0),
    "nested_arrays_10000": (5.0, 200.0),
    "nested_inline_tables_10000": (5.0, 200.0),
    "unclosed_nesting_10000": (5.0, 200.0),
    "dotted_key_10000_parts": (5.0, 200.0),
    "long_line_2mb": (10.0, 300.0),
    "long_bare_value_1mb": (10.0, 250.0),
    "long_comment_2mb": (10.0, 300.0),
    "syntax_errors_100000": (20.0, 500.0),
    "array_200000_items": (20.0, 400.0),
    "unterminated_multiline_100000": (10.0, 300.0),
}

MEASURE = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from hostile_documents import HOSTILE
from cerebrium_lsp.analysis.engine import AnalysisOptions, analyze
from cerebrium_lsp.analysis.fixes import safe_fixes
from cerebrium_lsp.features.completion import ClientSupport, complete
from cerebrium_lsp.features.folding import folding_ranges
from cerebrium_lsp.features.hover import hover_at
from cerebrium_lsp.features.selection import selection_spans
from cerebrium_lsp.features.symbols import _Builder
from cerebrium_lsp.model import MODEL

def high_water_kb():
    # VmHWM, not ru_maxrss: a forked child inherits the parent's ru_maxrss (a large pytest
    # process would set every measurement's floor), while VmHWM can be reset below.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

try:
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # reset the peak-RSS mark to the current RSS
except OSError:
    pass
text = HOSTILE[sys.argv[2]]()
before = high_water_kb()
started = time.perf_counter()
analysis = analyze(text, AnalysisOptions(file_checks=False), raise_errors=True)
analysed = time.perf_counter() - started
for offset in (0, len(text) // 3, len(text) // 2, len(text) - 1, len(text)):
    hover_at(analysis, offset)
    complete(analysis, offset, ClientSupport())
    selection_spans(analysis, offset)
_Builder(analysis, MODEL, tags=True).children(analysis.document.root)
folding_ranges(analysis)
safe_fixes(analysis)
total = time.perf_counter() - started
peak = high_water_kb()
for d in analysis.diagnostics:
    assert 0 <= d.span.start <= d.span.end <= len(text), d
print(json.dumps({"chars": len(text), "analysis_s": analysed, "total_s": total,
                  "peak_mb": peak / 1024, "added_mb": (peak - before) / 1024,
                  "diagnostics": len(analysis.diagnostics)}))
"""


def measure(name: str, timeout: float) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(HERE), name],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, float] = json.loads(done.stdout)
    return result


@pytest.mark.timeout(180)
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_document_in_bounded_time_and_memory(name: str) -> None:
    seconds, megabytes = BUDGETS[name]
    result = measure(name, timeout=seconds * 2)
    assert result["total_s"] < seconds, result
    assert result["peak_mb"] < megabytes, result


def test_every_hostile_document_has_a_budget() -> None:
    assert set(BUDGETS) == set(HOSTILE)


# --- Small odd inputs, analysed in-process ---------------------------------------------------------


def codes(text: str) -> list[str]:
    return [d.code for d in exercise(text, range(0, len(text) + 1, 7)).diagnostics]


def test_empty_file() -> None:
    analysis = exercise("", [0])
    assert [(d.code, d.span.start, d.span.end) for d in analysis.diagnostics] == [
        ("missing-root", 0, 0)
    ]


def test_only_comments() -> None:
    assert codes("# one\n# two\n\n#\n") == ["missing-root"]


def test_only_whitespace_and_newlines() -> None:
    assert codes(" \t\n\r\n\n   ") == ["missing-root"]


def test_nul_bytes_are_errors_with_exact_ranges() -> None:
    text = '[cerebrium.deployment]\nname = "a\x00b"\n# c\x00\n\x00 = 1\n'
    analysis = exercise(text, range(len(text) + 1))
    assert [(d.code, d.span.start, d.message) for d in analysis.diagnostics] == [
        (
            "toml-syntax",
            text.index("\x00"),
            "control character U+0000 is not allowed in a string: write it as \\u0000",
        ),
        (
            "toml-syntax",
            text.index("c\x00") + 1,
            "control character U+0000 is not allowed in a comment",
        ),
        ("toml-syntax", text.rindex("\x00"), "expected a key, found control character U+0000"),
    ]
    assert all(d.span.end == d.span.start + 1 for d in analysis.diagnostics)


def test_a_byte_order_mark_left_in_the_text_is_one_error_and_the_rest_is_checked() -> None:
    """Editors and ``check`` drop a file's BOM: one still in the text was a second BOM."""
    text = '\ufeff[cerebrium.deployment]\nname = "a"\n'
    analysis = exercise(text, range(len(text) + 1))
    assert [(d.code, d.span) for d in analysis.diagnostics] == [("toml-syntax", Span(0, 1))]
    assert len(analyze('\ufeff[cerebrium.deployment]\nname = "a"\n[x', OPTIONS).diagnostics) == 2


def test_crlf_and_lone_cr() -> None:
    crlf = '[cerebrium.deployment]\r\nname = "a"\r\n'
    assert exercise(crlf, range(len(crlf) + 1)).diagnostics == []
    lone = '[cerebrium.deployment]\rname = "a"\r'
    analysis = exercise(lone, range(len(lone) + 1))
    assert {d.code for d in analysis.diagnostics} == {"toml-syntax"}
    assert all("lone carriage return" in d.message for d in analysis.diagnostics)
    # The LSP sees three lines (a lone CR ends a line): diagnostics are on lines 0 and 1.
    lines = {analysis.index.position(d.span.start)[0] for d in analysis.diagnostics}
    assert lines == {0, 1}


def test_surrogate_pairs_before_a_diagnostic() -> None:
    """Columns count UTF-16 code units by default: each emoji before the bad value is two."""
    text = '[cerebrium.hardware]\ncompute = ["😀😀", "AMPERE_A1O"]\n'
    analysis = exercise(text, range(len(text) + 1))
    prefix = 'compute = ["😀😀", '
    (bad,) = [d for d in analysis.diagnostics if d.span.start == text.index('"AMPERE_A1O"')]
    assert bad.code == "invalid-value"
    assert bad.to_lsp(analysis.index, "file:///c.toml")["range"]["start"] == {
        "line": 1,
        "character": len(prefix.encode("utf-16-le")) // 2,
    }
    assert bad.to_lsp(analysis.index, "file:///c.toml", "utf-8")["range"]["start"] == {
        "line": 1,
        "character": len(prefix.encode("utf-8")),
    }
    assert analysis.index.position(bad.span.start, "utf-32") == (1, len(prefix))


def test_lone_surrogates_from_a_client() -> None:
    text = '[cerebrium.deployment]\nname = "\ud83d"\n# \udc00\n'
    analysis = exercise(text, range(len(text) + 1))
    assert sum("not valid UTF-8" in d.message for d in analysis.diagnostics) == 2


def test_invalid_utf8_in_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cerebrium.toml"
    path.write_bytes(b'[cerebrium.deployment]\nname = "caf\xe9"\n\xff\xfe = 1\n')
    assert main(["check", "--no-file-checks", "--format", "json", str(path)]) == 1
    report = json.loads(capsys.readouterr().out)
    (first, *_) = report["files"][0]["diagnostics"]
    assert first["code"] == "toml-syntax"
    assert "not valid UTF-8 (byte 0xe9" in first["message"]
    assert first["range"]["start"] == {"line": 1, "character": 11}


def test_binary_garbage_in_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cerebrium.toml"
    path.write_bytes(bytes(range(256)) * 64)
    assert main(["check", "--no-file-checks", str(path)]) == 1
    assert "errors" in capsys.readouterr().out


def test_deep_dotted_keys_and_headers_are_cut_off() -> None:
    """A key of more than 100 parts is reported and skipped: each table keeps its whole path,
    so 10,000 parts took 800 MB and 20,000 (a 40 kB file) would take 3 GB."""
    text = "[cerebrium]\n" + "a." * 10_000 + "a = 1\n[" + "b." * 10_000 + "b]\n"
    analysis = analyze(text, OPTIONS, raise_errors=True)
    deep = [d for d in analysis.diagnostics if "nested too deeply" in d.message]
    assert len(deep) == 2
    nested_keys = "x = {" + "a.a.a.a.a.a.a.a.a.a = {" * 200 + "}" * 201 + "\n"
    analysis = analyze("[cerebrium]\n" + nested_keys, OPTIONS, raise_errors=True)
    assert any("nested too deeply" in d.message for d in analysis.diagnostics)


# --- Every TOML value type in every key --------------------------------------------------------------

VALUES = (
    '"text"',
    "'literal'",
    '"""multi\nline"""',
    "42",
    "-1",
    "3.5",
    "inf",
    "nan",
    "true",
    "1979-05-27T07:32:00Z",
    "1979-05-27T07:32:00",
    "1979-05-27",
    "07:32:00",
    "[]",
    '["a", 1]',
    "[[1, 2], [3]]",
    "{}",
    "{ a = 1, b = { c = [2] } }",
    '[{ name = "x" }]',
)
KEYS = sorted({(t.path, k.name) for t in MODEL.tables for k in t.keys})
TABLES = sorted({t.path for t in MODEL.tables})


@pytest.mark.parametrize("path", TABLES, ids=".".join)
def test_every_value_type_in_every_key(path: tuple[str, ...]) -> None:
    names = [name for table, name in KEYS if table == path] + ["not_a_key"]
    for name in names:
        for value in VALUES:
            text = f"[{'.'.join(path)}]\n{name} = {value}\n"
            exercise(text, (len(text) - 2, text.index("=") + 2))


@pytest.mark.parametrize("path", TABLES, ids=".".join)
def test_every_table_as_a_value_array_and_array_of_tables(path: tuple[str, ...]) -> None:
    parent, name = ".".join(path[:-1]), path[-1]
    for value in VALUES:
        texts = [f"[{parent}]\n{name} = {value}\n"] if parent else [f"{name} = {value}\n"]
        texts.append(f"[[{'.'.join(path)}]]\nx = {value}\n")
        for text in texts:
            exercise(text, (len(text) - 2,))


def test_a_megabyte_long_number_is_refused_without_decoding() -> None:
    """tomllib keeps ~100 bytes of regex state per character of a number: a 1 MB one took
    115 MB. Bare values over 1,000 characters are reported without decoding."""
    text = "[cerebrium.hardware]\ncpu = " + "1" * 1_000_000 + "\n"
    analysis = analyze(text, OPTIONS, raise_errors=True)
    (error,) = [d for d in analysis.diagnostics if d.code == "toml-syntax"]
    assert error.message.endswith(": 1,000,000 characters is too long")
    assert (error.span.start, error.span.end) == (text.index("1"), len(text) - 1)
