"""Server-sent event answers: sse-starlette's response around events framed already."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.responses import Response

    from mock_server.services import Services


def event_stream_response(events: AsyncIterator[bytes], services: Services) -> Response:
    """`events` as `text/event-stream`, with the settings' keep-alive comments (`: ping`, which
    every SSE client skips, whatever the door's framing)."""
    from sse_starlette import EventSourceResponse, ServerSentEvent  # on the first stream

    ping = services.settings.sse_ping_seconds
    return EventSourceResponse(
        events,
        ping=ping,
        sep="\n",
        ping_message_factory=(lambda: ServerSentEvent(comment="ping", sep="\n")) if ping else None,
    )
