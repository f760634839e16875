"""Pure-ASGI dispatch of the spec's fixed paths straight to their endpoints.

The API's hot paths (`POST /v1/chat/completions` above all) have no path parameters, so a dict
lookup on (method, path) finds their endpoint without Starlette's route matching and exception
wrappers. Everything else — paths with parameters, HEAD, unknown URLs and methods (404/405),
the control plane — goes on to the router unchanged. An `HTTPException` raised by an endpoint
is rendered by the same handler the router would use.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

Endpoint = Callable[[Request], Awaitable[ASGIApp]]
ExceptionRenderer = Callable[[Request, Exception], Awaitable[Response]]


def is_fixed(path: str) -> bool:
    return "{" not in path


class DirectRoutes:
    def __init__(self, app: ASGIApp, endpoints: Mapping[tuple[str, str], Endpoint],
                 on_http_exception: ExceptionRenderer) -> None:
        self.app = app
        self.endpoints = dict(endpoints)
        self.on_http_exception = on_http_exception

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        endpoint = None
        if scope["type"] == "http":
            endpoint = self.endpoints.get((scope["method"], scope["path"]))
        if endpoint is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive, send)
        try:
            response: ASGIApp = await endpoint(request)
        except HTTPException as exc:
            response = await self.on_http_exception(request, exc)
        await response(scope, receive, send)
