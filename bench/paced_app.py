"""A bench-only wrapper that paces the fake's streams, so that many stay open at once.

The fake itself streams as fast as the socket takes it. To hold 1,000 streams open in one
process the bench delays every streamed body message (each SSE event) by a fixed interval; the
fake's own code path is unchanged. `uvicorn --factory bench.paced_app:from_env`.
"""

from __future__ import annotations

import asyncio
import os

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server.app import create_app
from mock_server.config import Settings

PACE_ENV = "BENCH_PACE_SECONDS"


class Paced:
    def __init__(self, app: ASGIApp, interval: float) -> None:
        self.app = app
        self.interval = interval

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def paced_send(message: Message) -> None:
            if message["type"] == "http.response.body" and message.get("more_body"):
                await asyncio.sleep(self.interval)
            await send(message)

        await self.app(scope, receive, paced_send)


def from_env() -> ASGIApp:
    return Paced(create_app(Settings.load()), float(os.environ.get(PACE_ENV, "0.1")))
