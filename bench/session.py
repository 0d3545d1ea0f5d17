"""The scripted editing session the benchmark replays against one server and one document.

1. Start the server; ``initialize`` (start-up = spawn to result), ``initialized``.
2. ``didOpen``: open to first diagnostics, and to settled diagnostics (the last publish before a
   quiet period: Taplo publishes in stages).
3. Type ``EDITS`` single characters into the string of ``shell_commands`` (incremental
   ``didChange``), each awaited to its diagnostics: edit to first and to settled diagnostics.
   Then ``full_text_edits`` edits sent as the whole new text to every server (as a client
   that syncs in full does): a line inserted after ``[cerebrium.hardware]``, then removed,
   each awaited to its settled diagnostics: full-text edit to diagnostics.
4. Set ``compute = ""`` (one edit, awaited), then complete inside the quotes.
5. Add an empty line to ``[cerebrium.scaling]`` (awaited), then complete at its start.
6. Type a key into that line, each character followed at once by a completion request (what an
   editor does while the user types): completion right after an edit.
7. Hover ``compute`` and ``python_version`` in turn.
8. Set ``compute = "AMPERE_A10"`` (awaited), then inlay hints over the whole document and over
   the ``[cerebrium.hardware]`` table in turn (servers that do not advertise
   ``inlayHintProvider`` are not asked).
9. Read the peak RSS of the server's processes; ``shutdown``, ``exit``.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsp_client import LspProcess, Notification, spawn
from targets import Target, network_isolation

TYPED = "pip install --no-cache-dir -r extra-requirements.t"  # 50 characters
TYPED_KEY = "scaling_metric"
# The line a full-text client inserts after [cerebrium.hardware] and removes again: the Enter
# a user presses before typing a new key.
INSERTED_LINE = "\n"
assert len(TYPED) == 50


@dataclass(frozen=True)
class Plan:
    edits: int = 50
    completions: int = 20  # per position
    typing_completions: int = 18
    hovers: int = 20
    full_text_edits: int = 20  # inserted, removed, inserted, ...
    inlay_hints: int = 20
    quiet_s: float = 0.2  # no publish for this long = settled
    timeout_s: float = 15.0


QUICK = Plan(
    edits=4,
    completions=3,
    typing_completions=3,
    hovers=4,
    full_text_edits=2,
    inlay_hints=2,
    quiet_s=0.05,
)

CAPABILITIES: dict[str, Any] = {
    "general": {"positionEncodings": ["utf-16"]},
    "workspace": {
        "configuration": True,
        "workspaceFolders": True,
        "didChangeConfiguration": {"dynamicRegistration": True},
    },
    "textDocument": {
        "synchronization": {"dynamicRegistration": False, "didSave": True},
        "publishDiagnostics": {"relatedInformation": True, "versionSupport": True},
        "completion": {
            "completionItem": {
                "snippetSupport": True,
                "insertReplaceSupport": True,
                "documentationFormat": ["markdown", "plaintext"],
                "resolveSupport": {"properties": ["documentation", "detail"]},
                "labelDetailsSupport": True,
            },
            "contextSupport": True,
        },
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "inlayHint": {"dynamicRegistration": False},
    },
}


@dataclass
class Result:
    """One session's raw samples (milliseconds) and counts."""

    server: str
    document: str
    start_ms: float | None = None
    open_first_ms: float | None = None
    open_settled_ms: float | None = None
    edit_first_ms: list[float] = field(default_factory=list)
    edit_settled_ms: list[float] = field(default_factory=list)
    full_text_edit_ms: list[float] = field(default_factory=list)  # settled
    completion_ms: list[float] = field(default_factory=list)
    typing_completion_ms: list[float] = field(default_factory=list)
    hover_ms: list[float] = field(default_factory=list)
    inlay_hint_ms: list[float] = field(default_factory=list)
    peak_rss_mib: float | None = None
    missed_diagnostics: int = 0
    publishes: int = 0
    checks: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


