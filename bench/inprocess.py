"""The in-process pytest path: the fake behind httpx's ASGI transport, no socket at all.

`python -m bench.inprocess` prints completions/s for the fake and for the bare app, each
timed over a fixed number of sequential requests after a warm-up.
"""

from __future__ import annotations

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
WARMUP = 200


async def completions_per_second(app: Any, requests: int = REQUESTS, stream: bool = False) -> float:
    body = chat_bytes(stream=stream)
    headers = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mock",
                                 headers=headers) as client:
        for _ in range(WARMUP):
            await client.post(CHAT_PATH, content=body)
        started = time.perf_counter()
        for _ in range(requests):
            response = await client.post(CHAT_PATH, content=body)
            if response.status_code != 200:
                raise RuntimeError(f"in-process request answered {response.status_code}")
        return requests / (time.perf_counter() - started)


async def measure() -> dict[str, float]:
    fake = create_app(Settings())
    bare = create(426, 10, 230)
    return {
        "fake_per_s": await completions_per_second(fake),
        "fake_stream_per_s": await completions_per_second(fake, REQUESTS // 4, stream=True),
        "bare_per_s": await completions_per_second(bare),
    }


def main() -> None:
    print(orjson.dumps(asyncio.run(measure())).decode(), flush=True)


if __name__ == "__main__":
    main()
