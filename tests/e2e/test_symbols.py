"""``textDocument/documentSymbol``: tables and keys nested as TOML resolves them, tables titled
from the config model, keys showing their value; deprecated tags and a flat list for clients
that ask for them."""

from __future__ import annotations

import attrs
import pytest
from e2e_support import (
    RecordingClient,
    as_json,
    doc_id,
    open_document,
    rng,
    session,
    text_of,
    uri_of,
)
from lsprotocol import types
from pytest_lsp import client_capabilities

pytestmark = pytest.mark.timeout(30)

Kind = types.SymbolKind


def sym(
    name: str,
    kind: types.SymbolKind,
    full: types.Range,
    selection: types.Range,
    detail: str | None = None,
    children: list[types.DocumentSymbol] | None = None,
    tags: list[types.SymbolTag] | None = None,
) -> types.DocumentSymbol:
    return types.DocumentSymbol(
        name=name,
        kind=kind,
        range=full,
        selection_range=selection,
        detail=detail,
        children=children,
        tags=tags,
    )


SHAPES = [
    sym(
        "cerebrium",
        Kind.Object,
        rng(3, 0, 16, 43),
        rng(3, 1, 3, 10),
        "Cerebrium app configuration",
        [
            sym(
                "deployment",
                Kind.Object,
                rng(3, 0, 9, 41),
                rng(3, 11, 3, 21),
                "Deployment",
                [
                    sym("name", Kind.String, rng(4, 0, 4, 15), rng(4, 0, 4, 4), '"shapes"'),
                    sym(
                        "include",
                        Kind.Array,
                        rng(5, 0, 8, 1),
                        rng(5, 0, 5, 7),
                        '[ "main.py", "src/*", ]',
                    ),
                    sym(
                        "shell_commands",
                        Kind.Array,
                        rng(9, 0, 9, 41),
                        rng(9, 0, 9, 14),
                        '["echo one", "echo two"]',
                    ),
                ],
            ),
            sym(
                "hardware",
                Kind.Object,
                rng(11, 0, 13, 15),
                rng(11, 11, 11, 19),
                "Hardware",
                [
                    sym("cpu", Kind.Number, rng(12, 0, 12, 7), rng(12, 0, 12, 3), "2"),
                    sym("compute", Kind.String, rng(13, 0, 13, 15), rng(13, 0, 13, 7), '"CPU"'),
                ],
            ),
            sym(
                "dependencies",
                Kind.Object,
                rng(15, 0, 16, 43),
                rng(15, 11, 15, 23),
                "Dependencies",
                [
                    sym(
                        "pip",
                        Kind.Object,
                        rng(16, 0, 16, 43),
                        rng(16, 0, 16, 3),
                        "pip packages",
                        [
                            sym(
                                "torch",
                                Kind.String,
                                rng(16, 8, 16, 23),
                                rng(16, 8, 16, 13),
                                '">=2.0"',
                            ),
                            sym(
                                "numpy",
                                Kind.String,
                                rng(16, 25, 16, 41),
                                rng(16, 25, 16, 30),
                                '"latest"',
                            ),
                        ],
                    )
                ],
            ),
        ],
    )
]


async def symbols(client: RecordingClient, uri: str) -> object:
    result = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc_id(uri))
    )
    return as_json(result)


async def test_tables_and_keys_nest(client: RecordingClient) -> None:
    uri = uri_of("shapes")
    open_document(client, uri, text_of("shapes"))
    assert await symbols(client, uri) == as_json(SHAPES)


async def test_dotted_keys_and_root_keys(client: RecordingClient) -> None:
    text = 'title = "x"\ncerebrium.hardware.cpu = 4\n[cerebrium.deployment]\nname = ""\n'
    uri = uri_of("shapes")
    open_document(client, uri, text)
    assert await symbols(client, uri) == as_json(
        [
            sym("title", Kind.String, rng(0, 0, 0, 11), rng(0, 0, 0, 5), '"x"'),
            sym(
                "cerebrium",
                Kind.Object,
                rng(1, 0, 3, 9),
                rng(1, 0, 1, 9),
                "Cerebrium app configuration",
                [
                    sym(
                        "hardware",
                        Kind.Object,
                        rng(1, 0, 1, 26),
                        rng(1, 10, 1, 18),
                        "Hardware",
                        [sym("cpu", Kind.Number, rng(1, 0, 1, 26), rng(1, 19, 1, 22), "4")],
                    ),
                    sym(
                        "deployment",
                        Kind.Object,
                        rng(2, 0, 3, 9),
                        rng(2, 11, 2, 21),
                        "Deployment",
                        [sym("name", Kind.String, rng(3, 0, 3, 9), rng(3, 0, 3, 4), '""')],
                    ),
                ],
            ),
        ]
    )


