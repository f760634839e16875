"""`X-Mock-Clock-Advance: <seconds>`: move the virtual clock before the request is handled.

A test can exhaust a per-minute limit, send the next request with `X-Mock-Clock-Advance: 60`,
and pass again at once. With shared state (Redis) the virtual time is shared too: each request
first catches its process's clock up with the latest time any process has seen.
The header is part of the control plane (`X-Mock-*`), never of the `/v1` shapes.
"""

from __future__ import annotations

import math

from starlette.types import ASGIApp, Receive, Scope, Send

from mock_server.clock import VirtualClock
from mock_server.errors import MoonshotError
from mock_server.services import Services

HEADER = b"x-mock-clock-advance"


def parse_advance(raw: str) -> float:
    """Seconds to move forward: a finite, non-negative number, or a clear 400."""
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        raise MoonshotError("invalid_request_error",
                            f"X-Mock-Clock-Advance must be a non-negative number of seconds, "
                            f"got {raw!r}")
    return seconds


class ClockAdvance:
    def __init__(self, app: ASGIApp, services: Services) -> None:
        self.app = app
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        clock = self.services.clock
        if scope["type"] == "http" and isinstance(clock, VirtualClock):
            await self._move(clock, dict(scope["headers"]).get(HEADER))
        elif scope["type"] == "http" and HEADER in dict(scope["headers"]):
            raise MoonshotError("invalid_request_error",
                                "X-Mock-Clock-Advance needs the virtual clock (--clock virtual)")
        await self.app(scope, receive, send)

    async def _move(self, clock: VirtualClock, raw: bytes | None) -> None:
        state = self.services.state
        if state.shared:
            clock.set(await state.sync_clock(clock.now()))
        if raw is not None:
            clock.advance(parse_advance(raw.decode("latin-1")))
            if state.shared:
                clock.set(await state.sync_clock(clock.now()))
