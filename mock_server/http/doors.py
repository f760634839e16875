"""An inference door's way over HTTP: the door parses, the engine decides, the door renders.

`door_endpoint` serves one `engine.door.Door`: the engine's first steps (`engine.gate.enter`:
authentication with the door's credentials, the fault plan), the body checked against the
door's spec operation (`pipeline.read_json_body`), the door's parser, the engine's way
(`engine.run.infer`), then the door's JSON, or its events paced, faulted and settled by
`engine.stream.answer_events`. A refusal from any step leaves in the door's error envelope
(the edge calls the endpoint's `render_error`); a hang-up through `transport.hangup_response`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.responses import Response

from mock_server.doors import door as door_of
from mock_server.engine.accounting import Connected
from mock_server.engine.answer import Replay
from mock_server.engine.gate import Hangup, enter
from mock_server.engine.run import infer
from mock_server.engine.stream import answer_events
from mock_server.http.connection import cut_stream
from mock_server.http.pipeline import Endpoint, Settled, read_json_body
from mock_server.http.responses import JSON_MEDIA_TYPE, json_response
from mock_server.http.streaming import event_stream_response
from mock_server.http.transport import hangup_response

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from starlette.types import ASGIApp

    from mock_server.data.spec import Operation
    from mock_server.engine.answer import Answer
    from mock_server.errors import MoonshotError
    from mock_server.http.call import HttpCall
    from mock_server.services import Services


def door_endpoint(operation: Operation, services: Services) -> Endpoint:
    """The operation's door (`doors.door`, its module imported on the first request) over HTTP."""
    accounting = Connected(services)
    operation_id = operation.operation_id

    async def endpoint(call: HttpCall) -> ASGIApp:
        door = door_of(operation_id)
        call.operation_id, call.door = operation_id, door.name
        headers = call.headers
        credentials = door.credentials
        try:
            await enter(call, headers.get("authorization") if credentials is None
                        else credentials(headers), services)
            call.body, call.known = await read_json_body(call, operation, services.known_bodies,
                                                         services.settings)
            answer = await infer(call, door.parse(call.body, call), door, services, accounting)
        except Hangup as hangup:
            response: ASGIApp = hangup_response(hangup, services)
        else:
            if isinstance(answer, Replay):
                from mock_server.http.replay import Replayed  # on first use: a replay

                response = Replayed(answer.recorded, call, services, door.is_final)
            elif answer.inference.stream:
                scope = call.request.scope
                response = streamed(answer_events(call, answer, door, services, accounting,
                                                  lambda: cut_stream(scope)), answer, services)
            else:
                response = json_response(door.render(answer), headers=answer.headers)
        ticket = call.ticket
        return Settled(response, ticket) if ticket is not None and ticket.holds_slot else response

    def render_error(error: MoonshotError, request_id: str) -> Response:
        return Response(door_of(operation_id).envelope(error, request_id), error.status,
                        error.headers, media_type=JSON_MEDIA_TYPE)

    endpoint.__name__ = operation_id
    endpoint.render_error = render_error  # type: ignore[attr-defined]
    return endpoint


def streamed(events: AsyncIterator[bytes], answer: Answer, services: Services) -> ASGIApp:
    return event_stream_response(events, services, answer.headers)
