"""One error type and one status table.

Every non-2xx answer of the fake leaves through `http.responses.error_response`, shaped as the real API's
envelope `{"error": {"message": ..., "type": ...}}`. The HTTP status comes from the error type.
"""

from __future__ import annotations

from collections.abc import Mapping

import orjson

STATUS_BY_TYPE: Mapping[str, int] = {
    "invalid_request_error": 400,
    "content_filter": 400,
    "invalid_authentication_error": 401,
    "incorrect_api_key_error": 401,
    "permission_denied_error": 403,
    "resource_not_found_error": 404,
    "rate_limit_reached_error": 429,
    "engine_overloaded_error": 429,
    "exceeded_current_quota_error": 429,
    "client_closed_request": 499,
    "server_error": 500,
    "unexpected_output": 500,
    "server_unavailable": 503,
}


class MoonshotError(Exception):
    """An error the real API answers with; `status` overrides the table (e.g. 403 quota)."""

    def __init__(
        self,
        type_: str,
        message: str,
        *,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.type = type_
        self.message = message
        self.status = status if status is not None else STATUS_BY_TYPE.get(type_, 500)
        self.headers = dict(headers or {})

    def body(self) -> bytes:
        return orjson.dumps({"error": {"message": self.message, "type": self.type}})


def invalid_request(detail: str) -> MoonshotError:
    """400 with the real template `Invalid request: {error_details}`."""
    return MoonshotError("invalid_request_error", f"Invalid request: {detail}")
