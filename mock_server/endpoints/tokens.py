from __future__ import annotations

from typing import TYPE_CHECKING

from mock_server.chat.rules import resolve_model
from mock_server.chat.tokens import count_prompt
from mock_server.http.call import Call
from mock_server.http.responses import json_response

if TYPE_CHECKING:
    from starlette.responses import Response

    from mock_server.services import Services


async def estimate_token_count(call: Call, services: Services) -> Response:
    resolve_model(services.catalogue, call.body["model"])
    total = count_prompt(call.body["messages"], call.body.get("tools"))
    return json_response({"data": {"total_tokens": total}})
