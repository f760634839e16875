"""Time, behind one small interface: the real clock, or a virtual one that moves when told."""

from __future__ import annotations

import asyncio
import time
from datetime import date
from typing import Protocol

DAY_SECONDS = 86_400
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def epoch_day(text: str) -> int:
    """`YYYY-MM-DD` as days since 1970-01-01 (ValueError for anything else)."""
    return date.fromisoformat(text).toordinal() - _EPOCH_ORDINAL


def day_of(timestamp: float) -> int:
    """The UTC day (days since the epoch) of a Unix time."""
    return int(timestamp // DAY_SECONDS)


def iso_day(day: int) -> str:
    return date.fromordinal(day + _EPOCH_ORDINAL).isoformat()


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


VIRTUAL_START = 1_793_491_200.0  # 2026-11-01T00:00:00Z: a day whose API has the newest models


class VirtualClock:
    """Time stands still until `advance` (an admin call, a header or a test) moves it."""

    def __init__(self, start: float = VIRTUAL_START) -> None:
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
