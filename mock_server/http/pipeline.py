"""A spec operation's way from the edge to its handler, for the operations that are not
inference doors (models, files, batches, caches, token counts, balance).

`make_endpoint` wraps a handler: the engine's first steps (`engine.gate.enter`: authenticate,
choose and act on the fault), the JSON body read and checked against the operation's schema
(`read_json_body`, shared with the doors), a recorded exchange's answer if one answers the
request (`engine.replies`), then the handler. Every step either passes or
raises the `MoonshotError` the real API would answer with, before a byte is sent. `Settled`
frees an inference request's admission slot after its answer's last byte.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import orjson
from starlette.types import ASGIApp, Receive, Scope, Send

from mock_server.data.spec import Operation, validate_body
from mock_server.engine.gate import Hangup, enter
from mock_server.engine.known import KnownBodies, KnownBody, body_key
from mock_server.engine.replies import choose_reply, replays
from mock_server.engine.run import replay
from mock_server.errors import invalid_request
from mock_server.http.body import media_type
from mock_server.http.call import HttpCall
from mock_server.http.transport import hangup_response

if TYPE_CHECKING:
    from starlette.responses import Response

    from mock_server.accounts.admission import Ticket
    from mock_server.services import Services
    from mock_server.settings import Settings

Handler = Callable[[HttpCall, "Services"], Awaitable["Response"]]
Endpoint = Callable[[HttpCall], Awaitable[ASGIApp]]


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


async def read_json_body(call: HttpCall, operation: Operation, known_bodies: KnownBodies,
                         settings: Settings) -> tuple[Any, KnownBody | None]:
    """The parsed, schema-checked body, and its record in `known_bodies` (a body seen valid
    before skips the schema check)."""
    sent_type = media_type(call.request)
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


async def recorded_answer(call: HttpCall, services: Services) -> ASGIApp | None:
    """The recorded exchange's answer to this request, if one answers it (the engine's reply
    choice, `engine.replies`, over the whole body: an upload is read before its handler)."""
    settings = services.settings
    await call.read(max(settings.request_max_bytes, settings.file_max_bytes + 2**20))
    answer = choose_reply(call, None, services)
    if answer is None or answer.recorded is None:
        return None
    from mock_server.http.replay import Replayed  # on first use: a recorded exchange answers

    return Replayed(replay(call, None, answer.recorded.reply).recorded, call, services)


def make_endpoint(operation: Operation, handler: Handler, services: Services) -> Endpoint:
    async def endpoint(call: HttpCall) -> ASGIApp:
        call.operation_id = operation.operation_id
        try:
            await enter(call, call.headers.get("authorization"), services)
        except Hangup as hangup:
            return hangup_response(hangup, services)
        if operation.body_media_type == "application/json":
            call.body, call.known = await read_json_body(call, operation, services.known_bodies,
                                                         services.settings)
        if replays(services):  # a recorded exchange may answer it (reply files, strict replay)
            replayed = await recorded_answer(call, services)
            if replayed is not None:
                return replayed
        return await handler(call, services)

    endpoint.__name__ = operation.operation_id
    return endpoint
