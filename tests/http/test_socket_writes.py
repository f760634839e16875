"""Over a real socket, through the coalescing transport of both parsers: whole answers, in order."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import orjson
import pytest

from mock_server.app import create_app
from mock_server.config import Settings
from mock_server.server.thread import serve_in_thread

BODY = orjson.dumps({"model": "moonshot-v1-8k", "messages": [{"role": "user", "content": "hi"}]})


def request_bytes(port: int) -> bytes:
    return (f"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Authorization: Bearer sk-one-write\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(BODY)}\r\n\r\n").encode() + BODY


@pytest.mark.parametrize("http", ["auto", "h11"])
def test_head_and_body_arrive_together_on_a_kept_alive_connection(http: str) -> None:
    with serve_in_thread(create_app(Settings()), http=http) as url:
        port = urlsplit(url).port or 0
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            for _ in range(3):
                sock.sendall(request_bytes(port))
                head, _, body = sock.recv(65536).partition(b"\r\n\r\n")
                assert head.startswith(b"HTTP/1.1 200 OK")
                length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length:"))
                assert len(body) == length
                assert orjson.loads(body)["object"] == "chat.completion"
