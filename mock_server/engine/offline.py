"""Inference without a connection: a batch line through the same engine as an HTTP request.

`answer_offline` takes one request body for a door's operation the way an HTTP request takes
it, minus the transport: the fault step (only an error acts: a line has no connection to
wait on or hang up), the door's spec operation and parser, then `engine.run.infer` with the
caller's accounting. Its journal entry is opened and filled here, as the HTTP edge does for a
request; `extra` marks it (a batch line: its batch and `custom_id`). Synchronous: nothing on
the way waits.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import orjson

from mock_server.accounts.auth import Caller
from mock_server.data.spec import validate_body
from mock_server.engine.answer import Replay
from mock_server.engine.call import Call
from mock_server.engine.entries import fill_entry
from mock_server.engine.gate import enter
from mock_server.engine.run import infer, run_sync
from mock_server.errors import MoonshotError

if TYPE_CHECKING:
    from mock_server.accounts.auth import Account
    from mock_server.engine.accounting import Accounting
    from mock_server.engine.answer import Answer
    from mock_server.engine.door import Door
    from mock_server.services import Services

JSON_HEADERS: Mapping[str, str] = MappingProxyType({"content-type": "application/json"})


def answer_offline(services: Services, door: Door, account: Account, path: str, body: Any,
                   accounting: Accounting, extra: Mapping[str, Any] | None = None) -> Answer | Replay:
    """The planned (or recorded) answer to `body`; raises the `MoonshotError` the HTTP request
    would get."""
    now = services.clock.now()
    request_id = services.ids.request_id(now)
    entry = services.journal.open("POST", path, now)
    entry.extra = dict(extra or {})
    call = Call(request_id, JSON_HEADERS, entry, "POST", path, connected=False, door=door.name)
    call.who = Caller(account, "")
    call.given(body)
    call.raw = orjson.dumps(body)  # what a recorded exchange matches on
    try:
        answer = run_sync(_answer(call, door, services, accounting))
    except MoonshotError as error:
        fill_entry(entry, call, error.status, request_id)
        raise
    fill_entry(entry, call, answer.recorded.status if isinstance(answer, Replay) else 200,
               request_id)
    return answer


async def _answer(call: Call, door: Door, services: Services,
                  accounting: Accounting) -> Answer | Replay:
    await enter(call, None, services)
    call.body = validate_body(services.spec.operation(door.operation_id), call.parsed())
    return await infer(call, door.parse(call.body, call), door, services, accounting)
