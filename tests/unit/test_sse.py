"""SSE framing, byte for byte."""

from __future__ import annotations

import pytest

from mock_server.sse import DONE, encode_comment, encode_event


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"a": 1}, b'data: {"a":1}\n\n'),
        ({"content": "你好"}, 'data: {"content":"你好"}\n\n'.encode()),
        ({"delta": {}, "finish_reason": None}, b'data: {"delta":{},"finish_reason":null}\n\n'),
        ({"text": "line\nbreak"}, b'data: {"text":"line\\nbreak"}\n\n'),
        ({"q": '"quoted"'}, b'data: {"q":"\\"quoted\\""}\n\n'),
    ],
)
def test_event_is_data_line_then_blank_line(payload: dict, expected: bytes) -> None:
    assert encode_event(payload) == expected


def test_done_terminator() -> None:
    assert DONE == b"data: [DONE]\n\n"


def test_comment_lines() -> None:
    assert encode_comment("ping") == b": ping\n\n"
    assert encode_comment("a\nb") == b": a\n: b\n\n"
