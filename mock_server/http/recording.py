"""The journal's edge: an entry per API request, written by the edge from the request's `Call`.

The edge opens the entry when the request arrives (its time and order) and fills it in when
the answer starts, errors it renders included: status, request id, and what the call learnt
on its way (caller, body summary, fault, usage, the stream's record). The control plane
(`/_mock/...`) and the spec document are not journaled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mock_server.journal import Entry, Journal, summarize_body

if TYPE_CHECKING:
    from starlette.types import Scope

    from mock_server.http.call import Call

UNJOURNALED = ("/_mock/", "/openapi.json")


def open_entry(scope: Scope, journal: Journal, now: float) -> Entry | None:
    """A new journal entry for this HTTP request, or None for an unjournaled path."""
    if scope["path"].startswith(UNJOURNALED):
        return None
    return journal.open(scope["method"], scope["path"], now)


def fill_entry(entry: Entry, call: Call | None, status: int, request_id: str) -> None:
    """What the client got, and what the call carried to get there."""
    entry.status, entry.request_id = status, request_id
    if call is None:
        return
    if call.who is not None:
        entry.account, entry.key_id = call.who.account.name, call.who.key_id
        size = int(call.request.headers.get("content-length") or 0)
        entry.body = summarize_body(call.parsed(), size)
    if call.fault is not None:
        entry.fault, entry.fault_source = call.fault.text, call.fault_source
    if call.reply_rule is not None:
        entry.reply = call.reply_rule
    if call.usage is not None:
        entry.usage = dict(call.usage)
    if call.stream is not None:
        entry.stream = call.stream
