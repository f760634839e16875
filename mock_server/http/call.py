"""One API request on its way through the fake: what each step learnt, in one place.

The edge makes a `Call` for every request to a spec operation; the pipeline's steps fill it in
(caller, fault plan, body, semantic demand, admission ticket), the handler adds the usage and
the stream record, and the edge writes the journal entry from it when the answer starts.
Nothing about a request travels in `scope["state"]`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from mock_server.http.body import body_stream, read_body
from mock_server.http.bounds import check_json_depth

if TYPE_CHECKING:
    from starlette.requests import Request

    from mock_server.accounts.admission import Demand, Ticket
    from mock_server.accounts.auth import Caller
    from mock_server.faults.dsl import FaultPlan
    from mock_server.http.known import KnownBody
    from mock_server.journal import Entry, StreamRecord


@dataclass(slots=True, eq=False)
class Call:
    request: Request
    request_id: str
    entry: Entry | None = None  # None for an unjournaled path
    operation_id: str = ""
    who: Caller | None = None  # set by authentication, the pipeline's first step
    fault: FaultPlan | None = None  # the fault chosen for this request, when one acts
    fault_source: str | None = None
    body: Any = None  # the validated JSON body (None for other media types)
    known: KnownBody | None = None  # what the app remembers of this body, when it does
    demand: Demand | None = None  # what the semantic checks found (admitted operations)
    ticket: Ticket | None = None  # the admission ticket (admitted operations)
    usage: dict[str, int] | None = None
    cache_hit: Any = None  # the explicit context cache the request used, when it did
    reply_rule: str | None = None  # the scripted-reply rule that answered, when one did
    stream: StreamRecord | None = None
    raw: bytes | None = None  # the body once some step read it (`read`, `json`)
    _parsed: tuple[Any] | None = None

    @property
    def caller(self) -> Caller:
        """The authenticated caller (handlers run only after authentication)."""
        if self.who is None:
            raise RuntimeError("the call has not been authenticated yet")
        return self.who

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

    def parsed(self) -> Any:
        """The JSON body if some step parsed it, else None (for the journal's summary)."""
        return None if self._parsed is None else self._parsed[0]

    async def body_chunks(self) -> AsyncIterator[bytes]:
        """The body as it arrives, or as read already; a client gone mid-body is 499."""
        if self.raw is not None:
            yield self.raw
            return
        async for chunk in body_stream(self.request):
            yield chunk

