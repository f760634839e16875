"""Server-sent event answers: sse-starlette's response around the fake's own event bytes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from mock_server.http.fault_edge import stream_with_faults

if TYPE_CHECKING:
    from starlette.responses import Response

    from mock_server.http.call import Call
    from mock_server.services import Services


def event_stream_response(call: Call, events: AsyncIterator[bytes], services: Services) -> Response:
    """`events` (already framed) as `text/event-stream`, with the call's stream faults applied
    and the settings' keep-alive comments."""
    from sse_starlette import EventSourceResponse, ServerSentEvent  # on the first stream

    ping = services.settings.sse_ping_seconds
    return EventSourceResponse(
        stream_with_faults(call, events, services),
        ping=ping,
        sep="\n",
        ping_message_factory=(lambda: ServerSentEvent(comment="ping", sep="\n")) if ping else None,
    )
