"""JSON answers as the real API sends them, and the one renderer of `MoonshotError`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import orjson
from starlette.responses import Response, StreamingResponse

from mock_server.errors import MoonshotError

JSON_MEDIA_TYPE = "application/json; charset=utf-8"


class JsonResponse(Response):
    """A JSON body as the real API sends it: compact, UTF-8, `charset=utf-8`. Without extra
    headers (most answers) its two headers are made directly rather than by `init_headers`."""

    media_type = JSON_MEDIA_TYPE

    def __init__(self, body: bytes, status: int = 200,
                 headers: Mapping[str, str] | None = None) -> None:
        if headers:
            super().__init__(body, status, headers)
            return
        self.status_code = status
        self.background = None
        self.body = body
        self.raw_headers = [(b"content-length", b"%d" % len(body)),
                            (b"content-type", _JSON_CONTENT_TYPE)]


_JSON_CONTENT_TYPE = JSON_MEDIA_TYPE.encode("latin-1")


def json_response(payload: object, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """`payload` as a `JsonResponse`."""
    return JsonResponse(orjson.dumps(payload), status, headers)


def gateway_not_found(method: str, user_agent: str) -> Response:
    """The real gateway's answer for an unknown URL: its internal envelope, not the error one."""
    body = {"code": 5, "error": "url.not_found", "message": "没找到对象", "method": method,
            "scode": "0x5", "status": False, "ua": user_agent}
    return JsonResponse(orjson.dumps(body), 404)


def error_response(error: MoonshotError) -> Response:
    return JsonResponse(error.body(), error.status, error.headers)


def bytes_response(body: bytes, media_type: str) -> Response:
    """`body` as it is, with its length."""
    return Response(body, media_type=media_type)


def chunked_response(chunks: Iterator[bytes], media_type: str) -> Response:
    """A large body sent as it is read, without a length."""
    return StreamingResponse(chunks, media_type=media_type)
