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
from mock_server.http.bounds import body_too_large, declared_length


async def read_body(request: Request, limit: int | None = None) -> bytes:
    """The whole body, from the ASGI messages (raises `ClientDisconnect` as Starlette does);
    over `limit` bytes, the 400 of `bounds.body_too_large`, before more than the limit is held."""
    if limit is not None and (declared_length(request.scope) or 0) > limit:
        raise body_too_large(limit)
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk = message.get("body", b"")
        size += len(chunk)
        if limit is not None and size > limit:
            raise body_too_large(limit)
        chunks.append(chunk)
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
