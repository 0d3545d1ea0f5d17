"""``textDocument/completion`` and ``completionItem/resolve`` end to end, for the VS Code, Neovim
and Emacs capability profiles. ``|`` marks the cursor in each document.

One server per profile serves the whole module (each case opens its own document), so the ~60
cases × 3 profiles run in seconds rather than minutes; the client setup is the shared one from
``e2e_support`` (same command, profiles, initialize params and shutdown as ``conftest.py``).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import pytest
from e2e_support import (
    WORKSPACE,
    close_document,
    open_document,
)
from lsprotocol import types
from pytest_lsp import LanguageClient

from cerebrium_lsp.model.catalog import MODEL

module_loop = pytest.mark.asyncio(loop_scope="module")


_documents = itertools.count()

COMPUTE_IDS = [c.id for c in MODEL.compute]
LEGACY_COMPUTE_IDS = [c.id for c in MODEL.legacy_compute]
LEGACY_TABLES = [t.dotted for t in MODEL.tables if t.deprecated is not None]


def split_marker(marked: str) -> tuple[str, types.Position]:
    """The text without ``|`` and the cursor's position (UTF-16 characters)."""
    offset = marked.index("|")
    text = marked[:offset] + marked[offset + 1 :]
    before = text[:offset]
    line = before.count("\n")
    column = before[before.rfind("\n") + 1 :]
    return text, types.Position(line=line, character=len(column.encode("utf-16-le")) // 2)


async def complete(
    client: LanguageClient, marked: str, trigger: str | None = None
) -> list[types.CompletionItem]:
    text, position = split_marker(marked)
    uri = (WORKSPACE / f"completion-{next(_documents)}" / "cerebrium.toml").as_uri()
    open_document(client, uri, text)
    context = (
        types.CompletionContext(
            trigger_kind=types.CompletionTriggerKind.TriggerCharacter, trigger_character=trigger
        )
        if trigger
        else types.CompletionContext(trigger_kind=types.CompletionTriggerKind.Invoked)
    )
    try:
        result = await client.text_document_completion_async(
            types.CompletionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=position,
                context=context,
            )
        )
    finally:
        close_document(client, uri)
    if result is None:
        return []
    return list(result.items if isinstance(result, types.CompletionList) else result)


def labels(items: Sequence[types.CompletionItem]) -> list[str]:
    return [i.label for i in items]


def by_label(items: Sequence[types.CompletionItem], label: str) -> types.CompletionItem:
    for item in items:
        if item.label == label:
            return item
    raise AssertionError(f"{label!r} not in {labels(items)}")


def edit_of(item: types.CompletionItem) -> tuple[str, types.Range, types.Range]:
    """(new text, insert range, replace range) of an item's TextEdit or InsertReplaceEdit."""
    edit = item.text_edit
    assert edit is not None, item
    if isinstance(edit, types.InsertReplaceEdit):
        return edit.new_text, edit.insert, edit.replace
    return edit.new_text, edit.range, edit.range


def rng(sl: int, sc: int, el: int, ec: int) -> types.Range:
    return types.Range(
        start=types.Position(line=sl, character=sc), end=types.Position(line=el, character=ec)
    )


def snippets(client: LanguageClient) -> bool:
    caps = client.capabilities
    item = caps.text_document.completion.completion_item  # type: ignore[union-attr]
    return bool(item and item.snippet_support)


def insert_replace(client: LanguageClient) -> bool:
    caps = client.capabilities
    item = caps.text_document.completion.completion_item  # type: ignore[union-attr]
    return bool(item and item.insert_replace_support)


HARDWARE_KEYS = ["cpu", "memory", "compute", "gpu_count", "provider", "region"]
PROVIDERS = [p.id for p in MODEL.providers if not p.legacy]
LEGACY_PROVIDERS = [p.id for p in MODEL.providers if p.legacy]

