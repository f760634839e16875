"""The in-process pytest path: the fake behind httpx's ASGI transport, no socket at all.

`python -m bench.inprocess [--requests 2000]` prints completions/s for the fake and for the bare
app, each timed over a number of sequential requests after a warm-up of a tenth as many.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

import httpx
import orjson

from bench.bare_app import create
from bench.workload import API_KEY, CHAT_PATH, chat_bytes
from mock_server.app import create_app
from mock_server.config import Settings

REQUESTS = 2000


async def completions_per_second(app: Any, requests: int = REQUESTS, stream: bool = False) -> float:
    body = chat_bytes(stream=stream)
    headers = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mock",
                                 headers=headers) as client:
        for _ in range(max(1, requests // 10)):
            await client.post(CHAT_PATH, content=body)
        started = time.perf_counter()
        for _ in range(requests):
            response = await client.post(CHAT_PATH, content=body)
            if response.status_code != 200:
                raise RuntimeError(f"in-process request answered {response.status_code}")
        return requests / (time.perf_counter() - started)


async def measure(requests: int = REQUESTS) -> dict[str, float]:
    fake = create_app(Settings())
    bare = create(426, 10, 230)
    return {
        "fake_per_s": await completions_per_second(fake, requests),
        "fake_stream_per_s": await completions_per_second(fake, max(1, requests // 4), stream=True),
        "bare_per_s": await completions_per_second(bare, requests),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.inprocess")
    parser.add_argument("--requests", type=int, default=REQUESTS)
    requests = parser.parse_args().requests
    print(orjson.dumps(asyncio.run(measure(requests))).decode(), flush=True)


if __name__ == "__main__":
    main()
