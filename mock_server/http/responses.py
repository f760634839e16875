"""JSON answers as the real API sends them, and the one renderer of `MoonshotError`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import orjson
from starlette.responses import Response, StreamingResponse

from mock_server.errors import MoonshotError

JSON_MEDIA_TYPE = "application/json; charset=utf-8"


def json_response(payload: object, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """`payload` as the real API sends JSON: compact, UTF-8, `charset=utf-8`."""
    return Response(orjson.dumps(payload), status, headers, media_type=JSON_MEDIA_TYPE)


def gateway_not_found(method: str, user_agent: str) -> Response:
    """The real gateway's answer for an unknown URL: its internal envelope, not the error one."""
    body = {"code": 5, "error": "url.not_found", "message": "没找到对象", "method": method,
            "scode": "0x5", "status": False, "ua": user_agent}
    return Response(orjson.dumps(body), 404, media_type=JSON_MEDIA_TYPE)


def error_response(error: MoonshotError) -> Response:
    return Response(error.body(), error.status, error.headers, media_type=JSON_MEDIA_TYPE)


def bytes_response(body: bytes, media_type: str) -> Response:
    """`body` as it is, with its length."""
    return Response(body, media_type=media_type)


def chunked_response(chunks: Iterator[bytes], media_type: str) -> Response:
    """A large body sent as it is read, without a length."""
    return StreamingResponse(chunks, media_type=media_type)
