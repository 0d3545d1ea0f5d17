"""A missing editor skips the real-client tests locally but fails them under CI=true."""

from __future__ import annotations

import pytest
from clients_support import require_executable


def test_missing_tool_skips_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"setup-clients\.sh"):
        require_executable("/nonexistent/nvim", "Neovim")


def test_missing_tool_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        require_executable("/nonexistent/nvim", "Neovim")
