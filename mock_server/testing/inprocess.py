"""The fake in-process, without a port: httpx2 transports for the `openai` SDK (v3 uses httpx2).

`AsyncTransport` is httpx2's ASGI transport plus what a socket would have done: a connection
fault (`ConnectionDropped`) surfaces as the httpx2 error a broken connection raises, and the
client's read timeout applies to the whole answer (the ASGI transport buffers the body, so
timing faults land before the response, never between events). `SyncTransport` runs the same
thing on an event loop in a daemon thread, for the synchronous `OpenAI` client.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import httpx2

from mock_server.http.connection import ConnectionDropped

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

_ERRORS: dict[str, type[httpx2.TransportError]] = {
    "reset": httpx2.ReadError,
    "empty": httpx2.RemoteProtocolError,
    "garbage": httpx2.RemoteProtocolError,
    "cut": httpx2.RemoteProtocolError,
}
_MESSAGES = {
    "reset": "[Errno 104] Connection reset by peer",
    "empty": "Server disconnected without sending a response.",
    "garbage": "illegal status line",
    "cut": "peer closed connection without sending complete message body",
}


class _BrokenAsyncStream(httpx2.AsyncByteStream):
    """What arrived before the connection broke, then the error of a broken body."""

    def __init__(self, received: bytes, error: httpx2.TransportError) -> None:
        self.received, self.error = received, error

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self.received:
            yield self.received
        raise self.error


class _BrokenSyncStream(httpx2.SyncByteStream):
    def __init__(self, received: bytes, error: httpx2.TransportError) -> None:
        self.received, self.error = received, error

    def __iter__(self) -> Iterator[bytes]:
        if self.received:
            yield self.received
        raise self.error


class AsyncTransport(httpx2.AsyncBaseTransport):
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        start: dict[str, Any] = {}
        body: list[bytes] = []

        async def watched(scope: Scope, receive: Receive, send: Send) -> None:
            async def spy(message: Message) -> None:
                if message["type"] == "http.response.start":
                    start.update(message)
                elif message["type"] == "http.response.body":
                    body.append(message.get("body", b""))
                await send(message)

            await self.app(scope, receive, spy)

        timeout = (request.extensions.get("timeout") or {}).get("read")
        try:
            async with asyncio.timeout(timeout):
                return await httpx2.ASGITransport(app=watched).handle_async_request(request)
        except ConnectionDropped as exc:
            error = _ERRORS[exc.kind](_MESSAGES[exc.kind], request=request)
            if not start:
                raise error from exc
            return httpx2.Response(start["status"], headers=start.get("headers", []),
                                   stream=_BrokenAsyncStream(b"".join(body), error),
                                   request=request)
        except TimeoutError as exc:
            raise httpx2.ReadTimeout("timed out", request=request) from exc


class SyncTransport(httpx2.BaseTransport):
    """Call the async transport on an event loop in a daemon thread (never blocks exit)."""

    def __init__(self, app: ASGIApp) -> None:
        self._inner = AsyncTransport(app)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True,
                                        name="moonshot-mock-in-process")
        self._thread.start()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        inner = httpx2.Request(request.method, request.url, headers=request.headers,
                               content=request.read(), extensions=request.extensions)
        pending = asyncio.run_coroutine_threadsafe(self._respond(inner), self._loop)
        response, received, error = pending.result()
        stream = (_BrokenSyncStream(received, error) if error is not None
                  else httpx2.ByteStream(received))
        return httpx2.Response(response.status_code, headers=response.headers, stream=stream,
                               request=request)

    async def _respond(self, request: httpx2.Request) -> tuple[httpx2.Response, bytes, Any]:
        response = await self._inner.handle_async_request(request)
        received: list[bytes] = []
        try:
            async for chunk in response.aiter_raw():
                received.append(chunk)
        except httpx2.TransportError as error:
            return response, b"".join(received), error
        return response, b"".join(received), None

    def close(self) -> None:
        if not self._loop.is_closed():
            asyncio.run_coroutine_threadsafe(_cancel_pending(), self._loop).result(timeout=5)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
            self._loop.close()


async def _cancel_pending() -> None:
    """Background tasks of the app (e.g. the SSE shutdown watcher) end with the loop."""
    tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def client_for(app: ASGIApp, *, asynchronous: bool, **options: Any) -> Any:
    """An httpx2 client whose requests go straight into `app`."""
    if asynchronous:
        return httpx2.AsyncClient(transport=AsyncTransport(app), **options)
    return httpx2.Client(transport=SyncTransport(app), **options)
