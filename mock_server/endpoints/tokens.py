from __future__ import annotations

from typing import TYPE_CHECKING

from mock_server.chat.rules import resolve_model
from mock_server.http.call import HttpCall
from mock_server.http.responses import json_response

if TYPE_CHECKING:
    from starlette.responses import Response

    from mock_server.services import Services


async def estimate_token_count(call: HttpCall, services: Services) -> Response:
    model = resolve_model(services.api(), call.body["model"])
    total = services.tokens.estimate(call.body, model)
    return json_response({"data": {"total_tokens": total}})
