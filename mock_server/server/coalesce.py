"""One send per response: the small writes of one event-loop turn leave together.

uvicorn writes a response's head (`http.response.start`) and its body (`http.response.body`)
with two `transport.write` calls, so every non-stream answer costs two send system calls and
two segments. The fake's protocol classes give uvicorn this transport instead: small writes
wait in a list until the end of the current loop turn (`call_soon`) and then leave in one
`write`. A large write, `close()` and anything that reads the transport's state flush first,
so order is kept; `abort()` (a reset) drops what waits, as a reset does.
"""

from __future__ import annotations

import asyncio
from typing import Any

SMALL_WRITE = 64 * 1024  # bytes; larger writes go straight through (after what waits)


class CoalescingTransport:
    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []
        self._pending_bytes = 0
        self._scheduled = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if len(data) > SMALL_WRITE:
            self.flush()
            self._transport.write(data)
            return
        self._pending.append(bytes(data))
        self._pending_bytes += len(data)
        if self._pending_bytes > SMALL_WRITE:  # a stream that does not yield: keep it bounded
            self.flush()
        elif not self._scheduled:
            self._scheduled = True
            self._loop.call_soon(self._scheduled_flush)

    def writelines(self, chunks: Any) -> None:
        for chunk in chunks:
            self.write(chunk)

    def _scheduled_flush(self) -> None:
        self._scheduled = False
        self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        data = self._pending[0] if len(self._pending) == 1 else b"".join(self._pending)
        self._pending, self._pending_bytes = [], 0
        if not self._transport.is_closing():
            self._transport.write(data)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def abort(self) -> None:
        self._pending, self._pending_bytes = [], 0
        self._transport.abort()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + self._pending_bytes

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)
