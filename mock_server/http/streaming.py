"""Server-sent event answers: events framed already by the door, each sent as it comes.

`EventStream` is the one ASGI response of every stream (the doors' planned events, paced and
faulted by `engine.stream`). It sends the head, then each event in its own body message (so
each event is one chunk of the chunked body, as the real API's are), then the end of the body.
While it sends, it watches:
- the client: when it goes, the events stop and their source is closed (which frees the
  admission slot); nothing more is sent;
- the server: when it shuts down (the protocol calls the scope's `SHUTDOWN_KEY` callback), the
  events stop and the body ends cleanly where it is;
- with `sse_ping_seconds` set, a `: ping` comment (which every SSE client skips, whatever the
  door's framing) every that many seconds.
A failure of the source after the head has been sent is raised: the server closes the
connection, as it does for any answer broken after its first byte.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from typing import TYPE_CHECKING

from mock_server.http.connection import SHUTDOWN_KEY
from mock_server.sse import encode_comment

if TYPE_CHECKING:
    from starlette.types import Receive, Scope, Send

    from mock_server.services import Services

Headers = list[tuple[bytes, bytes]]
HEAD: tuple[tuple[bytes, bytes], ...] = (
    (b"cache-control", b"no-store"), (b"connection", b"keep-alive"),
    (b"x-accel-buffering", b"no"), (b"content-type", b"text/event-stream; charset=utf-8"))
END = {"type": "http.response.body", "body": b"", "more_body": False}
PING = encode_comment("ping")


class EventStream:
    def __init__(self, events: AsyncIterator[bytes], ping_seconds: float = 0.0,
                 headers: Mapping[str, str] | None = None) -> None:
        self.events = events
        self.ping_seconds = ping_seconds
        self.headers: Headers = [*HEAD, *((k.lower().encode("latin-1"), v.encode("latin-1"))
                                          for k, v in (headers or {}).items())]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": self.headers})
        sending = asyncio.ensure_future(self._send_events(send))
        gone = asyncio.ensure_future(_client_gone(receive))
        stopping = asyncio.get_running_loop().create_future()
        scope.setdefault("extensions", {})[SHUTDOWN_KEY] = lambda: _settle(stopping)
        watched = [sending, gone, stopping]
        if self.ping_seconds > 0:
            watched.append(asyncio.ensure_future(self._pings(send)))
        try:
            done, _ = await asyncio.wait(watched, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in watched:
                task.cancel()
            await asyncio.gather(*watched, return_exceptions=True)
        for task in done:
            if task is not stopping and task.exception() is not None:
                raise task.exception()  # type: ignore[misc]
        if stopping in done and sending not in done:  # the server stops: end the body cleanly
            await send(END)

    async def _send_events(self, send: Send) -> None:
        events = self.events
        try:
            async for event in events:
                await send({"type": "http.response.body", "body": event, "more_body": True})
        finally:
            aclose = getattr(events, "aclose", None)
            if aclose is not None:  # however it ends: the source's own `finally` runs now
                await aclose()
        await send(END)

    async def _pings(self, send: Send) -> None:
        """Each ping is one whole body message: it can never land inside an event."""
        while True:
            await asyncio.sleep(self.ping_seconds)
            await send({"type": "http.response.body", "body": PING, "more_body": True})


async def _client_gone(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def event_stream_response(events: AsyncIterator[bytes], services: Services,
                          headers: Mapping[str, str] | None = None) -> EventStream:
    """`events` as `text/event-stream`, with the settings' keep-alive comments."""
    return EventStream(events, services.settings.sse_ping_seconds, headers)
