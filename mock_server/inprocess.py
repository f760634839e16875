"""The fake in-process, without a port: httpx2 transports for the `openai` SDK (v3 uses httpx2).

`AsyncTransport` is httpx2's ASGI transport plus what a socket would have done: a connection
fault (`ConnectionDropped`) surfaces as the httpx2 error a broken connection raises, and the
client's read timeout applies to the whole answer (the ASGI transport buffers the body, so
timing faults land before the response, never between events). `SyncTransport` runs the same
thing on an event loop in a helper thread, for the synchronous `OpenAI` client.
"""

from __future__ import annotations

import asyncio
from contextlib import AbstractContextManager
from typing import Any

import httpx2
from anyio.from_thread import BlockingPortal, start_blocking_portal
from starlette.types import ASGIApp

from mock_server.connection import ConnectionDropped

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


class AsyncTransport(httpx2.ASGITransport):
    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app=app)  # type: ignore[arg-type]

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        timeout = (request.extensions.get("timeout") or {}).get("read")
        try:
            async with asyncio.timeout(timeout):
                return await super().handle_async_request(request)
        except ConnectionDropped as exc:
            raise _ERRORS[exc.kind](_MESSAGES[exc.kind], request=request) from exc
        except TimeoutError as exc:
            raise httpx2.ReadTimeout("timed out", request=request) from exc


class SyncTransport(httpx2.BaseTransport):
    """Call the async transport through a blocking portal (one event loop thread)."""

    def __init__(self, app: ASGIApp) -> None:
        self._inner = AsyncTransport(app)
        self._portal_cm: AbstractContextManager[BlockingPortal] = start_blocking_portal()
        self._portal = self._portal_cm.__enter__()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        body = request.read()
        inner = httpx2.Request(request.method, request.url, headers=request.headers,
                               content=body, extensions=request.extensions)
        response = self._portal.call(self._respond, inner)
        return httpx2.Response(response.status_code, headers=response.headers,
                               content=response.content, request=request,
                               extensions=response.extensions)

    async def _respond(self, request: httpx2.Request) -> httpx2.Response:
        response = await self._inner.handle_async_request(request)
        await response.aread()
        return response

    def close(self) -> None:
        if self._portal_cm is not None:
            self._portal_cm.__exit__(None, None, None)
            self._portal_cm = None  # type: ignore[assignment]


def client_for(app: ASGIApp, *, asynchronous: bool, **options: Any) -> Any:
    """An httpx2 client whose requests go straight into `app`."""
    if asynchronous:
        return httpx2.AsyncClient(transport=AsyncTransport(app), **options)
    return httpx2.Client(transport=SyncTransport(app), **options)
