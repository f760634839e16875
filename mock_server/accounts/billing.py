"""Balance and billing as plain data: amounts in integer nano-units, so every charge is exact.

Semantics of the real balance (reference §6): the voucher balance is never negative, the cash
balance may go negative (the account owes), available = cash + voucher, or the voucher alone
when cash is negative; at or below 0 available the inference API is refused. A charge takes the
voucher first, then cash (the real overdue capture shows voucher 0 with negative cash). Prices
are per million tokens, from the catalogue's data (`price.input / output / cached_input`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from mock_server.errors import MoonshotError
from mock_server.messages import NEWEST

NANO = 1_000_000_000  # nano-units per currency unit
NANO_PER_TOKEN_PER_PRICE = Decimal(NANO) / Decimal(1_000_000)  # price is per million tokens


def to_nano(amount: float) -> int:
    return int((Decimal(str(amount)) * NANO).to_integral_value(ROUND_HALF_UP))


def from_nano(amount: int, places: int = 5) -> float:
    return round(amount / NANO, places)


class Balance(NamedTuple):  # immutable, and cheap to make: one per charge
    cash: int  # nano-units; may be negative
    voucher: int  # nano-units; never negative

    @property
    def available(self) -> int:
        return self.voucher if self.cash < 0 else self.cash + self.voucher

    def data(self) -> dict[str, float | int]:
        """The `data` object of `GET /v1/users/me/balance` (5 decimals, as the real one; a
        whole amount prints as an integer, `0` not `0.0`, as in the real overdue capture)."""
        return {"available_balance": _amount(self.available),
                "voucher_balance": _amount(self.voucher), "cash_balance": _amount(self.cash)}


def _amount(nano: int) -> float | int:
    value = from_nano(nano)
    return int(value) if value.is_integer() else value


def initial_balance(cash: float, voucher: float) -> Balance:
    return Balance(cash=to_nano(cash), voucher=max(0, to_nano(voucher)))


def debit(balance: Balance, amount: int) -> Balance:
    """Take `amount` from the voucher first, the rest from cash (which may go negative)."""
    from_voucher = min(max(balance.voucher, 0), amount)
    return Balance(balance.cash - (amount - from_voucher), balance.voucher - from_voucher)


@dataclass(frozen=True)
class Rates:
    """Nano-units per token of one price; whole numbers (the usual case) stay `int`, so a
    charge is plain integer arithmetic."""

    input: int | Decimal
    cached_input: int | Decimal
    output: int | Decimal

    def cost(self, usage: Mapping[str, int]) -> int:
        """Nano-units for one completion: uncached prompt, cached prompt and output tokens."""
        cached = int(usage.get("cached_tokens") or 0)
        fresh = int(usage["prompt_tokens"]) - cached
        total = (fresh * self.input + cached * self.cached_input
                 + int(usage["completion_tokens"]) * self.output)
        if isinstance(total, int):
            return total
        return int(total.to_integral_value(ROUND_HALF_UP))


def price_rates(price: Mapping[str, Any]) -> Rates:
    return Rates(_rate(price, "input"), _rate(price, "cached_input", "input"),
                 _rate(price, "output"))


def usage_cost(price: Mapping[str, Any], usage: Mapping[str, int]) -> int:
    """Nano-units for one completion: uncached prompt, cached prompt and output tokens."""
    return price_rates(price).cost(usage)


def _rate(price: Mapping[str, Any], name: str, fallback: str | None = None) -> int | Decimal:
    value = price.get(name, price.get(fallback, 0) if fallback else 0)
    rate = Decimal(str(value or 0)) * NANO_PER_TOKEN_PER_PRICE
    return int(rate) if rate == rate.to_integral_value() else rate


def insufficient_balance(org_id: str, key_id: str,
                         texts: Mapping[str, str] = NEWEST) -> MoonshotError:
    """The era's text and status: 429 since 2025-12 (note the space before `<`), 403 before."""
    return MoonshotError("exceeded_current_quota_error",
                         texts["insufficient_balance"].format(org=org_id, ak=key_id),
                         status=int(texts["quota_status"]))
