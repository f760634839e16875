"""Drive one HTTP request through an ASGI app by hand, as a slow or vanishing client would.

Unlike TestClient (which buffers whole responses), the driver can stall after the first body
chunk (the stream stays open: its concurrency slot stays taken) and then disconnect.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from starlette.types import ASGIApp, Message


class DrivenRequest:
    def __init__(self, app: ASGIApp, body: Any, key: str, *, stall: bool = False) -> None:
        self.app = app
        self.body = orjson.dumps(body)
        self.key = key
        self.messages: list[Message] = []
        self.first_chunk = asyncio.Event()
        self.resume = asyncio.Event()
        self.gone = asyncio.Event()
        self._body_sent = False
        if not stall:
            self.resume.set()

    @property
    def status(self) -> int:
        return int(self.messages[0]["status"])

    @property
    def content(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.messages[1:])

    def start(self) -> asyncio.Task[None]:
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                 "method": "POST", "scheme": "http", "path": "/v1/chat/completions",
                 "raw_path": b"/v1/chat/completions", "query_string": b"", "root_path": "",
                 "headers": [(b"authorization", f"Bearer {self.key}".encode()),
                             (b"content-type", b"application/json")],
                 "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 80)}
        return asyncio.create_task(self.app(scope, self._receive, self._send))

    async def _receive(self) -> Message:
        if not self._body_sent:
            self._body_sent = True
            return {"type": "http.request", "body": self.body, "more_body": False}
        await self.gone.wait()
        return {"type": "http.disconnect"}

    async def _send(self, message: Message) -> None:
        self.messages.append(message)
        if message["type"] == "http.response.body" and message.get("body"):
            self.first_chunk.set()
            await self.resume.wait()


async def run(app: ASGIApp, body: Any, key: str) -> DrivenRequest:
    request = DrivenRequest(app, body, key)
    await asyncio.wait_for(request.start(), timeout=10)
    return request
