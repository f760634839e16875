"""The journal step: an entry per API request, written from the request's `Call`.

The transport opens the entry when the request arrives (its time and order: the HTTP edge for
every journaled path, `open_offline` for a batch line) and `fill_entry` fills it in when the
answer starts, errors included: status, request id, and what the call learnt on its way
(caller, body summary, fault, scripted reply, usage, the stream's record). The control plane
(`/_mock/...`) and the spec document are not journaled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mock_server.journal import Entry, Journal, summarize_body

if TYPE_CHECKING:
    from mock_server.engine.call import Call

UNJOURNALED = ("/_mock/", "/openapi.json")


def open_entry(method: str, path: str, journal: Journal, now: float) -> Entry | None:
    """A new journal entry for this request, or None for an unjournaled path."""
    if path.startswith(UNJOURNALED):
        return None
    return journal.open(method, path, now)


def fill_entry(entry: Entry, call: Call | None, status: int, request_id: str) -> None:
    """What the client got, and what the call carried to get there."""
    entry.status, entry.request_id = status, request_id
    if call is None:
        return
    if call.who is not None:
        entry.account, entry.key_id = call.who.account.name, call.who.key_id or None
        entry.body = body_summary(call)
    if call.fault is not None:
        entry.fault, entry.fault_source = call.fault.text, call.fault_source
    if call.reply_rule is not None:
        entry.reply = call.reply_rule
    entry.door = call.door
    if call.usage is not None:
        entry.usage = dict(call.usage)
    if call.stream is not None:
        entry.stream = call.stream


def body_summary(call: Call) -> dict[str, Any]:
    """The entry's body summary; a known body's is made once and shared by its entries (the
    same raw body, so the same fields; the size is the request's own Content-Length)."""
    size = int(call.headers.get("content-length") or 0)
    known = call.known
    if known is not None and known.summary is not None and known.summary["bytes"] == size:
        return known.summary
    summary = summarize_body(call.parsed(), size)
    if known is not None:
        known.summary = summary
    return summary
