"""The journal's edge: open an entry per API request, fill in the answer's status and id.

Outermost middleware, so the status it records is the one the client got (errors rendered by
`RequestMeta` included). Later steps reach the entry through `entry_of(scope)`. The control
plane (`/_mock/...`) and the spec document are not journaled.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server.journal import Entry
from mock_server.services import Services

ENTRY_KEY = "journal_entry"
UNJOURNALED = ("/_mock/", "/openapi.json")


def entry_of(scope: Scope) -> Entry | None:
    return (scope.get("state") or {}).get(ENTRY_KEY)


class JournalRecorder:
    def __init__(self, app: ASGIApp, services: Services) -> None:
        self.app = app
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(UNJOURNALED):
            await self.app(scope, receive, send)
            return
        journal = self.services.journal
        entry = journal.open(scope["method"], scope["path"], self.services.clock.now())
        scope.setdefault("state", {})[ENTRY_KEY] = entry

        async def record(message: Message) -> None:
            if message["type"] == "http.response.start":
                entry.status = message["status"]
                for name, value in message.get("headers", ()):
                    if name.lower() == b"msh-request-id":
                        entry.request_id = value.decode("latin-1")
            await send(message)

        await self.app(scope, receive, record)


def note_usage(scope: Scope, usage: dict[str, int]) -> None:
    entry = entry_of(scope)
    if entry is not None:
        entry.usage = dict(usage)
