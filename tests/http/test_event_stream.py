"""The SSE response: one body message per event, and what ends a stream early.

A client that leaves stops the events and closes their source (its `finally` frees the slot);
a server that shuts down ends the body cleanly where it is; a source that fails is raised; the
configured keep-alive comments are whole messages between events. Over a real socket: a
stream open when the server stops ends with the chunked body's terminator.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import orjson
import pytest

from mock_server.app import create_app
from mock_server.config import Settings
from mock_server.http.connection import SHUTDOWN_KEY
from mock_server.http.streaming import EventStream
from mock_server.server.thread import serve_in_thread

END = {"type": "http.response.body", "body": b"", "more_body": False}


class Source:
    """Events, each after `pause` seconds; notes whether it was closed."""

    def __init__(self, count: int, pause: float = 0.0, fail_at: int | None = None) -> None:
        self.count, self.pause, self.fail_at = count, pause, fail_at
        self.closed = False

    async def events(self) -> AsyncIterator[bytes]:
        try:
            for n in range(self.count):
                if self.pause:
                    await asyncio.sleep(self.pause)
                if n == self.fail_at:
                    raise RuntimeError("the source broke")
                yield b"data: %d\n\n" % n
        finally:
            self.closed = True


async def run(response: EventStream, scope: dict[str, Any] | None = None,
              leave_after: int | None = None) -> list[dict[str, Any]]:
    """Drive the response; the client leaves after `leave_after` body messages."""
    sent: list[dict[str, Any]] = []
    left = asyncio.Event()

    async def receive() -> dict[str, Any]:
        await left.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        bodies = sum(m["type"] == "http.response.body" for m in sent)
        if leave_after is not None and bodies >= leave_after:
            left.set()

    await response(scope if scope is not None else {"type": "http"}, receive, send)
    return sent


def bodies(sent: list[dict[str, Any]]) -> list[bytes]:
    return [m["body"] for m in sent if m["type"] == "http.response.body"]


def test_each_event_is_one_body_message_then_the_end() -> None:
    source = Source(3)
    sent = asyncio.run(run(EventStream(source.events(), headers={"X-Extra": "1"})))
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 200
    assert sent[0]["headers"] == [
        (b"cache-control", b"no-store"), (b"connection", b"keep-alive"),
        (b"x-accel-buffering", b"no"), (b"content-type", b"text/event-stream; charset=utf-8"),
        (b"x-extra", b"1")]
    assert bodies(sent) == [b"data: 0\n\n", b"data: 1\n\n", b"data: 2\n\n", b""]
    assert sent[-1] == END and source.closed


def test_a_client_that_leaves_stops_the_events_and_closes_their_source() -> None:
    source = Source(100, pause=0.001)
    sent = asyncio.run(run(EventStream(source.events()), leave_after=2))
    assert bodies(sent) == [b"data: 0\n\n", b"data: 1\n\n"]  # and no end of body: nobody reads it
    assert source.closed


def test_a_server_shutdown_ends_the_body_where_it_is() -> None:
    source = Source(100, pause=0.01)
    scope: dict[str, Any] = {"type": "http"}

    async def scenario() -> list[dict[str, Any]]:
        task = asyncio.create_task(run(EventStream(source.events()), scope))
        while SHUTDOWN_KEY not in scope.get("extensions", {}):
            await asyncio.sleep(0)
        await asyncio.sleep(0.05)
        scope["extensions"][SHUTDOWN_KEY]()
        return await task

    sent = asyncio.run(scenario())
    assert 0 < len(bodies(sent)) - 1 < 100
    assert sent[-1] == END and source.closed


def test_a_failing_source_is_raised_after_what_it_sent() -> None:
    source = Source(5, fail_at=2)
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        await asyncio.Event().wait()
        return {}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    with pytest.raises(RuntimeError, match="the source broke"):
        asyncio.run(EventStream(source.events())({"type": "http"}, receive, send))
    assert bodies(sent) == [b"data: 0\n\n", b"data: 1\n\n"] and source.closed


def test_pings_are_whole_comment_messages_between_events() -> None:
    source = Source(3, pause=0.2)
    sent = asyncio.run(run(EventStream(source.events(), ping_seconds=0.05)))
    received = bodies(sent)
    assert [b for b in received if b != b": ping\n\n"] == [
        b"data: 0\n\n", b"data: 1\n\n", b"data: 2\n\n", b""]
    assert b": ping\n\n" in received[: received.index(b"data: 0\n\n")]


def read_until_closed(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def test_a_stream_open_when_the_server_stops_ends_with_the_chunked_terminator() -> None:
    app = create_app(Settings(stream_event_interval=0.05, reply_tokens=(200, 200)))
    body = orjson.dumps({"model": "moonshot-v1-8k", "stream": True,
                         "messages": [{"role": "user", "content": "hi"}]})
    received: list[bytes] = []
    with serve_in_thread(app) as url:
        port = urlsplit(url).port or 0
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        sock.sendall((f"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                      f"Authorization: Bearer sk-stop\r\nContent-Type: application/json\r\n"
                      f"Content-Length: {len(body)}\r\n\r\n").encode() + body)
        assert sock.recv(65536).startswith(b"HTTP/1.1 200 OK")  # the head, then the server stops
        reader = threading.Thread(target=lambda: received.append(read_until_closed(sock)))
        reader.start()
    reader.join(timeout=10)
    sock.close()
    assert received and received[0].endswith(b"0\r\n\r\n")
    assert b"data: [DONE]" not in received[0]
