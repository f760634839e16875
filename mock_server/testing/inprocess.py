"""The fake in-process, without a port: transports for the `openai` and `anthropic` SDKs over
the HTTP client library the installed SDK itself uses (httpx up to openai 2, httpx2 from openai
3 and anthropic 2), so the SDK's `http_client` check passes whichever is installed.

`AsyncTransport` is the library's ASGI transport plus what a socket would have done: a
connection fault (`ConnectionDropped`) surfaces as the error a broken connection raises, and
the client's read timeout applies to the whole answer (the ASGI transport buffers the body, so
timing faults land before the response, never between events). `SyncTransport` runs the same
thing on an event loop in a daemon thread, for the synchronous `OpenAI` client.
"""

from __future__ import annotations

import asyncio
import importlib
import threading
from collections.abc import AsyncIterator, Iterator
from functools import cache
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from mock_server.http.connection import ConnectionDropped

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

MINIMUM_VERSIONS = {"openai": (1, 50), "anthropic": (0, 40)}


def sdk_http_module(sdk: str = "openai") -> Any:
    """httpx or httpx2: the module the installed SDK (`openai` or `anthropic`) builds its
    clients with."""
    least = MINIMUM_VERSIONS[sdk]
    wanted = f"{sdk}>={least[0]}.{least[1]}"
    try:
        module = importlib.import_module(sdk)
        base_client = importlib.import_module(f"{sdk}._base_client")
    except ImportError as exc:
        raise RuntimeError(f"the in-process fixture (moonshot_mock_asgi) needs the {sdk} SDK, "
                           f"version {least[0]}.{least[1]} or later: pip install '{wanted}'; or "
                           "use the moonshot_mock fixture, which serves on a port") from exc
    version = tuple(int(part) for part in module.__version__.split(".")[:2] if part.isdigit())
    if version < least:
        raise RuntimeError(f"the in-process fixture needs {wanted}, found {module.__version__}: "
                           f"pip install '{wanted}'")
    return getattr(base_client, "httpx2", None) or base_client.httpx


@cache
def transports(h: Any) -> SimpleNamespace:
    """The transport classes, built over one HTTP client library (httpx or httpx2)."""
    _ERRORS: dict[str, type[h.TransportError]] = {
        "reset": h.ReadError,
        "empty": h.RemoteProtocolError,
        "garbage": h.RemoteProtocolError,
        "cut": h.RemoteProtocolError,
    }
    _MESSAGES = {
        "reset": "[Errno 104] Connection reset by peer",
        "empty": "Server disconnected without sending a response.",
        "garbage": "illegal status line",
        "cut": "peer closed connection without sending complete message body",
    }


    class _BrokenAsyncStream(h.AsyncByteStream):
        """What arrived before the connection broke, then the error of a broken body."""

        def __init__(self, received: bytes, error: h.TransportError) -> None:
            self.received, self.error = received, error

        async def __aiter__(self) -> AsyncIterator[bytes]:
            if self.received:
                yield self.received
            raise self.error


    class _BrokenSyncStream(h.SyncByteStream):
        def __init__(self, received: bytes, error: h.TransportError) -> None:
            self.received, self.error = received, error

        def __iter__(self) -> Iterator[bytes]:
            if self.received:
                yield self.received
            raise self.error


    class AsyncTransport(h.AsyncBaseTransport):
        def __init__(self, app: ASGIApp) -> None:
            self.app = app

        async def handle_async_request(self, request: h.Request) -> h.Response:
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
                    return await h.ASGITransport(app=watched).handle_async_request(request)
            except ConnectionDropped as exc:
                error = _ERRORS[exc.kind](_MESSAGES[exc.kind], request=request)
                if not start:
                    raise error from exc
                return h.Response(start["status"], headers=start.get("headers", []),
                                       stream=_BrokenAsyncStream(b"".join(body), error),
                                       request=request)
            except TimeoutError as exc:
                raise h.ReadTimeout("timed out", request=request) from exc


    class SyncTransport(h.BaseTransport):
        """Call the async transport on an event loop in a daemon thread (never blocks exit)."""

        def __init__(self, app: ASGIApp) -> None:
            self._inner = AsyncTransport(app)
            self._loop = asyncio.new_event_loop()
            self._thread = threading.Thread(target=self._loop.run_forever, daemon=True,
                                            name="moonshot-mock-in-process")
            self._thread.start()

        def handle_request(self, request: h.Request) -> h.Response:
            inner = h.Request(request.method, request.url, headers=request.headers,
                                   content=request.read(), extensions=request.extensions)
            pending = asyncio.run_coroutine_threadsafe(self._respond(inner), self._loop)
            response, received, error = pending.result()
            stream = (_BrokenSyncStream(received, error) if error is not None
                      else h.ByteStream(received))
            return h.Response(response.status_code, headers=response.headers, stream=stream,
                                   request=request)

        async def _respond(self, request: h.Request) -> tuple[h.Response, bytes, Any]:
            response = await self._inner.handle_async_request(request)
            received: list[bytes] = []
            try:
                async for chunk in response.aiter_raw():
                    received.append(chunk)
            except h.TransportError as error:
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

    return SimpleNamespace(AsyncTransport=AsyncTransport, SyncTransport=SyncTransport)


def client_for(app: ASGIApp, *, asynchronous: bool, sdk: str = "openai", **options: Any) -> Any:
    """A client of the SDK's own HTTP library whose requests go straight into `app`."""
    h = sdk_http_module(sdk)
    made = transports(h)
    if asynchronous:
        return h.AsyncClient(transport=made.AsyncTransport(app), **options)
    return h.Client(transport=made.SyncTransport(app), **options)
