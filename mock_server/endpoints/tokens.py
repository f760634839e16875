from __future__ import annotations

from starlette.responses import Response

from mock_server.chat_rules import resolve_model
from mock_server.errors import json_response
from mock_server.pipeline import Call
from mock_server.services import Services
from mock_server.tokens import count_prompt


async def estimate_token_count(call: Call, services: Services) -> Response:
    resolve_model(services.catalogue, call.body["model"])
    total = count_prompt(call.body["messages"], call.body.get("tools"))
    return json_response({"data": {"total_tokens": total}})
