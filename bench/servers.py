"""Server processes under test: the fake, the bare ceiling and Prism, each its own process.

`started(kind)` spawns one, waits for its first successful answer to the chat workload (that
wait is the cold start), and stops it afterwards. Memory is read from /proc.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.workload import chat_bytes, raw_request

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
PRISM = ROOT / "bench" / "node_modules" / ".bin" / "prism"
UVICORN_FLAGS = ("--log-level", "warning", "--no-access-log")


@dataclass
class Server:
    kind: str
    process: subprocess.Popen[bytes]
    port: int
    cold_start: float  # seconds from spawn to the first 200

    @property
    def rss_kib(self) -> int:
        return rss_kib(self.process.pid)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def command(kind: str, port: int) -> list[str]:
    where = ["--host", HOST, "--port", str(port)]
    if kind == "mock":
        return [str(BIN / "moonshot-mock"), "serve", *where, "--log-level", "warning"]
    if kind == "bare":
        return [str(BIN / "uvicorn"), "--factory", "bench.bare_app:from_env", *where,
                *UVICORN_FLAGS]
    if kind == "prism":
        return [str(PRISM), "mock", "-h", HOST, "-p", str(port), "-v", "warn",
                str(ROOT / "openapi" / "moonshot.yaml")]
    raise ValueError(f"unknown server kind {kind!r}")


def probe(port: int) -> bool:
    """One chat request; True when it answers 200."""
    try:
        with socket.create_connection((HOST, port), timeout=2) as sock:
            sock.sendall(raw_request(HOST, port, chat_bytes()))
            return sock.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def wait_ready(process: subprocess.Popen[bytes], port: int, timeout: float) -> float:
    started = time.perf_counter()
    deadline = started + timeout
    while time.perf_counter() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        if probe(port):
            return time.perf_counter() - started
        time.sleep(0.002)
    raise TimeoutError(f"no 200 within {timeout:.0f}s")


@contextmanager
def started(kind: str, env: Mapping[str, str] | None = None,
            timeout: float = 60.0) -> Iterator[Server]:
    port = free_port()
    spawned = time.perf_counter()
    process = subprocess.Popen(command(kind, port), cwd=ROOT, env={**os.environ, **(env or {})},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        wait_ready(process, port, timeout)
        yield Server(kind, process, port, time.perf_counter() - spawned)
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
