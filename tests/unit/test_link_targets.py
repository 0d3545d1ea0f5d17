"""The URLs ``textDocument/documentLink`` finds in the text (the server's answers, with files
and ranges in every encoding, are tested end to end in tests/e2e/test_links.py)."""

from __future__ import annotations

import pytest

from cerebrium_lsp.features.links import urls


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# See https://cerebrium.ai/docs/x.", ["https://cerebrium.ai/docs/x"]),
        ('base = "http://example.com/a?b=1&c=2"', ["http://example.com/a?b=1&c=2"]),
        ("# (see https://example.com/page), then", ["https://example.com/page"]),
        ("# https://en.wikipedia.org/wiki/Foo_(bar)", ["https://en.wikipedia.org/wiki/Foo_(bar)"]),
        ('"git+https://github.com/org/repo@v1.0#egg=x" = ""', ["https://github.com/org/repo"]),
        ('"git+https://github.com/org/repo.git" = ""', ["https://github.com/org/repo.git"]),
        (
            "url = 'https://a.example/x' # and https://b.example",
            ["https://a.example/x", "https://b.example"],
        ),
        ('u = "https://user:token@example.com/x"', []),  # a credential is never put in a link
        ('u = "https://"', []),
        ('u = "https://example.com/a\\u0041"', ["https://example.com/a"]),  # an escape ends it
        ("no url here = 1", []),
    ],
)
def test_urls(text: str, expected: list[str]) -> None:
    found = urls(text)
    assert [url for _, url in found] == expected
    for span, url in found:
        assert text[span.start : span.end] == url  # the link covers exactly its URL
