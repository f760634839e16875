"""The ceiling: a bare Starlette app answering a fixed body, served by the same uvicorn settings.

`POST /v1/chat/completions` returns a fixed JSON body of a given size; `GET /stream` sends a
fixed number of pre-encoded SSE events, the floor of any SSE stream. Sizes come from the
environment, so the harness can match the fake's answers byte for byte in length.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

BODY_SIZE_ENV = "BENCH_BARE_BODY_SIZE"
EVENTS_ENV = "BENCH_BARE_EVENTS"
EVENT_SIZE_ENV = "BENCH_BARE_EVENT_SIZE"


def fixed_json(size: int) -> bytes:
    """A JSON object of exactly `size` bytes (size >= 12)."""
    return b'{"pad":"' + b"x" * max(0, size - 10) + b'"}'


def sse_event(size: int) -> bytes:
    return b"data: " + fixed_json(max(12, size - 8)) + b"\n\n"


def create(body_size: int, events: int, event_size: int) -> Starlette:
    body = fixed_json(body_size)
    event = sse_event(event_size)

    async def chat(request: Request) -> Response:
        return Response(body, media_type="application/json; charset=utf-8")

    async def stream(request: Request) -> Response:
        async def events_of() -> AsyncIterator[bytes]:
            for _ in range(events):
                yield event
            yield b"data: [DONE]\n\n"

        return StreamingResponse(events_of(), media_type="text/event-stream; charset=utf-8")

    return Starlette(routes=[Route("/v1/chat/completions", chat, methods=["POST"]),
                             Route("/stream", stream, methods=["GET", "POST"])])


def from_env() -> Starlette:
    """`uvicorn --factory bench.bare_app:from_env`."""
    return create(int(os.environ.get(BODY_SIZE_ENV, "426")),
                  int(os.environ.get(EVENTS_ENV, "1000")),
                  int(os.environ.get(EVENT_SIZE_ENV, "230")))
