"""A request's way from the router to a handler: authenticate, read and validate, then handle.

`make_endpoint` wraps a handler for one spec operation; every step either passes or raises the
`MoonshotError` the real API would answer with, before the handler sends a byte.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from mock_server.auth import Caller
from mock_server.errors import invalid_request
from mock_server.fault_edge import apply_faults
from mock_server.services import Services
from mock_server.spec import Operation, validate_body


@dataclass(frozen=True)
class Call:
    request: Request
    operation: Operation
    caller: Caller
    body: Any


Handler = Callable[[Call, Services], Awaitable[Response]]


async def read_json_body(request: Request, operation: Operation) -> Any:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type and media_type != "application/json":
        raise invalid_request(f"Content-Type must be application/json, got {media_type!r}")
    raw = await request.body()
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise invalid_request(f"the request body is not valid JSON ({exc})") from None
    return validate_body(operation, body)


def make_endpoint(
    operation: Operation, handler: Handler, services: Services
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        caller = services.auth.authenticate(request.headers.get("authorization"))
        fault_response = await apply_faults(request, caller, services)
        if fault_response is not None:
            return fault_response
        body = None
        if operation.body_media_type == "application/json":
            body = await read_json_body(request, operation)
        return await handler(Call(request, operation, caller, body), services)

    endpoint.__name__ = operation.operation_id
    return endpoint
