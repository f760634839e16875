"""A request's way from the edge to its handler, in the design's order, each step in one place.

`make_endpoint` wraps a handler for one spec operation: authenticate (step 2), choose and apply
the fault (3), read and validate the body (4), the operation's semantic checks (5), admission
(6), the handler (7); the edge sends the answer (8) and `Settled` frees the admission slot after
its last byte (9). Every step either passes or raises the `MoonshotError` the real API would
answer with, before the handler sends a byte.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import orjson
from starlette.types import ASGIApp, Receive, Scope, Send

from mock_server.data.spec import Operation, validate_body
from mock_server.errors import invalid_request
from mock_server.http.body import media_type
from mock_server.http.call import Call
from mock_server.http.fault_edge import apply_faults
from mock_server.http.known import KnownBodies, KnownBody, body_key

if TYPE_CHECKING:
    from starlette.responses import Response

    from mock_server.accounts.admission import Demand, Ticket
    from mock_server.services import Services
    from mock_server.settings import Settings

Handler = Callable[[Call, "Services"], Awaitable["Response"]]
# step 5 of an admitted operation: the semantic checks, and what admission must reserve
Check = Callable[[Call, "Services"], "Demand"]
Endpoint = Callable[[Call], Awaitable[ASGIApp]]


class Settled:
    """Wraps a response so its ticket is released after the last byte, whatever happens."""

    def __init__(self, response: ASGIApp, ticket: Ticket) -> None:
        self.response = response
        self.ticket = ticket

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.response(scope, receive, send)
        finally:
            await self.ticket.release()


async def read_json_body(call: Call, operation: Operation, known_bodies: KnownBodies,
                         settings: Settings) -> tuple[Any, KnownBody | None]:
    """The parsed, schema-checked body, and its record in `known_bodies` (a body seen valid
    before skips the schema check)."""
    request = call.request
    sent_type = media_type(request)
    if sent_type and sent_type != "application/json":
        raise invalid_request(f"Content-Type must be application/json, got {sent_type!r}")
    try:
        body = await call.json(settings.request_max_bytes, settings.json_max_depth)
    except orjson.JSONDecodeError as exc:
        raise invalid_request(f"the request body is not valid JSON ({exc})") from None
    key = body_key(operation.operation_id, call.raw or b"")
    known = None if key is None else known_bodies.get(key)
    if known is not None:
        return body, known
    body = validate_body(operation, body)
    if key is not None:
        known = KnownBody()
        known_bodies.put(key, known)
    return body, known


async def admitted(call: Call, handler: Handler, services: Services) -> ASGIApp:
    """Admission (balance, limits, overload), then the handler; the slot is freed after the
    response's last byte (or on a failure before it)."""
    assert call.demand is not None
    ticket = call.ticket = await services.admission.admit(call.caller, call.demand)
    try:
        response = await handler(call, services)
    except BaseException:
        await ticket.release()
        raise
    if ticket.headers:
        response.headers.update(ticket.headers)
    return Settled(response, ticket) if ticket.holds_slot else response  # no slot: none to free


def make_endpoint(operation: Operation, handler: Handler, check: Check | None,
                  services: Services) -> Endpoint:
    async def endpoint(call: Call) -> ASGIApp:
        call.operation_id = operation.operation_id
        call.who = services.auth.authenticate(call.request.headers.get("authorization"))
        fault_response = await apply_faults(call, services)
        if fault_response is not None:
            return fault_response
        if operation.body_media_type == "application/json":
            call.body, call.known = await read_json_body(call, operation, services.known_bodies,
                                                         services.settings)
        if check is None:
            return await handler(call, services)
        call.demand = check(call, services)
        return await admitted(call, handler, services)

    endpoint.__name__ = operation.operation_id
    return endpoint
