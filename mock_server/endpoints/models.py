from __future__ import annotations

from starlette.responses import Response

from mock_server.errors import json_response
from mock_server.pipeline import Call
from mock_server.services import Services


async def list_models(call: Call, services: Services) -> Response:
    return json_response(services.catalogue.listing())
