"""The Responses door beside chat completions, in the same run: one conversation on kimi-k3 asked
through both doors, non-stream and streamed, on one `moonshot-mock serve`.

Each round loads one door for a bounded time over keep-alive connections from this process
(`bench.http_client`, streams read whole), alternating chat and Responses; the figures are the
medians of the rounds: requests/s, and the server's CPU per request and per SSE event (a figure
far less disturbed by other load on the machine). Target: Responses within 10% of chat.
Writes doors.{json,md} under bench/results (or --out).

    .venv/bin/python -m bench.bench_doors [--rounds 5] [--seconds 3] [--connections 8]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import time
from pathlib import Path
from typing import Any

import orjson

from bench.http_client import exchange
from bench.servers import HOST, cpu_seconds, started
from bench.stats import median
from bench.workload import KIMI_SYSTEM, raw_request

RESULTS = Path(__file__).parent / "results"
QUESTION = "Hello, my name is Li Lei. What is 1+1?"
TARGET = 0.10  # Responses within 10% of chat
# kimi-k3 at a quiet machine's rate spends the default $100 within a run: the account must not
# run dry (a 429 for insufficient balance) before the last round
AMPLE_BALANCE = {"MOONSHOT_MOCK_UNLISTED_CASH_BALANCE": "1000000000"}


def bodies(stream: bool) -> dict[str, tuple[str, bytes]]:
    """The same conversation through each door: path and body."""
    chat = {"model": "kimi-k3", "reasoning_effort": "low", "stream": stream,
            "messages": [{"role": "system", "content": KIMI_SYSTEM},
                         {"role": "user", "content": QUESTION}]}
    responses = {"model": "kimi-k3", "reasoning": {"effort": "low"}, "stream": stream,
                 "instructions": KIMI_SYSTEM, "input": QUESTION}
    return {"chat": ("/v1/chat/completions", orjson.dumps(chat)),
            "responses": ("/v1/responses", orjson.dumps(responses))}


async def _connection(port: int, request: bytes, until: float, counts: list[int]) -> None:
    reader, writer = await asyncio.open_connection(HOST, port, limit=1 << 22)
    try:
        while time.perf_counter() < until:
            status, body = await exchange(reader, writer, request)
            if status != 200:
                raise RuntimeError(f"status {status}: {body[:200]!r}")
            counts[0] += 1
            counts[1] += body.count(b"\n\n")  # SSE events (0 for a JSON answer)
    finally:
        writer.close()


async def load(port: int, path: str, body: bytes, seconds: float,
               connections: int) -> tuple[int, int, float]:
    """Requests and events answered in `seconds`, and the wall time taken."""
    request = raw_request(HOST, port, body, path)
    counts = [0, 0]
    started_at = time.perf_counter()
    until = started_at + seconds
    await asyncio.gather(*(_connection(port, request, until, counts) for _ in range(connections)))
    return counts[0], counts[1], time.perf_counter() - started_at


def one_round(port: int, pid: int, path: str, body: bytes, seconds: float,
              connections: int) -> dict[str, float]:
    asyncio.run(load(port, path, body, min(0.5, seconds), connections))  # warm-up
    cpu = cpu_seconds(pid)
    requests, events, wall = asyncio.run(load(port, path, body, seconds, connections))
    used = cpu_seconds(pid) - cpu
    figures = {"rps": requests / wall, "cpu_us_per_request": used / max(1, requests) * 1e6}
    if events:
        figures["events_per_stream"] = events / requests
        figures["cpu_us_per_event"] = used / events * 1e6
    return figures


def measure(rounds: int, seconds: float, connections: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with started("mock", AMPLE_BALANCE) as server:
        pid = server.process.pid
        for mode, stream in (("non-stream", False), ("stream", True)):
            samples: dict[str, list[dict[str, float]]] = {"chat": [], "responses": []}
            for _ in range(rounds):
                for door, (path, body) in bodies(stream).items():
                    samples[door].append(one_round(server.port, pid, path, body, seconds,
                                                   connections))
            results[mode] = {door: {key: median([s[key] for s in runs]) for key in runs[0]}
                             for door, runs in samples.items()}
    return results


def ratios(results: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Responses against chat per mode: throughput (higher is better), CPU (lower is better)."""
    found = {}
    for mode, doors in results.items():
        chat, responses = doors["chat"], doors["responses"]
        found[mode] = {"rps": responses["rps"] / chat["rps"],
                       "cpu_per_request": responses["cpu_us_per_request"]
                       / chat["cpu_us_per_request"]}
        if "cpu_us_per_event" in chat:
            found[mode]["cpu_per_event"] = responses["cpu_us_per_event"] / chat["cpu_us_per_event"]
    return found


def report(results: dict[str, Any], compared: dict[str, Any], options: dict[str, Any]) -> str:
    lines = ["# The Responses door beside chat", "",
             f"{options['when']}, {options['machine']}; {options['rounds']} alternating rounds "
             f"of {options['seconds']} s, {options['connections']} connections, medians. One "
             "conversation on kimi-k3 (effort low) through both doors; target: Responses "
             f"within {TARGET:.0%} of chat.", "",
             "| mode | door | req/s | CPU us/request | events/stream | CPU us/event |",
             "| --- | --- | --- | --- | --- | --- |"]
    for mode, doors in results.items():
        for door, f in doors.items():
            lines.append(f"| {mode} | {door} | {f['rps']:.0f} | {f['cpu_us_per_request']:.0f} | "
                         f"{f.get('events_per_stream', 0):.0f} | "
                         f"{f.get('cpu_us_per_event', 0):.1f} |")
    lines += ["", "| mode | Responses/chat req/s | CPU per request | CPU per event |",
              "| --- | --- | --- | --- |"]
    for mode, r in compared.items():
        per_event = f"{r['cpu_per_event']:.2f}" if "cpu_per_event" in r else "—"
        lines.append(f"| {mode} | {r['rps']:.2f} | {r['cpu_per_request']:.2f} | {per_event} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--rounds", type=int, default=5)
    args.add_argument("--seconds", type=float, default=3.0)
    args.add_argument("--connections", type=int, default=8)
    args.add_argument("--out", type=Path, default=RESULTS)
    ns = args.parse_args()
    results = measure(ns.rounds, ns.seconds, ns.connections)
    compared = ratios(results)
    options = {"rounds": ns.rounds, "seconds": ns.seconds, "connections": ns.connections,
               "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
               "machine": f"{platform.processor() or platform.machine()}, Python "
                          f"{platform.python_version()}"}
    ns.out.mkdir(parents=True, exist_ok=True)
    (ns.out / "doors.json").write_text(json.dumps(
        {"options": options, "results": results, "ratios": compared}, indent=2) + "\n")
    text = report(results, compared, options)
    (ns.out / "doors.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
