"""Control-plane calls for scripted web-tool results (`/_mock/web_results`): list them, add
entries (the `web_results` format, docs/tools.md), or go back to the settings' own. HTTP glue
over `control.Control`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import orjson
from starlette.requests import Request
from starlette.responses import Response

from mock_server.errors import invalid_request
from mock_server.http.responses import json_response

if TYPE_CHECKING:
    from mock_server.control import Control


async def list_web_results(request: Request, control: Control) -> Response:
    return json_response({"object": "list", "data": control.web_results()})


async def add_web_results(request: Request, control: Control) -> Response:
    try:
        body = orjson.loads(await request.body())
    except orjson.JSONDecodeError as exc:
        raise invalid_request(f"the request body is not valid JSON ({exc})") from None
    return json_response({"object": "list", "data": control.add_web_results(body)}, 201)


async def clear_web_results(request: Request, control: Control) -> Response:
    control.clear_web_results()
    return json_response({"deleted": True})
