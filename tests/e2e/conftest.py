"""The shared fixture: our server over stdio, initialised with ``tests/workspace/`` by a client
replaying the capabilities of VS Code, Neovim and Emacs (one run of each test per client)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest_lsp
from e2e_support import CONFIG, PROFILES, RecordingClient, initialize_params, shutdown
from pytest_lsp import LanguageClient, client_capabilities


@pytest_lsp.fixture(config=CONFIG, params=PROFILES)
async def client(request: Any, lsp_client: LanguageClient) -> Any:
    result = await lsp_client.initialize_session(
        initialize_params(client_capabilities(request.param))
    )
    if isinstance(lsp_client, RecordingClient):
        lsp_client.initialize_result = result
    yield
    await shutdown(lsp_client)


@pytest_lsp.fixture(config=CONFIG, params=PROFILES, scope="module")
async def module_client(request: Any, lsp_client: LanguageClient) -> AsyncIterator[None]:
    """One server per profile for a whole module (tests open their own documents): the
    completion and hover tables run hundreds of cases, a server start each would take minutes."""
    await lsp_client.initialize_session(initialize_params(client_capabilities(request.param)))
    yield
    await shutdown(lsp_client)
