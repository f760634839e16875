"""A lean HTTP/1.1 client for the recording proxy's upstream: keep-alive connections, the
answer's body as it arrives (content-length, chunked, or to the close), TLS for https.

A general client (httpx) spent about 1 ms of CPU per request here, ten times a plain asyncio
exchange; the proxy needs only this much. A pooled connection the upstream has closed in the
meantime is replaced once, before anything of the answer arrived.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

Header = tuple[bytes, bytes]
# what a broken or unreachable upstream raises while connecting or reading
TRANSPORT_ERRORS = (OSError, TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                    ValueError)
_NO_BODY = (204, 304)


class Answer:
    """One answer: status and headers read, the body read by `chunks()`; `release()` returns
    the connection to the pool when the body was read whole and the upstream keeps it open."""

    def __init__(self, client: UpstreamClient, reader: asyncio.StreamReader,
                 writer: asyncio.StreamWriter, status: int, headers: list[Header], method: str) -> None:
        self.client, self.reader, self.writer = client, reader, writer
        self.status, self.headers = status, headers
        values = {k: v.lower() for k, v in headers if k in (b"transfer-encoding", b"content-length",
                                                           b"connection")}
        self.chunked = b"chunked" in values.get(b"transfer-encoding", b"")
        self.length = None if self.chunked or b"content-length" not in values \
            else int(values[b"content-length"])
        if method == "HEAD" or status in _NO_BODY:
            self.length, self.chunked = 0, False
        self.reusable = values.get(b"connection") != b"close" and (self.chunked or self.length is not None)
        self.complete = False

    async def chunks(self) -> AsyncIterator[bytes]:
        reader, timeout = self.reader, self.client.timeout
        if self.chunked:
            while True:
                async with asyncio.timeout(timeout):
                    size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                    if size == 0:
                        while await reader.readuntil(b"\r\n") != b"\r\n":
                            pass  # trailers
                        break
                    data = await reader.readexactly(size + 2)
                yield data[:-2]
        else:
            remaining = self.length
            while remaining is None or remaining > 0:
                async with asyncio.timeout(timeout):
                    data = await reader.read(65536 if remaining is None else min(65536, remaining))
                if not data:
                    if remaining is None:
                        break
                    raise asyncio.IncompleteReadError(b"", remaining)
                if remaining is not None:
                    remaining -= len(data)
                yield data
        self.complete = True

    def release(self) -> None:
        if self.complete and self.reusable:
            self.client.idle.append((asyncio.get_running_loop(), self.reader, self.writer))
        else:
            self.writer.close()


class UpstreamClient:
    def __init__(self, base_url: str, timeout: float = 900.0, connect_timeout: float = 10.0) -> None:
        parts = urlsplit(base_url)
        self.secure = parts.scheme == "https"
        self.host = parts.hostname or "localhost"
        self.port = parts.port or (443 if self.secure else 80)
        default = 443 if self.secure else 80
        self.host_header = (self.host if self.port == default else f"{self.host}:{self.port}").encode()
        self.timeout, self.connect_timeout = timeout, connect_timeout
        self.idle: list[tuple[asyncio.AbstractEventLoop, asyncio.StreamReader, asyncio.StreamWriter]] = []
        self._ssl: ssl.SSLContext | None = None

    async def close(self) -> None:
        for _, _, writer in self.idle:
            writer.close()
        self.idle.clear()

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self.secure and self._ssl is None:
            self._ssl = ssl.create_default_context()
        async with asyncio.timeout(self.connect_timeout):
            return await asyncio.open_connection(self.host, self.port, ssl=self._ssl, limit=2**20,
                                                 server_hostname=self.host if self.secure else None)

    def _pooled(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
        loop = asyncio.get_running_loop()
        while self.idle:
            owner, reader, writer = self.idle.pop()
            if owner is loop and not writer.is_closing() and not reader.at_eof():
                return reader, writer
            writer.close()
        return None

    async def send(self, method: str, target: str, headers: list[Header], body: bytes) -> Answer:
        """Send the request and read the answer's status and headers (raises one of
        `TRANSPORT_ERRORS` when the upstream cannot be reached or answers garbage)."""
        head = b"".join([f"{method} {target} HTTP/1.1\r\n".encode("latin-1"), b"host: ", self.host_header,
                         b"\r\n", *(k + b": " + v + b"\r\n" for k, v in headers),
                         b"content-length: %d\r\n\r\n" % len(body)])
        pooled = self._pooled()
        if pooled is not None:
            try:
                return await self._exchange(*pooled, head + body, method)
            except (OSError, asyncio.IncompleteReadError):
                pooled[1].close()  # closed by the upstream while idle: once more on a new one
        reader, writer = await self._connect()
        try:
            return await self._exchange(reader, writer, head + body, method)
        except BaseException:
            writer.close()
            raise

    async def _exchange(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                        request: bytes, method: str) -> Answer:
        writer.write(request)
        async with asyncio.timeout(self.timeout):
            await writer.drain()
            while True:
                lines = (await reader.readuntil(b"\r\n\r\n")).split(b"\r\n")
                status = int(lines[0].split(b" ", 2)[1])
                if status >= 200 or status == 101:
                    break  # 1xx interim answers are skipped
        headers = [(name.strip().lower(), value.strip()) for name, _, value in
                   (line.partition(b":") for line in lines[1:] if line)]
        return Answer(self, reader, writer, status, headers, method)
