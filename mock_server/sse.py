"""Server-sent event framing exactly as the real API writes it.

Each event is `data: <compact JSON>\\n\\n`; the stream ends with `data: [DONE]\\n\\n`. No event
names, no ids, no keep-alive comments unless a ping interval is configured.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

DONE = b"data: [DONE]\n\n"


def encode_event(payload: Mapping[str, Any]) -> bytes:
    return b"data: " + orjson.dumps(payload) + b"\n\n"


def encode_comment(text: str) -> bytes:
    """A comment line (`: text`), which SSE clients ignore; used only for configured pings."""
    return b"".join(b": " + line.encode() + b"\n" for line in text.split("\n")) + b"\n"
