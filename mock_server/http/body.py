"""The request's body, read once: the fault edge peeks at it, the pipeline validates it.

`read_body` takes a body that arrives in ASGI messages without Starlette's stream generator
and leaves it where Starlette's own `Request.body()` finds it (`_body`), so any later reader
(multipart parsing, `request.json()`) sees the same bytes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from starlette.requests import ClientDisconnect, Request

from mock_server.errors import MoonshotError


async def read_body(request: Request) -> bytes:
    """The whole body (raises `ClientDisconnect` as Starlette does)."""
    body: bytes | None = getattr(request, "_body", None)
    if body is not None:
        return body
    if request._stream_consumed:
        return await request.body()  # raises as Starlette does
    chunks: list[bytes] = []
    more = True
    while more:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            request._is_disconnected = True
            raise ClientDisconnect()
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    request._stream_consumed = True
    request._body = body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    return body


def media_type(request: Request) -> str:
    """The request's media type, lowercased and without parameters (`""` when not sent)."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def body_read(request: Request) -> bytes | None:
    """The body if it has been read already (by `read_body` or Starlette), else None."""
    return getattr(request, "_body", None)



async def body_stream(request: Request) -> AsyncIterator[bytes]:
    """The body as it arrives; a client gone mid-body is 499 `client_closed_request`."""
    try:
        async for chunk in request.stream():
            yield chunk
    except ClientDisconnect:
        raise MoonshotError("client_closed_request", "the client closed the request") from None
