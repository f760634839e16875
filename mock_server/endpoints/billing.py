from __future__ import annotations

from starlette.responses import Response

from mock_server.errors import json_response
from mock_server.pipeline import Call
from mock_server.services import Services


def available_balance(cash: float, voucher: float) -> float:
    """cash + voucher; when cash is negative (overdue), only the voucher counts."""
    return voucher if cash < 0 else cash + voucher


async def get_balance(call: Call, services: Services) -> Response:
    account = call.caller.account
    cash, voucher = account.cash_balance, max(0.0, account.voucher_balance)
    data = {"available_balance": round(available_balance(cash, voucher), 5),
            "voucher_balance": round(voucher, 5), "cash_balance": round(cash, 5)}
    return json_response({"code": 0, "data": data, "scode": "0x0", "status": True})
