"""`X-Mock-Clock-Advance: <seconds>`: move the virtual clock before the request is handled.

A test can exhaust a per-minute limit, send the next request with `X-Mock-Clock-Advance: 60`,
and pass again at once. With shared state (Redis) the virtual time is shared too: each request
first catches its process's clock up with the latest time any process has seen.
The header is part of the control plane (`X-Mock-*`), never of the `/v1` shapes.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from starlette.types import Scope

from mock_server.clock import VirtualClock
from mock_server.errors import MoonshotError

if TYPE_CHECKING:
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


async def advance_clock(services: Services, scope: Scope) -> None:
    """Apply the request's `X-Mock-Clock-Advance` (a 400 without the virtual clock)."""
    clock = services.clock
    if isinstance(clock, VirtualClock):
        await _move(services, clock, _header(scope))
    elif _header(scope) is not None:
        raise MoonshotError("invalid_request_error",
                            "X-Mock-Clock-Advance needs the virtual clock (--clock virtual)")


def _header(scope: Scope) -> bytes | None:
    for name, value in scope["headers"]:
        if name == HEADER:
            return bytes(value)
    return None


async def _move(services: Services, clock: VirtualClock, raw: bytes | None) -> None:
    state = services.state
    if state.shared:
        clock.set(await state.sync_clock(clock.now()))
    if raw is not None:
        clock.advance(parse_advance(raw.decode("latin-1")))
        if state.shared:
            clock.set(await state.sync_clock(clock.now()))
