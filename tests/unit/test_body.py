"""The body is read once, and left where Starlette's own readers find it."""

from __future__ import annotations

import pytest
from starlette.requests import ClientDisconnect, Request
from starlette.types import Message

from mock_server.http.body import body_read, read_body
from mock_server.http.call import Call


def request_with(*messages: Message) -> Request:
    pending = list(messages)

    async def receive() -> Message:
        if not pending:
            raise AssertionError("the body was read from the client twice")
        return pending.pop(0)

    scope = {"type": "http", "method": "POST", "path": "/", "headers": [], "query_string": b""}
    return Request(scope, receive)


async def test_starlettes_readers_see_the_body_read_once() -> None:
    request = request_with({"type": "http.request", "body": b'{"a": ', "more_body": True},
                           {"type": "http.request", "body": b"[1, 2]}", "more_body": False})
    assert body_read(request) is None
    assert await read_body(request) == b'{"a": [1, 2]}'
    assert body_read(request) == b'{"a": [1, 2]}'
    assert await request.body() == b'{"a": [1, 2]}'
    assert await request.json() == {"a": [1, 2]}
    call = Call(request, "id")
    assert await call.json() == {"a": [1, 2]} and await call.json() is call.parsed()
    assert await read_body(request) == b'{"a": [1, 2]}'


async def test_a_client_gone_mid_body_is_a_client_disconnect() -> None:
    request = request_with({"type": "http.request", "body": b"{", "more_body": True},
                           {"type": "http.disconnect"})
    with pytest.raises(ClientDisconnect):
        await read_body(request)
    assert await request.is_disconnected()
