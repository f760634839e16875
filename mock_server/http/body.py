"""The request's body, read once: the fault edge peeks at it, the pipeline validates it.

`read_body` reads the ASGI messages through the request's public `receive`, without
Starlette's stream generator (an async generator per request costs a few microseconds on every
answer); the bytes stay on the request's `Call`, which every later reader goes through
(`Call.json`, `Call.stream`). Starlette's own readers are used only for a body not read yet.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from starlette.requests import ClientDisconnect, Request

from mock_server.errors import MoonshotError


async def read_body(request: Request) -> bytes:
    """The whole body, from the ASGI messages (raises `ClientDisconnect` as Starlette does)."""
    chunks: list[bytes] = []
    more = True
    while more:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def media_type(request: Request) -> str:
    """The request's media type, lowercased and without parameters (`""` when not sent)."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def body_stream(request: Request) -> AsyncIterator[bytes]:
    """The body as it arrives; a client gone mid-body is 499 `client_closed_request`."""
    try:
        async for chunk in request.stream():
            yield chunk
    except ClientDisconnect:
        raise MoonshotError("client_closed_request", "the client closed the request") from None
