"""The request's JSON body, parsed once: the fault edge peeks at it, the pipeline validates it."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request

PARSED_KEY = "parsed_json"


async def parsed_json(request: Request) -> Any:
    """The body as JSON (raises `orjson.JSONDecodeError`); later calls reuse the first parse."""
    raw = await request.body()
    state = request.scope.setdefault("state", {})
    parsed = state.get(PARSED_KEY)
    if parsed is not None and parsed[0] is raw:
        return parsed[1]
    body = orjson.loads(raw)
    state[PARSED_KEY] = (raw, body)
    return body