@pytest.mark.parametrize("profile", ["visual_studio_code", "neovim"])
async def test_deprecated_tables_are_tagged_for_clients_that_support_it(profile: str) -> None:
    text = "[cerebrium.build]\nhide_public_endpoint = true\n"
    tags = [types.SymbolTag.Deprecated] if profile == "visual_studio_code" else None
    async with session(profile) as client:
        uri = uri_of("shapes")
        open_document(client, uri, text)
        result = await symbols(client, uri)
    assert result == as_json(
        [
            sym(
                "cerebrium",
                Kind.Object,
                rng(0, 0, 1, 27),
                rng(0, 1, 0, 10),
                "Cerebrium app configuration",
                [
                    sym(
                        "build",
                        Kind.Object,
                        rng(0, 0, 1, 27),
                        rng(0, 11, 0, 16),
                        "Build settings (legacy)",
                        [
                            sym(
                                "hide_public_endpoint",
                                Kind.Boolean,
                                rng(1, 0, 1, 27),
                                rng(1, 0, 1, 20),
                                "true",
                            )
                        ],
                        tags=tags,
                    )
                ],
            )
        ]
    )


async def test_flat_symbols_without_hierarchical_support() -> None:
    caps = client_capabilities("visual_studio_code")
    assert caps.text_document is not None and caps.text_document.document_symbol is not None
    flat = attrs.evolve(
        caps.text_document.document_symbol, hierarchical_document_symbol_support=False
    )
    caps = attrs.evolve(caps, text_document=attrs.evolve(caps.text_document, document_symbol=flat))
    async with session(caps) as client:
        uri = uri_of("bad_gpu")
        open_document(client, uri, text_of("bad_gpu"))
        result = await symbols(client, uri)

    def info(name: str, kind: types.SymbolKind, full: types.Range, container: str | None) -> object:
        return types.SymbolInformation(
            name=name,
            kind=kind,
            location=types.Location(uri=uri, range=full),
            container_name=container,
        )

    assert result == as_json(
        [
            info("cerebrium", Kind.Object, rng(0, 0, 4, 22), None),
            info("deployment", Kind.Object, rng(0, 0, 1, 16), "cerebrium"),
            info("name", Kind.String, rng(1, 0, 1, 16), "deployment"),
            info("hardware", Kind.Object, rng(3, 0, 4, 22), "cerebrium"),
            info("compute", Kind.String, rng(4, 0, 4, 22), "hardware"),
        ]
    )


async def test_broken_toml_still_has_symbols(client: RecordingClient) -> None:
    text = (
        '[cerebrium.hardware]\ncompute = "AMPERE_A10\ncpu = \n'
        "[cerebrium.scaling\nmin_replicas = 1\n"
    )
    uri = uri_of("shapes")
    open_document(client, uri, text)
    assert await symbols(client, uri) == as_json(
        [
            sym(
                "cerebrium",
                Kind.Object,
                rng(0, 0, 4, 16),
                rng(0, 1, 0, 10),
                "Cerebrium app configuration",
                [
                    sym(
                        "hardware",
                        Kind.Object,
                        rng(0, 0, 2, 5),
                        rng(0, 11, 0, 19),
                        "Hardware",
                        [
                            # unterminated string, then a key with no value yet
                            sym(
                                "compute",
                                Kind.String,
                                rng(1, 0, 1, 21),
                                rng(1, 0, 1, 7),
                                '"AMPERE_A10',
                            ),
                            sym("cpu", Kind.Property, rng(2, 0, 2, 5), rng(2, 0, 2, 3)),
                        ],
                    ),
                    sym(
                        "scaling",  # header missing its ]
                        Kind.Object,
                        rng(3, 0, 4, 16),
                        rng(3, 11, 3, 18),
                        "Scaling",
                        [
                            sym(
                                "min_replicas",
                                Kind.Number,
                                rng(4, 0, 4, 16),
                                rng(4, 0, 4, 12),
                                "1",
                            )
                        ],
                    ),
                ],
            )
        ]
    )


async def test_a_huge_document_lists_its_first_symbols(client: RecordingClient) -> None:
    # 3,000 tables of two keys: 9,000 symbols, more than MAX_SYMBOLS (5,000). The outline keeps
    # the first ones in document order, whole tables first, and never waits for the rest.
    text = "".join(f"[t{i}]\na = {i}\nb = 'x'\n" for i in range(3_000))
    uri = uri_of("shapes")
    open_document(client, uri, text)
    listed = await symbols(client, uri)
    assert len(listed) == 5_000 // 3 + 1  # each table: itself and its two keys
    assert [s["name"] for s in listed[:3]] == ["t0", "t1", "t2"]
    assert [c["name"] for c in listed[0]["children"]] == ["a", "b"]
    count = sum(1 + len(s.get("children") or []) for s in listed)
    assert count == 5_000
    assert listed[-1]["name"] == "t1666"
    assert [c["name"] for c in listed[-1]["children"]] == ["a"]  # the budget ran out here
