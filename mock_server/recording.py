"""The journal's edge: an entry per API request, filled in as the request goes.

`Edge` (the outermost layer of the app) opens the entry and records the status and
request id the client got, errors it renders included. Later steps reach the entry through
`entry_of(scope)`. The control plane (`/_mock/...`) and the spec document are not journaled.
"""

from __future__ import annotations

from starlette.types import Scope

from mock_server.journal import Entry, Journal

ENTRY_KEY = "journal_entry"
UNJOURNALED = ("/_mock/", "/openapi.json")


def entry_of(scope: Scope) -> Entry | None:
    return (scope.get("state") or {}).get(ENTRY_KEY)


def open_entry(scope: Scope, journal: Journal, now: float) -> Entry | None:
    """A new journal entry for this HTTP request, or None for an unjournaled path."""
    if scope["path"].startswith(UNJOURNALED):
        return None
    entry = journal.open(scope["method"], scope["path"], now)
    scope.setdefault("state", {})[ENTRY_KEY] = entry
    return entry


def note_usage(scope: Scope, usage: dict[str, int]) -> None:
    entry = entry_of(scope)
    if entry is not None:
        entry.usage = dict(usage)
