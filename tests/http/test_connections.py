"""Every connection is held to account over a real socket: idle and slow-header connections are
closed, a half-closed client gets its answer, malformed HTTP gets the JSON envelope, and no
trailing-slash redirect is ever sent."""

from __future__ import annotations

import dataclasses
import socket
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import orjson
import pytest

from mock_server.app import create_app
from mock_server.config import Settings
from mock_server.server.thread import serve_in_thread

BODY = orjson.dumps({"model": "moonshot-v1-8k", "messages": [{"role": "user", "content": "hi"}]})
HEAD = (b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Authorization: Bearer sk-connections\r\nContent-Type: application/json\r\n")
SHORT = dataclasses.replace(Settings(), header_timeout=0.3, keep_alive_timeout=0.3)
MALFORMED = {
    "content-length with transfer-encoding":
        b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "two content-lengths":
        b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
        b"Content-Length: 3\r\n\r\n{}",
    "a raw 0xff in the path": b"GET /v1/mod\xffels HTTP/1.1\r\nHost: x\r\n\r\n",
}


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    with serve_in_thread(create_app(SHORT), settings=SHORT) as url:
        yield urlsplit(url).port or 0


def read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=10)


def test_a_connection_that_sends_nothing_is_closed(port: int) -> None:
    with connect(port) as sock:
        assert read_all(sock) == b""  # closed by the server (the idle timeout), not the test's


def test_a_request_whose_headers_never_finish_is_closed(port: int) -> None:
    with connect(port) as sock:
        sock.sendall(HEAD)  # no blank line: the headers never end
        assert read_all(sock) == b""


def test_headers_that_trickle_in_past_the_timeout_are_closed(port: int) -> None:
    """The header-read timeout runs from the request's first byte, not from the last piece."""
    with connect(port) as sock:
        try:
            for n in range(60):  # 3 s of header lines, 0.05 s apart, against a 0.3 s timeout
                sock.sendall(b"X-Piece-%d: 1\r\n" % n if n else HEAD)
                time.sleep(0.05)
            answer = read_all(sock)
        except (BrokenPipeError, ConnectionResetError):
            answer = b""  # closed while the client was still sending
        assert answer == b""


def test_an_idle_kept_alive_connection_is_closed_after_its_answer(port: int) -> None:
    with connect(port) as sock:
        sock.sendall(HEAD + f"Content-Length: {len(BODY)}\r\n\r\n".encode() + BODY)
        answer = read_all(sock)  # returns only because the idle connection is closed
        assert answer.startswith(b"HTTP/1.1 200 OK")


def test_a_half_closed_client_gets_its_answer(port: int) -> None:
    with connect(port) as sock:
        sock.sendall(HEAD + f"Content-Length: {len(BODY)}\r\n\r\n".encode() + BODY)
        sock.shutdown(socket.SHUT_WR)
        head, _, body = read_all(sock).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK")
    assert orjson.loads(body)["object"] == "chat.completion"


def test_a_half_closed_client_with_a_short_body_is_let_go(port: int) -> None:
    with connect(port) as sock:
        sock.sendall(HEAD + b"Content-Length: 1000\r\n\r\n{")
        sock.shutdown(socket.SHUT_WR)
        assert read_all(sock) == b""


@pytest.mark.parametrize("raw", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_http_gets_the_json_envelope(port: int, raw: bytes) -> None:
    with connect(port) as sock:
        sock.sendall(raw)
        head, _, body = read_all(sock).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ")
    assert b"content-type: application/json" in head.lower()
    assert orjson.loads(body) == {"error": {
        "message": "Invalid request: the HTTP request is malformed and cannot be read",
        "type": "invalid_request_error"}}


@pytest.mark.parametrize("path", ["/v1/models/", "/v1/files/"])
def test_a_trailing_slash_is_not_redirected(port: int, path: str) -> None:
    response = httpx.get(f"http://127.0.0.1:{port}{path}", follow_redirects=False,
                         headers={"Authorization": "Bearer sk-connections"})
    assert response.status_code == 404  # the gateway's unknown-URL answer, never a 307
    assert response.json()["error"] == "url.not_found"


def test_a_control_plane_path_with_a_trailing_slash_is_not_redirected(port: int) -> None:
    response = httpx.get(f"http://127.0.0.1:{port}/_mock/journal/", follow_redirects=False)
    assert response.status_code == 404
    assert "location" not in response.headers
