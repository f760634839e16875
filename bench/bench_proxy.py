"""What the recording proxy adds: per request, and per SSE event of a stream.

Three processes on 127.0.0.1: the fake as the upstream (virtual clock, so streams are not
paced), `moonshot-mock serve --upstream` in front of it (and the same with `--record-dir`, which
also writes every exchange), and this client. Rounds alternate between asking the upstream
directly and asking through the proxy; the figures are medians over the rounds:

- wall time added per request (non-stream chat) and per event (a 200-event stream, after
  taking the request's own overhead off);
- the proxy process's CPU time per request and per event (from /proc: steadier than wall time
  on a shared machine);
- replay: a recorded answer served by `serve --reply-files-dir` against the fake generating it.

    python -m bench.bench_proxy [--requests 200] [--streams 20] [--rounds 5] [--out bench/results]

Writes `proxy.json` and `proxy.md` under the output directory.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench.servers import BIN, HOST, cpu_seconds, free_port

CHAT = {"model": "moonshot-v1-8k", "messages": [{"role": "user", "content": "benchmark"}]}
STREAM = {**CHAT, "stream": True}
HEADERS = {"Authorization": "Bearer sk-bench-proxy", "Accept-Encoding": "identity"}


@contextmanager
def serving(*flags: str, env: dict[str, str] | None = None) -> Iterator[tuple[str, int]]:
    port = free_port()
    process = subprocess.Popen([str(BIN / "moonshot-mock"), "serve", "--host", HOST, "--port", str(port),
                                "--log-level", "warning", *flags],
                               env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL)
    url = f"http://{HOST}:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"{url}/openapi.json", timeout=1)
            break
        except httpx.TransportError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"server {flags} did not start") from None
            time.sleep(0.1)
    try:
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


def timed(client: httpx.Client, url: str, body: dict, count: int) -> tuple[float, int]:
    """Median seconds per request (to the last byte), and the events of the last answer."""
    times: list[float] = []
    events = 0
    for _ in range(count):
        started = time.perf_counter()
        with client.stream("POST", f"{url}/v1/chat/completions", json=body) as answer:
            data = b"".join(answer.iter_raw())
        times.append(time.perf_counter() - started)
        events = data.count(b"\n\n")
    return statistics.median(times), events


def rounds(client: httpx.Client, direct: str, proxy: str, proxy_pid: int,
           args: argparse.Namespace) -> dict[str, float]:
    rows: dict[str, list[float]] = {k: [] for k in ("request", "event", "cpu_request", "cpu_event")}
    events = 0
    for _ in range(args.rounds):
        d_req, _ = timed(client, direct, CHAT, args.requests)
        cpu = cpu_seconds(proxy_pid)
        p_req, _ = timed(client, proxy, CHAT, args.requests)
        cpu_request = (cpu_seconds(proxy_pid) - cpu) / args.requests
        d_stream, events = timed(client, direct, STREAM, args.streams)
        cpu = cpu_seconds(proxy_pid)
        p_stream, _ = timed(client, proxy, STREAM, args.streams)
        cpu_stream = (cpu_seconds(proxy_pid) - cpu) / args.streams
        rows["request"].append(p_req - d_req)
        rows["event"].append(max(0.0, (p_stream - d_stream) - (p_req - d_req)) / events)
        rows["cpu_request"].append(cpu_request)
        rows["cpu_event"].append(max(0.0, cpu_stream - cpu_request) / events)
    result = {k: round(statistics.median(v) * 1e6, 1) for k, v in rows.items()}
    result["events_per_stream"] = events
    return result


def replay_figures(client: httpx.Client, upstream: str, args: argparse.Namespace) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as recording:
        with serving("--upstream", upstream, "--record-dir", recording) as (proxy, _):
            client.post(f"{proxy}/v1/chat/completions", json=CHAT)
        with serving("--reply-files-dir", recording, "--replay-speed", "0") as (replay, _):
            fake, _ = timed(client, upstream, CHAT, args.requests)
            replayed, _ = timed(client, replay, CHAT, args.requests)
    return {"fake_us": round(fake * 1e6, 1), "replay_us": round(replayed * 1e6, 1)}


def measure(args: argparse.Namespace) -> dict[str, object]:
    env = {"MOONSHOT_MOCK_REPLY_TOKENS": "200,200"}
    with serving("--clock", "virtual", env=env) as (upstream, _), \
            httpx.Client(headers=HEADERS, timeout=60) as client:
        figures: dict[str, object] = {}
        with serving("--upstream", upstream) as (proxy, pid):
            figures["passthrough"] = rounds(client, upstream, proxy, pid, args)
        with tempfile.TemporaryDirectory() as directory, \
                serving("--upstream", upstream, "--record-dir", directory) as (proxy, pid):
            figures["passthrough + record"] = rounds(client, upstream, proxy, pid, args)
        figures["replay"] = replay_figures(client, upstream, args)
    return {"plan": vars(args) | {"out": str(args.out)}, "cpus": os.cpu_count(),
            "load_average": os.getloadavg()[0], "figures": figures}


def table(result: dict) -> str:
    plan = result["plan"]
    lines = ["# Recording proxy overhead", "",
             f"{plan['rounds']} alternating rounds of {plan['requests']} non-stream chats and "
             f"{plan['streams']} streams, direct to the upstream fake and through the proxy; "
             f"medians over rounds (µs). {result['cpus']} CPUs, load average "
             f"{result['load_average']:.1f} at the start.", "",
             "| proxy | wall added / request | wall added / event | proxy CPU / request | "
             "proxy CPU / event | events per stream |", "|---|---|---|---|---|---|"]
    for name in ("passthrough", "passthrough + record"):
        f = result["figures"][name]
        lines.append(f"| {name} | {f['request']} | {f['event']} | {f['cpu_request']} | "
                     f"{f['cpu_event']} | {f['events_per_stream']} |")
    replay = result["figures"]["replay"]
    lines += ["", f"Replay (`serve --reply-files-dir`, one recorded chat): {replay['replay_us']} µs per "
              f"request, against {replay['fake_us']} µs for the fake generating it.", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--streams", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args()
    result = measure(args)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "proxy.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (args.out / "proxy.md").write_text(table(result), encoding="utf-8")
    sys.stdout.write(table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