# (document with |, labels that must appear, labels that must not appear)
CASES: list[Any] = [
    # --- empty file: the `cerebrium init` skeleton ------------------------------------------
    pytest.param("|", ["cerebrium.toml (cerebrium init)"], [], id="empty-file"),
    pytest.param("\n\n|\n", ["cerebrium.toml (cerebrium init)"], [], id="blank-lines"),
    pytest.param("# my app\n\n|", ["cerebrium.toml (cerebrium init)"], [], id="only-comments"),
    # --- headers ------------------------------------------------------------------------------
    pytest.param(
        "[|",
        [
            "cerebrium.deployment",
            "cerebrium.hardware",
            "cerebrium.scaling",
            "cerebrium.dependencies.pip",
            "cerebrium.dependencies.apt",
            "cerebrium.dependencies.conda",
            "cerebrium.dependencies.paths",
            "cerebrium.runtime",
            "cerebrium.runtime.custom",
            "cerebrium.runtime.deepgram",
            "cerebrium.runtime.rime",
            "cerebrium.experimental",
        ],
        LEGACY_TABLES,
        id="header-open-bracket",
    ),
    pytest.param("[|]", ["cerebrium.hardware"], LEGACY_TABLES, id="header-auto-closed"),
    pytest.param(
        "[cerebrium.dep|", ["cerebrium.deployment", "cerebrium.dependencies.pip"],
        LEGACY_TABLES, id="header-partial-no-bracket",
    ),
    pytest.param(
        '[cerebrium.deployment]\nname = "x"\n\n[cerebrium.|',
        ["cerebrium.hardware", "cerebrium.scaling"],
        LEGACY_TABLES,
        id="header-after-table",
    ),
    pytest.param(
        '[cerebrium.deployment]\nname = \ninclude = [\n[cerebrium.runtime.c|',
        ["cerebrium.runtime.custom"], LEGACY_TABLES, id="header-broken-file",
    ),
    pytest.param("[[|", [], ["cerebrium.hardware"], id="header-array-of-tables"),
    # --- keys -----------------------------------------------------------------------------------
    pytest.param("[cerebrium.hardware]\n|", HARDWARE_KEYS, ["gpu"], id="keys-after-header"),
    pytest.param(
        '[cerebrium.hardware]\ncpu = 2\ncompute = "CPU"\n|',
        ["memory", "gpu_count", "provider", "region"],
        ["cpu", "compute", "gpu"],
        id="keys-not-yet-present",
    ),
    pytest.param(
        "[cerebrium.scaling]\nmin_replicas = 0\n\n|",
        ["max_replicas", "cooldown", "scaling_metric", "load_balancing_algorithm", "compute_tier"],
        ["min_replicas", "evaluation_interval", "load_balancing"],
        id="keys-empty-line-at-eof",
    ),
    pytest.param(
        "[cerebrium.deployment]\n|\n[cerebrium.hardware]\ncpu = 2\n",
        ["name", "python_version", "docker_base_image_url", "include", "exclude", "use_uv",
         "disable_auth", "shell_commands", "pre_build_commands"],
        ["cuda_version", "cpu"],
        id="keys-deployment-before-next-table",
    ),
    pytest.param("[cerebrium.hardware]\ncomp|", ["compute"], ["gpu"], id="keys-partial-word"),
    pytest.param(
        "[cerebrium.hardware]\ncomp| = 1", ["compute"], ["gpu"], id="keys-rename-existing"
    ),
    pytest.param("[cerebrium]\nhardware.|", HARDWARE_KEYS, ["gpu"], id="keys-dotted"),
    pytest.param(
        '[cerebrium]\nhardware = { compute = "CPU", | }',
        ["cpu", "memory", "region"],
        ["compute", "gpu"],
        id="keys-inline-table",
    ),
    pytest.param(
        "[cerebrium.runtime.custom]\n|",
        ["entrypoint", "port", "healthcheck_endpoint", "readycheck_endpoint", "dockerfile_path"],
        [],
        id="keys-custom-runtime",
    ),
    pytest.param("[cerebrium.runtime]\n|", ["container_runtime"], [], id="keys-runtime"),
    pytest.param("[cerebrium.experimental]\n|", ["checkpointing"], [], id="keys-experimental"),
    pytest.param(
        "[cerebrium.dependencies.pip]\nnumpy = \"latest\"\n|",
        ["torch", "transformers"],
        ["numpy", "name", "compute"],
        id="keys-pip-examples",
    ),
    pytest.param("[cerebrium.build]\n|", [], ["use_uv", "predict_data"], id="keys-legacy-table"),
    pytest.param(
        "[cerebrium]\n|",
        ["deployment", "hardware", "scaling", "dependencies", "runtime"],
        ["build", "requirements", "partner"],
        id="keys-cerebrium-subtables",
    ),
    pytest.param(
        "[cerebrium.hardware]\ncompute = \n|",
        HARDWARE_KEYS[:2],
        [],
        id="keys-after-line-missing-value",
    ),
    # --- values ---------------------------------------------------------------------------------
    pytest.param(
        '[cerebrium.hardware]\ncompute = "|', COMPUTE_IDS, LEGACY_COMPUTE_IDS,
        id="compute-unterminated-string-at-eof",
    ),
    pytest.param(
        '[cerebrium.hardware]\ncompute = "|"\ncpu = 2\n', COMPUTE_IDS, LEGACY_COMPUTE_IDS,
        id="compute-in-string",
    ),
    pytest.param(
        "[cerebrium.hardware]\ncompute = |", COMPUTE_IDS, LEGACY_COMPUTE_IDS,
        id="compute-after-equals",
    ),
    pytest.param(
        '[cerebrium.hardware]\ncompute = ["ADA_L4", "|"]',
        [c for c in COMPUTE_IDS if c != "ADA_L4"],
        ["ADA_L4", *LEGACY_COMPUTE_IDS],
        id="compute-list",
    ),
    pytest.param(
        '[cerebrium.hardware]\ncompute = ["ADA_L4", "|',
        [c for c in COMPUTE_IDS if c != "ADA_L4"],
        ["ADA_L4", *LEGACY_COMPUTE_IDS],
        id="compute-list-unclosed",
    ),
    pytest.param(
        '[cerebrium.hardware]\ncompute = [\n  "HOPPER_H100",\n  |\n]\n',
        ["AMPERE_A100_80GB"], ["HOPPER_H100"], id="compute-list-multiline",
    ),
    pytest.param(
        '[cerebrium]\nhardware.compute = "|"', COMPUTE_IDS, LEGACY_COMPUTE_IDS,
        id="compute-dotted-key",
    ),
    pytest.param(
        '[cerebrium]\nhardware = { compute = "| }', COMPUTE_IDS, LEGACY_COMPUTE_IDS,
        id="compute-inline-table",
    ),
    pytest.param(
        '[Cerebrium.Hardware]\nCompute = "|"', COMPUTE_IDS, [], id="compute-case-insensitive"
    ),
    pytest.param(
        '[cerebrium.deployment]\nname = \ninclude = [\n[cerebrium.hardware]\ncompute = "|',
        COMPUTE_IDS, [], id="compute-rest-of-file-broken",
    ),
    pytest.param(
        '[cerebrium.hardware]\nprovider = "|"', PROVIDERS, LEGACY_PROVIDERS, id="providers"
    ),
    pytest.param(
        '[cerebrium.hardware]\nregion = "|"',
        ["us-east-1", "us-central1", "eu-north-1", "eu-north1", "global"],
        [],
        id="regions-any-provider",
    ),
    pytest.param(
        '[cerebrium.hardware]\nprovider = "nebius"\nregion = "|"',
        ["us-central1", "eu-north1", "global"],
        ["us-east-1", "eu-north-1"],
        id="regions-nebius",
    ),
    pytest.param(
        '[cerebrium.hardware]\nregion = "|"\nprovider = "aws"\n',
        ["us-east-1", "eu-north-1", "global"],
        ["us-central1", "eu-north1"],
        id="regions-aws-set-later",
    ),
    pytest.param(
        "[cerebrium.deployment]\npython_version = |", list(MODEL.python_versions), [],
        id="python-versions",
    ),
    pytest.param(
        '[cerebrium.deployment]\npython_version = "3.1|"', list(MODEL.python_versions), [],
        id="python-versions-in-string",
    ),
    pytest.param(
        "[cerebrium.scaling]\nscaling_metric = |",
        ["concurrency_utilization", "requests_per_second", "cpu_utilization",
         "memory_utilization"],
        [],
        id="scaling-metrics",
    ),
    pytest.param(
        '[cerebrium.scaling]\nload_balancing_algorithm = "|"',
        ["round-robin", "first-available", "min-connections", "random-choice-2"],
        [],
        id="load-balancing",
    ),
    pytest.param(
        '[cerebrium.scaling]\ncompute_tier = "|"', ["interruptible", "protected"], [],
        id="compute-tier",
    ),
    pytest.param(
        '[cerebrium.runtime]\ncontainer_runtime = "|"', ["v1", "v2"], [],
        id="container-runtime",
    ),
    pytest.param(
        "[cerebrium.deployment]\ndisable_auth = |", ["true", "false"], [], id="bool"
    ),
    pytest.param(
        "[cerebrium.experimental]\ncheckpointing = |", ["true", "false"], [],
        id="bool-experimental",
    ),
    pytest.param(
        "[cerebrium.scaling]\nmin_replicas = |", ["0"], [], id="integer-default"
    ),
    # --- nothing ---------------------------------------------------------------------------------
    pytest.param("[cerebrium.hardware]\n# comp|", [], HARDWARE_KEYS, id="in-comment"),
    pytest.param('[cerebrium.hardware]\ngpu = "|"', [], COMPUTE_IDS, id="legacy-key-value"),
    pytest.param(
        '[cerebrium.hardware]\ncompute = "CPU" |', [], COMPUTE_IDS, id="after-complete-value"
    ),
]  # fmt: skip


