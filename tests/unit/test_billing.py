"""Exact billing: prices per million tokens, voucher first, the real balance semantics."""

from __future__ import annotations

import itertools

import pytest

from mock_server.accounts.billing import (
    Balance,
    debit,
    initial_balance,
    insufficient_balance,
    to_nano,
    usage_cost,
)
from mock_server.accounts.state.memory import MemoryState
from mock_server.accounts.state.redis import RedisState
from mock_server.data.catalogue import load_catalogue

_PREFIXES = itertools.count()


def test_cost_is_price_times_tokens_exactly() -> None:
    price = load_catalogue().models["moonshot-v1-8k"].price  # $0.20 in, $2.00 out per M
    usage = {"prompt_tokens": 83, "completion_tokens": 25, "total_tokens": 108}
    assert usage_cost(price, usage) == 83 * 200 + 25 * 2000  # nano-dollars: 0.0000666
    cached = {"prompt_tokens": 1000, "completion_tokens": 0, "cached_tokens": 400}
    assert usage_cost({"input": 0.60, "output": 2.5, "cached_input": 0.15}, cached) == (
        600 * 600 + 400 * 150)


def test_available_balance_semantics() -> None:
    assert Balance(cash=to_nano(3.00001), voucher=to_nano(46.58893)).data() == {
        "available_balance": 49.58894, "voucher_balance": 46.58893, "cash_balance": 3.00001}
    overdue = Balance(cash=to_nano(-31.14918), voucher=0)
    assert overdue.available == 0 and overdue.data()["cash_balance"] == -31.14918
    assert Balance(cash=-5, voucher=7).available == 7
    assert initial_balance(1.0, -2.0).voucher == 0  # a voucher is never negative


def test_debit_takes_the_voucher_first_then_cash_which_may_go_negative() -> None:
    assert debit(Balance(cash=100, voucher=30), 20) == Balance(cash=100, voucher=10)
    assert debit(Balance(cash=100, voucher=30), 50) == Balance(cash=80, voucher=0)
    assert debit(Balance(cash=10, voucher=0), 25) == Balance(cash=-15, voucher=0)


def test_insufficient_balance_is_the_real_429() -> None:
    error = insufficient_balance("org-de5241b31b0345aca34d854a6743eacf", "ak-f7azbgd8toki11ce3e1i")
    assert error.status == 429 and error.type == "exceeded_current_quota_error"
    assert error.message == (
        "Your account org-de5241b31b0345aca34d854a6743eacf <ak-f7azbgd8toki11ce3e1i> is suspended "
        "due to insufficient balance, please recharge your account or check your plan and "
        "billing details")


@pytest.mark.parametrize("backend", ["memory", "redis"])
async def test_backends_charge_identically(backend: str, request: pytest.FixtureRequest) -> None:
    if backend == "redis":
        state = RedisState(request.getfixturevalue("redis_url"), f"test-bill-{next(_PREFIXES)}:",
                           lease_seconds=60)
    else:
        state = MemoryState()
    initial = initial_balance(100.0, 0.5)
    assert await state.balance("acme", initial) == initial
    assert await state.charge("acme", initial, to_nano(0.2)) == Balance(to_nano(100.0),
                                                                        to_nano(0.3))
    assert await state.charge("acme", initial, to_nano(100.5)) == Balance(to_nano(-0.2), 0)
    assert await state.balance("acme", initial) == Balance(to_nano(-0.2), 0)
    assert await state.balance("other", initial) == initial
    await state.close()
