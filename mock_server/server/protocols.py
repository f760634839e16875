"""uvicorn protocol classes that expose each connection's transport and coalesce its writes.

They subclass uvicorn's own classes (its internals: the tested versions are pinned in
`pyproject.toml`, and `tests/unit/test_server_boundary.py` fails on a release whose classes no
longer have the methods used here). The transport goes into each request's scope under
`http.connection.TRANSPORT_KEY`, where the connection faults find it; both uvicorn parsers
(httptools and h11) are covered. Each response leaves in one write (`coalesce.CoalescingTransport`).

They also hold every connection to account (`_HoldConnection`): a connection that sends nothing
is closed after the keep-alive idle timeout, one whose request headers do not arrive in full
within `header_timeout` is closed; a client that sends its request and half-closes its side
(`shutdown(SHUT_WR)`) still gets the answer; and a request the parser refuses (two
Content-Lengths, Content-Length with Transfer-Encoding, a raw 0xFF in the path) is answered with
the JSON error envelope, not uvicorn's plain text. When the server shuts down, a stream in
progress is told to end its body where it is (`_EndStreams`), rather than holding the shutdown
until its last event.
"""

from __future__ import annotations

import asyncio
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from mock_server.errors import invalid_request
from mock_server.http.connection import SHUTDOWN_KEY, TRANSPORT_KEY
from mock_server.server.coalesce import CoalescingTransport
from mock_server.settings import Settings

HEADER_TIMEOUT = Settings.header_timeout
MALFORMED = invalid_request("the HTTP request is malformed and cannot be read")

if TYPE_CHECKING:
    from starlette.types import Receive, Scope


class _CoalesceWrites:
    """Mixin: uvicorn writes through a `CoalescingTransport` (one send per response)."""

    def connection_made(self, transport: asyncio.Transport) -> None:
        coalescing = CoalescingTransport(transport, asyncio.get_running_loop())
        super().connection_made(coalescing)  # type: ignore[misc, arg-type]


class _EndStreams:
    """Mixin: on the server's shutdown, the answer in progress (a stream) is told to end; uvicorn
    then closes the connection after it, as for any answer in progress."""

    scope: Any

    def shutdown(self) -> None:
        super().shutdown()  # type: ignore[misc]
        extensions = self.scope.get("extensions") if self.scope is not None else None
        end_stream = None if extensions is None else extensions.get(SHUTDOWN_KEY)
        if end_stream is not None:
            end_stream()


class _ExposeTransport(_CoalesceWrites):
    """Mixin (h11): wrap the protocol's app so each request's scope carries this connection."""

    app: Any
    transport: asyncio.Transport

    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)
        transport = self.transport
        inner = self.app

        async def app(scope: Scope, receive: Receive, send: Any) -> None:
            scope.setdefault("extensions", {})[TRANSPORT_KEY] = transport
            await inner(scope, receive, send)

        self.app = app


class _HoldConnection:
    """Mixin (httptools): idle and header-read timeouts, half-closed clients, malformed
    requests in the JSON envelope."""

    header_timeout: ClassVar[float] = HEADER_TIMEOUT
    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport
    cycle: Any
    server_state: Any
    timeout_keep_alive: float
    timeout_keep_alive_task: asyncio.TimerHandle | None
    timeout_keep_alive_handler: Any
    _header_timer: asyncio.TimerHandle | None = None
    _headers_pending = False  # a request has begun whose headers have not all arrived

    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        # idle from the start, not only between requests: a silent connection is closed
        self.timeout_keep_alive_task = self.loop.call_later(
            self.timeout_keep_alive, self.timeout_keep_alive_handler)

    def on_message_begin(self) -> None:
        super().on_message_begin()  # type: ignore[misc]
        self._headers_pending = True

    def on_headers_complete(self) -> None:
        self._headers_pending = False
        self._stop_header_timer()
        super().on_headers_complete()  # type: ignore[misc]

    def data_received(self, data: bytes) -> None:
        """The header-read timer starts only for headers that did not come whole in the data
        that began them (the usual request needs none)."""
        super().data_received(data)  # type: ignore[misc]
        if self._headers_pending and self._header_timer is None and not self.transport.is_closing():
            self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.close()

    def _stop_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_header_timer()
        super().connection_lost(exc)  # type: ignore[misc]

    def eof_received(self) -> bool:
        """The client closed its sending side: a request read in full is still answered (the
        connection closes after it); otherwise the connection closes now, after what waits in
        the coalescing transport (an answer already complete) has left."""
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete and not cycle.more_body:
            cycle.keep_alive = False
        else:
            self.transport.close()
        return True  # asyncio must not close the transport itself: it would drop what waits

    def send_400_response(self, msg: str) -> None:
        body = MALFORMED.body()
        head = [b"HTTP/1.1 400 Bad Request\r\n"]
        for name, value in self.server_state.default_headers:
            head.append(name + b": " + value + b"\r\n")
        head.append(b"content-type: application/json; charset=utf-8\r\n"
                    b"content-length: " + str(len(body)).encode() + b"\r\nconnection: close\r\n\r\n")
        self.transport.write(b"".join(head) + body)
        self.transport.close()


class HttpToolsWithTransport(_EndStreams, _HoldConnection, _CoalesceWrites, HttpToolsProtocol):
    """httptools builds each request's scope in `on_message_begin`: the transport goes in
    there, without a wrapper around the app."""

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.scope["extensions"] = {TRANSPORT_KEY: self.transport}


@cache
def h11_protocol() -> type[asyncio.Protocol]:
    """The h11 class, built on demand: h11 is not imported unless asked for."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class H11WithTransport(_EndStreams, _ExposeTransport, H11Protocol):
        pass

    return H11WithTransport


def protocol_class(name: str = "auto", header_timeout: float = HEADER_TIMEOUT) -> type[asyncio.Protocol]:
    """The uvicorn `http=` class for `auto`, `httptools` or `h11` (h11: no header-read timeout,
    half-close or JSON 400; the default parser is httptools)."""
    if name == "h11":
        return h11_protocol()
    if header_timeout == HEADER_TIMEOUT:
        return HttpToolsWithTransport
    return _with_header_timeout(header_timeout)


@cache
def _with_header_timeout(seconds: float) -> type[asyncio.Protocol]:
    return type("HttpToolsWithTransport", (HttpToolsWithTransport,), {"header_timeout": seconds})
