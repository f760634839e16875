"""How long a concurrency slot takes to come back in Redis state (`python -m bench.bench_leases`).

Two outages, each while a stream holds the account's only slot (`concurrency: 1`):
- Redis is killed (its data on disk, appendonly, every write synced), the stream ends while it
  is away, Redis is started again from its data after `--down` seconds: the time from Redis
  answering to the account's first 200;
- a replica is killed -9 mid-stream, another on the same Redis serves on: the time from the
  kill to the account's first 200 there.
Both are bounded by `redis_lease_seconds` (the default, 15, unless `--lease`). Writes
`bench/results/leases.md` (`--out DIR` elsewhere). Needs Debian's redis-server.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import redis

KEY = "sk-bench-leases"
BODY = {"model": "moonshot-v1-8k", "messages": [{"role": "user", "content": "hi"}]}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_redis(directory: Path, port: int) -> subprocess.Popen[bytes]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is not installed (make install puts it there)")
    process = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "yes",
         "--appendfsync", "always", "--dir", str(directory)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    while True:
        try:
            client.ping()
            return process
        except redis.ConnectionError:
            time.sleep(0.02)


def start_mock(redis_port: int, config: Path) -> tuple[str, subprocess.Popen[bytes]]:
    """A replica on that Redis (every replica shares the same key prefix)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mock_server", "serve", "--port", str(port), "--state", "redis",
         "--redis-url", f"redis://127.0.0.1:{redis_port}/0", "--redis-prefix", "bench-leases:",
         "--config", str(config), "--quiet", "--log-level", "error"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    while True:
        try:
            httpx.get(f"{url}/openapi.json", timeout=1)
            return url, process
        except httpx.TransportError:
            time.sleep(0.05)


def chat(url: str) -> int:
    return httpx.post(f"{url}/v1/chat/completions", json=BODY, timeout=30,
                      headers={"Authorization": f"Bearer {KEY}"}).status_code


def until_admitted(url: str, started: float) -> float:
    while chat(url) != 200:
        time.sleep(0.05)
    return time.monotonic() - started


def open_stream(client: httpx.Client, url: str) -> Iterator[str]:
    """The stream's lines, its first already read (the slot is taken)."""
    request = client.build_request("POST", f"{url}/v1/chat/completions", json={**BODY, "stream": True},
                                   headers={"Authorization": f"Bearer {KEY}"})
    lines = client.send(request, stream=True).iter_lines()
    next(lines)
    return lines


def redis_outage(directory: Path, config: Path, down: float) -> float:
    port = free_port()
    server = start_redis(directory, port)
    url, mock = start_mock(port, config)
    try:
        with httpx.Client(timeout=60) as client:
            stream = open_stream(client, url)
            server.kill()
            server.wait()
            for _ in stream:  # ends while Redis is away: the release is lost
                pass
            time.sleep(down)
            server = start_redis(directory, port)
            return until_admitted(url, time.monotonic())
    finally:
        mock.terminate()
        server.kill()


def replica_killed(directory: Path, config: Path) -> float:
    port = free_port()
    server = start_redis(directory, port)
    first, victim = start_mock(port, config)
    second, survivor = start_mock(port, config)
    try:
        with httpx.Client(timeout=60) as client:
            open_stream(client, first)
            victim.send_signal(signal.SIGKILL)
            killed = time.monotonic()
            victim.wait()
            return until_admitted(second, killed)
    finally:
        for process in (victim, survivor):
            if process.poll() is None:
                process.terminate()
        server.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lease", type=float, default=15.0, help="redis_lease_seconds (default 15)")
    parser.add_argument("--down", type=float, default=5.0, help="seconds Redis stays down (default 5)")
    parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-leases-") as name:
        directory = Path(name)
        config = directory / "mock.yaml"
        config.write_text(f"reply_tokens: [30, 30]\nstream_event_interval: 0.05\n"
                          f"redis_lease_seconds: {args.lease}\n"
                          f"accounts:\n  solo: {{keys: [{KEY}], limits: {{concurrency: 1}}}}\n")
        (directory / "a").mkdir()
        (directory / "b").mkdir()
        after_redis = redis_outage(directory / "a", config, args.down)
        after_kill = replica_killed(directory / "b", config)
    lines = [
        "# Concurrency leases in Redis: capacity-return time", "",
        f"`python -m bench.bench_leases --lease {args.lease:g} --down {args.down:g}`, "
        f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC.", "",
        "| outage | slot back after | bound |", "| --- | --- | --- |",
        f"| Redis killed mid-stream, the stream ends while it is down, restarted from its "
        f"appendonly data after {args.down:g} s | {after_redis:.2f} s after Redis answers again "
        f"| the lease ({args.lease:g} s) minus the time down |",
        f"| a replica killed -9 mid-stream, another serves on | {after_kill:.2f} s after the kill "
        f"| the lease ({args.lease:g} s) |", ""]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "leases.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
