"""Polite request pacing for the live profile: stay under the account's RPM, back off on 429.

`Pacer` is a plain object over an injected clock and sleep (tests pass a fake pair and never
wait); `PoliteSession` is the requests session every live request goes through, probes included.
Moonshot sends no Retry-After (the 2026-03 capture has none), so 429s back off exponentially.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

TIER0_RPM = 3


@dataclass
class Pacer:
    interval: float  # seconds between request starts (60 / RPM, plus a margin)
    backoff: tuple[float, ...] = (2.0, 4.0, 8.0, 16.0, 32.0)
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    sent: int = 0
    waited: float = 0.0
    rate_limited: int = 0
    _last: float | None = field(default=None, repr=False)

    @classmethod
    def for_rpm(cls, rpm: float, **kwargs: Any) -> Pacer:
        return cls(interval=0.0 if rpm <= 0 else 60.0 / rpm + 1.0, **kwargs)

    def before_request(self) -> None:
        if self._last is not None:
            self.wait(self._last + self.interval - self.clock())
        self._last = self.clock()
        self.sent += 1

    def delay_after_429(self, attempt: int, retry_after: str | None) -> float | None:
        """Seconds to wait before retry `attempt` (0-based), or None to give up."""
        if attempt >= len(self.backoff):
            return None
        self.rate_limited += 1
        if retry_after and retry_after.strip().isdigit():
            return max(float(retry_after), self.backoff[attempt])
        return self.backoff[attempt]

    def wait(self, seconds: float) -> None:
        if seconds > 0:
            self.waited += seconds
            self.sleep(seconds)


class PoliteSession(requests.Session):
    """A requests session that paces every request and retries a 429 after backing off."""

    def __init__(self, pacer: Pacer) -> None:
        super().__init__()
        self.pacer = pacer

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        attempt = 0
        while True:
            self.pacer.before_request()
            response = super().send(request, **kwargs)
            if response.status_code != 429:
                return response
            delay = self.pacer.delay_after_429(attempt, response.headers.get("Retry-After"))
            if delay is None:
                return response
            response.close()
            self.pacer.wait(delay)
            attempt += 1
