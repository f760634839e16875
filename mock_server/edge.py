"""The app's outermost ASGI layer: what every HTTP request goes through, in one place.

For each request, in order:

1. its `Msh-Request-Id` (UUIDv1 of the request time) and `Server-Timing: inner; dur=N` on the
   response, and its journal entry opened (status and request id recorded when it answers);
2. `X-Mock-Clock-Advance` applied (`clock_header`);
3. dispatch: the spec's paths without parameters (`POST /v1/chat/completions` above all) by a
   dict lookup on (method, path) straight to their endpoint; everything else — paths with
   parameters, HEAD, unknown URLs and methods (404/405), the control plane — through the
   Starlette router;
4. anything raised before the first byte becomes the Moonshot envelope: a `MoonshotError` as
   itself, an `HTTPException` as the router renders it, anything else as 500 `server_error`.

One layer instead of a middleware stack: this runs for every request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping

from starlette.datastructures import Headers, State
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server.clock_header import advance_clock
from mock_server.connection import ConnectionDropped
from mock_server.errors import MoonshotError, error_response
from mock_server.recording import open_entry
from mock_server.services import Services

log = logging.getLogger("moonshot_mock")

Endpoint = Callable[[Request], Awaitable[ASGIApp]]
ExceptionRenderer = Callable[[Request, Exception], Awaitable[Response]]


def is_fixed(path: str) -> bool:
    return "{" not in path


class ApiHeaders(Headers):
    """Starlette's `Headers`, looked up through a dict built once: the way through the fake
    reads about eight headers of every API request. The first of repeated headers wins, as in
    `Headers`."""

    def __init__(self, scope: Scope) -> None:
        super().__init__(scope=scope)
        self._first = dict(reversed(self.raw))

    def __getitem__(self, key: str) -> str:
        return self._first[key.lower().encode("latin-1")].decode("latin-1")

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower().encode("latin-1") in self._first

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        value = self._first.get(key.lower().encode("latin-1"))
        return default if value is None else value.decode("latin-1")


class ApiRequest(Request):
    """The request object of a directly dispatched endpoint."""

    @property
    def headers(self) -> Headers:
        headers: Headers | None = getattr(self, "_api_headers", None)
        if headers is None:
            headers = self._api_headers = ApiHeaders(self.scope)
        return headers


class Edge:
    def __init__(self, router: ASGIApp, services: Services, endpoints: Mapping[tuple[str, str], Endpoint],
                 on_http_exception: ExceptionRenderer) -> None:
        self.router = router
        self.services = services
        self.endpoints = dict(endpoints)
        self.on_http_exception = on_http_exception
        self.state = State({"services": services})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["app"] = self  # the router raises HTTPException (404/405) only inside an app
        if scope["type"] != "http":
            await self.router(scope, receive, send)
            return
        started = time.perf_counter()
        services = self.services
        now = services.clock.now()
        entry = open_entry(scope, services.journal, now)
        request_id = services.ids.request_id(now)
        scope.setdefault("state", {})["request_id"] = request_id
        response_started = False

        async def send_with_meta(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
                duration = round((time.perf_counter() - started) * 1000)
                message["headers"] = [  # a new list: the response's own stays as it was
                    *message.get("headers", ()), (b"msh-request-id", request_id.encode()),
                    (b"server-timing", b"inner; dur=%d" % duration)]
                if entry is not None:
                    entry.status, entry.request_id = message["status"], request_id
            await send(message)

        try:
            await advance_clock(services, scope)
            await self.dispatch(scope, receive, send_with_meta)
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

    async def dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        endpoint = self.endpoints.get((scope["method"], scope["path"]))
        if endpoint is None:
            await self.router(scope, receive, send)
            return
        request = ApiRequest(scope, receive, send)
        try:
            response: ASGIApp = await endpoint(request)
        except HTTPException as exc:
            response = await self.on_http_exception(request, exc)
        await response(scope, receive, send)
