"""What the load generators send, and that the baseline answers as much as the fake.

The throughput figures are only worth something if wrk's script and the Python client send the
workload they claim (the same body, or a different body every request) and if the bare app's
answer is as long as the fake's.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest
from starlette.types import ASGIApp, Receive, Scope, Send

from bench import bare_app, loadgen, pyload
from bench.workload import API_KEY, CHAT_PATH, VARY_MARK, asgi_post, chat_body, chat_bytes
from mock_server.app import create_app
from mock_server.config import Settings
from mock_server.server.thread import serve_in_thread

# the workload with its tag " #<number>" where the mark is, whatever the workload's text
_HEAD, _, _TAIL = chat_bytes(tag=VARY_MARK).partition(VARY_MARK.encode())
VARIED = re.compile(re.escape(_HEAD) + rb" #([0-9-]+)" + re.escape(_TAIL), re.S)


class Recorder:
    """An ASGI app that keeps every request body and answers the bare app's fixed JSON."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        self.headers: list[dict[bytes, bytes]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        self.bodies.append(body)
        self.headers.append(dict(scope["headers"]))
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": bare_app.fixed_json(64)})


@pytest.fixture
def recorder() -> Iterator[tuple[Recorder, int]]:
    app = Recorder()
    with serve_in_thread(app) as url:
        yield app, int(url.rsplit(":", 1)[1])


@pytest.fixture(scope="module")
def wrk() -> str:
    found = loadgen.find_wrk()
    if found is None:
        pytest.skip("wrk is not installed (Debian's wrk package: `make install` installs it as root, "
                    "or install it with your package manager)")
    return found


def _varied_numbers(bodies: list[bytes]) -> list[str]:
    """The request numbers of varied bodies, checking each is the workload with its tag."""
    numbers = []
    for body in bodies:
        match = VARIED.fullmatch(body)
        assert match is not None, body
        numbers.append(match[1].decode())
        assert body == chat_bytes(tag=f" #{numbers[-1]}")
    return numbers


def _counted(result: dict[str, Any], app: Recorder, connections: int) -> bool:
    """The client counted the answers it read: all the server had, but for those still on
    their way when the run ended (at most one per connection)."""
    return 10 < result["requests"] <= len(app.bodies) <= result["requests"] + connections


def test_wrk_sends_the_workload_byte_for_byte(wrk: str, recorder: tuple[Recorder, int]) -> None:
    app, port = recorder
    result = loadgen.run_wrk(wrk, port, connections=2, duration=0.2)  # rounded up to 1 s
    assert result["tool"] == "wrk" and result["errors"] == 0 and result["non2xx"] == 0
    assert _counted(result, app, connections=2)
    assert result["p50_ms"] <= result["p99_ms"]
    assert set(app.bodies) == {chat_bytes()}
    assert app.headers[0][b"authorization"] == f"Bearer {API_KEY}".encode()
    assert app.headers[0][b"content-type"] == b"application/json"


def test_wrk_varies_every_request(wrk: str, recorder: tuple[Recorder, int]) -> None:
    app, port = recorder
    result = loadgen.run_wrk(wrk, port, connections=4, duration=1, vary=True)
    numbers = _varied_numbers(app.bodies)
    assert _counted(result, app, connections=4)
    assert len(set(numbers)) == len(numbers)
    first = min(map(int, numbers))
    assert sorted(map(int, numbers)) == list(range(first, first + len(numbers)))


@pytest.mark.parametrize("vary", [False, True])
def test_python_client_sends_the_same_workload(vary: bool,
                                               recorder: tuple[Recorder, int]) -> None:
    app, port = recorder
    result = asyncio.run(pyload.run("127.0.0.1", port, connections=3, duration=0.3, vary=vary))
    assert result["tool"] == "python" and result["non2xx"] == 0
    assert _counted(result, app, connections=3)
    if vary:
        numbers = _varied_numbers(app.bodies)
        assert len(set(numbers)) == len(numbers)
    else:
        assert set(app.bodies) == {chat_bytes()}


def test_the_fake_answers_every_varied_request_and_differently(wrk: str) -> None:
    app = create_app(Settings())
    with serve_in_thread(app) as url:
        result = loadgen.run_wrk(wrk, int(url.rsplit(":", 1)[1]), connections=8, duration=1,
                                 vary=True)
        assert result["requests"] > 10 and result["errors"] == 0 and result["non2xx"] == 0
        replies = set()
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {API_KEY}"}) as client:
            for tag in (" #1", " #2", " #3"):
                answer = client.post(CHAT_PATH, json=chat_body(tag=tag))
                assert answer.status_code == 200
                replies.add(answer.json()["choices"][0]["message"]["content"])
        assert len(replies) == 3  # no answer is remembered across varied requests


def test_the_bare_app_answers_as_many_bytes_as_the_fake() -> None:
    size = asyncio.run(_answer_size(create_app(Settings())))
    bare = bare_app.create(size, events=3, event_size=230)
    assert asyncio.run(_answer_size(bare)) == size
    assert len(bare_app.fixed_json(size)) == size
    assert orjson.loads(bare_app.fixed_json(size))["pad"] == "x" * (size - 10)
    assert len(bare_app.sse_event(230)) == 230


async def _answer_size(app: ASGIApp) -> int:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://mock") as client:
        answer = await client.post(CHAT_PATH, content=chat_bytes(),
                                   headers={"Authorization": f"Bearer {API_KEY}"})
    assert answer.status_code == 200
    return len(answer.content)


def test_the_bare_stream_is_pre_encoded_events_then_done() -> None:
    async def read() -> bytes:
        app = bare_app.create(100, events=3, event_size=230)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://bare") as client:
            return (await client.get("/stream")).content

    body = asyncio.run(read())
    assert body == bare_app.sse_event(230) * 3 + b"data: [DONE]\n\n"


def test_the_raw_asgi_driver_gets_the_fakes_status() -> None:
    fake = create_app(Settings())
    assert asyncio.run(asgi_post(fake, chat_bytes())) == 200
    assert asyncio.run(asgi_post(fake, b'{"model": "moonshot-v1-8k"}')) == 400
