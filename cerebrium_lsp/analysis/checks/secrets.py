"""Credentials written into ``cerebrium.toml``: the file is uploaded with every deploy and is
usually committed, so a token in it is shared with everyone who can read either.

Three rules, over every string value, quoted key and comment of the document (not only the
``[cerebrium]`` tables: the whole file is uploaded):

* a known token shape anywhere (Hugging Face ``hf_…``, OpenAI/Anthropic ``sk-…``, GitHub
  ``ghp_…``/``github_pat_…``, AWS ``AKIA…``, Slack ``xox…``, Stripe, Google, GitLab, Replicate,
  Groq, JSON Web Tokens, private-key blocks), its body random-looking;
* a password inside a URL (``postgresql://user:password@host``), unless it is a placeholder such
  as ``${DB_PASSWORD}``;
* a long, high-entropy string under a key named like a secret (``*_TOKEN``, ``*_SECRET``,
  ``*_PASSWORD``, ``*_API_KEY``, …), outside the dependency tables (whose keys are package
  names); and any known token prefix under such a key, however short (``HF_TOKEN = "hf_…"``).

No message ever holds the secret: at most its first four characters (``hf_…``). :func:`redact`
masks the same shapes in any text (log lines, hover, symbols, the build plan); the engine passes
every diagnostic message through it.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

from cerebrium_lsp.analysis.checks.context import CheckContext
from cerebrium_lsp.analysis.tree import Array, InlineTable, KeyPart, KeyValue, Scalar, Span, Value

__all__ = ["Secret", "check_secrets", "find_secrets", "redact", "redact_all", "secret_in_value"]

CODE = "secret-in-config"


@dataclass(frozen=True, slots=True)
class _TokenShape:
    what: str
    pattern: str
    prefix: str  # shown in messages instead of the token (at most 4 characters)


_SHAPES = (
    _TokenShape("a Hugging Face token", r"hf_[A-Za-z0-9]{30,}", "hf_"),
    _TokenShape("an Anthropic API key", r"sk-ant-[A-Za-z0-9_-]{20,}", "sk-"),
    _TokenShape("an OpenAI API key", r"sk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}", "sk-"),
    _TokenShape("a GitHub token", r"gh[pousr]_[A-Za-z0-9]{30,}", "gh"),
    _TokenShape("a GitHub token", r"github_pat_[A-Za-z0-9_]{30,}", "gith"),
    _TokenShape("an AWS access key ID", r"(?:AKIA|ASIA)[0-9A-Z]{16}", "AKIA"),
    _TokenShape("a Slack token", r"xox[abprs]-[A-Za-z0-9-]{10,}", "xox"),
    _TokenShape("a Stripe secret key", r"(?:sk|rk)_live_[0-9A-Za-z]{20,}", "sk_"),
    _TokenShape("a Google API key", r"AIza[0-9A-Za-z_-]{35}", "AIza"),
    _TokenShape("a GitLab token", r"glpat-[0-9A-Za-z_-]{20,}", "glpa"),
    _TokenShape("a Replicate API token", r"r8_[0-9A-Za-z]{30,}", "r8_"),
    _TokenShape("a Groq API key", r"gsk_[0-9A-Za-z]{40,}", "gsk_"),
    _TokenShape(
        "a JSON Web Token",
        r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",
        "eyJ",
    ),
    _TokenShape("a private key", r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----", "----"),
)
# One alternation (group i+1 is shape i), so each string is searched once.
_TOKENS = re.compile("|".join(f"(?<![A-Za-z0-9])({shape.pattern})" for shape in _SHAPES))
# scheme://[user]:password@host — the password may not hold '/', '@' or whitespace.
_URL_PASSWORD = re.compile(
    r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]{0,30})://(?P<user>[^\s/:@'\"]*):(?P<password>[^\s/@'\"]+)@"
)
# Text the token and URL rules could match holds one of these literal markers. Searching for
# them is far faster than the alternation above (0.25 µs a character): one look at the whole
# document decides whether the rules run at all, and one at each string whether they run on it.
_MARKERS = (
    "hf_",
    "sk-",
    "sk_",
    "rk_",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "AKIA",
    "ASIA",
    "xox",
    "AIza",
    "glpat-",
    "r8_",
    "gsk_",
    "eyJ",
    "PRIVATE KEY",
    "://",
)


_MARKER = re.compile("|".join(re.escape(marker) for marker in _MARKERS))


def _may_hold_secret(text: str) -> bool:
    return _MARKER.search(text) is not None


# Key names that announce a secret: ``HF_TOKEN``, ``db-password``, ``OPENAI_API_KEY``, ``key``.
_SECRET_KEY = re.compile(
    r"(?i)(?:^|[_.-])(?:token|secret|password|passwd|pwd|api[_-]?key|apikey|access[_-]?key"
    r"|private[_-]?key|secret[_-]?key|auth[_-]?token|credentials?|key)(?:$|[_.-])"
)
_PLACEHOLDER = re.compile(
    r"(?i)^(?:\$|env:|<|\{\{|%\(|\*+$|x+$|\.+$)|your[_-]?|example|placeholder|changeme|replace[_-]?me"
    r"|xxxx|\.\.\.|…"
)
_MIN_RANDOM_LENGTH = 16
_MIN_ENTROPY = 3.0  # bits per character; English words and version strings stay below
# Under a key named like a secret, these starts alone are enough (``HF_TOKEN = "hf_…"``).
_KNOWN_PREFIXES = {
    "hf_": "a Hugging Face token",
    "sk-": "an API key",
    "ghp_": "a GitHub token",
    "gho_": "a GitHub token",
    "ghu_": "a GitHub token",
    "ghs_": "a GitHub token",
    "ghr_": "a GitHub token",
    "github_pat_": "a GitHub token",
    "AKIA": "an AWS access key ID",
    "ASIA": "an AWS access key ID",
    "xox": "a Slack token",
    "sk_live_": "a Stripe secret key",
    "rk_live_": "a Stripe secret key",
    "AIza": "a Google API key",
    "glpat-": "a GitLab token",
    "r8_": "a Replicate API token",
    "gsk_": "a Groq API key",
    "eyJ": "a JSON Web Token",
}


@dataclass(frozen=True, slots=True)
class Secret:
    span: Span  # in the document
    what: str  # "a Hugging Face token", "a password inside a URL", …
    shown: str  # what a message may show instead: "hf_…", "postgresql://…:…@…", "…"
    key: str | None = None  # the key whose value holds it (None: a key, header or comment)


# --- Finding ------------------------------------------------------------------------------------


def _random_body(token: str, prefix: str) -> bool:
    """The part after the prefix mixes character classes and is not one repeated character:
    ``hf_xxxxxxxx…`` or ``sk-this-is-a-placeholder-name`` are not tokens."""
    body = token[len(prefix) :] if token.startswith(prefix) else token
    classes = sum(
        (
            any(c.islower() for c in body),
            any(c.isupper() for c in body),
            any(c.isdigit() for c in body),
        )
    )
    return classes >= 2 and len(set(body)) > 4 and not _PLACEHOLDER.search(body)


def _token_matches(text: str) -> Iterator[tuple[int, int, _TokenShape]]:
    for match in _TOKENS.finditer(text):
        index = match.lastindex
        assert index is not None
        shape = _SHAPES[index - 1]
        token = match.group()
        if shape.what == "a private key" or _random_body(token, shape.prefix.rstrip("…")):
            yield match.start(), match.end(), shape


def _url_passwords(text: str) -> Iterator[re.Match[str]]:
    for match in _URL_PASSWORD.finditer(text):
        password = match.group("password")
        if not _PLACEHOLDER.search(password) and password.lower() not in ("password", "pass"):
            yield match


def _entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def secret_in_value(key: str | None, text: str, *, shapes: bool = True) -> tuple[str, str] | None:
    """(what, shown) when ``text`` (the value of ``key``, if any) holds a credential.
    ``shapes`` False skips the token and URL rules (the document holds none)."""
    if shapes and _may_hold_secret(text):
        for _, _, shape in _token_matches(text):
            return shape.what, f"{shape.prefix[:4]}…"
        for match in _url_passwords(text):
            return "a password inside a URL", f"{match.group('scheme')}://…:…@…"
    if key is None or not _SECRET_KEY.search(key):
        return None
    value = text.strip()
    if not value or _PLACEHOLDER.search(value) or value.upper() == key.upper():
        return None
    prefix = next((p for p in _KNOWN_PREFIXES if value.startswith(p) and len(value) > len(p)), None)
    if prefix is not None:
        return _KNOWN_PREFIXES[prefix], f"{prefix[:4]}…"
    if (
        len(value) >= _MIN_RANDOM_LENGTH
        and not any(c.isspace() for c in value)
        and _entropy(value) >= _MIN_ENTROPY
        and _random_body(value, "")
    ):
        return "a credential (a long random string under a key named like a secret)", "…"
    return None


def find_secrets(ctx: CheckContext) -> Iterator[Secret]:
    parsed = ctx.document.parsed
    shapes = _may_hold_secret(parsed.text)
    for table in parsed.tables:
        section = table.header.names if table.header is not None else ()
        if table.header is not None and shapes:
            yield from _in_key_parts(table.header.parts)
        dependencies = [n.lower() for n in section[:2]] == ["cerebrium", "dependencies"]
        if dependencies and not shapes:
            continue  # package names and versions: only the shape rules apply there
        for kv in table.entries:
            yield from _in_entry(kv, dependencies, shapes)
    if not shapes:
        return
    for comment in parsed.comments:
        text = comment.text
        if not _may_hold_secret(text):
            continue
        for start, end, shape in _token_matches(text):
            at = comment.span.start
            yield Secret(Span(at + start, at + end), shape.what, f"{shape.prefix[:4]}…")
        for match in _url_passwords(text):
            at = comment.span.start
            shown = f"{match.group('scheme')}://…:…@…"
            yield Secret(
                Span(at + match.start(), at + match.end()), "a password inside a URL", shown
            )


def _in_key_parts(parts: list[KeyPart]) -> Iterator[Secret]:
    for part in parts:
        if not _may_hold_secret(part.name):
            continue
        found = secret_in_value(None, part.name)
        if found is not None:
            yield Secret(part.span, *found)


def _in_entry(kv: KeyValue, dependencies: bool, shapes: bool) -> Iterator[Secret]:
    if shapes:
        yield from _in_key_parts(kv.key.parts)
    if kv.value is not None:
        yield from _in_value(kv.value, kv.key.parts[-1].name, dependencies, shapes)


def _in_value(value: Value, key: str, dependencies: bool, shapes: bool) -> Iterator[Secret]:
    if isinstance(value, Scalar):
        if value.kind == "string" and isinstance(value.value, str):
            # Dependency keys are package names: only token shapes and URLs count there.
            found = secret_in_value(None if dependencies else key, value.value, shapes=shapes)
            if found is not None:
                yield Secret(value.span, *found, key=key)
    elif isinstance(value, Array):
        for item in value.items:
            yield from _in_value(item, key, dependencies, shapes)
    elif isinstance(value, InlineTable):
        for entry in value.entries:
            yield from _in_entry(entry, dependencies, shapes)


# --- The check ------------------------------------------------------------------------------------


def check_secrets(ctx: CheckContext) -> None:
    for secret in find_secrets(ctx):
        where = f"`{secret.key}` holds what" if secret.key is not None else "This"
        ctx.report(
            CODE,
            secret.span,
            f"{where} looks like {secret.what} ({secret.shown}). cerebrium.toml is uploaded with "
            "every deploy and usually committed: store the value as a secret in the Cerebrium "
            "dashboard (the app reads it from its environment), remove it from this file and "
            "revoke it.",
        )


# --- Redaction ------------------------------------------------------------------------------------


def redact(text: str) -> str:
    """``text`` with every token shape and URL password masked (``hf_…``, ``scheme://…:…@``);
    for text shown outside the editor's buffer: messages, logs, hover, the build plan."""
    if not text or not _may_hold_secret(text):
        return text
    pieces: list[tuple[int, int, str]] = [
        (start, end, f"{shape.prefix[:4]}…") for start, end, shape in _token_matches(text)
    ]
    pieces += [(m.start("password"), m.end("password"), "…") for m in _url_passwords(text)]
    if not pieces:
        return text
    out: list[str] = []
    last = 0
    for start, end, shown in sorted(pieces):
        if start < last:
            continue  # overlapping matches: the first one already masked this text
        out.append(text[last:start])
        out.append(shown)
        last = end
    out.append(text[last:])
    return "".join(out)


_T = TypeVar("_T")


def redact_all(value: _T, *, keep: frozenset[str] = frozenset()) -> _T:
    """``value`` with :func:`redact` applied to every string inside it (dataclasses, tuples,
    lists, dicts), the fields named in ``keep`` left as they are; unchanged parts are the same
    objects. For results that leave the editor: the build plan, the rebuild impact."""
    if isinstance(value, str):
        return redact(value)  # type: ignore[return-value]
    if isinstance(value, tuple):
        items = [redact_all(item, keep=keep) for item in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)  # type: ignore[return-value]
    if isinstance(value, list):
        return [redact_all(item, keep=keep) for item in value]  # type: ignore[return-value]
    if isinstance(value, dict):
        return {  # type: ignore[return-value]
            redact_all(k, keep=keep): redact_all(v, keep=keep) for k, v in value.items()
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for field in dataclasses.fields(value):
            if not field.init or field.name in keep:
                continue
            old = getattr(value, field.name)
            new = redact_all(old, keep=keep)
            if new is not old:
                changes[field.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value
