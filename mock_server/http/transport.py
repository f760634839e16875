"""The engine's hang-ups acted out on HTTP: a gateway timeout, a broken connection.

`hangup_response` turns an `engine.gate.Hangup` into the ASGI answer that plays it: silence,
then the nginx 504 page; or no HTTP answer at all (the connection reset, closed empty or fed
garbage, `connection.py`). Every door's runner uses it, so a hang-up is the same through each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from mock_server.http.connection import drop_connection

if TYPE_CHECKING:
    from mock_server.engine.gate import Hangup
    from mock_server.services import Services

GATEWAY_TIMEOUT_HTML = (
    b"<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n"
    b"<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)


class GatewayTimeoutResponse(Response):
    """Silence for `delay` seconds, then the gateway's HTML 504 page."""

    def __init__(self, delay: float, services: Services) -> None:
        super().__init__(GATEWAY_TIMEOUT_HTML, 504, media_type="text/html")
        self.delay = delay
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.services.faults.sleep(self.delay)
        await super().__call__(scope, receive, send)


class DroppedConnection(Response):
    """No HTTP answer at all: the connection is reset, closed empty, or fed garbage."""

    def __init__(self, kind: str) -> None:
        super().__init__(b"")
        self.kind = kind

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await drop_connection(scope, receive, self.kind)


def hangup_response(hangup: Hangup, services: Services) -> Response:
    if hangup.kind == "gateway_timeout":
        return GatewayTimeoutResponse(hangup.delay, services)
    return DroppedConnection(hangup.kind)
