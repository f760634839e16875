"""Upload throughput (MB/s) and the server's peak memory against the file's size.

Starts `python -m mock_server serve` once per (store, purpose, size) on a loopback port,
streams one generated file to it (the client never holds the file either), and reads the
server's peak resident memory (VmHWM) from /proc. Memory must stay flat as the file grows.

    python bench/bench_upload.py [--sizes 8,32,96,256] [--out bench/results]

Writes `upload.json` and `upload.md` under the output directory.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

MB = 1024 * 1024
BOUNDARY = "benchboundary7d1f"
LINE = "moonshot-mock upload benchmark 上传基准 0123456789\n".encode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def memory_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def body(size: int, purpose: str) -> Iterator[bytes]:
    yield (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n{purpose}\r\n"
           f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.txt\""
           "\r\nContent-Type: text/plain\r\n\r\n").encode()
    block = LINE * (MB // len(LINE))
    sent = 0
    while sent < size:
        piece = block[: size - sent]
        sent += len(piece)
        yield piece
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def start(port: int, data_dir: str | None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "MOONSHOT_MOCK_FILE_MAX_BYTES": str(1024 * MB)}
    args = [sys.executable, "-m", "mock_server", "serve", "--port", str(port), "--log-level",
            "warning"] + (["--data-dir", data_dir] if data_dir else [])
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
            return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start")


def measure(size_mb: int, purpose: str, store: str) -> dict[str, object]:
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        process = start(port, data_dir if store == "durable" else None)
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600,
                              headers={"Authorization": "Bearer sk-bench"}) as client:
                headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
                client.post("/v1/files", content=body(1024, purpose), headers=headers)  # warm up
                baseline = memory_kb(process.pid, "VmRSS")
                began = time.perf_counter()
                response = client.post("/v1/files", content=body(size_mb * MB, purpose),
                                       headers=headers)
                seconds = time.perf_counter() - began
                response.raise_for_status()
                peak = memory_kb(process.pid, "VmHWM")
        finally:
            process.kill()
            process.wait(timeout=10)
    return {"store": store, "purpose": purpose, "size_mb": size_mb, "seconds": round(seconds, 3),
            "mb_per_s": round(size_mb / seconds, 1), "rss_before_mb": round(baseline / 1024, 1),
            "peak_rss_mb": round(peak / 1024, 1), "peak_growth_mb": round((peak - baseline) / 1024, 1)}


def table(rows: list[dict[str, object]]) -> str:
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(str(row[k]) for k in keys) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="8,32,96,256", help="file sizes in MB")
    parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = [measure(size, purpose, store)
            for store in ("memory", "durable") for purpose in ("batch", "file-extract")
            for size in sizes]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "upload.json").write_text(json.dumps(rows, indent=2) + "\n")
    (out / "upload.md").write_text("# Upload benchmark\n\n" + table(rows))
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
