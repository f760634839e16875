"""The fake's JSON answers: compact UTF-8 bodies with exactly two headers of their own."""

from __future__ import annotations

import pytest

from mock_server.errors import MoonshotError
from mock_server.http.responses import JSON_MEDIA_TYPE, error_response, json_response


@pytest.mark.parametrize("status", [200, 400, 429, 500])
@pytest.mark.parametrize("headers", [None, {}, {"Retry-After": "3"}])
def test_compact_utf8_with_length_and_charset(status: int, headers: dict[str, str] | None) -> None:
    response = json_response({"answer": "你好", "n": [1, 2]}, status, headers)
    body = '{"answer":"你好","n":[1,2]}'.encode()
    assert (response.status_code, response.body) == (status, body)
    assert response.raw_headers == [
        *((k.lower().encode(), v.encode()) for k, v in (headers or {}).items()),
        (b"content-length", b"%d" % len(body)), (b"content-type", JSON_MEDIA_TYPE.encode())]


def test_headers_added_later_join_the_others() -> None:
    response = error_response(MoonshotError("rate_limit_reached_error", "slow down"))
    response.headers.update({"x-ratelimit-remaining": "0"})
    assert response.headers["content-type"] == JSON_MEDIA_TYPE
    assert response.headers["x-ratelimit-remaining"] == "0"
    assert response.headers["content-length"] == str(len(response.body))
    assert response.body == b'{"error":{"message":"slow down","type":"rate_limit_reached_error"}}'
