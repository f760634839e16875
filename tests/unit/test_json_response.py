"""The fake's JSON responses carry exactly the headers Starlette would give the same body."""

from __future__ import annotations

import pytest
from starlette.responses import Response

from mock_server.errors import MoonshotError
from mock_server.http.responses import JSON_MEDIA_TYPE, JsonResponse, error_response


@pytest.mark.parametrize("status", [200, 400, 429, 500])
@pytest.mark.parametrize("headers", [None, {}, {"Retry-After": "3"}])
def test_headers_equal_starlettes(status: int, headers: dict[str, str] | None) -> None:
    body = '{"answer":"你好"}'.encode()
    ours = JsonResponse(body, status, headers)
    theirs = Response(body, status, headers, media_type=JSON_MEDIA_TYPE)
    assert (ours.status_code, ours.body, ours.raw_headers) == (
        theirs.status_code, theirs.body, theirs.raw_headers)


def test_headers_added_later_join_the_direct_ones() -> None:
    response = error_response(MoonshotError("rate_limit_reached_error", "slow down"))
    response.headers.update({"x-ratelimit-remaining": "0"})
    assert response.headers["content-type"] == JSON_MEDIA_TYPE
    assert response.headers["x-ratelimit-remaining"] == "0"
    assert response.headers["content-length"] == str(len(response.body))
