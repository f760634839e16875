"""`create_app(settings)`: the ASGI app, its routes built from the spec's operations."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import orjson
from starlette.exceptions import HTTPException
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route, Router

from mock_server.admin import admin_mount
from mock_server.config import Settings
from mock_server.edge import Edge, is_fixed
from mock_server.endpoints import HANDLERS
from mock_server.errors import JSON_MEDIA_TYPE, MoonshotError, error_response
from mock_server.pipeline import make_endpoint
from mock_server.services import Services

Endpoint = Callable[[Request], Awaitable[Response]]


def url_not_found(request: Request) -> Response:
    """The real gateway's answer for an unknown URL: its internal envelope, not the error one."""
    body = {"code": 5, "error": "url.not_found", "message": "没找到对象",
            "method": request.method, "scode": "0x5", "status": False,
            "ua": request.headers.get("user-agent", "")}
    return Response(orjson.dumps(body), 404, media_type=JSON_MEDIA_TYPE)


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


def path_route(path: str, endpoints: dict[str, Endpoint]) -> Route:
    """One route per path, so a 405 names every method of the resource in `Allow`."""
    if len(endpoints) == 1:
        [(method, endpoint)] = endpoints.items()
        return Route(path, endpoint, methods=[method])

    async def dispatch(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        return await endpoints[method](request)

    return Route(path, dispatch, methods=list(endpoints))


def operation_endpoints(services: Services) -> dict[str, dict[str, Endpoint]]:
    """Endpoints by path, then method, one per spec operation."""
    by_path: dict[str, dict[str, Endpoint]] = {}
    for op in services.spec.operations:
        endpoint = make_endpoint(op, HANDLERS[op.operation_id], services)
        by_path.setdefault(op.path, {})[op.method.upper()] = endpoint
    return by_path


def build_routes(services: Services, by_path: dict[str, dict[str, Endpoint]]) -> list[BaseRoute]:
    routes: list[BaseRoute] = [path_route(path, endpoints) for path, endpoints in by_path.items()]
    spec_json = services.spec.json

    async def openapi(request: Request) -> Response:
        return Response(spec_json, media_type=JSON_MEDIA_TYPE)

    routes.append(Route("/openapi.json", openapi, methods=["GET"]))
    routes.append(admin_mount(services))
    return routes


def create_app(settings: Settings | None = None) -> Edge:
    """The ASGI app: the edge (request id, journal, clock, direct dispatch, error envelope)
    in front of a Starlette router for everything not dispatched directly."""
    services = Services.build(settings or Settings())
    by_path = operation_endpoints(services)
    direct = {(method, path): endpoint for path, endpoints in by_path.items() if is_fixed(path)
              for method, endpoint in endpoints.items()}
    router = ExceptionMiddleware(Router(routes=build_routes(services, by_path)),
                                 handlers={HTTPException: http_exception})
    return Edge(router, services, direct, on_http_exception=http_exception)
