"""uvicorn protocol classes that expose each connection's transport and coalesce its writes.

They subclass uvicorn's own classes (its internals: the tested versions are pinned in
`pyproject.toml`, and `tests/unit/test_server_boundary.py` fails on a release whose classes no
longer have the methods used here). The transport goes into each request's scope under
`http.connection.TRANSPORT_KEY`, where the connection faults find it; both uvicorn parsers
(httptools and h11) are covered. Each response leaves in one write (`coalesce.CoalescingTransport`).
"""

from __future__ import annotations

import asyncio
from functools import cache
from typing import TYPE_CHECKING, Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from mock_server.http.connection import TRANSPORT_KEY
from mock_server.server.coalesce import CoalescingTransport

if TYPE_CHECKING:
    from starlette.types import Receive, Scope


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
