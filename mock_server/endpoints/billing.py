from __future__ import annotations

from starlette.responses import Response

from mock_server.errors import json_response
from mock_server.pipeline import Call
from mock_server.services import Services


async def get_balance(call: Call, services: Services) -> Response:
    """The real internal envelope `{code, data, scode, status}` around the account's balance."""
    balance = await services.admission.balance(call.caller.account)
    return json_response({"code": 0, "data": balance.data(), "scode": "0x0", "status": True})
