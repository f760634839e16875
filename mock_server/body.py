"""The request's body, read and parsed once: the fault edge peeks at it, the pipeline validates it.

`read_body` takes a body that arrives in ASGI messages without Starlette's stream generator
and leaves it where Starlette's own `Request.body()` finds it (`_body`), so any later reader
(multipart parsing, `request.json()`) sees the same bytes.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import ClientDisconnect, Request

PARSED_KEY = "parsed_json"


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


async def parsed_json(request: Request) -> Any:
    """The body as JSON (raises `orjson.JSONDecodeError`); later calls reuse the first parse."""
    raw = await read_body(request)
    state = request.scope.setdefault("state", {})
    parsed = state.get(PARSED_KEY)
    if parsed is not None and parsed[0] is raw:
        return parsed[1]
    body = orjson.loads(raw)
    state[PARSED_KEY] = (raw, body)
    return body
