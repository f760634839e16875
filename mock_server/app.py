"""`create_app(settings)`: the ASGI app, its routes built from the spec's operations."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TYPE_CHECKING, Any

from starlette.exceptions import HTTPException
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route, Router

from mock_server.config import Settings
from mock_server.control import Control
from mock_server.doors import DOORS
from mock_server.endpoints import handler
from mock_server.errors import MoonshotError
from mock_server.http.admin import admin_mount
from mock_server.http.doors import door_endpoint
from mock_server.http.edge import Edge, Endpoint, Operations
from mock_server.http.pipeline import make_endpoint
from mock_server.http.responses import JSON_MEDIA_TYPE, error_response, gateway_not_found
from mock_server.services import Services

if TYPE_CHECKING:
    from mock_server.http.replay import Front


def url_not_found(request: Request) -> Response:
    """The real gateway's answer for an unknown URL: its internal envelope, not the error one."""
    return gateway_not_found(request.method, request.headers.get("user-agent", ""))


async def http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return url_not_found(request)
    if exc.status_code == 405:
        allowed = ", ".join(sorted((exc.headers or {}).get("Allow", "").split(", ")))
        error = MoonshotError(
            "invalid_request_error",
            f"Method {request.method} is not allowed for {request.url.path}; allowed: {allowed}",
            status=405, headers={"Allow": allowed})
        return error_response(error)
    return error_response(MoonshotError("invalid_request_error", str(exc.detail),
                                        status=exc.status_code, headers=exc.headers))


def method_routes(services: Services) -> list[BaseRoute]:
    """The operations' paths for the router, which answers what the edge does not dispatch:
    a method the path does not have (405, naming every method of the resource in `Allow`)."""
    methods: dict[str, list[str]] = {}
    for op in services.spec.operations:
        methods.setdefault(op.path, []).append(op.method.upper())
    return [Route(path, url_not_found, methods=allowed) for path, allowed in methods.items()]


def operations(services: Services) -> Operations:
    """Each spec operation's endpoint: an inference door in front of the engine, or a handler
    behind the pipeline."""
    endpoints: dict[tuple[str, str], Endpoint] = {}
    for op in services.spec.operations:
        endpoints[op.method.upper(), op.path] = door_endpoint(op, services) \
            if op.operation_id in DOORS else make_endpoint(op, handler(op.operation_id), services)
    since = {(op.method.upper(), op.path): op.available_from for op in services.spec.operations
             if op.available_from is not None}
    return Operations(endpoints, since)


def build_routes(services: Services, control: Control) -> list[BaseRoute]:
    routes = method_routes(services)
    spec = services.spec

    async def openapi(request: Request) -> Response:
        return Response(spec.json, media_type=JSON_MEDIA_TYPE)

    routes.append(Route("/openapi.json", openapi, methods=["GET"]))
    routes.append(admin_mount(control, services.settings.admin_token))
    return routes


def upstream_front(services: Services) -> Front | None:
    """The recording proxy in front of the engine when an upstream is set (its modules are
    imported only then)."""
    if not services.settings.upstream:
        return None
    from mock_server.http.replay import build_front

    return build_front(services)


def lifespan(services: Services, front: Front | None) -> Callable[[Any], AbstractAsyncContextManager[None]]:
    """What `Services` (and the upstream client, when proxying) holds open is closed when the
    server shuts down."""

    @asynccontextmanager
    async def span(app: Any) -> AsyncIterator[None]:
        try:
            yield
        finally:
            if front is not None:
                await front.close()
            await services.close()

    return span


def create_app(settings: Settings | None = None) -> Edge:
    """The ASGI app: the edge (request id, journal, clock, the operations' pipeline, error
    envelope) in front of a Starlette router for the control plane, 404 and 405."""
    services = Services.build(settings or Settings())
    control = Control(services)
    front = upstream_front(services)
    # no trailing-slash redirects: the real API never sends a 307; `/v1/models/` is a 404
    router = ExceptionMiddleware(Router(routes=build_routes(services, control), redirect_slashes=False,
                                        lifespan=lifespan(services, front)),
                                 handlers={HTTPException: http_exception})
    app = Edge(router, services, operations(services), front)
    app.state.control = control  # the control plane's, shared with the pytest handle
    return app
