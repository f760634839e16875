from __future__ import annotations

from typing import TYPE_CHECKING

from mock_server.http.call import HttpCall
from mock_server.http.responses import json_response

if TYPE_CHECKING:
    from starlette.responses import Response

    from mock_server.services import Services


async def list_models(call: HttpCall, services: Services) -> Response:
    return json_response(services.api().listing())