async def measure_start(target: Target, workspace: Path) -> float:
    """Milliseconds from spawning the server to its ``initialize`` result (then shut down)."""
    client = await spawn(
        [*network_isolation(), *target.command],
        cwd=str(workspace),
        configuration=target.configuration,
    )
    try:
        await client.request(
            "initialize",
            {
                "processId": None,
                "rootUri": workspace.as_uri(),
                "capabilities": CAPABILITIES,
                "initializationOptions": target.initialization_options,
            },
            timeout=60,
        )
        return (client.last_response_at - client.spawned_at) * 1e3
    finally:
        await client.stop()


def _line_of(text: str, prefix: str) -> int:
    for number, line in enumerate(text.splitlines()):
        if line.startswith(prefix):
            return number
    raise ValueError(f"no line starts with {prefix!r}")


def _insert(line: int, character: int, text: str) -> dict[str, Any]:
    position = {"line": line, "character": character}
    return {"range": {"start": position, "end": position}, "text": text}


def _replace(line: int, start: int, end: int, text: str) -> dict[str, Any]:
    return {
        "range": {
            "start": {"line": line, "character": start},
            "end": {"line": line, "character": end},
        },
        "text": text,
    }


class Session:
    def __init__(self, target: Target, workspace: Path, document: str, plan: Plan) -> None:
        self.target = target
        self.workspace = workspace
        self.document = document
        self.plan = plan
        self.path = workspace / document / "cerebrium.toml"
        self.uri = self.path.as_uri()
        self.text = self.path.read_text(encoding="utf-8")
        self.version = 1
        self.result = Result(target.name, document)
        self.client: LspProcess | None = None
        self.versioned = False  # the server's publishes carry the document version
        self.incremental = False  # the server takes incremental changes (else full text)
        self.inlay_hints = False  # the server advertises inlayHintProvider

    async def run(self) -> Result:
        try:
            await self._run()
        except Exception as error:  # reported in the table, never hidden
            self.result.error = f"{type(error).__name__}: {error}"
            if self.client is not None and self.client.stderr_tail:
                tail = b"".join(self.client.stderr_tail)[-400:].decode(errors="replace")
                self.result.error += f" | stderr: {tail}"
        finally:
            if self.client is not None:
                await self.client.stop()
        return self.result

    async def _run(self) -> None:
        plan = self.plan
        self.client = client = await spawn(
            [*network_isolation(), *self.target.command],
            cwd=str(self.workspace),
            configuration=self.target.configuration,
        )
        result, _ = await client.request(
            "initialize",
            {
                "processId": None,
                "clientInfo": {"name": "cerebrium-lsp-bench"},
                "rootUri": self.workspace.as_uri(),
                "workspaceFolders": [{"uri": self.workspace.as_uri(), "name": "bench"}],
                "capabilities": CAPABILITIES,
                "initializationOptions": self.target.initialization_options,
            },
            timeout=60,
        )
        self.result.start_ms = (client.last_response_at - client.spawned_at) * 1e3
        capabilities = (result or {}).get("capabilities", {})
        self.inlay_hints = bool(capabilities.get("inlayHintProvider"))
        sync = capabilities.get("textDocumentSync")
        kind = sync.get("change") if isinstance(sync, dict) else sync
        self.incremental = kind == 2
        self.result.checks["sync"] = {1: "full", 2: "incremental"}.get(kind, str(kind))
        client.notify("initialized", {})

        start = len(client.notifications)
        sent = client.notify(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": self.uri,
                    "languageId": "toml",
                    "version": self.version,
                    "text": self.text,
                }
            },
        )
        first, settled = await self._diagnostics_after(sent, start)
        self.result.open_first_ms, self.result.open_settled_ms = first, settled
        opened = [n for n in client.notifications[start:] if self._is_ours(n)]
        self.versioned = any(n.params.get("version") is not None for n in opened)
        self.result.checks["open_diagnostics"] = (
            len(opened[-1].params["diagnostics"]) if opened else None
        )

        # 3. typing into a value, each edit awaited
        line = _line_of(self.text, "shell_commands")
        column = self.text.splitlines()[line].index('"') + 1 + len("echo ")
        for index, char in enumerate(TYPED[: plan.edits]):
            first, settled = await self._edit([_insert(line, column + index, char)])
            if first is None:
                self.result.missed_diagnostics += 1
                continue
            self.result.edit_first_ms.append(first)
            self.result.edit_settled_ms.append(settled if settled is not None else first)

        # 3b. a line inserted and removed, sent as the whole text to every server
        hardware = _line_of(self.text, "[cerebrium.hardware]") + 1
        for index in range(plan.full_text_edits):
            if index % 2 == 0:
                change = _insert(hardware, 0, INSERTED_LINE)
            else:
                change = _replace(hardware, 0, 0, "")
                change["range"]["end"] = {"line": hardware + 1, "character": 0}
            first, settled = await self._edit([change], full_text=True)
            if first is None:
                self.result.missed_diagnostics += 1
                continue
            self.result.full_text_edit_ms.append(settled if settled is not None else first)

        # 4. completion inside compute = ""
        lines = self.text.splitlines()
        compute = _line_of(self.text, "compute")
        open_quote = lines[compute].index('"')
        close_quote = lines[compute].rindex('"')
        await self._edit([_replace(compute, open_quote, close_quote + 1, '""')])
        self.result.checks["diagnostics_for_empty_compute"] = self._last_count()
        counts = []
        for _ in range(plan.completions):
            ms, count = await self._complete(compute, open_quote + 1)
            self.result.completion_ms.append(ms)
            counts.append(count)
        self.result.checks["items_in_compute_string"] = max(counts, default=0)

        # 5. completion at the start of a new line in [cerebrium.scaling]
        blank = _line_of(self.text, "cooldown") + 1
        await self._edit([_insert(blank, 0, "\n")])
        counts = []
        for _ in range(plan.completions):
            ms, count = await self._complete(blank, 0)
            self.result.completion_ms.append(ms)
            counts.append(count)
        self.result.checks["items_at_line_start"] = max(counts, default=0)

        # 6. completion right after each typed character
        typed = 0
        while len(self.result.typing_completion_ms) < plan.typing_completions:
            char = TYPED_KEY[typed]
            self._change([_insert(blank, typed, char)])
            typed += 1
            ms, _ = await self._complete(blank, typed, trigger=None)
            self.result.typing_completion_ms.append(ms)
            if typed == len(TYPED_KEY):
                await self._edit([_replace(blank, 0, typed, "")])
                typed = 0
        await client.quiet(self._is_ours, len(client.notifications), plan.quiet_s)

        # 7. hovers
        python_version = _line_of(self.text, "python_version")
        hovered = 0
        for index in range(plan.hovers):
            line_no = compute if index % 2 == 0 else python_version
            response, latency = await client.request(
                "textDocument/hover",
                {"textDocument": {"uri": self.uri}, "position": {"line": line_no, "character": 2}},
                timeout=plan.timeout_s,
            )
            self.result.hover_ms.append(latency * 1e3)
            hovered += response is not None
        self.result.checks["hovers_answered"] = hovered

        # 8. inlay hints: the whole document, then one table (what an editor shows), with a GPU
        if self.inlay_hints:
            await self._edit([_replace(compute, open_quote, open_quote + 2, '"AMPERE_A10"')])
            lines = self.text.splitlines()
            whole = {
                "start": {"line": 0, "character": 0},
                "end": {"line": len(lines), "character": 0},
            }
            table = {
                "start": {"line": hardware - 1, "character": 0},
                "end": {"line": hardware + 8, "character": 0},
            }
            counts = []
            for index in range(plan.inlay_hints):
                response, latency = await client.request(
                    "textDocument/inlayHint",
                    {
                        "textDocument": {"uri": self.uri},
                        "range": whole if index % 2 == 0 else table,
                    },
                    timeout=plan.timeout_s,
                )
                self.result.inlay_hint_ms.append(latency * 1e3)
                counts.append(len(response or []))
            self.result.checks["inlay_hints"] = max(counts, default=0)

        rss = client.peak_rss_bytes()
        self.result.peak_rss_mib = rss / 2**20 if rss is not None else None
        self.result.publishes = sum(1 for n in client.notifications if self._is_ours(n))

    # --- helpers ---------------------------------------------------------------------------

    def _is_ours(self, notification: Notification) -> bool:
        return (
            notification.method == "textDocument/publishDiagnostics"
            and notification.params.get("uri") == self.uri
        )

    def _last_count(self) -> int | None:
        assert self.client is not None
        for notification in reversed(self.client.notifications):
            if self._is_ours(notification):
                return len(notification.params["diagnostics"])
        return None

    def _change(self, changes: list[dict[str, Any]], full_text: bool = False) -> float:
        """Apply ``changes`` to our copy and send them: as they are to servers that sync
        incrementally, as the whole new text to those that want it (Tombi, Taplo) or when
        ``full_text``."""
        assert self.client is not None
        self.version += 1
        for change in changes:
            self.text = _apply(self.text, change)
        if full_text or not self.incremental:
            changes = [{"text": self.text}]
        return self.client.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": self.uri, "version": self.version},
                "contentChanges": changes,
            },
        )

    async def _edit(
        self, changes: list[dict[str, Any]], full_text: bool = False
    ) -> tuple[float | None, float | None]:
        assert self.client is not None
        start = len(self.client.notifications)
        sent = self._change(changes, full_text)
        return await self._diagnostics_after(sent, start)

    async def _diagnostics_after(
        self, sent: float, start: int
    ) -> tuple[float | None, float | None]:
        """Milliseconds from ``sent`` to the first publish for the current version, and to the
        last one before ``quiet_s`` without any."""
        assert self.client is not None
        version = self.version

        def current(notification: Notification) -> bool:
            if not self._is_ours(notification):
                return False
            published = notification.params.get("version")
            return not self.versioned or published is None or published >= version

        found = await self.client.wait_notification(current, start, self.plan.timeout_s)
        if found is None:
            return None, None
        last = await self.client.quiet(current, found + 1, self.plan.quiet_s)
        first_at = self.client.notifications[found].at
        settled_at = self.client.notifications[max(last, found)].at
        return (first_at - sent) * 1e3, (settled_at - sent) * 1e3

    async def _complete(
        self, line: int, character: int, trigger: str | None = None
    ) -> tuple[float, int]:
        assert self.client is not None
        context: dict[str, Any] = {"triggerKind": 1}
        if trigger is not None:
            context = {"triggerKind": 2, "triggerCharacter": trigger}
        response, latency = await self.client.request(
            "textDocument/completion",
            {
                "textDocument": {"uri": self.uri},
                "position": {"line": line, "character": character},
                "context": context,
            },
            timeout=self.plan.timeout_s,
        )
        items = response.get("items", []) if isinstance(response, dict) else (response or [])
        return latency * 1e3, len(items)


def _apply(text: str, change: dict[str, Any]) -> str:
    """``text`` after one incremental change (the documents are ASCII: UTF-16 units are
    characters)."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def offset(position: dict[str, int]) -> int:
        line = min(position["line"], len(starts) - 1)
        return min(starts[line] + position["character"], len(text))

    start, end = offset(change["range"]["start"]), offset(change["range"]["end"])
    return text[:start] + change["text"] + text[end:]


def percentile(samples: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile (p50 of an even count is the upper middle: no interpolation)."""
    if not samples:
        return None
    ordered = sorted(samples)
    rank = max(1, -(-int(fraction * 1000) * len(ordered) // 1000))
    return ordered[min(rank, len(ordered)) - 1]


def median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None
