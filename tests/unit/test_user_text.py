"""No user-visible text carries an internal source tag (``[API]``, ``[DOCS]``, ``§9.6``, "the
reference", …) or a path outside the repository: the model's every string, hovers over every
key, table and value of documents that use the whole model, inlay hints, completion items and
their resolved documentation, diagnostic messages and related information (every code's
examples, the bundled examples and the real-world corpus), quick-fix and code-action titles, the
rebuild impact lines of code lenses, the build plan in every rendering, ``check`` in every output
format, the generated schema, the documentation and the code's own comments. Public sources are
cited in docs/sources.md.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from cerebrium_lsp.analysis.codes import CODES, render_markdown
from cerebrium_lsp.analysis.engine import Analysis, AnalysisOptions, analyze
from cerebrium_lsp.analysis.fixes import fixes_for
from cerebrium_lsp.check import run_check
from cerebrium_lsp.features.code_actions import PREVIEW_TITLE as ACTION_TITLE
from cerebrium_lsp.features.code_lens import PREVIEW_TITLE as LENS_TITLE
from cerebrium_lsp.features.completion import ClientSupport, complete, documentation_for
from cerebrium_lsp.features.hover import (
    change_markdown,
    entry_markdown,
    hover_at,
    key_markdown,
    table_markdown,
    to_plaintext,
    toml_literal,
    value_markdown,
)
from cerebrium_lsp.features.inlay_hints import document_hints
from cerebrium_lsp.model import catalog
from cerebrium_lsp.model.catalog import MODEL
from cerebrium_lsp.model.types import KeySpec, TableSpec, ValueType
from cerebrium_lsp.plan import (
    build_plan,
    impact_to_json,
    impact_to_markdown,
    rebuild_impact,
    to_dockerfile,
    to_json,
    to_markdown,
)
from cerebrium_lsp.schema import render_schema

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p.parent for p in (ROOT / "examples").glob("*/*/cerebrium.toml"))
CORPUS = sorted((ROOT.parent / "shared" / "corpus" / "real").glob("*.toml"))

# The one pattern of internal text: a source tag in brackets, alone or followed by more ([API],
# [DOCS, API], [CLI loader.go], [PRICE / DOCS calculating-cost]; a Markdown link such as
# [API reference](url) is not one, nor a usage placeholder such as [FILE]), a section sign,
# "the reference" or "fact sheet" (the internal notes' names), and the paths of those notes or of
# the checkout (the repository's own path is replaced first: messages name the user's files).
INTERNAL = re.compile(
    r"\[(?:API|DOCS|CLI|PRICE|PY|SEED|EX|SRC|CODE)\b[^\]\n]*\](?!\()"
    r"|§"
    r"|(?i:\bthe reference\b|\bfact sheet\b)"
    r"|shared/reference|cerebrium-toml\.md|/work/"
)

Texts = Iterable[tuple[str, str]]


def offenders(texts: Texts) -> list[str]:
    found: list[str] = []
    for where, text in texts:
        text = text.replace(str(ROOT), "<repo>")
        for match in INTERNAL.finditer(text):
            start = max(match.start() - 60, 0)
            excerpt = text[start : match.end() + 40].replace("\n", "⏎")
            found.append(f"{where}: …{excerpt}…")
    return found


def assert_clean(texts: Texts) -> None:
    found = offenders(texts)
    assert not found, f"{len(found)} internal tags in user-visible text:\n" + "\n".join(found[:40])


def test_the_pattern_catches_every_kind_of_tag() -> None:
    for bad in (
        "[API] says 8000",
        "we record 8000 (§9.6)",
        "per [DOCS, API]",
        "[CLI internal/commands/deploy.go]",
        "the Reference says",
        "from the fact sheet",
        "see /work/shared/reference/cerebrium-toml.md",
        "[PRICE] third-party transcription",
        "[SEED]",
    ):
        assert INTERNAL.search(bad), bad
    for good in (
        "[docs](https://cerebrium.ai/docs/x)",
        "`[cerebrium.hardware]`",
        "Cerebrium's [API reference](https://github.com/CerebriumAI/cerebrium-skills)",
        "the docs' TOML reference page",
        '["CPU"]',
        "cerebrium-lsp plan [FILE]",
        "[CLI](https://github.com/CerebriumAI/cerebrium/releases)",
    ):
        assert not INTERNAL.search(good), good


# --- The model: every string of every table, key, value, compute type, region, provider -------


def strings_of(value: object, where: str) -> Iterator[tuple[str, str]]:
    """Every string held by a model object, recursively."""
    if isinstance(value, str):
        yield where, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if not f.name.startswith("_"):
                yield from strings_of(getattr(value, f.name), f"{where}.{f.name}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_of(item, f"{where}[{key!r}]")
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            yield from strings_of(item, f"{where}[{index}]")


def test_model_strings() -> None:
    texts = list(strings_of(MODEL, "MODEL"))
    texts += strings_of(catalog.PRICES, "PRICES")
    texts += strings_of(catalog.PLAN_LIMITS, "PLAN_LIMITS")
    assert len(texts) > 500  # the walk reaches every table, key and value
    assert_clean(texts)


# --- Hover --------------------------------------------------------------------------------------


def all_keys() -> Iterator[tuple[TableSpec, KeySpec]]:
    for table in MODEL.tables:
        for spec in table.keys:
            yield table, spec


def test_hover_builders_for_every_table_key_and_value() -> None:
    texts: list[tuple[str, str]] = []
    for table in MODEL.tables:
        for full in (True, False):
            texts.append((f"table {table.dotted}", table_markdown(table, full=full)))
        if table.entries is not None:
            for name, version in table.entries.examples:
                texts.append((f"entry {table.dotted}", entry_markdown(table, name, version)))
            texts.append((f"entry {table.dotted}", entry_markdown(table, "pkg", "~=1.4")))
    for table, spec in all_keys():
        for full in (True, False):
            texts.append((f"key {table.dotted}.{spec.name}", key_markdown(table, spec, full=full)))
        for value in spec.enum:
            where = f"value {spec.name}={value.value}"
            texts.append((where, value_markdown(table, spec, value)))
    assert_clean(texts + [(w, to_plaintext(t)) for w, t in texts])


def example_value(spec: KeySpec) -> str:
    if spec.examples:
        return toml_literal(spec.examples[0])
    if spec.default is not None:
        return toml_literal(spec.default)
    return {
        ValueType.INTEGER: "1",
        ValueType.NUMBER: "1.5",
        ValueType.BOOLEAN: "true",
        ValueType.STRING_LIST: '["x"]',
    }.get(spec.type, '"x"')


def model_documents() -> dict[str, str]:
    """Documents that together use every table, key, entry, compute type (current and legacy),
    region and provider, plus unknown keys, tables and values."""
    docs: dict[str, str] = {}
    for table in MODEL.tables:
        lines = [f"[{table.dotted}]"]
        lines += [f"{spec.name} = {example_value(spec)}" for spec in table.keys]
        if table.entries is not None:
            lines += [f'{name} = "{version}"' for name, version in table.entries.examples]
            lines += ['"pkg.with.dots" = "~=1.4"', "flag = true"]
        lines += ["not_a_key = 1", f"[{table.dotted}.not_a_table]"]
        docs[table.dotted] = "\n".join(lines) + "\n"
    compute_ids = [c.id for c in MODEL.compute] + [c.id for c in MODEL.legacy_compute]
    for cid in compute_ids:  # with limits exceeded, for their diagnostics
        docs[f"compute {cid}"] = (
            f'[cerebrium.hardware]\ncompute = "{cid}"\ngpu_count = 20\ncpu = 100\nmemory = 900\n'
        )
    docs["compute list"] = (
        "[cerebrium.hardware]\ncompute = ["
        + ", ".join(f'"{cid}"' for cid in compute_ids)
        + ', "NOPE"]\n'
    )
    for region in MODEL.regions:
        for provider in [*MODEL.providers, None]:
            line = f'provider = "{provider.id}"\n' if provider else 'provider = "nope"\n'
            docs[f"region {region.id} {line}"] = (
                f'[cerebrium.hardware]\nregion = "{region.id}"\n{line}compute = "ADA_L4"\n'
            )
    for table, spec in all_keys():
        for value in [*spec.enum_values, "not-a-value"]:
            docs[f"{table.dotted}.{spec.name}={value}"] = (
                f'[{table.dotted}]\n{spec.name} = "{value}"\n'
            )
    docs["unknown"] = "[cerebrium.nope]\nx = 1\n[nope]\ny = 2\n[cerebrium.hardware]\ncpu = \n"
    for folder in EXAMPLES:
        docs[str(folder.relative_to(ROOT))] = (folder / "cerebrium.toml").read_text(
            encoding="utf-8"
        )
    return docs


DOCUMENTS = model_documents()


def analysis_of(text: str) -> Analysis:
    return analyze(text, AnalysisOptions(project_dir=None, file_checks=False))


def hover_texts(name: str, text: str) -> Iterator[tuple[str, str]]:
    analysis = analysis_of(text)
    seen: set[str] = set()
    for offset in range(len(text) + 1):
        result = hover_at(analysis, offset)
        if result is not None and result.markdown not in seen:
            seen.add(result.markdown)
            yield f"hover in {name} at {offset}", result.markdown


def test_hover_over_every_key_table_and_value() -> None:
    texts = [t for name, text in DOCUMENTS.items() for t in hover_texts(name, text)]
    assert len(texts) > 300
    assert_clean(texts)


def test_port_hover_note_is_in_user_language() -> None:
    table = MODEL.table(("cerebrium", "runtime", "custom"))
    assert table is not None
    port = table.key("port")
    assert port is not None
    text = key_markdown(table, port)
    assert (
        "_Note:_ The docs mark it required; Cerebrium's [API reference]"
        "(https://github.com/CerebriumAI/cerebrium-skills) says the backend uses 8000 when it is "
        "omitted. The CLI treats port 0 as unset."
    ) in text


def test_cli_versions_link_their_release() -> None:
    scaling = MODEL.table(("cerebrium", "scaling"))
    deepgram = MODEL.table(("cerebrium", "runtime", "deepgram"))
    assert scaling is not None and deepgram is not None
    tier, image = scaling.key("compute_tier"), deepgram.key("image_version")
    assert tier is not None and image is not None
    releases = "https://github.com/CerebriumAI/cerebrium/releases/tag"
    assert f"**CLI:** [v2.2.5]({releases}/v2.2.5) or later" in key_markdown(scaling, tier)
    assert f"**CLI:** only in code newer than [v2.6.0]({releases}/v2.6.0)" in key_markdown(
        deepgram, image
    )


def test_rebuild_impact_texts() -> None:
    texts: list[tuple[str, str]] = []
    good = [(ROOT / f / "cerebrium.toml").read_text(encoding="utf-8") for f in EXAMPLES]
    for old in [None, *good]:
        for new in good:
            impact = rebuild_impact(old, new)
            texts.append(("impact summary (code lens)", impact.summary))
            texts.append(("impact markdown", impact_to_markdown(impact, "git HEAD")))
            texts.append(("impact json", json.dumps(impact_to_json(impact, "git HEAD"))))
            for change in impact.changes:
                texts.append(("hover change", change_markdown(change, "git HEAD")))
    texts += [("code lens", LENS_TITLE), ("code action", ACTION_TITLE)]
    assert_clean(texts)


# --- Inlay hints ----------------------------------------------------------------------------------


def hint_documents() -> dict[str, str]:
    """Every kind of hint: each compute type alone and in a list with ``gpu_count``, an unquoted
    ``python_version``, one-string ``include``/``exclude``, ``min_replicas = 0``."""
    docs = {
        f"hint {c.id}": f'[cerebrium.hardware]\ncompute = "{c.id}"\ngpu_count = 1\n'
        for c in MODEL.compute
    }
    docs["hint list"] = (
        "[cerebrium.hardware]\ncompute = ["
        + ", ".join(f'"{c.id}"' for c in MODEL.compute if c.family == "nvidia")
        + "]\ngpu_count = 2\n"
    )
    docs["hint deployment"] = (
        '[cerebrium.deployment]\nname = "x"\npython_version = 3.10\n'
        'include = "./*, main.py"\nexclude = ".*, .git/"\n'
        "[cerebrium.scaling]\nmin_replicas = 0\n"
    )
    return docs


def test_inlay_hint_labels_and_tooltips() -> None:
    texts: list[tuple[str, str]] = []
    for name, text in [*hint_documents().items(), *DOCUMENTS.items()]:
        for hint in document_hints(analysis_of(text)):
            texts += [(f"hint in {name}", hint.label), (f"hint in {name}", hint.tooltip)]
    assert len(texts) > 40
    assert_clean(texts)


# --- Completion ---------------------------------------------------------------------------------


def completion_offsets(text: str) -> Iterator[int]:
    """Where completion is asked in practice: line starts and ends, after ``[``, ``=``, ``"``
    and ``.``."""
    start = 0
    for line in text.splitlines(keepends=True):
        yield start
        for index, char in enumerate(line):
            if char in '[=".,':
                yield start + index + 1
                yield start + index + 2
        yield start + len(line.rstrip("\r\n"))
        start += len(line)


def completion_texts(name: str, text: str) -> Iterator[tuple[str, str]]:
    analysis = analysis_of(text)
    for lazy in (True, False):
        support = ClientSupport(
            snippets=True, insert_replace=True, documentation="markdown", lazy_documentation=lazy
        )
        for offset in sorted(set(completion_offsets(text))):
            for item in complete(analysis, min(offset, len(text)), support) or []:
                where = f"completion in {name} at {offset}: {item.label}"
                yield where, item.label
                if item.detail:
                    yield where, item.detail
                if isinstance(item.data, dict):
                    resolved = documentation_for(item.data)
                    if resolved:
                        yield f"{where} (resolved)", resolved
                documentation = item.documentation
                if documentation is not None:
                    yield (
                        where,
                        documentation if isinstance(documentation, str) else (documentation.value),
                    )


def test_completion_items_and_resolved_documentation() -> None:
    names = ["cerebrium.hardware", "cerebrium.deployment", "cerebrium.scaling", "unknown"]
    names += [n for n in DOCUMENTS if n.startswith("examples/")]
    texts = [t for name in names for t in completion_texts(name, DOCUMENTS[name])]
    texts += completion_texts("empty", "")
    texts += completion_texts("header", "[")
    texts += completion_texts("header", "[cerebrium.")
    assert len(texts) > 500
    assert_clean(texts)


# --- Diagnostics, quick fixes, check ------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder holding the files the fixed examples name."""
    for name in ("main.py", "Dockerfile", "requirements.txt"):
        (tmp_path / name).write_text("# placeholder\n")
    return tmp_path


def diagnostic_texts(
    name: str, analysis: Analysis, folder: Path | None
) -> Iterator[tuple[str, str]]:
    for d in analysis.diagnostics:
        where = f"{name} [{d.code}]"
        yield where, d.message
        for related in d.related:
            yield f"{where} related", related.message
        for fix in fixes_for(analysis, d, folder):
            yield f"{where} quick fix", fix.title


def test_codes_and_their_examples(project: Path) -> None:
    texts: list[tuple[str, str]] = [("docs/diagnostics.md", render_markdown())]
    for code in CODES.values():
        texts += [(f"code {code.name}", code.title), (f"code {code.name}", code.explanation)]
        for label, example in (("bad", code.bad), ("fixed", code.fixed)):
            analysis = analyze(example, AnalysisOptions(project_dir=project))
            texts += diagnostic_texts(f"{code.name} {label} example", analysis, project)
    assert_clean(texts)


def test_diagnostics_of_the_examples_documents_and_corpus() -> None:
    texts: list[tuple[str, str]] = []
    for folder in EXAMPLES:
        text = (folder / "cerebrium.toml").read_text(encoding="utf-8")
        analysis = analyze(text, AnalysisOptions(project_dir=folder))
        texts += diagnostic_texts(str(folder.relative_to(ROOT)), analysis, folder)
    for name, text in DOCUMENTS.items():
        texts += diagnostic_texts(name, analysis_of(text), None)
    for path in CORPUS:
        analysis = analysis_of(path.read_text(encoding="utf-8", errors="replace"))
        texts += diagnostic_texts(path.name, analysis, None)
    assert len(texts) > 1000
    assert_clean(texts)


@pytest.mark.parametrize("output_format", ["text", "json", "github", "sarif"])
def test_check_output(output_format: str) -> None:
    out = io.StringIO()
    run_check([str(ROOT / "examples")], output_format=output_format, out=out)
    assert_clean([(f"check --format {output_format}", out.getvalue())])


# --- Build plan, schema, documentation ------------------------------------------------------------


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_build_plan_renders(folder: Path) -> None:
    text = (folder / "cerebrium.toml").read_text(encoding="utf-8")
    plan = build_plan(analyze(text, AnalysisOptions(project_dir=folder)), folder)
    rendered = {
        "markdown": to_markdown(plan),
        "json": json.dumps(to_json(plan), ensure_ascii=False),
        "dockerfile": to_dockerfile(plan),
    }
    assert_clean((f"plan {kind} of {folder.name}", t) for kind, t in rendered.items())


def test_schema_and_documentation() -> None:
    texts = [("generated schema", render_schema())]
    for relative in ("schema/cerebrium.schema.json", "README.md", "vscode-extension/README.md"):
        texts.append((relative, (ROOT / relative).read_text(encoding="utf-8")))
    for path in sorted((ROOT / "docs").glob("*.md")):
        texts.append((str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")))
    package = json.loads((ROOT / "vscode-extension" / "package.json").read_text(encoding="utf-8"))
    texts.append(("vscode-extension/package.json contributes", json.dumps(package["contributes"])))
    assert_clean(texts)


# Folders and kinds of files of the repository's own sources and docs; generated or installed
# copies (node_modules, the bundled server, build output) are not ours.
SOURCE_FOLDERS = (
    "cerebrium_lsp",
    "tests",
    "docs",
    "bench",
    "scripts",
    "examples",
    "packaging",
    "lsp",
    ".github",
    "vscode-extension",
)
SOURCE_SUFFIXES = {".py", ".md", ".ts", ".mjs", ".json", ".lua", ".sh", ".toml", ".yml", ".yaml"}
NOT_OURS = {"node_modules", "bundled", ".build", "out", "dist", "test-output", "__pycache__"}


def repository_files() -> Iterator[Path]:
    yield from (ROOT / name for name in ("README.md", "CHANGELOG.md") if (ROOT / name).exists())
    for folder in SOURCE_FOLDERS:
        for directory, subfolders, names in os.walk(ROOT / folder):
            subfolders[:] = sorted(d for d in subfolders if d not in NOT_OURS)  # not walked
            for name in sorted(names):
                path = Path(directory) / name
                if path.suffix in SOURCE_SUFFIXES and path != Path(__file__).resolve():
                    yield path


def test_code_comments_and_docs_cite_public_sources() -> None:
    """Comments and docstrings cite docs/sources.md, never internal notes or their tags."""
    files = list(repository_files())
    assert len(files) > 100
    assert_clean(
        (str(path.relative_to(ROOT)), path.read_text(encoding="utf-8", errors="replace"))
        for path in files
    )
