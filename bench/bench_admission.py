"""Admission overhead per request: limits off vs on (memory backend, Redis backend), as ratios.

Drives the ASGI app in-process (no sockets, so only the server's own work is timed) with the same
non-stream chat request, sequentially, for a bounded count. Also times the bare admission step
(`state.admit` + `release`). Writes admission.{json,md} under bench/results (or --out).

    .venv/bin/python -m bench.bench_admission [--count 2000] [--redis-url redis://...] [--out DIR]

Without --redis-url it starts Debian's redis-server on a free 127.0.0.1 port (no persistence)
and stops it afterwards; without redis-server the Redis rows are skipped.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from bench.workload import asgi_post
from mock_server.accounts.limits import Limits
from mock_server.accounts.state import open_state
from mock_server.app import create_app
from mock_server.config import Settings

RESULTS = Path(__file__).parent / "results"
BODY = orjson.dumps({"model": "moonshot-v1-8k", "max_tokens": 32,
                     "messages": [{"role": "user", "content": "你好，1+1等于多少？"}]})
HIGH = {"concurrency": 1_000_000, "rpm": 1_000_000_000, "tpm": 10**15, "tpd": 10**15}
TIME_CAP_SECONDS = 60.0
ROUNDS = 10


async def timed_round(app: Any, count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        if await asgi_post(app, BODY) != 200:
            raise RuntimeError("a benchmark request was not admitted")
    return (time.perf_counter() - started) / count * 1e6


async def per_request_us(runs: dict[str, Settings], count: int, rounds: int) -> dict[str, float]:
    """Median µs per request of each run; rounds interleave the runs so machine noise is shared."""
    apps = {name: create_app(settings) for name, settings in runs.items()}
    for app in apps.values():  # warm-up (script loading, caches)
        await timed_round(app, min(100, count))
    samples: dict[str, list[float]] = {name: [] for name in apps}
    deadline = time.perf_counter() + TIME_CAP_SECONDS
    for _ in range(rounds):
        for name, app in apps.items():
            samples[name].append(await timed_round(app, max(1, count // rounds)))
        if time.perf_counter() > deadline:
            break
    for app in apps.values():
        await app.state.services.state.close()
    return {name: statistics.median(values) for name, values in samples.items()}


async def admit_us(settings: Settings, count: int) -> float:
    state, limits = open_state(settings), Limits(**HIGH)
    started, now = time.perf_counter(), 1_767_225_600.0
    for i in range(count):
        await state.admit("bench", limits, 100, now + i * 0.001, f"bench-{i}")
        await state.release("bench", f"bench-{i}")
    elapsed = time.perf_counter() - started
    await state.close()
    return elapsed / count * 1e6


@contextmanager
def redis_server(url: str | None) -> Iterator[str | None]:
    binary = shutil.which("redis-server")
    if url or binary is None:
        yield url
        return
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with tempfile.TemporaryDirectory() as directory:
        process = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port),
                                    "--save", "", "--appendonly", "no", "--dir", directory],
                                   stdout=subprocess.DEVNULL)
        time.sleep(0.5)
        try:
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            process.wait(timeout=10)


async def measure(count: int, url: str | None) -> dict[str, dict[str, float]]:
    base = Settings(seed=1)
    runs = {"limits off (memory)": base,
            "limits on, memory": Settings(seed=1, limits=HIGH)}
    if url:
        runs["limits on, redis"] = Settings(seed=1, limits=HIGH, state="redis", redis_url=url,
                                            redis_prefix=f"bench-{time.time_ns()}:")
    medians = await per_request_us(runs, count, ROUNDS)
    rows = {name: {"request_us": value} for name, value in medians.items()}
    baseline = rows["limits off (memory)"]["request_us"]
    for name, settings in runs.items():
        rows[name]["ratio_vs_off"] = rows[name]["request_us"] / baseline
        if name != "limits off (memory)":
            rows[name]["admit_release_us"] = await admit_us(settings, count)
    return rows


def write(rows: dict[str, dict[str, float]], count: int, out: Path = RESULTS) -> None:
    out.mkdir(parents=True, exist_ok=True)
    meta = {"count": count, "python": platform.python_version(), "machine": platform.machine()}
    (out / "admission.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=2))
    lines = ["# Admission overhead per request", "",
             f"{count} sequential non-stream chat requests per run, in-process ASGI, in "
             f"{ROUNDS} interleaved rounds (median), Python {meta['python']}.", "",
             "| run | µs / request | ratio vs limits off | admit+release µs |",
             "|---|---:|---:|---:|"]
    for name, row in rows.items():
        admit = f"{row['admit_release_us']:.1f}" if "admit_release_us" in row else "—"
        lines.append(f"| {name} | {row['request_us']:.1f} | {row['ratio_vs_off']:.2f} | {admit} |")
    (out / "admission.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--redis-url")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    count = max(1, min(args.count, 100_000))
    with redis_server(args.redis_url) as url:
        rows = asyncio.run(measure(count, url))
    write(rows, count, args.out)


if __name__ == "__main__":
    main()
