"""The proxy's HTTP/1.1 client against scripted upstreams: framing, keep-alive, broken peers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.config import Settings
from mock_server.http.upstream import TRANSPORT_ERRORS, UpstreamClient


@asynccontextmanager
async def upstream(*answers: bytes, close_after: bool = False) -> AsyncIterator[tuple[str, list[bytes]]]:
    """A server answering each request (read to its blank line and body) with the next answer."""
    requests: list[bytes] = []
    queue = list(answers)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while queue:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                break
            length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length")), 0)
            requests.append(head + await reader.readexactly(length))
            writer.write(queue.pop(0))
            await writer.drain()
            if close_after:
                break
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", requests
    finally:
        server.close()


async def body_of(client: UpstreamClient, target: str = "/v1/models") -> tuple[int, bytes]:
    answer = await client.send("POST", target, [(b"authorization", b"Bearer sk-x")], b"{}")
    data = b"".join([chunk async for chunk in answer.chunks()])
    answer.release()
    return answer.status, data


async def test_lengths_chunks_and_keep_alive() -> None:
    fixed = b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello"
    chunked = (b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
               b"6\r\ndata: \r\n3;x=1\r\n1\n\n\r\n0\r\n\r\n")
    async with upstream(fixed, b"HTTP/1.1 100 Continue\r\n\r\n" + chunked) as (url, requests):
        client = UpstreamClient(url)
        assert await body_of(client) == (200, b"hello")
        assert len(client.idle) == 1
        assert await body_of(client, "/v1/files?limit=2") == (200, b"data: 1\n\n")
        await client.close()
    assert requests[0].startswith(b"POST /v1/models HTTP/1.1\r\nhost: 127.0.0.1:")
    assert b"authorization: Bearer sk-x\r\ncontent-length: 2\r\n\r\n{}" in requests[0]
    assert requests[1].startswith(b"POST /v1/files?limit=2 HTTP/1.1")


async def test_a_connection_closed_while_idle_is_replaced() -> None:
    answer = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"
    async with upstream(answer, answer, close_after=True) as (url, requests):
        client = UpstreamClient(url)
        assert await body_of(client) == (200, b"ok")
        await asyncio.sleep(0.05)  # the server has closed the kept connection
        assert await body_of(client) == (200, b"ok")
        await client.close()
    assert len(requests) == 2


async def test_a_body_to_the_close_and_a_cut_body() -> None:
    async with upstream(b"HTTP/1.1 200 OK\r\n\r\nuntil close", close_after=True) as (url, _):
        client = UpstreamClient(url)
        assert await body_of(client) == (200, b"until close")
        assert not client.idle
    async with upstream(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nshort", close_after=True) as (url, _):
        answer = await UpstreamClient(url).send("GET", "/", [], b"")
        with pytest.raises(TRANSPORT_ERRORS):
            async for _ in answer.chunks():
                pass
        answer.release()


async def test_an_unreachable_upstream_raises_a_transport_error() -> None:
    client = UpstreamClient("http://127.0.0.1:9", connect_timeout=2)
    with pytest.raises(TRANSPORT_ERRORS):
        await client.send("GET", "/v1/models", [], b"")


def test_the_proxy_answers_502_naming_an_unreachable_upstream() -> None:
    with TestClient(create_app(Settings(upstream="http://127.0.0.1:9"))) as client:
        answer = client.get("/v1/models", headers={"Authorization": "Bearer sk-x"})
    assert answer.status_code == 502
    error = answer.json()["error"]
    assert error["type"] == "server_error"
    assert error["message"].startswith("the upstream http://127.0.0.1:9 could not be reached: ")
