"""Fallback load generator when `wrk` is missing: N keep-alive connections for D seconds.

Run as its own process (`python -m bench.pyload HOST PORT`); prints one JSON line with the
same fields as the wrk summary.
"""

from __future__ import annotations

import argparse
import asyncio
import time

import orjson

from bench.http_client import exchange
from bench.stats import percentile
from bench.workload import chat_bytes, raw_request

MAX_REQUESTS = 2_000_000


async def _worker(host: str, port: int, vary: bool, until: float,
                  latencies: list[float], failures: list[int]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    request = raw_request(host, port, chat_bytes())
    run_id = time.time_ns()
    try:
        while time.perf_counter() < until and len(latencies) < MAX_REQUESTS:
            if vary:
                tag = f" #{run_id}-{len(latencies)}"  # unique across runs too (warm-up)
                request = raw_request(host, port, chat_bytes(tag=tag))
            started = time.perf_counter()
            status, _ = await exchange(reader, writer, request)
            latencies.append(time.perf_counter() - started)
            if status != 200:
                failures.append(status)
    finally:
        writer.close()


async def run(host: str, port: int, connections: int, duration: float,
              vary: bool = False) -> dict[str, float]:
    latencies: list[float] = []
    failures: list[int] = []
    started = time.perf_counter()
    until = started + duration
    await asyncio.gather(*(_worker(host, port, vary, until, latencies, failures)
                           for _ in range(connections)))
    elapsed = time.perf_counter() - started
    return {"requests": len(latencies), "rps": len(latencies) / elapsed,
            "p50_ms": percentile(latencies, 50) * 1000, "p99_ms": percentile(latencies, 99) * 1000,
            "errors": 0, "non2xx": len(failures), "tool": "python"}


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("host")
    args.add_argument("port", type=int)
    args.add_argument("--connections", type=int, default=32)
    args.add_argument("--duration", type=float, default=5.0)
    args.add_argument("--vary", action="store_true")
    ns = args.parse_args()
    result = asyncio.run(run(ns.host, ns.port, ns.connections, ns.duration, ns.vary))
    print(orjson.dumps(result).decode(), flush=True)


if __name__ == "__main__":
    main()
