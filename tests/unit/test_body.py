"""The body is read once, kept on the request's Call, and every reader goes through it."""

from __future__ import annotations

import orjson
import pytest
from starlette.requests import ClientDisconnect, Request
from starlette.types import Message

from mock_server.errors import MoonshotError
from mock_server.http.body import read_body
from mock_server.http.call import HttpCall


def request_with(*messages: Message) -> Request:
    pending = list(messages)

    async def receive() -> Message:
        if not pending:
            raise AssertionError("the body was read from the client twice")
        return pending.pop(0)

    scope = {"type": "http", "method": "POST", "path": "/", "headers": [], "query_string": b""}
    return Request(scope, receive)


async def test_the_call_reads_the_body_once_for_every_reader() -> None:
    call = HttpCall.of(request_with({"type": "http.request", "body": b'{"a": ', "more_body": True},
                             {"type": "http.request", "body": b"[1, 2]}", "more_body": False}), "id")
    assert call.raw is None and call.parsed() is None
    assert await call.read() == b'{"a": [1, 2]}' and call.raw == b'{"a": [1, 2]}'
    assert await call.json() == {"a": [1, 2]} and await call.json() is call.parsed()
    assert [chunk async for chunk in call.body_chunks()] == [b'{"a": [1, 2]}']


async def test_a_body_that_is_not_json_is_read_once_too() -> None:
    call = HttpCall.of(request_with({"type": "http.request", "body": b"{nope", "more_body": False}), "id")
    for _ in range(2):  # the fault edge peeks, then the pipeline answers the 400
        with pytest.raises(orjson.JSONDecodeError):
            await call.json()
    assert call.raw == b"{nope"


async def test_a_body_not_read_yet_streams_from_the_client() -> None:
    call = HttpCall.of(request_with({"type": "http.request", "body": b"ab", "more_body": True},
                             {"type": "http.request", "body": b"c", "more_body": False}), "id")
    assert b"".join([chunk async for chunk in call.body_chunks()]) == b"abc"
    assert call.raw is None


async def test_a_client_gone_mid_body_is_a_client_disconnect() -> None:
    request = request_with({"type": "http.request", "body": b"{", "more_body": True},
                           {"type": "http.disconnect"})
    with pytest.raises(ClientDisconnect):
        await read_body(request)


async def test_a_client_gone_mid_upload_is_499() -> None:
    call = HttpCall.of(request_with({"type": "http.request", "body": b"--b", "more_body": True},
                             {"type": "http.disconnect"}), "id")
    with pytest.raises(MoonshotError) as caught:
        _ = [chunk async for chunk in call.body_chunks()]
    assert caught.value.type == "client_closed_request"