@module_loop
@pytest.mark.parametrize(("marked", "expected", "unexpected"), CASES)
async def test_completion_labels(
    module_client: LanguageClient, marked: str, expected: list[str], unexpected: list[str]
) -> None:
    items = await complete(module_client, marked)
    found = labels(items)
    missing = [label for label in expected if label not in found]
    assert not missing, f"missing {missing} in {found}"
    present = [label for label in unexpected if label in found]
    assert not present, f"unexpected {present} in {found}"
    if not expected:
        assert found == [] or not set(found) & set(unexpected)


# --- edits and insert texts -----------------------------------------------------------------------


@module_loop
async def test_value_in_closed_string_replaces_partial(module_client: LanguageClient) -> None:
    items = await complete(module_client, '[cerebrium.hardware]\ncompute = "AM|PERE"\n')
    new_text, insert, replace = edit_of(by_label(items, "AMPERE_A10"))
    assert new_text == "AMPERE_A10"  # no quotes: the cursor is inside the string
    if insert_replace(module_client):
        assert isinstance(by_label(items, "AMPERE_A10").text_edit, types.InsertReplaceEdit)
        assert insert == rng(1, 11, 1, 13)
    assert replace == rng(1, 11, 1, 17)


@module_loop
async def test_value_in_unterminated_string_closes_it(module_client: LanguageClient) -> None:
    items = await complete(module_client, '[cerebrium.hardware]\ncompute = "|')
    new_text, insert, replace = edit_of(by_label(items, "HOPPER_H100"))
    assert new_text == 'HOPPER_H100"'
    assert insert == replace == rng(1, 11, 1, 11)


