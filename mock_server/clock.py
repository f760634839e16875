"""Time, behind one small interface: the real clock, or a virtual one that moves when told."""

from __future__ import annotations

import asyncio
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Wall-clock seconds since the epoch (drives `created`, ids and limit windows)."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait; a virtual clock moves itself forward instead of waiting."""
        ...


class RealClock:
    def now(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class VirtualClock:
    """Time stands still until `advance` (an admin call, a header or a test) moves it."""

    def __init__(self, start: float = 1_767_225_600.0) -> None:  # 2026-01-01T00:00:00Z
        self._now = float(start)

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("a clock only moves forward")
        self._now += seconds
        return self._now

    def set(self, timestamp: float) -> float:
        self.advance(max(0.0, timestamp - self._now))
        return self._now

    async def sleep(self, seconds: float) -> None:
        self.advance(max(0.0, seconds))
        await asyncio.sleep(0)
