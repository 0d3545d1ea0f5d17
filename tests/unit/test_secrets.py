"""``secret-in-config``: credentials in cerebrium.toml are reported, never repeated, and masked
everywhere the server or ``check`` shows text (messages, logs, symbols, the build plan).

Every token below is fake (``TEST`` in its body) but has the real shape."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from cerebrium_lsp.analysis.checks.secrets import redact, redact_all, secret_in_value
from cerebrium_lsp.analysis.engine import Analysis, AnalysisOptions, analyze
from cerebrium_lsp.cli import main
from cerebrium_lsp.features.symbols import _Builder
from cerebrium_lsp.model import MODEL
from cerebrium_lsp.plan import (
    build_plan,
    impact_to_markdown,
    rebuild_impact,
    to_dockerfile,
    to_json,
    to_markdown,
)

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "real"
OPTIONS = AnalysisOptions(file_checks=False)

HF = "hf_TESTfake9876543210TESTfake76543210"
OPENAI = "sk-proj-TEST5551234fakeTEST9998887776abc"
GITHUB = "ghp_TEST8642097531fakeTEST1357924680wxyz"
AWS = "AKIATEST9753186420ZY"
SLACK = "xoxb-9753124680-TESTfake4321"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJURVNUIn0.TESTfake97531abcdefg"
DB_PASSWORD = "Fake-Pa55w0rd"
RANDOM = "9fA3kQ7zL0pX2mB8vC4nE6tR1yU5wS7h"

HEAD = '[cerebrium.deployment]\nname = "app"\n'


def secrets_in(text: str) -> list[tuple[str, str]]:
    """(text under the diagnostic, message) of every secret-in-config diagnostic."""
    analysis = analyze(text, OPTIONS, raise_errors=True)
    return [
        (text[d.span.start : d.span.end], d.message)
        for d in analysis.diagnostics
        if d.code == "secret-in-config"
    ]


def assert_hidden(secret: str, shown: str) -> None:
    """No eight characters of ``secret`` in a row appear in ``shown`` (its first four, the
    token's kind, may)."""
    for start in range(len(secret) - 7):
        assert secret[start : start + 8] not in shown, (secret, shown)


POSITIVE = [
    (
        "hf in shell_commands",
        HEAD + f'shell_commands = ["huggingface-cli login --token {HF}"]\n',
        HF,
        "hf_…",
    ),
    ("HF_TOKEN in [cerebrium.env]", f'{HEAD}[cerebrium.env]\nHF_TOKEN = "{HF}"\n', HF, "hf_…"),
    (
        "OpenAI key in [cerebrium.secrets]",
        f'{HEAD}[cerebrium.secrets]\nOPENAI_API_KEY = "{OPENAI}"\n',
        OPENAI,
        "sk-…",
    ),
    (
        "GitHub token in a pip URL key",
        f'{HEAD}[cerebrium.dependencies.pip]\n"git+https://x:{GITHUB}@github.com/o/r.git" = "latest"\n',
        GITHUB,
        "…",
    ),
    (
        "AWS key in an inline table",
        f'{HEAD}[cerebrium]\nenv = {{ AWS_ACCESS_KEY_ID = "{AWS}" }}\n',
        AWS,
        "AKIA…",
    ),
    ("Slack token in a comment", f"{HEAD}# old bot: {SLACK}\n", SLACK, "xox…"),
    ("JWT at the root", f'auth = "{JWT}"\n{HEAD}', JWT, "eyJ…"),
    (
        "password in a database URL",
        f'{HEAD}[cerebrium.env]\nDATABASE_URL = "postgresql://app:{DB_PASSWORD}@db.example.com:5432/app"\n',
        DB_PASSWORD,
        "postgresql://…:…@…",
    ),
    (
        "random string under a secret-named key",
        f'{HEAD}[cerebrium.env]\nSESSION_SECRET = "{RANDOM}"\n',
        RANDOM,
        "(…)",
    ),
    (
        "short hf_ value under HF_TOKEN (the corpus case)",
        f'{HEAD}[cerebrium.secrets]\nHF_TOKEN = "hf_REDACTED"\n',
        "REDACTED",
        "hf_…",
    ),
]


@pytest.mark.parametrize(
    ("text", "secret", "shown"), [p[1:] for p in POSITIVE], ids=[p[0] for p in POSITIVE]
)
def test_credentials_are_reported_without_the_secret(text: str, secret: str, shown: str) -> None:
    found = secrets_in(text)
    assert len(found) == 1, found
    covered, message = found[0]
    assert secret in covered  # the range covers the credential
    assert shown in message
    assert "Cerebrium dashboard" in message
    assert_hidden(secret, message)


NEGATIVE = [
    ("env reference", '[cerebrium.env]\nGROK_API_KEY = "env:GROK_API_KEY"\n'),
    ("shell reference", '[cerebrium.env]\nDB_URL = "postgresql://app:${DB_PASSWORD}@db/app"\n'),
    ("secret named after itself", '[cerebrium.secrets]\nHF_TOKEN = "HF_TOKEN"\n'),
    (
        "development defaults",
        '[cerebrium.env]\nLIVEKIT_API_KEY = "devkey"\nLIVEKIT_API_SECRET = "secret"\n',
    ),
    ("placeholder", '[cerebrium.env]\nOPENAI_API_KEY = "your-openai-api-key-goes-here"\n'),
    ("repeated placeholder", f'[cerebrium.env]\nHF = "hf_{"x" * 34}"\n'),
    (
        "package names",
        '[cerebrium.dependencies.pip]\ntokenizers = "latest"\nhf_transfer = "latest"\n"huggingface-hub[hf_transfer]" = ">=0.20"\n',
    ),
    (
        "git URLs without a password",
        '[cerebrium.dependencies.pip]\n"git+https://github.com/o/r.git@v1.2" = "latest"\n"git+ssh://git@github.com/o/r.git" = "latest"\n',
    ),
    (
        "image digest",
        '[cerebrium.deployment]\ndocker_base_image_url = "nvcr.io/nvidia/pytorch@sha256:4f3a9c1e77b24d6fa0c5e2b91d4f7a30"\n',
    ),
    (
        "words under a secret-named key",
        '[cerebrium.env]\nDB_PASSWORD_HINT = "ask the platform team"\n',
    ),
    (
        "booleans and numbers",
        "[cerebrium.deployment]\ndisable_auth = true\n[cerebrium.env]\nTOKEN_TTL = 3600\n",
    ),
    (
        "hyphenated words after sk-",
        '[cerebrium.env]\nMODE = "task-summarize-every-document-please"\n',
    ),
]


@pytest.mark.parametrize("text", [n[1] for n in NEGATIVE], ids=[n[0] for n in NEGATIVE])
def test_what_is_not_a_credential(text: str) -> None:
    assert secrets_in(HEAD + text) == []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside the checkout")
def test_corpus_results() -> None:
    """The two corpus files that held a real credential (redacted in the corpus, shapes kept)
    and no other file."""
    flagged = {}
    for path in sorted(CORPUS.glob("*.toml")):
        text = path.read_bytes().decode("utf-8-sig")
        found = secrets_in(text)
        if found:
            flagged[path.name] = [covered for covered, _ in found]
    assert flagged == {
        "MalikNaumanAwan__CI-CD_fastapi_app__cerebrium.toml": [
            '"postgresql://REDACTED:REDACTED@ep-winter-lab-ady4yz5q-pooler.c-2.us-east-1.aws.'
            'neon.tech/demo_ci?sslmode=require&channel_binding=require"'
        ],
        "Panzah-Nexus__voice-pipeline__cerebrium.toml": ['"hf_REDACTED"'],
    }


def test_secret_tables_still_get_unknown_table() -> None:
    analysis = analyze(f'{HEAD}[cerebrium.env]\nHF_TOKEN = "{HF}"\n', OPTIONS)
    assert sorted(d.code for d in analysis.diagnostics) == ["secret-in-config", "unknown-table"]
    table = next(d for d in analysis.diagnostics if d.code == "unknown-table")
    assert "secrets in Cerebrium" in table.message


def test_other_messages_never_repeat_a_credential() -> None:
    """A token where a value is expected is reported by other checks too; none repeats it."""
    text = f'[cerebrium.deployment]\nname = "{HF}"\n[cerebrium.hardware]\ncompute = "{OPENAI}"\nregion = "{GITHUB}"\n'
    analysis = analyze(text, OPTIONS, raise_errors=True)
    assert {d.code for d in analysis.diagnostics} >= {"secret-in-config", "invalid-value"}
    for d in analysis.diagnostics:
        for secret in (HF, OPENAI, GITHUB):
            assert_hidden(secret, d.message)
            for related in d.related:
                assert_hidden(secret, related.message)


def test_redact() -> None:
    text = f"login {HF} to postgresql://app:{DB_PASSWORD}@db/app, and {AWS}."
    assert redact(text) == "login hf_… to postgresql://app:…@db/app, and AKIA…."
    assert (
        redact("nothing here: https://example.com/a@b") == "nothing here: https://example.com/a@b"
    )
    assert redact("") == ""


def test_redact_all_keeps_unchanged_objects() -> None:
    data = {"a": (HF, 1), "b": ["plain"], "c": None}
    redacted = redact_all(data)
    assert redacted == {"a": ("hf_…", 1), "b": ["plain"], "c": None}
    plain = ("x", "y")
    assert redact_all(plain) is plain


def test_secret_in_value_needs_a_key_for_random_strings() -> None:
    assert secret_in_value("SESSION_SECRET", RANDOM) is not None
    assert secret_in_value("name", RANDOM) is None
    assert secret_in_value(None, RANDOM) is None


# --- Nothing else shows a credential ------------------------------------------------------------------

LEAKY = (
    f'[cerebrium.deployment]\nname = "app"\nshell_commands = ["huggingface-cli login --token {HF}"]\n'
    f'pre_build_commands = ["export OPENAI_API_KEY={OPENAI}"]\n'
    f'[cerebrium.dependencies.pip]\n"git+https://x:{GITHUB}@github.com/o/r.git" = "latest"\n'
    f'[cerebrium.env]\nDATABASE_URL = "postgresql://app:{DB_PASSWORD}@db/app"\nSESSION_SECRET = "{RANDOM}"\n'
)
LEAKED = (HF, OPENAI, GITHUB, DB_PASSWORD, RANDOM)


def analysed(text: str = LEAKY) -> Analysis:
    return analyze(text, OPTIONS, raise_errors=True)


def test_the_build_plan_never_shows_a_credential(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("")
    (tmp_path / "requirements.txt").write_text(f"git+https://x:{GITHUB}@github.com/o/r.git\n")
    plan = build_plan(analysed(), tmp_path)
    rendered = [to_markdown(plan), json.dumps(to_json(plan)), to_dockerfile(plan)]
    with_file = LEAKY.replace(
        "[cerebrium.dependencies.pip]",
        '[cerebrium.dependencies.paths]\npip = "requirements.txt"\n[x]',
    )
    rendered.append(to_markdown(build_plan(analysed(with_file), tmp_path)))
    assert "huggingface-cli login --token hf_…" in rendered[0]
    for text in rendered:
        for secret in LEAKED:
            assert_hidden(secret, text)


def test_the_rebuild_impact_never_shows_a_credential() -> None:
    impact = rebuild_impact(HEAD, LEAKY)
    text = impact_to_markdown(impact, "git HEAD")
    assert "shell_commands" in text
    for secret in LEAKED:
        assert_hidden(secret, text)


def test_symbols_never_show_a_credential() -> None:
    analysis = analysed()
    symbols = _Builder(analysis, MODEL, tags=False).children(analysis.document.root)
    shown = json.dumps(_symbol_texts(symbols), ensure_ascii=False)
    assert '"SESSION_SECRET", "…"' in shown
    for secret in LEAKED:
        assert_hidden(secret, shown)


def _symbol_texts(symbols: Any) -> list[Any]:
    return [[s.name, s.detail, _symbol_texts(s.children or [])] for s in symbols]


@pytest.mark.parametrize("output_format", ["text", "json", "github", "sarif"])
def test_check_output_never_shows_a_credential(
    output_format: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cerebrium.toml"
    path.write_text(LEAKY, encoding="utf-8")
    main(["check", "--no-file-checks", "--format", output_format, str(path)])
    out = capsys.readouterr().out
    assert "secret-in-config" in out
    for secret in LEAKED:
        assert_hidden(secret, out)


def test_log_lines_never_show_a_credential() -> None:
    from cerebrium_lsp.log_forwarding import LogMessageHandler

    sent: list[str] = []

    class Server:
        def window_log_message(self, params: Any) -> None:
            sent.append(params.message)

    handler = LogMessageHandler(Server())  # type: ignore[arg-type]
    record = logging.LogRecord(
        "pygls.protocol.json_rpc", logging.ERROR, __file__, 1, "Failed to handle %s", (LEAKY,), None
    )
    handler.emit(record)
    assert len(sent) == 1 and "Failed to handle" in sent[0]
    for secret in (HF, OPENAI, GITHUB, DB_PASSWORD):
        assert_hidden(secret, sent[0])