@module_loop
async def test_value_without_quotes_gets_them(module_client: LanguageClient) -> None:
    items = await complete(module_client, "[cerebrium.hardware]\ncompute = AD|")
    new_text, _insert, replace = edit_of(by_label(items, "ADA_L4"))
    assert new_text == '"ADA_L4"'
    assert replace == rng(1, 10, 1, 12)
    items = await complete(module_client, "[cerebrium.hardware]\ncompute =|")
    assert edit_of(by_label(items, "CPU"))[0] == ' "CPU"'


@module_loop
async def test_unquoted_python_version_is_replaced_by_a_string(
    module_client: LanguageClient,
) -> None:
    items = await complete(module_client, "[cerebrium.deployment]\npython_version = 3.1|")
    new_text, _, replace = edit_of(by_label(items, "3.10"))
    assert new_text == '"3.10"'
    assert replace == rng(1, 17, 1, 20)


@module_loop
async def test_compute_item_details(module_client: LanguageClient) -> None:
    items = await complete(module_client, '[cerebrium.hardware]\ncompute = "|"')
    item = by_label(items, "AMPERE_A10")
    assert item.kind == types.CompletionItemKind.EnumMember
    assert item.detail is not None and "24 GB VRAM" in item.detail and "up to 4" in item.detail
    documentation = await documentation_of(module_client, item)
    assert "NVIDIA A10" in documentation and "us-east-1" in documentation
    # model order: CPU first, the rest as the model lists them
    ordered = sorted(items, key=lambda i: i.sort_text or i.label)
    assert [i.label for i in ordered] == COMPUTE_IDS


async def documentation_of(client: LanguageClient, item: types.CompletionItem) -> str:
    """The item's documentation, resolving it when the server sent it lazily."""
    if item.documentation is None:
        item = await client.completion_item_resolve_async(item)
    doc = item.documentation
    assert doc is not None
    return doc if isinstance(doc, str) else doc.value


@module_loop
async def test_key_insert_text(module_client: LanguageClient) -> None:
    items = await complete(module_client, "[cerebrium.hardware]\n|")
    compute = by_label(items, "compute")
    cpu = by_label(items, "cpu")
    if snippets(module_client):
        assert compute.insert_text_format == types.InsertTextFormat.Snippet
        assert edit_of(compute)[0] == 'compute = "$1"'
        assert edit_of(cpu)[0] == "cpu = $0"
    else:
        assert compute.insert_text_format in (None, types.InsertTextFormat.PlainText)
        assert edit_of(compute)[0] == "compute = "
        assert edit_of(cpu)[0] == "cpu = "
    assert edit_of(compute)[2] == rng(1, 0, 1, 0)
    assert compute.detail == 'string or string list · default "CPU"'
    documentation = await documentation_of(module_client, compute)
    assert "Rebuild cost" in documentation


