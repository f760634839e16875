"""What a hand-made shortcut of the request path would buy, measured in-process.

The fake answers JSON with Starlette's `Response`, formats ids from the hex of their bytes
(`ids.IdGenerator`), and reads a request body from its ASGI messages into the request's `Call`
(`http.body.read_body`). Each is compared with its alternative, swapped in one at a time: a
JSON response whose headers are set directly (skipping `init_headers`), ids formatted with
format specs, and Starlette's own `Request.body()` (its stream generator), over the workload's
chat request (every request different) through the whole app without a socket, with warm
caches and with the CPU's private caches emptied before each request (`bench.cold_cache`).
Rounds alternate between the variants so a burst of load on the shared machine touches them
alike; `python -m bench.internals` prints, per variant, the median and the best round's CPU time per request.

Timings on the shared machine swing; instruction counts do not: `python -m bench.internals
drive VARIANT N` sends the same warm-up and then N varied requests with one variant, to be run
under `valgrind --tool=cachegrind --cache-sim=no` for each variant (the difference of two
variants' totals over N is the difference per request).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from bench.cold_cache import evictor, us_per_request
from mock_server.app import create_app
from mock_server.config import Settings
from mock_server.http import call as call_module
from mock_server.http import responses
from mock_server.ids import IdGenerator

ROUNDS = 7
WARMUP = 2000


class HandJsonResponse(Response):
    """The removed shortcut: a JSON response without extra headers gets its two headers set
    directly, skipping Starlette's `init_headers` (and relying on the attributes that
    `Response.__call__` reads). Swapped in for `Response` where `http.responses` builds one."""

    def __init__(self, content: bytes, status_code: int = 200,
                 headers: Mapping[str, str] | None = None, media_type: str | None = None) -> None:
        if headers or media_type != responses.JSON_MEDIA_TYPE:
            super().__init__(content, status_code, headers, media_type)
            return
        self.status_code = status_code
        self.background = None
        self.body = content
        self.raw_headers = [(b"content-length", b"%d" % len(content)),
                            (b"content-type", _JSON_CONTENT_TYPE)]


_JSON_CONTENT_TYPE = responses.JSON_MEDIA_TYPE.encode("latin-1")


def format_completion_id(self: IdGenerator, created: int) -> str:
    """The alternative to the hex of the id's bytes: a format spec."""
    value = (created & 0xFFFFFFFF) << 64 | self._random.getrandbits(64)
    return f"chatcmpl-{value:024x}"


def format_request_id(self: IdGenerator, now: float) -> str:
    ticks = int(now * 10_000_000) + 0x01B21DD213814000
    clock_seq = 0x8000 | self._random.getrandbits(14)
    return (f"{ticks & 0xFFFFFFFF:08x}-{(ticks >> 32) & 0xFFFF:04x}-"
            f"{((ticks >> 48) & 0x0FFF) | 0x1000:04x}-{clock_seq:04x}-{self._node_hex}")


async def starlette_read_body(request: Request) -> bytes:
    """Starlette's own reader (its stream generator), instead of the ASGI messages directly."""
    return await request.body()


def _swap(target: Any, names: dict[str, Any]) -> Callable[[], Iterator[None]]:
    @contextmanager
    def swapped() -> Iterator[None]:
        saved = {name: getattr(target, name) for name in names}
        for name, value in names.items():
            setattr(target, name, value)
        try:
            yield
        finally:
            for name, value in saved.items():
                setattr(target, name, value)

    return swapped


@contextmanager
def as_is() -> Iterator[None]:
    yield


VARIANTS: dict[str, Callable[[], Any]] = {
    "as_is": as_is,
    "hand_json_response": _swap(responses, {"Response": HandJsonResponse}),
    "format_spec_ids": _swap(IdGenerator, {"completion_id": format_completion_id,
                                           "request_id": format_request_id}),
    "starlette_read_body": _swap(call_module, {"read_body": starlette_read_body}),
}


def check_same_output() -> None:
    """The variants give the same bytes as the fake's own code."""
    ours, theirs = IdGenerator(5), IdGenerator(5)
    for now in (1_767_300_000.123, 0.0, 4_000_000_000.5):
        assert ours.completion_id(int(now)) == format_completion_id(theirs, int(now))
        assert ours.request_id(now) == format_request_id(theirs, now)
    plain = responses.json_response({"a": "你好"}, 429)
    with VARIANTS["hand_json_response"]():
        direct = responses.json_response({"a": "你好"}, 429)
    assert type(direct) is HandJsonResponse
    assert (plain.body, plain.raw_headers) == (direct.body, direct.raw_headers)


async def measure(rounds: int = ROUNDS) -> dict[str, Any]:
    check_same_output()
    app = create_app(Settings())
    first = 10**7
    for start in range(0, WARMUP, 1000):
        await us_per_request(app, first + start, None)
    evict = evictor()
    figures: dict[str, list[float]] = {}
    first = 0  # every round sends bodies the app has not seen
    for _ in range(rounds):
        for mode, evicting in (("warm", None), ("evicted", evict)):
            for name, variant in VARIANTS.items():
                first += 1000
                with variant():
                    figure = await us_per_request(app, first, evicting)
                figures.setdefault(f"{name}_{mode}_us", []).append(figure)
    results: dict[str, Any] = {"rounds": rounds}
    for key, values in figures.items():
        results[key] = {"median": round(statistics.median(values), 1), "best": round(min(values), 1)}
    return results


async def drive(variant: str, requests: int) -> None:
    """For instruction counts: the same warm-up, then `requests` varied requests with one
    variant swapped in (run under `valgrind --tool=cachegrind`, compare the variants' totals)."""
    app = create_app(Settings())
    await us_per_request(app, 10**7, None)
    with VARIANTS[variant]():
        for start in range(0, requests, 1000):
            await us_per_request(app, start, None)


def main() -> None:
    if sys.argv[1:2] == ["drive"]:
        asyncio.run(drive(sys.argv[2], int(sys.argv[3])))
        return
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else ROUNDS
    print(orjson.dumps(asyncio.run(measure(rounds)), option=orjson.OPT_INDENT_2).decode(), flush=True)


if __name__ == "__main__":
    main()
