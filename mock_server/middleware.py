"""Pure-ASGI middleware at the edge of every HTTP request.

`RequestMeta` gives each request its `Msh-Request-Id` (UUIDv1 of the request time) and
`Server-Timing: inner; dur=N`, and turns anything raised before the first byte into the
Moonshot envelope: a `MoonshotError` as itself, anything else as 500 `server_error`.
As the outermost layer it also opens the request's journal entry and records there the status
and request id the client got (one layer and one `send` wrapper for both: this runs for every
request).
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server.connection import ConnectionDropped
from mock_server.errors import MoonshotError, error_response
from mock_server.recording import open_entry
from mock_server.services import Services

log = logging.getLogger("moonshot_mock")


class RequestMeta:
    def __init__(self, app: ASGIApp, services: Services) -> None:
        self.app = app
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        now = self.services.clock.now()
        entry = open_entry(scope, self.services.journal, now)
        request_id = self.services.ids.request_id(now)
        scope.setdefault("state", {})["request_id"] = request_id
        response_started = False

        async def send_with_meta(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
                duration = round((time.perf_counter() - started) * 1000)
                headers = list(message.get("headers", ()))
                headers.append((b"msh-request-id", request_id.encode()))
                headers.append((b"server-timing", b"inner; dur=%d" % duration))
                message = {**message, "headers": headers}
                if entry is not None:
                    entry.status, entry.request_id = message["status"], request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_meta)
        except MoonshotError as error:
            if response_started:
                raise
            await error_response(error)(scope, receive, send_with_meta)
        except ConnectionDropped:
            raise  # an injected fault without a transport: the client's transport reports it
        except Exception:
            log.exception("request %s failed", request_id)
            if response_started:
                raise
            error = MoonshotError("server_error", "Internal server error, please try again later")
            await error_response(error)(scope, receive, send_with_meta)
