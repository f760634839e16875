"""Where counters and balances live: memory (one process, the default) or Redis (shared).

Both backends answer the same small interface, and every operation is atomic: the memory one
because it never awaits in the middle of a decision, the Redis one because each operation is a
single Lua script run by the server.
"""

from __future__ import annotations

from typing import Protocol

from mock_server.accounts.billing import Balance
from mock_server.accounts.limits import Limits, Verdict
from mock_server.settings import Settings


class State(Protocol):
    shared: bool  # whether other processes see the same state (and the same virtual time)

    async def admit(self, account: str, limits: Limits, tokens: int, now: float,
                    lease: str) -> Verdict:
        """Check the limits and record the request if admitted, in one step; an admitted
        request holds the concurrency slot named `lease` (unique across processes)."""
        ...

    async def release(self, account: str, lease: str) -> None:
        """Free the concurrency slot an admitted request held."""
        ...

    async def balance(self, account: str, initial: Balance) -> Balance:
        """The account's balance (`initial` until the first charge)."""
        ...

    async def charge(self, account: str, initial: Balance, amount: int) -> Balance:
        """Debit `amount` nano-units (voucher first) and return the new balance."""
        ...

    async def sync_clock(self, now: float) -> float:
        """The shared virtual time: the latest of all processes' clocks (`now` if not shared)."""
        ...

    def clear(self) -> None:
        """Forget every account's counters and balance, and the shared virtual time (reset).
        Synchronous: the control plane's reset also runs from a test's own thread."""
        ...

    async def close(self) -> None: ...


def open_state(settings: Settings) -> State:
    if settings.state == "redis":
        from mock_server.accounts.state.redis import RedisState

        return RedisState(settings.redis_url, settings.redis_prefix, settings.redis_lease_seconds)
    from mock_server.accounts.state.memory import MemoryState

    return MemoryState()
