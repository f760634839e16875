"""One API request on its way through the engine: what each step learnt, in one place.

A door's transport makes a `Call` for every request (the HTTP edge an `http.call.HttpCall`, the
batch runner a plain `Call` per line); the engine's steps fill it in (caller, fault plan, body,
semantic demand, admission ticket, reply, usage, stream record) and the journal entry is
written from it (`engine.entries.fill_entry`) when the answer starts. Nothing here knows a wire
format or a transport: `headers` is any mapping with `get` and `in` (lowercase names).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mock_server.accounts.admission import Demand, Ticket
    from mock_server.accounts.auth import Caller
    from mock_server.engine.cache_use import CacheHit
    from mock_server.engine.known import KnownBody
    from mock_server.faults.dsl import FaultPlan
    from mock_server.journal import Entry, StreamRecord


@dataclass(slots=True, eq=False)
class Call:
    request_id: str
    headers: Mapping[str, str]  # the control headers (X-Mock-*, X-Msh-*) among them
    entry: Entry | None = None  # None for an unjournaled path
    method: str = "POST"
    path: str = ""
    query: str = ""  # the query string, as sent
    connected: bool = True  # False for a batch line: no connection, so no waits and no hang-ups
    operation_id: str = ""
    door: str | None = None  # the inference door it came through (`Door.name`)
    who: Caller | None = None  # set by authentication, the engine's first step
    fault: FaultPlan | None = None  # the fault chosen for this request, when one acts
    fault_source: str | None = None
    body: Any = None  # the validated JSON body (None for other media types)
    known: KnownBody | None = None  # what the app remembers of this body, when it does
    demand: Demand | None = None  # what the semantic checks found (inference)
    ticket: Ticket | None = None  # the admission ticket (inference through a connection)
    usage: dict[str, int] | None = None
    cache_hit: CacheHit | None = None  # the explicit context cache the request used, when it did
    reply_rule: str | None = None  # the scripted-reply rule that answered, when one did
    stream: StreamRecord | None = None
    raw: bytes | None = None  # the body once some step read it
    _parsed: tuple[Any] | None = None

    @property
    def caller(self) -> Caller:
        """The authenticated caller (the steps after authentication run only with one)."""
        if self.who is None:
            raise RuntimeError("the call has not been authenticated yet")
        return self.who

    async def json(self, max_bytes: int | None = None, max_depth: int | None = None) -> Any:
        """The body as JSON; a transport reads it on first use (`HttpCall.json`)."""
        return None if self._parsed is None else self._parsed[0]

    def given(self, body: Any) -> None:
        """The body as parsed already (a batch line)."""
        self._parsed = (body,)

    def parsed(self) -> Any:
        """The JSON body if some step parsed it, else None (for the journal's summary)."""
        return None if self._parsed is None else self._parsed[0]
