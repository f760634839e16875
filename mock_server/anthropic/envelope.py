"""This door's error bodies, as the Messages page documents them.

400 and 500 (and, in the fake, every other status but 401) are the Messages envelope
`{"type": "error", "error": {"type", "message"}, "request_id"}`; 401 is chat's OpenAI-style
envelope (the page documents both). The types and messages are the same as chat's.
"""

from __future__ import annotations

import orjson

from mock_server.errors import MoonshotError

OPENAI_STYLE = frozenset({401})


def error_body(error: MoonshotError, request_id: str) -> bytes:
    if error.status in OPENAI_STYLE:
        return error.body()
    return orjson.dumps({"type": "error", "error": {"type": error.type, "message": error.message},
                         "request_id": request_id})
