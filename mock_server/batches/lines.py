"""The lines of a batch's output and error files (JSONL, one line per request, input order).

A line is `{"custom_id", "id", "response": {"status_code", "request_id", "body"}, "error"}` as
the batch guide shows it (`id` repeats the `custom_id` there). A request the engine refused
goes to the error file with that status and the door's error envelope as its body (and
`error: null`, as the OpenAI-compatible format has it); a request that never ran
(the batch expired) has `response: null` and `error: {"code", "message"}`.
"""

from __future__ import annotations

from typing import Any

import orjson

EXPIRED_MESSAGE = "This request could not be executed before the completion window expired."


def answered(custom_id: str, status: int, body: Any) -> bytes:
    return orjson.dumps({"custom_id": custom_id, "id": custom_id,
                         "response": {"status_code": status, "request_id": "", "body": body},
                         "error": None}) + b"\n"


def never_ran(custom_id: str, code: str = "batch_expired",
              message: str = EXPIRED_MESSAGE) -> bytes:
    return orjson.dumps({"custom_id": custom_id, "id": custom_id, "response": None,
                         "error": {"code": code, "message": message}}) + b"\n"
