"""A minimal HTTP/1.1 client over asyncio streams: keep-alive requests and chunked SSE bodies.

Load generators share the machine with the server; this client does as little as it can per
request (no header objects, no URL parsing) so it measures the server, not itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Head:
    status: int
    length: int | None  # Content-Length, or None for a chunked body


async def read_head(reader: asyncio.StreamReader) -> Head:
    raw = await reader.readuntil(b"\r\n\r\n")
    lines = raw.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length = None
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    return Head(status, length)


async def chunks(reader: asyncio.StreamReader) -> AsyncIterator[bytes]:
    """The pieces of a chunked body, as the server flushed them."""
    while True:
        size = int((await reader.readuntil(b"\r\n"))[:-2].split(b";")[0], 16)
        data = await reader.readexactly(size + 2)
        if size == 0:
            return
        yield data[:-2]


async def read_body(reader: asyncio.StreamReader, head: Head) -> bytes:
    if head.length is not None:
        return await reader.readexactly(head.length)
    return b"".join([piece async for piece in chunks(reader)])


async def exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                   request: bytes) -> tuple[int, bytes]:
    """Send one request on a kept-alive connection and read its whole answer."""
    writer.write(request)
    head = await read_head(reader)
    return head.status, await read_body(reader, head)


async def sse_events(reader: asyncio.StreamReader) -> AsyncIterator[bytes]:
    """Complete SSE events (without the blank-line terminator) as they arrive."""
    buffer = b""
    async for piece in chunks(reader):
        buffer += piece
        *events, buffer = buffer.split(b"\n\n")
        for event in events:
            yield event
