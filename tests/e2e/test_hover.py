"""``textDocument/hover`` end to end, for the VS Code, Neovim and Emacs capability profiles.
``|`` marks the cursor; each case names the text the hover range must cover exactly.

As in ``test_completion.py``, one server per profile serves the module (each case opens its own
document), set up with the shared ``e2e_support`` configuration.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from e2e_support import (
    WORKSPACE,
    close_document,
    open_document,
    session,
)
from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities

module_loop = pytest.mark.asyncio(loop_scope="module")


_documents = itertools.count()


def split_marker(marked: str) -> tuple[str, int, types.Position]:
    offset = marked.index("|")
    text = marked[:offset] + marked[offset + 1 :]
    return text, offset, position_of(text, offset)


def position_of(text: str, offset: int) -> types.Position:
    before = text[:offset]
    column = before[before.rfind("\n") + 1 :]
    return types.Position(line=before.count("\n"), character=len(column.encode("utf-16-le")) // 2)


async def hover(client: LanguageClient, marked: str) -> tuple[types.Hover | None, str, int]:
    text, offset, position = split_marker(marked)
    uri = (WORKSPACE / f"hover-{next(_documents)}" / "cerebrium.toml").as_uri()
    open_document(client, uri, text)
    try:
        result = await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri), position=position
            )
        )
    finally:
        close_document(client, uri)
    return result, text, offset


def contents_of(result: types.Hover) -> str:
    contents = result.contents
    if isinstance(contents, types.MarkupContent):
        return contents.value
    assert isinstance(contents, str), contents
    return contents


def expected_range(text: str, offset: int, covered: str) -> types.Range:
    """The range of the occurrence of ``covered`` that holds the cursor."""
    start = text.find(covered)
    while start != -1 and not start <= offset <= start + len(covered):
        start = text.find(covered, start + 1)
    assert start != -1, (covered, text)
    return types.Range(start=position_of(text, start), end=position_of(text, start + len(covered)))


PIP = "[cerebrium.dependencies.pip]\n"

# (document with |, texts the hover must contain, the text its range covers)
CASES: list[Any] = [
    pytest.param(
        '[cerebrium.deployment]\npython_ve|rsion = "3.11"\n',
        ["python_version", "full rebuild: base environment and every later stage", "3.11",
         "https://cerebrium.ai/docs/"],
        "python_version",
        id="key-python-version-rebuild-cost",
    ),
    pytest.param(
        "[cerebrium.deployment]\npython_version| = 3.10\n",
        ["full rebuild: base environment and every later stage"],
        "python_version",
        id="key-with-invalid-value",
    ),
    pytest.param(
        "[cerebrium.deployment]\nname = \npython_ver|sion = \n[cerebrium.hardware\n",
        ["full rebuild"],
        "python_version",
        id="key-in-broken-file",
    ),
    pytest.param(
        "[cerebrium.scaling]\nmin_repl|icas = 2\n",
        ["no image rebuild", "0–2000"],
        "min_replicas",
        id="key-scaling-no-rebuild",
    ),
    pytest.param(
        '[cerebrium.hardware]\ncompute = "CPU"\nreg|ion = "us-east-1"\n',
        ["region", "global"],
        "region",
        id="key-region",
    ),
    pytest.param(
        '[cerebrium.hardware]\ncompute = "AMPERE|_A10"\n',
        ["NVIDIA A10", "24 GB VRAM", "Up to 4 per replica", "11 vCPU", "44 GB", "us-east-1",
         "no image rebuild"],
        '"AMPERE_A10"',
        id="value-compute",
    ),
    pytest.param(
        '[cerebrium.hardware]\ncompute = ["CPU", "HOPPER_|H100"]\n',
        ["NVIDIA H100", "80 GB VRAM", "Up to 8 per replica", "24 vCPU", "256 GB"],
        '"HOPPER_H100"',
        id="value-compute-list-item",
    ),
    pytest.param(
        '[cerebrium]\nhardware = { compute = "ADA|_L4" }\n',
        ["NVIDIA L4", "24 GB VRAM"],
        '"ADA_L4"',
        id="value-compute-inline-table",
    ),
    pytest.param(
        '[cerebrium.hardware]\ncompute = "AMPERE_A1|00"\n',
        ["legacy", "AMPERE_A100_80GB"],
        '"AMPERE_A100"',
        id="value-legacy-compute",
    ),
    pytest.param(
        '[cerebrium.scaling]\nscaling_metric = "cpu_util|ization"\n',
        ["cpu_utilization", "min_replicas"],
        '"cpu_utilization"',
        id="value-enum",
    ),
    pytest.param(
        "[cerebrium.sca|ling]\nmin_replicas = 0\n",
        ["[cerebrium.scaling]", "no image rebuild", "min_replicas"],
        "cerebrium.scaling",
        id="header-scaling",
    ),
    pytest.param(
        "[cerebrium.deploy|ment]\n",
        ["[cerebrium.deployment]", "full rebuild: base environment", "python_version",
         "no image rebuild"],
        "cerebrium.deployment",
        id="header-mixed-stages",
    ),
    pytest.param(
        PIP.replace("pip]", "p|ip]"),
        ["pip stage and later, cached per package"],
        "cerebrium.dependencies.pip",
        id="header-pip",
    ),
    pytest.param(
        "[cerebrium.bu|ild]\nuse_uv = true\n",
        ["Legacy table", "Ignored by the CLI"],
        "cerebrium.build",
        id="header-legacy",
    ),
    pytest.param(
        PIP + 'pk|g = "~=1.4"\n',
        ["pkg==~=1.4", "requirements.txt", "~="],
        "pkg",
        id="pip-key-compatible-release-mangled",
    ),
    pytest.param(
        PIP + 'pkg = "~=1|.4"\n',
        ["pkg==~=1.4"],
        '"~=1.4"',
        id="pip-value-compatible-release-mangled",
    ),
    pytest.param(PIP + 'Tor|ch = ">=2.1"\n', ["torch>=2.1"], "Torch", id="pip-lower-cased"),
    pytest.param(PIP + 'num|py = "latest"\n', ["numpy\n"], "numpy", id="pip-latest-bare"),
    pytest.param(PIP + 'num|py = "1.26"\n', ["numpy==1.26"], "numpy", id="pip-version"),
    pytest.param(
        "[cerebrium.dependencies.apt]\nffm|peg = \"7.0\"\n",
        ["ffmpeg==7.0", "pkglist.txt", "name=version"],
        "ffmpeg",
        id="apt-entry",
    ),
    pytest.param(
        '[cerebrium.hardware]\ng|pu = "AMPERE_A10"\n',
        ["Legacy key", "compute"],
        "gpu",
        id="legacy-key",
    ),
    pytest.param(
        "[cerebrium.scaling]\nmax_repl|ica = 2\n",
        ["Unknown key", "max_replica", "[cerebrium.scaling]"],
        "max_replica",
        id="unknown-key",
    ),
    pytest.param(
        '[cerebrium]\nhard|ware.compute = "CPU"\n',
        ["[cerebrium.hardware]"],
        "hardware",
        id="dotted-key-table-part",
    ),
    pytest.param(
        '[cerebrium]\nhardware.comp|ute = "CPU"\n',
        ["compute", "no image rebuild"],
        "compute",
        id="dotted-key-last-part",
    ),
    pytest.param(
        '[cerebrium]\nhardware = { comp|ute = "CPU" }\n',
        ["compute", "string or string list"],
        "compute",
        id="inline-table-key",
    ),
]  # fmt: skip


@module_loop
@pytest.mark.parametrize(("marked", "fragments", "covered"), CASES)
async def test_hover(
    module_client: LanguageClient, marked: str, fragments: list[str], covered: str
) -> None:
    result, text, offset = await hover(module_client, marked)
    assert result is not None
    value = contents_of(result)
    missing = [f for f in fragments if f not in value]
    assert not missing, f"missing {missing} in:\n{value}"
    assert result.range == expected_range(text, offset, covered)


@module_loop
@pytest.mark.parametrize(
    "marked",
    [
        "[cerebrium.hardware]\n|\ncpu = 2\n",
        "# a comm|ent\n",
        "[other.ta|ble]\nx = 1\n",
        '[cerebrium.hardware]\ncompute = ["CPU",  |  "ADA_L4"]\n',
    ],
)
async def test_no_hover(module_client: LanguageClient, marked: str) -> None:
    result, _, _ = await hover(module_client, marked)
    assert result is None


@module_loop
async def test_markdown_for_markdown_clients(module_client: LanguageClient) -> None:
    result, _, _ = await hover(module_client, '[cerebrium.deployment]\npython_ver|sion = "3.11"\n')
    assert result is not None
    assert isinstance(result.contents, types.MarkupContent)
    assert result.contents.kind == types.MarkupKind.Markdown
    assert "**Rebuild cost:**" in result.contents.value


@module_loop
async def test_plaintext_for_plaintext_clients() -> None:
    caps = client_capabilities("neovim")
    assert caps.text_document is not None
    caps.text_document.hover = types.HoverClientCapabilities(
        content_format=[types.MarkupKind.PlainText]
    )
    async with session(caps) as client:
        result, _, _ = await hover(client, '[cerebrium.deployment]\npython_ver|sion = "3.11"\n')
    assert result is not None
    assert isinstance(result.contents, types.MarkupContent)
    assert result.contents.kind == types.MarkupKind.PlainText
    value = result.contents.value
    assert "Rebuild cost: full rebuild: base environment and every later stage" in value
    assert "**" not in value and "`" not in value
