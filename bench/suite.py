"""The measurements, each against a baseline run in the same session so machine noise cancels.

Every phase starts its own server processes, drives them from a separate load process and
returns plain data; `bench.run` puts the phases together and writes the report.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from typing import Any

import orjson

from bench import loadgen, servers
from bench.stats import median
from bench.workload import chat_bytes, raw_request

STREAM_EVENTS = 2000  # tokens in the one long unpaced stream
PACED_TOKENS = 60  # tokens per paced stream: ~6 s at 0.1 s per event


@dataclass(frozen=True)
class Plan:
    """How long and how many: `--quick` shrinks everything for a smoke run."""

    rounds: int = 5  # alternating bare/fake rounds; single rounds swing by a third on this machine
    duration: float = 5.0
    warmup: float = 1.0  # of each load run, unmeasured
    connections: int = 32
    cold_starts: int = 15  # each server; spawns swing by a third when the machine is shared
    streams: int = 1000
    pace: float = 0.1
    stream_repeat: int = 5
    in_process_requests: int = 2000  # per app and mode, in-process and with caches emptied
    cache_rounds: int = 5


QUICK = Plan(rounds=1, duration=2.0, cold_starts=2, streams=200, stream_repeat=2)


def python_module(*args: str, timeout: float = 300) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True,
                         timeout=timeout, check=True, cwd=servers.ROOT)
    return dict(orjson.loads(out.stdout.strip().splitlines()[-1]))


def chat_answer_size() -> int:
    """Bytes of the fake's answer to the workload: the bare app answers as many."""
    import socket

    with servers.started("mock") as server, socket.create_connection(
            (servers.HOST, server.port)) as sock:
        sock.sendall(raw_request(servers.HOST, server.port, chat_bytes()))
        head = sock.recv(65536).split(b"\r\n\r\n", 1)[0]
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":")[1])
    raise RuntimeError("the fake's answer has no Content-Length")


def throughput(plan: Plan, wrk: str | None, body_size: int,
               vary: bool = False) -> dict[str, Any]:
    """Alternating rounds of bare and fake under the same load; ratios per round."""
    bare_env = {"BENCH_BARE_BODY_SIZE": str(body_size)}
    rounds = []
    for _ in range(plan.rounds):
        with servers.started("bare", bare_env) as bare:
            ceiling = loadgen.load(bare.port, plan.connections, plan.duration, plan.warmup,
                                   wrk=wrk, pid=bare.process.pid)
        with servers.started("mock") as mock:
            fake = loadgen.load(mock.port, plan.connections, plan.duration, plan.warmup,
                                wrk=wrk, vary=vary, pid=mock.process.pid)
        rounds.append({"bare": ceiling, "fake": fake, "ratio": fake["rps"] / ceiling["rps"],
                       "cpu_ratio": ceiling["cpu_us_per_request"] / fake["cpu_us_per_request"]})
    best = sorted(rounds, key=lambda r: r["ratio"])[len(rounds) // 2]
    return {"rounds": rounds, "median": best, "ratio": best["ratio"]}


def prism(plan: Plan, wrk: str | None) -> dict[str, Any]:
    """Prism under the chat load, then the fake under the same load (same request, every request
    different) right after it: the ratios compare runs a few seconds apart."""
    with servers.started("prism", timeout=120) as server:
        result = loadgen.load(server.port, plan.connections, plan.duration, warmup=3.0, wrk=wrk,
                              pid=server.process.pid)
    fake = {}
    for phase, vary in (("chat", False), ("chat_varied", True)):
        with servers.started("mock") as mock:
            fake[phase] = loadgen.load(mock.port, plan.connections, plan.duration, plan.warmup, wrk=wrk,
                                       vary=vary, pid=mock.process.pid)
    return {"load": result, "cold_start_s": server.cold_start, "fake": fake}


def cold_start(plan: Plan) -> dict[str, Any]:
    """Spawn to first 200 on the chat workload, alternating fake and bare; also the CPU each
    server process had used by then (steadier than the wall time on a shared machine)."""
    samples: dict[str, list[float]] = {"mock": [], "bare": []}
    cpu: dict[str, list[float]] = {"mock": [], "bare": []}
    for _ in range(plan.cold_starts):
        for kind in samples:
            with servers.started(kind) as server:
                samples[kind].append(server.cold_start)
                cpu[kind].append(servers.cpu_seconds(server.process.pid))
    fake, bare = median(samples["mock"]), median(samples["bare"])
    fake_cpu, bare_cpu = median(cpu["mock"]), median(cpu["bare"])
    return {"fake_s": fake, "bare_s": bare, "ratio": fake / bare, "samples": samples,
            "fake_cpu_s": fake_cpu, "bare_cpu_s": bare_cpu, "cpu_ratio": fake_cpu / bare_cpu,
            "cpu_samples": cpu}


def single_stream(plan: Plan) -> dict[str, Any]:
    """One long unpaced stream: the fake against pre-encoded events from the bare app."""
    tokens = f"{STREAM_EVENTS},{STREAM_EVENTS}"
    with servers.started("mock", {"MOONSHOT_MOCK_REPLY_TOKENS": tokens}) as mock:
        fake = python_module("bench.stream_client", "single", str(mock.port),
                             "--repeat", str(plan.stream_repeat))
    bare_env = {"BENCH_BARE_EVENTS": str(fake["events"] - 1), "BENCH_BARE_EVENT_SIZE": "230"}
    with servers.started("bare", bare_env) as bare:
        floor = python_module("bench.stream_client", "single", str(bare.port), "/stream",
                              "--repeat", str(plan.stream_repeat))
    added_ms = (fake["us_per_event"] - floor["us_per_event"]) / 1000
    return {"fake": fake, "bare": floor, "added_ms_per_event": added_ms}


def many_streams(plan: Plan) -> dict[str, Any]:
    """Streams paced by the fake's own `stream_event_interval` setting, held open at once."""
    env = {"MOONSHOT_MOCK_REPLY_TOKENS": f"{PACED_TOKENS},{PACED_TOKENS}",
           "MOONSHOT_MOCK_STREAM_EVENT_INTERVAL": str(plan.pace)}
    with servers.started("mock", env) as server:
        result = python_module("bench.stream_client", "many", str(server.port),
                               "--streams", str(plan.streams),
                               "--server-pid", str(server.process.pid))
    return {**result, "pace_ms": plan.pace * 1000}


def in_process(plan: Plan) -> dict[str, Any]:
    result = python_module("bench.inprocess", "--requests", str(plan.in_process_requests))
    return {**result, "ratio": result["fake_per_s"] / result["bare_per_s"]}


def cache_evicted(plan: Plan) -> dict[str, Any]:
    """CPU per request in-process, with warm caches and with L1/L2 emptied before each."""
    return python_module("bench.cold_cache", "--rounds", str(plan.cache_rounds),
                         "--requests", str(plan.in_process_requests // 2))
