"""The Messages door beside chat completions, in the same run and the same app.

Both doors answer the same conversation (the workload's system prompt and user message,
`max_tokens` 1024, moonshot-v1-8k: no reasoning, so both answers are the same text), driven
in-process through the raw ASGI interface (no socket, no load generator: what differs between
the two figures is the door's own parse, render and framing). Measured, each the best of
alternating rounds:

- non-stream: CPU time per request, every request different and the same request every time;
- stream: CPU time per streamed request, and per event over long streams (`reply_tokens`
  2000, cut at `max_tokens` 1024: about 1,030 events each).

`python -m bench.bench_messages [--requests N] [--rounds N] [--long-streams N] [--out DIR]`
writes `messages.md` and `messages.json` (default `bench/results/`); the target is Messages
within 10% of chat.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from bench.workload import API_KEY, CHAT_PATH, KIMI_SYSTEM
from mock_server.app import create_app
from mock_server.config import Settings

MESSAGES_PATH = "/anthropic/v1/messages"
REQUESTS = 500
LONG_STREAMS = 20
ROUNDS = 5
QUESTION = "Hello, my name is Li Lei. What is 1+1?"


def chat(tag: str, stream: bool) -> bytes:
    return orjson.dumps({"model": "moonshot-v1-8k", "max_tokens": 1024, "stream": stream,
                         "messages": [{"role": "system", "content": KIMI_SYSTEM},
                                      {"role": "user", "content": QUESTION + tag}]})


def messages(tag: str, stream: bool) -> bytes:
    return orjson.dumps({"model": "moonshot-v1-8k", "max_tokens": 1024, "stream": stream,
                         "system": KIMI_SYSTEM, "messages": [{"role": "user", "content": QUESTION + tag}]})


DOORS = {"chat": (CHAT_PATH, chat), "messages": (MESSAGES_PATH, messages)}


async def post(app: Any, path: str, body: bytes) -> int:
    """One POST through the ASGI app; the number of body messages it sent (events, streamed)."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
             "root_path": "", "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000),
             "headers": [(b"host", b"127.0.0.1"), (b"authorization", f"Bearer {API_KEY}".encode()),
                         (b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]}
    bodies = 0
    status = 0
    received = False

    async def receive() -> dict[str, Any]:
        nonlocal received
        if received:
            await asyncio.sleep(3600)  # the client stays connected
        received = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal bodies, status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message.get("body"):
            bodies += 1

    await app(scope, receive, send)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    return bodies


@dataclass(frozen=True)
class Sizes:
    requests: int = REQUESTS
    rounds: int = ROUNDS
    long_streams: int = LONG_STREAMS


async def cpu_per_request(app: Any, door: str, bodies: list[bytes]) -> tuple[float, int]:
    """CPU microseconds per request, and the body messages sent in all."""
    path = DOORS[door][0]
    sent = 0
    started = time.process_time()
    for body in bodies:
        sent += await post(app, path, body)
    return (time.process_time() - started) / len(bodies) * 1e6, sent


def workloads(door: str, first: int, count: int) -> dict[str, list[bytes]]:
    make = DOORS[door][1]
    return {"different": [make(f" #{first + i}", False) for i in range(count)],
            "same": [make("", False)] * count,
            "stream": [make(f" #{first + i}", True) for i in range(count)]}


async def measure(sizes: Sizes = Sizes()) -> dict[str, Any]:
    app = create_app(Settings())
    long_app = create_app(Settings(reply_tokens=(2000, 2000)))
    best: dict[str, float] = {}
    events: dict[str, int] = {}
    first = 0
    for round_ in range(sizes.rounds + 1):  # the first round warms up
        for door in DOORS:
            first += sizes.requests
            for name, bodies in workloads(door, first, sizes.requests).items():
                figure, _ = await cpu_per_request(app, door, bodies)
                if round_:
                    best[f"{door}_{name}_us"] = min(best.get(f"{door}_{name}_us", figure), figure)
            long_bodies = [DOORS[door][1](f" #{first + i}", True) for i in range(sizes.long_streams)]
            figure, sent = await cpu_per_request(long_app, door, long_bodies)
            per_event = figure * sizes.long_streams / sent
            if round_:
                key = f"{door}_per_event_us"
                best[key] = min(best.get(key, per_event), per_event)
                events[door] = sent // sizes.long_streams
    ratios = {f"{name}_ratio": best[f"messages_{name}_us"] / best[f"chat_{name}_us"]
              for name in ("different", "same", "stream", "per_event")}
    return {"requests": sizes.requests, "rounds": sizes.rounds, "long_streams": sizes.long_streams,
            "events_per_long_stream": events, **best, **ratios}


def report(results: dict[str, Any]) -> str:
    rows = [("non-stream, every request different", "different"),
            ("non-stream, the same request", "same"), ("stream (whole request)", "stream"),
            ("per event (long streams)", "per_event")]
    lines = ["# Messages door beside chat completions", "",
             f"In-process, raw ASGI, CPU time; best of {results['rounds']} alternating rounds of "
             f"{results['requests']} requests (per event: {results['long_streams']} streams of about "
             f"{results['events_per_long_stream']['messages']} events).", "",
             "| workload | chat (us) | messages (us) | messages / chat |", "| --- | --- | --- | --- |"]
    for label, key in rows:
        lines.append(f"| {label} | {results[f'chat_{key}_us']:.1f} | {results[f'messages_{key}_us']:.1f} "
                     f"| {results[f'{key}_ratio']:.3f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--long-streams", type=int, default=LONG_STREAMS)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args()
    results = asyncio.run(measure(Sizes(args.requests, args.rounds, args.long_streams)))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "messages.json").write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2))
    (args.out / "messages.md").write_text(report(results))
    print(report(results))


if __name__ == "__main__":
    main()
