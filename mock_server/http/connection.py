"""Connection-level misbehaviour: reset by peer, close without a byte, garbage, a cut body.

ASGI hides the socket, so the fake serves through uvicorn protocol classes
(`server/protocols.py`) that put the connection's transport into each request's scope
(`scope["extensions"][TRANSPORT_KEY]`). Without a transport (another server, or the
in-process ASGI transport of the pytest plugin) the same fault raises `ConnectionDropped`, which
the plugin's transport turns into the error a real client library raises for a broken connection.
"""

from __future__ import annotations

import asyncio
import socket
import struct

from starlette.types import Receive, Scope

TRANSPORT_KEY = "moonshot_mock.transport"
# a stream in progress puts a callback here; the server's protocol calls it when it shuts down
SHUTDOWN_KEY = "moonshot_mock.on_shutdown"
GARBAGE = b"\x15\x03\x01\x00\x02\x02\x50 \xff\xfe not http at all \x00\r\n\r\n"
_DISCONNECT_WAIT = 5.0


class ConnectionDropped(Exception):
    """Raised where no transport is reachable; `kind` is reset, empty, garbage or cut."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"connection dropped by fault: {kind}")
        self.kind = kind


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
