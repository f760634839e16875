"""State of one process: plain dicts, decided by the pure functions of `limits` and `billing`."""

from __future__ import annotations

from mock_server.accounts.billing import Balance, debit
from mock_server.accounts.limits import Limits, Usage, Verdict, admit, release


class MemoryState:
    shared = False

    def __init__(self) -> None:
        self._usage: dict[str, Usage] = {}
        self._balances: dict[str, Balance] = {}

    async def admit(self, account: str, limits: Limits, tokens: int, now: float,
                    lease: str) -> Verdict:
        """One process: a slot is a count (the process that holds it is this one)."""
        return admit(self._usage.setdefault(account, Usage()), limits, tokens, now)

    async def release(self, account: str, lease: str) -> None:
        usage = self._usage.get(account)
        if usage is not None:
            release(usage)

    async def balance(self, account: str, initial: Balance) -> Balance:
        return self._balances.get(account, initial)

    async def charge(self, account: str, initial: Balance, amount: int) -> Balance:
        balance = debit(self._balances.get(account, initial), amount)
        self._balances[account] = balance
        return balance

    def clear(self) -> None:
        self._usage.clear()
        self._balances.clear()

    async def sync_clock(self, now: float) -> float:
        return now

    async def close(self) -> None:
        return None
