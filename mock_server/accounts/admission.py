"""Step 6 and step 9 of a request's way: admission of inference requests, then settlement.

Admission, in order: the balance (available ≤ 0 → 429 `exceeded_current_quota_error`), the
account's four limits (429 `rate_limit_reached_error`, not recorded, not billed), then engine
overload (429 `engine_overloaded_error`; the request has already counted against the limits, as
the real gateway counts an SDK's retries). An admitted request holds a concurrency slot until its
response's last byte is sent or the client goes away; a successful completion is billed.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import anyio

from mock_server.accounts.auth import Account, Caller
from mock_server.accounts.billing import Balance, Rates, initial_balance, insufficient_balance, price_rates
from mock_server.accounts.limits import (
    Caller429,
    Limits,
    account_limits,
    load_tiers,
    project_id,
    rate_limit_headers,
)
from mock_server.accounts.limits import rejection as limit_rejection
from mock_server.accounts.overload import OverloadPlan, engine_overloaded
from mock_server.accounts.state import State
from mock_server.clock import Clock
from mock_server.data.catalogue import Model
from mock_server.messages import NEWEST
from mock_server.settings import Settings

KNOWN_ACCOUNTS_MAX = 100_000  # initial balances remembered (as the authenticator's callers)


class Demand(NamedTuple):
    """What an inference request asks of its account, found by its semantic checks (a named
    tuple: made for every request, and cheaper to make than a frozen dataclass)."""

    model: Model
    prompt_tokens: int
    max_output_tokens: int  # counted against TPM/TPD with the prompt
    # the error texts of the API's day (`messages.texts_on`)
    texts: Mapping[str, str] = NEWEST


@dataclass
class Ticket:
    """An admitted inference request: what it asked for and the slot it holds."""

    state: State
    account: str
    model: Model
    prompt_tokens: int
    holds_slot: bool
    headers: dict[str, str] = field(default_factory=dict)
    # the slot's name in the shared state: random, never on the wire (replicas must not
    # collide); drawn only when limits are on, since a request without a slot names none
    lease: str = ""

    async def release(self) -> None:
        """Free the slot once (idempotent); shielded so a disconnect cannot leak it."""
        if not self.holds_slot:
            return
        self.holds_slot = False
        with anyio.CancelScope(shield=True):
            await self.state.release(self.account, self.lease)


def check_settings(settings: Settings) -> None:
    """Raise `ConfigError` for an unknown tier or a bad overload setting, before serving."""
    tiers = load_tiers()
    for config in (None, *settings.accounts):
        account_limits(settings, config, tiers)
    OverloadPlan.build(settings.overload_probability, settings.overload_schedule, settings.seed)


class Admission:
    def __init__(self, settings: Settings, state: State, clock: Clock) -> None:
        self.settings = settings
        self.state = state
        self.clock = clock
        self.overload = OverloadPlan.build(settings.overload_probability,
                                           settings.overload_schedule, settings.seed)
        self._tiers = load_tiers()
        self._configs = {a.name: a for a in settings.accounts}
        self._limits: dict[str, Limits] = {
            name: account_limits(settings, config, self._tiers)
            for name, config in self._configs.items()
        }
        self._default = account_limits(settings, None, self._tiers)
        self._initial: dict[str, tuple[Account, Balance]] = {}
        self._rates: dict[str, Rates] = {}
        self._batch_rates: dict[str, Rates] = {}

    def limits_for(self, account: str) -> Limits:
        return self._limits.get(account, self._default)

    def initial_balance(self, account: Account) -> Balance:
        """The account's opening balance in nano-units, converted once per account."""
        known = self._initial.get(account.name)
        if known is not None and known[0] is account:
            return known[1]
        initial = initial_balance(account.cash_balance, account.voucher_balance)
        if len(self._initial) < KNOWN_ACCOUNTS_MAX:
            self._initial[account.name] = (account, initial)
        return initial

    def rates(self, model: Model) -> Rates:
        rates = self._rates.get(model.id)
        if rates is None:
            rates = self._rates[model.id] = price_rates(model.price)
        return rates

    async def balance(self, account: Account) -> Balance:
        return await self.state.balance(account.name, self.initial_balance(account))

    async def ensure_funds(self, caller: Caller, texts: Mapping[str, str] = NEWEST) -> None:
        """The balance refusal of a paid call that is not admitted against the limits (the web
        tools): none while some balance is available."""
        if (await self.balance(caller.account)).available <= 0:
            raise insufficient_balance(caller.account.id, caller.key_id, texts)

    async def admit(self, caller: Caller, demand: Demand) -> Ticket:
        model, prompt_tokens = demand.model, demand.prompt_tokens
        account = caller.account
        if (await self.balance(account)).available <= 0:
            raise insufficient_balance(account.id, caller.key_id, demand.texts)
        ticket = Ticket(self.state, account.name, model, prompt_tokens, holds_slot=False)
        limits = self.limits_for(account.name)
        if limits.enabled:
            tokens = prompt_tokens + demand.max_output_tokens
            ticket.lease = secrets.token_hex(12)
            verdict = await self.state.admit(account.name, limits, tokens, self.clock.now(),
                                             ticket.lease)
            headers = rate_limit_headers(verdict) if self.settings.rate_limit_headers else {}
            if not verdict.admitted:
                who = Caller429(account.id, account.uid, project_id(account.name), caller.key_id)
                error = limit_rejection(verdict, who, demand.texts,
                                        self.settings.retry_hint == "window")
                error.headers.update(headers)
                raise error
            ticket.holds_slot, ticket.headers = True, headers
        if self.overload.hit():
            await ticket.release()
            raise engine_overloaded()
        return ticket

    async def bill(self, ticket: Ticket, account: Account, usage: Mapping[str, int]) -> Balance:
        """Charge a successful completion at its model's price."""
        return await self.state.charge(account.name, self.initial_balance(account),
                                       self.rates(ticket.model).cost(usage))

    def batch_rates(self, model: Model) -> Rates:
        """The model's batch price (the Batch API's own table), else its standard one."""
        rates = self._batch_rates.get(model.id)
        if rates is None:
            rates = self._batch_rates[model.id] = price_rates(model.batch_price or model.price)
        return rates

    async def charge(self, account: Account, amount: int) -> Balance:
        """Debit nano-units already priced (a batch's requests: no slot, no limits, as the
        Batch API is not subject to the real-time limits)."""
        return await self.state.charge(account.name, self.initial_balance(account), amount)
