"""An engine `Call` that came over HTTP: the Starlette request, and its body read once.

The edge makes one for every request to a spec operation. The bytes stay on the call, which
every later reader goes through (`json`, `body_chunks`): the fault step peeks at the JSON, the
door validates it, the journal summarises it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from mock_server.engine.call import Call
from mock_server.http.body import body_stream, read_body
from mock_server.http.bounds import check_json_depth

if TYPE_CHECKING:
    from starlette.requests import Request

    from mock_server.journal import Entry


@dataclass(slots=True, eq=False)
class HttpCall(Call):
    request: Request = None  # type: ignore[assignment]  # always given: HttpCall.of(...)

    @classmethod
    def of(cls, request: Request, request_id: str, entry: Entry | None = None) -> HttpCall:
        scope = request.scope
        return cls(request_id, request.headers, entry, scope["method"], scope["path"],
                   scope.get("query_string", b"").decode("latin-1"), request=request)

    async def read(self, max_bytes: int | None = None) -> bytes:
        """The whole body, read from the client once (raises `ClientDisconnect`, or the 400 of
        `bounds.body_too_large` past `max_bytes`)."""
        raw = self.raw
        if raw is None:
            raw = self.raw = await read_body(self.request, max_bytes)
        return raw

    async def json(self, max_bytes: int | None = None, max_depth: int | None = None) -> Any:
        """The body as JSON (raises `orjson.JSONDecodeError`, or the 400 of a passed bound);
        later calls reuse the first parse."""
        parsed = self._parsed
        if parsed is not None:
            return parsed[0]
        raw = await self.read(max_bytes)
        value = orjson.loads(raw)
        if max_depth is not None:
            check_json_depth(raw, value, max_depth)
        self._parsed = (value,)
        return value

    async def body_chunks(self) -> AsyncIterator[bytes]:
        """The body as it arrives, or as read already; a client gone mid-body is 499."""
        if self.raw is not None:
            yield self.raw
            return
        async for chunk in body_stream(self.request):
            yield chunk
