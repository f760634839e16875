"""Connection-level misbehaviour: reset by peer, close without a byte, garbage, a cut body.

ASGI hides the socket, so the fake serves through uvicorn protocol classes that put the
connection's transport into each request's scope (`scope["extensions"][TRANSPORT_KEY]`); both
uvicorn parsers (httptools and h11) are covered. Without a transport (another server, or the
in-process ASGI transport of the pytest plugin) the same fault raises `ConnectionDropped`, which
the plugin's transport turns into the error a real client library raises for a broken connection.
The same classes send each response in one write (`coalesce.CoalescingTransport`).
"""

from __future__ import annotations

import asyncio
import socket
import struct
from functools import cache
from typing import Any

from starlette.types import Receive, Scope
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from mock_server.coalesce import CoalescingTransport

TRANSPORT_KEY = "moonshot_mock.transport"
GARBAGE = b"\x15\x03\x01\x00\x02\x02\x50 \xff\xfe not http at all \x00\r\n\r\n"
_DISCONNECT_WAIT = 5.0


class ConnectionDropped(Exception):
    """Raised where no transport is reachable; `kind` is reset, empty, garbage or cut."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"connection dropped by fault: {kind}")
        self.kind = kind


class _CoalesceWrites:
    """Mixin: uvicorn writes through a `CoalescingTransport` (one send per response)."""

    def connection_made(self, transport: asyncio.Transport) -> None:
        coalescing = CoalescingTransport(transport, asyncio.get_running_loop())
        super().connection_made(coalescing)  # type: ignore[misc, arg-type]


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


class HttpToolsWithTransport(_CoalesceWrites, HttpToolsProtocol):
    """httptools builds each request's scope in `on_message_begin`: the transport goes in
    there, without a wrapper around the app."""

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.scope["extensions"] = {TRANSPORT_KEY: self.transport}


@cache
def h11_protocol() -> type[asyncio.Protocol]:
    """The h11 class, built on demand: h11 is not imported unless asked for."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class H11WithTransport(_ExposeTransport, H11Protocol):
        pass

    return H11WithTransport


def protocol_class(name: str = "auto") -> type[asyncio.Protocol]:
    """The uvicorn `http=` class for `auto`, `httptools` or `h11`."""
    if name == "h11":
        return h11_protocol()
    return HttpToolsWithTransport


def transport_of(scope: Scope) -> asyncio.Transport | None:
    return (scope.get("extensions") or {}).get(TRANSPORT_KEY)


async def drop_connection(scope: Scope, receive: Receive, kind: str) -> None:
    """Break the connection as `kind` says, then wait until the server has noticed."""
    transport = transport_of(scope)
    if transport is None or transport.is_closing():
        raise ConnectionDropped(kind)
    if kind == "reset":
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
    else:
        if kind == "garbage":
            transport.write(GARBAGE)
        transport.close()
    await _await_disconnect(receive)


async def _await_disconnect(receive: Receive) -> None:
    """Let the server see the close, so it neither logs nor answers for the request."""
    try:
        async with asyncio.timeout(_DISCONNECT_WAIT):
            while (await receive())["type"] != "http.disconnect":
                pass
    except TimeoutError:
        return


async def cut_stream(scope: Scope) -> None:
    """Close mid-body: what was written is flushed, then the peer sees the body end early.

    The SSE response notices the disconnect and cancels the waiting generator."""
    transport = transport_of(scope)
    if transport is None or transport.is_closing():
        raise ConnectionDropped("cut")
    transport.close()
    await asyncio.sleep(_DISCONNECT_WAIT)
