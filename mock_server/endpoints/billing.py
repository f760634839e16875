from __future__ import annotations

from typing import TYPE_CHECKING

from mock_server.http.call import HttpCall
from mock_server.http.responses import json_response

if TYPE_CHECKING:
    from starlette.responses import Response

    from mock_server.services import Services


async def get_balance(call: HttpCall, services: Services) -> Response:
    """The real internal envelope `{code, data, scode, status}` around the account's balance."""
    balance = await services.admission.balance(call.caller.account)
    return json_response({"code": 0, "data": balance.data(), "scode": "0x0", "status": True})
