"""A minimal asyncio JSON-RPC client for stdio language servers, built for timing.

Every message is timestamped (``time.perf_counter``) the moment its body has been read, before
any other work; requests from the server (``workspace/configuration``,
``client/registerCapability``, ``window/workDoneProgress/create``) are answered at once, so no
server waits on the client. One client, one code path for every server: whatever this costs, it
costs every server the same.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Json = Any
ConfigurationAnswer = Callable[[Json], Json]


@dataclass(slots=True)
class Notification:
    method: str
    params: Json
    at: float  # perf_counter when read


@dataclass
class LspProcess:
    """A running server and the messages it sent."""

    process: asyncio.subprocess.Process
    spawned_at: float
    configuration: ConfigurationAnswer
    notifications: list[Notification] = field(default_factory=list)
    _pending: dict[int, asyncio.Future[tuple[Json, float]]] = field(default_factory=dict)
    _next_id: int = 1
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)
    _reader: asyncio.Task[None] | None = None
    stderr_tail: list[bytes] = field(default_factory=list)
    last_response_at: float = 0.0

    @property
    def pid(self) -> int:
        return self.process.pid

    # --- sending ---------------------------------------------------------------------------

    def _write(self, message: Json) -> float:
        body = json.dumps(message, separators=(",", ":")).encode()
        assert self.process.stdin is not None
        sent_at = time.perf_counter()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%b" % (len(body), body))
        return sent_at

    def notify(self, method: str, params: Json) -> float:
        """Send a notification; returns the time it was written."""
        return self._write({"jsonrpc": "2.0", "method": method, "params": params})

    def send_request(
        self, method: str, params: Json
    ) -> tuple[asyncio.Future[tuple[Json, float]], float]:
        request_id = self._next_id
        self._next_id += 1
        future: asyncio.Future[tuple[Json, float]] = asyncio.get_running_loop().create_future()
        self._pending[request_id] = future
        sent_at = self._write(
            {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}
        )
        return future, sent_at

    async def request(self, method: str, params: Json, timeout: float = 30.0) -> tuple[Json, float]:
        """Send a request and wait for its result; returns (result, latency in seconds)."""
        future, sent_at = self.send_request(method, params)
        result, at = await asyncio.wait_for(future, timeout)
        self.last_response_at = at
        return result, at - sent_at

    # --- receiving -------------------------------------------------------------------------

    async def _read_loop(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        while True:
            length = 0
            while True:
                line = await stdout.readline()
                if not line:
                    self._fail_pending(EOFError("the server closed its output"))
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            body = await stdout.readexactly(length)
            at = time.perf_counter()
            self._dispatch(json.loads(body), at)

    def _dispatch(self, message: Json, at: float) -> None:
        if "method" not in message:
            future = self._pending.pop(message.get("id"), None)
            if future is not None and not future.done():
                if "error" in message:
                    future.set_exception(RuntimeError(f"server error: {message['error']}"))
                else:
                    future.set_result((message.get("result"), at))
            return
        if "id" in message:
            self._answer(message)
            return
        self.notifications.append(Notification(message["method"], message.get("params"), at))
        self._arrived.set()

    def _answer(self, message: Json) -> None:
        method = message["method"]
        result: Json = None
        if method == "workspace/configuration":
            items = (message.get("params") or {}).get("items") or []
            result = [self.configuration(item.get("section")) for item in items]
        self._write({"jsonrpc": "2.0", "id": message["id"], "result": result})

    def _fail_pending(self, error: Exception) -> None:
        for future in self._pending.values():
            if not future.done():
                future.set_exception(error)
        self._pending.clear()
        self._arrived.set()

    async def _drain_stderr(self) -> None:
        stderr = self.process.stderr
        assert stderr is not None
        while chunk := await stderr.read(65536):
            self.stderr_tail.append(chunk)
            del self.stderr_tail[:-8]

    async def wait_notification(
        self,
        predicate: Callable[[Notification], bool],
        start: int,
        timeout: float,
    ) -> int | None:
        """Index of the first notification from ``start`` on that matches, or None on timeout."""
        deadline = time.perf_counter() + timeout
        index = start
        while True:
            while index < len(self.notifications):
                if predicate(self.notifications[index]):
                    return index
                index += 1
            if self.process.returncode is not None:
                return None
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return None
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), remaining)

    async def quiet(
        self, predicate: Callable[[Notification], bool], start: int, quiet_s: float
    ) -> int:
        """Wait until no matching notification has arrived for ``quiet_s``; returns the index of
        the last match at or after ``start`` (``start - 1`` when none)."""
        last = start - 1
        index = start
        while True:
            found = await self.wait_notification(predicate, index, quiet_s)
            if found is None:
                return last
            last = found
            index = found + 1

    # --- memory and shutdown ---------------------------------------------------------------

    def peak_rss_bytes(self) -> int | None:
        """Peak resident set (VmHWM) of the server and every process under it."""
        total = 0
        found = False
        for pid in _process_tree(self.pid):
            try:
                with Path(f"/proc/{pid}/status").open(encoding="ascii") as status:
                    for line in status:
                        if line.startswith("VmHWM:"):
                            total += int(line.split()[1]) * 1024
                            found = True
            except OSError:
                continue
        return total if found else None

    async def stop(self, timeout: float = 5.0) -> None:
        """``shutdown`` then ``exit``; kill the process if it lingers."""
        with contextlib.suppress(Exception):
            await self.request("shutdown", None, timeout=timeout)
        with contextlib.suppress(Exception):
            self.notify("exit", None)
        try:
            await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader


def _process_tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text(errors="replace").rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    out = [root]
    index = 0
    while index < len(out):
        out.extend(children.get(out[index], []))
        index += 1
    return out


async def spawn(
    command: Sequence[str],
    *,
    cwd: str,
    env: dict[str, str] | None = None,
    configuration: ConfigurationAnswer = lambda section: None,
) -> LspProcess:
    """Start ``command`` with pipes; the clock for start-up starts just before the spawn."""
    spawned_at = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        *command,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=cwd,
        env=env,
        limit=1 << 24,
    )
    client = LspProcess(process, spawned_at, configuration)
    client._reader = asyncio.get_running_loop().create_task(client._read_loop())
    asyncio.get_running_loop().create_task(client._drain_stderr())
    return client