@module_loop
async def test_key_before_existing_equals_inserts_only_the_name(
    module_client: LanguageClient,
) -> None:
    items = await complete(module_client, '[cerebrium.hardware]\ncomp| = "CPU"')
    new_text, _insert, replace = edit_of(by_label(items, "compute"))
    assert new_text == "compute"
    assert replace == rng(1, 0, 1, 4)


@module_loop
async def test_header_edit_adds_missing_bracket(module_client: LanguageClient) -> None:
    items = await complete(module_client, "[cerebrium.hard|")
    new_text, _, replace = edit_of(by_label(items, "cerebrium.hardware"))
    assert new_text == "cerebrium.hardware]"
    assert replace == rng(0, 1, 0, 15)
    items = await complete(module_client, "[cerebrium.hard|]")
    assert edit_of(by_label(items, "cerebrium.hardware"))[0] == "cerebrium.hardware"


@module_loop
async def test_header_present_tables_rank_last(module_client: LanguageClient) -> None:
    items = await complete(
        module_client, '[cerebrium.deployment]\nname = "x"\n[cerebrium.hardware]\n[|'
    )
    ordered = [i.label for i in sorted(items, key=lambda i: i.sort_text or i.label)]
    assert ordered[-2:] == ["cerebrium.deployment", "cerebrium.hardware"] or set(ordered[-2:]) == {
        "cerebrium.deployment",
        "cerebrium.hardware",
    }
    assert "already in this file" in (by_label(items, "cerebrium.hardware").detail or "")


@module_loop
async def test_skeleton(module_client: LanguageClient) -> None:
    items = await complete(module_client, "|")
    (item,) = items
    new_text = edit_of(item)[0]
    assert "[cerebrium.deployment]" in new_text and 'compute = "' in new_text
    if snippets(module_client):
        assert item.insert_text_format == types.InsertTextFormat.Snippet
        assert 'name = "${1:completion-' in new_text
    else:
        assert "${" not in new_text
        assert 'name = "completion-' in new_text  # the folder's name, as `cerebrium init <name>`


@module_loop
async def test_ranges_use_utf16_offsets(module_client: LanguageClient) -> None:
    items = await complete(module_client, '[cerebrium]\nhardware = { x = "😀", compute = "A|" }')
    _, _insert, replace = edit_of(by_label(items, "ADA_L4"))
    # "😀" is two UTF-16 code units (one code point): the string content starts at 34, not 33
    assert replace.start == types.Position(line=1, character=34)
    assert replace.end == types.Position(line=1, character=35)


@module_loop
@pytest.mark.parametrize(
    ("marked", "trigger", "expect_items"),
    [
        ("[cerebrium.hardware]\ncompute = |", " ", True),
        ("[cerebrium.hardware]\ncompute =|", "=", True),
        ('[cerebrium.hardware]\ncompute = "|"', '"', True),
        ("[|", "[", True),
        ("[cerebrium.hardware]\ncompute = [|", "[", True),
        ("[cerebrium.|", ".", True),
        ("[cerebrium.hardware]\n |", " ", False),
        ('[cerebrium.deployment]\nname = "my |"', " ", False),
        ("[cerebrium.hardware]\ncpu = [|", "[", False),
    ],
)
async def test_trigger_characters(
    module_client: LanguageClient, marked: str, trigger: str, expect_items: bool
) -> None:
    items = await complete(module_client, marked, trigger)
    assert bool(items) is expect_items, labels(items)


def test_skeleton_keys_are_current_model_keys() -> None:
    from cerebrium_lsp.features.completion import _INIT_TEMPLATE

    for path, entries in _INIT_TEMPLATE:
        table = MODEL.table(path)
        assert table is not None and table.deprecated is None, path
        for key, _, _ in entries:
            spec = table.key(key)
            if table.entries is None:
                assert spec is not None and spec.deprecated is None, (path, key)


@module_loop
async def test_capabilities_advertise_completion(module_client: LanguageClient) -> None:
    # the initialize result is kept by pytest-lsp's client only indirectly: ask for a
    # completion after a trigger character the server registered
    items = await complete(module_client, '[cerebrium.scaling]\ncompute_tier = "|"', '"')
    assert labels(items) == ["interruptible", "protected"]
