"""`POST /v1/signatures/verify`: whether a signature is this fake's (its `signing_key`) for
the nonce, timestamp and model given."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mock_server.http.call import HttpCall as Call
from mock_server.http.responses import json_response

if TYPE_CHECKING:
    from starlette.responses import Response

    from mock_server.services import Services


async def verify_request_signature(call: Call, services: Services) -> Response:
    body = call.body
    valid = services.signer.verify(body["nonce"], body["timestamp"], body["model"],
                                   body["signature"])
    return json_response({"valid": valid})
