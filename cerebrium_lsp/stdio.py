"""Reading LSP messages from stdin in whole chunks.

pygls' stdio reader sends every header line and every body through a worker thread and back
(``run_in_executor``): three thread round trips per message, with event-loop passes in between.
Messages that arrived together are then handled one loop pass apart, so work that the first one
schedules (a diagnostics job) runs before the next one has even been read: a burst of edits is
analysed version by version, and a completion request sent right after an edit waits behind the
diagnostics of that edit.

:class:`ChunkedStdinReader` has one thread that reads whatever the pipe holds (up to 64 KiB at a
time) and hands it to the loop in one piece; the loop then handles every complete message in it
before anything else runs. :meth:`ChunkedStdinReader.wait_idle` lets scheduled work wait until
every message read so far has been handled.

Serves no LSP method itself.
"""

from __future__ import annotations

import asyncio
import os
import threading
from typing import BinaryIO

CHUNK = 1 << 16


class ChunkedStdinReader:
    """The ``readline``/``readexactly`` pair pygls' ``run_async`` reads messages with."""

    def __init__(self, stream: BinaryIO, loop: asyncio.AbstractEventLoop) -> None:
        self._fd = stream.fileno()
        self._loop = loop
        self._buffer = bytearray()
        self._eof = False
        self._data_waiter: asyncio.Future[None] | None = None
        self._idle_waiters: list[asyncio.Future[None]] = []
        self._in_flight = 0  # chunks read by the thread, not yet in the buffer
        self.last_input = loop.time()  # when the last chunk arrived (loop clock)
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._pump, name="cerebrium-lsp-stdin", daemon=True)
        self._thread.start()

    # --- the reading thread -------------------------------------------------------------------

    def _pump(self) -> None:
        while True:
            try:
                data = os.read(self._fd, CHUNK)
            except OSError:
                data = b""
            with self._lock:
                self._in_flight += 1
            try:
                self._loop.call_soon_threadsafe(self._feed, data)
            except RuntimeError:  # the loop is closed: the server is exiting
                return
            if not data:
                return

    def _feed(self, data: bytes) -> None:
        with self._lock:
            self._in_flight -= 1
        self.last_input = self._loop.time()
        if data:
            self._buffer += data
        else:
            self._eof = True
        waiter = self._data_waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    # --- what pygls calls ---------------------------------------------------------------------

    async def readline(self) -> bytes:
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0:
                line = bytes(self._buffer[: end + 1])
                del self._buffer[: end + 1]
                return line
            if self._eof:
                line = bytes(self._buffer)
                self._buffer.clear()
                return line
            await self._more()

    async def readexactly(self, n: int) -> bytes:
        while len(self._buffer) < n:
            if self._eof:
                return b""  # pygls stops reading on an empty body
            await self._more()
        data = bytes(self._buffer[:n])
        del self._buffer[:n]
        return data

    async def _more(self) -> None:
        """Wait for the next chunk; with nothing left in hand, every message read so far has
        been handled, so whoever waits for that is released first."""
        if self.idle():
            self._release_idle_waiters()
        self._data_waiter = self._loop.create_future()
        try:
            await self._data_waiter
        finally:
            self._data_waiter = None

    # --- for scheduled work -------------------------------------------------------------------

    def idle(self) -> bool:
        """True when every byte read so far is part of a handled message."""
        with self._lock:
            in_flight = self._in_flight
        return not self._buffer and in_flight == 0

    async def wait_idle(self, limit_s: float) -> None:
        """Return once every message that has arrived has been handled (the reader waits for
        more), or after ``limit_s`` at most (a message only partly written so far)."""
        if self._eof:
            return
        if self.idle() and self._data_waiter is not None:
            return
        waiter = self._loop.create_future()
        self._idle_waiters.append(waiter)
        try:
            await asyncio.wait_for(waiter, limit_s)
        except TimeoutError:
            pass
        finally:
            if waiter in self._idle_waiters:
                self._idle_waiters.remove(waiter)

    def _release_idle_waiters(self) -> None:
        waiters, self._idle_waiters = self._idle_waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)
