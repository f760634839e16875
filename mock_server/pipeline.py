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

from mock_server.admission import ADMITTED_OPERATIONS, Settled, Ticket
from mock_server.auth import Caller
from mock_server.body import body_read, media_type, parsed_json
from mock_server.errors import invalid_request
from mock_server.fault_edge import apply_faults
from mock_server.known import KnownBodies, KnownBody, body_key
from mock_server.services import Services
from mock_server.spec import Operation, validate_body


@dataclass(slots=True)
class Call:
    request: Request
    operation: Operation
    caller: Caller
    body: Any
    ticket: Ticket | None = None  # set for admitted (inference) operations
    known: KnownBody | None = None  # what the app remembers of this JSON body, when it does


Handler = Callable[[Call, Services], Awaitable[Response]]


async def read_json_body(request: Request, operation: Operation,
                         known_bodies: KnownBodies) -> tuple[Any, KnownBody | None]:
    """The parsed, schema-checked body, and its record in `known_bodies` (a body seen valid
    before skips the schema check)."""
    sent_type = media_type(request)
    if sent_type and sent_type != "application/json":
        raise invalid_request(f"Content-Type must be application/json, got {sent_type!r}")
    try:
        body = await parsed_json(request)
    except orjson.JSONDecodeError as exc:
        raise invalid_request(f"the request body is not valid JSON ({exc})") from None
    key = body_key(operation.operation_id, body_read(request) or b"")
    known = None if key is None else known_bodies.get(key)
    if known is not None:
        return body, known
    body = validate_body(operation, body)
    if key is not None:
        known = KnownBody()
        known_bodies.put(key, known)
    return body, known


async def admitted(call: Call, handler: Handler, services: Services) -> Response | Settled:
    """Admission (balance, limits, overload), then the handler; the slot is freed after the
    response's last byte (or on a failure before it)."""
    ticket = call.ticket = await services.admission.admit(call.caller, call.body,
                                                          services.catalogue, call.known)
    try:
        response = await handler(call, services)
    except BaseException:
        await ticket.release()
        raise
    if ticket.headers:
        response.headers.update(ticket.headers)
    return Settled(response, ticket) if ticket.holds_slot else response  # no slot: none to free


def make_endpoint(
    operation: Operation, handler: Handler, services: Services
) -> Callable[[Request], Awaitable[Response | Settled]]:
    async def endpoint(request: Request) -> Response | Settled:
        caller = services.auth.authenticate(request.headers.get("authorization"))
        fault_response = await apply_faults(request, caller, services)
        if fault_response is not None:
            return fault_response
        body = known = None
        if operation.body_media_type == "application/json":
            body, known = await read_json_body(request, operation, services.known_bodies)
        call = Call(request, operation, caller, body, known=known)
        if operation.operation_id in ADMITTED_OPERATIONS:
            return await admitted(call, handler, services)
        return await handler(call, services)

    endpoint.__name__ = operation.operation_id
    return endpoint
