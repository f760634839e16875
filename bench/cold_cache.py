"""The ASGI apps driven in-process with the CPU's private caches emptied before each request.

A served request runs after the kernel's network work and the load generator (which shares the
machine's cores) have pushed most of the server's code and data out of the L1 and L2 caches,
so a served request costs more than the same request in a tight in-process loop, and the more
distinct code and data a request touches, the more it costs. Writing a byte in every cache
line of a buffer larger than L2 before each request reproduces that in one process, without a
socket, and much more steadily than a served run: `python -m bench.cold_cache` prints the CPU
time per request of the fake (every request different, and the same request every time) and
of the bare app, with warm caches and with emptied ones (the best of a few rounds each).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable
from typing import Any

import orjson

from bench.bare_app import create
from bench.workload import asgi_post, chat_bytes
from mock_server.app import create_app
from mock_server.config import Settings

REQUESTS = 1000
ROUNDS = 5
EVICT_BYTES = 8 * 1024 * 1024  # larger than the L2 cache of one core on common server CPUs
LINE = 64


def evictor(size: int = EVICT_BYTES) -> Callable[[], None]:
    """A function that writes one byte into every cache line of a `size`-byte buffer."""
    buffer = bytearray(size)
    ones = b"\x01" * (size // LINE)

    def evict() -> None:
        buffer[::LINE] = ones

    return evict


async def us_per_request(app: Any, first: int | None, evict: Callable[[], None] | None,
                         requests: int = REQUESTS) -> float:
    """CPU time per request over `requests` bodies, timing the requests only: distinct bodies
    numbered from `first`, or the workload's one body every time when `first` is None."""
    bodies = ([chat_bytes()] * requests if first is None
              else [chat_bytes(tag=f" #{first + i}") for i in range(requests)])
    spent = 0.0
    for body in bodies:
        if evict is not None:
            evict()
        started = time.process_time()
        status = await asgi_post(app, body)
        spent += time.process_time() - started
        if status != 200:
            raise RuntimeError(f"in-process request answered {status}")
    return spent / requests * 1e6


async def measure(rounds_of: int = ROUNDS, requests: int = REQUESTS) -> dict[str, Any]:
    """Rounds alternate between the apps and the modes, so a burst of load on the shared
    machine touches all the figures alike; each figure is its best round."""
    apps = {"bare": create(426, 10, 230), "fake": create_app(Settings())}
    for app in apps.values():
        await us_per_request(app, 10**7, None, 2 * requests)
    evict = evictor()
    rounds: dict[str, list[float]] = {}
    first = 0  # every round sends bodies no app has seen
    for _ in range(rounds_of):
        for mode, evicting in (("warm", None), ("evicted", evict)):
            for name, app in apps.items():
                first += requests
                figure = await us_per_request(app, first, evicting, requests)
                rounds.setdefault(f"{name}_{mode}_us", []).append(figure)
            same = await us_per_request(apps["fake"], None, evicting, requests)
            rounds.setdefault(f"fake_same_{mode}_us", []).append(same)
    results: dict[str, Any] = {"evict_bytes": EVICT_BYTES, "requests": requests,
                               **{key: min(values) for key, values in rounds.items()}}
    for mode in ("warm", "evicted"):  # the bare app's CPU per request over the fake's
        results[f"{mode}_ratio"] = results[f"bare_{mode}_us"] / results[f"fake_{mode}_us"]
        results[f"{mode}_same_ratio"] = (results[f"bare_{mode}_us"]
                                         / results[f"fake_same_{mode}_us"])
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cold_cache")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--requests", type=int, default=REQUESTS, help="per round and mode")
    args = parser.parse_args()
    print(orjson.dumps(asyncio.run(measure(args.rounds, args.requests))).decode(), flush=True)


if __name__ == "__main__":
    main()
