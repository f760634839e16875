"""Stream load, run as its own process: one unpaced stream, or many paced ones held open.

`python -m bench.stream_client single PORT PATH --repeat 5` times unpaced streams;
`python -m bench.stream_client many PORT --streams 1000 --server-pid PID` opens paced streams
and reads the server's RSS once every stream has delivered its first event. Both print JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import orjson

from bench.http_client import read_head, sse_events
from bench.servers import rss_kib
from bench.stats import median, percentile
from bench.workload import chat_bytes, raw_request

HOST = "127.0.0.1"
DONE = b"data: [DONE]"


@dataclass
class StreamLog:
    arrivals: list[float] = field(default_factory=list)
    done: bool = False
    error: str | None = None


async def one_stream(port: int, request: bytes, log: StreamLog,
                     first_event: asyncio.Event | None = None) -> None:
    reader, writer = await asyncio.open_connection(HOST, port, limit=1 << 20)
    try:
        writer.write(request)
        head = await read_head(reader)
        if head.status != 200:
            log.error = f"status {head.status}"
            return
        async for event in sse_events(reader):
            log.arrivals.append(time.perf_counter())
            if first_event is not None and len(log.arrivals) == 1:
                first_event.set()
            if event == DONE:
                log.done = True
    except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
        log.error = type(exc).__name__
    finally:
        writer.close()


async def single(port: int, path: str, repeat: int, max_tokens: int) -> dict[str, Any]:
    """Unpaced streams one after another: events/s and microseconds per event."""
    request = raw_request(HOST, port, chat_bytes(stream=True, max_tokens=max_tokens), path)
    per_event: list[float] = []
    events = 0
    for _ in range(repeat):
        log = StreamLog()
        await one_stream(port, request, log)
        if log.error or not log.done:
            raise RuntimeError(f"stream failed: {log.error or 'no [DONE]'}")
        events = len(log.arrivals)
        per_event.append((log.arrivals[-1] - log.arrivals[0]) / (events - 1))
    us = median(per_event) * 1e6
    return {"events": events, "us_per_event": us, "events_per_s": 1e6 / us}


def _gaps(logs: list[StreamLog]) -> list[float]:
    return [b - a for log in logs for a, b in zip(log.arrivals, log.arrivals[1:], strict=False)]


async def many(port: int, streams: int, server_pid: int, timeout: float) -> dict[str, Any]:
    """`streams` paced streams at once; RSS read when all have sent their first event."""
    request = raw_request(HOST, port, chat_bytes(stream=True))
    rss_before = rss_kib(server_pid)
    logs = [StreamLog() for _ in range(streams)]
    firsts = [asyncio.Event() for _ in range(streams)]
    tasks = [asyncio.create_task(one_stream(port, request, log, first))
             for log, first in zip(logs, firsts, strict=True)]
    opened_at = time.perf_counter()
    all_open = asyncio.gather(*(f.wait() for f in firsts))
    await asyncio.wait_for(all_open, timeout)
    ramp = time.perf_counter() - opened_at
    rss_open = rss_kib(server_pid)
    await asyncio.wait_for(asyncio.gather(*tasks), timeout)
    gaps = _gaps(logs)
    return {
        "streams": streams, "completed": sum(log.done for log in logs),
        "errors": sum(1 for log in logs if log.error or not log.done),
        "ramp_s": ramp, "rss_before_kib": rss_before, "rss_open_kib": rss_open,
        "kib_per_stream": (rss_open - rss_before) / streams,
        "gap_p50_ms": percentile(gaps, 50) * 1000, "gap_p99_ms": percentile(gaps, 99) * 1000,
        "events": sum(len(log.arrivals) for log in logs),
    }


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("mode", choices=("single", "many"))
    args.add_argument("port", type=int)
    args.add_argument("path", nargs="?", default="/v1/chat/completions")
    args.add_argument("--repeat", type=int, default=5)
    args.add_argument("--max-tokens", type=int, default=4000)
    args.add_argument("--streams", type=int, default=1000)
    args.add_argument("--server-pid", type=int, default=0)
    args.add_argument("--timeout", type=float, default=60.0)
    ns = args.parse_args()
    if ns.mode == "single":
        coro = single(ns.port, ns.path, ns.repeat, ns.max_tokens)
    else:
        coro = many(ns.port, ns.streams, ns.server_pid, ns.timeout)
    print(orjson.dumps(_run(coro)).decode(), flush=True)


def _run(coro: Any) -> Any:
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    return uvloop.run(coro)


if __name__ == "__main__":
    main()
