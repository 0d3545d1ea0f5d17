"""The shared fixture: our server over stdio, initialised with ``tests/workspace/`` by a client
replaying the capabilities of VS Code, Neovim and Emacs (one run of each test per client)."""

from __future__ import annotations

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
