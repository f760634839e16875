"""Follow-up requests a check needs (the estimate for the same messages, a read after delete).

A probe goes through the same transport as the case it follows (same app or base URL, same
session, so the live profile's pacing applies) and carries the same Authorization header.
"""

from __future__ import annotations

import json
from typing import Any

from schemathesis import Case, CheckContext, Response


def header(response: Response, name: str) -> str:
    for key, values in response.headers.items():
        if key.lower() == name.lower():
            return values[0] if isinstance(values, list) and values else str(values)
    return ""


def media_type(response: Response) -> str:
    return header(response, "content-type").split(";")[0].strip().lower()


def json_body(response: Response) -> Any:
    try:
        return json.loads(response.content)
    except ValueError:
        return None


def probe(ctx: CheckContext, case: Case, response: Response, operation_id: str,
          **parts: Any) -> Response:
    """Send `operation_id` with the given case parts (body, path_parameters) after `case`."""
    operation = case.operation.schema.find_operation_by_id(operation_id)
    headers = {}
    authorization = response.request.headers.get("Authorization")
    if authorization:
        headers["Authorization"] = authorization
    if "body" in parts:
        parts.setdefault("media_type", "application/json")
    follow_up = operation.Case(headers=headers, **parts)
    kwargs = dict(ctx.internals.transport_kwargs or {})
    if case.operation.app is not None:
        kwargs.setdefault("app", case.operation.app)
    ctx.internals.record_case(parent_id=case.id, case=follow_up)
    answer = follow_up.call(**kwargs)
    ctx.internals.record_response(case_id=follow_up.id, response=answer)
    return answer
