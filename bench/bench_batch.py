"""How long a big batch takes on one worker: `python -m mock_server serve` (one process, memory
stores) is sent a JSONL file of N chat requests, a batch is created over it, and the time until
it reads `completed` is measured two ways:

* virtual clock: one retrieve with `X-Mock-Clock-Advance: 3` takes every step at once, so its
  duration is the work itself (validating N lines, N chat answers, writing both files);
* real clock (`--batch-seconds 1`): creation to the first poll that reads `completed`.

    python -m bench.bench_batch [--lines 10000] [--out bench/results]

Writes `batch.json` and `batch.md` under the output directory.
"""

from __future__ import annotations

import argparse
import json
import platform
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

HEADERS = {"Authorization": "Bearer sk-bench-batch"}
TOPICS = ("the moon landing", "quarterly revenue", "蒸汽机的历史", "a haiku about rain",
          "how tides work", "今天的天气")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def input_file(lines: int) -> bytes:
    rows = [{"custom_id": f"req-{n}", "method": "POST", "url": "/v1/chat/completions",
             "body": {"model": "kimi-k2.6", "messages": [
                 {"role": "system", "content": "You are a classification assistant."},
                 {"role": "user", "content": f"Classify request {n}: {TOPICS[n % len(TOPICS)]}"}]}}
            for n in range(lines)]
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode()


def serve(*flags: str) -> tuple[str, subprocess.Popen[bytes]]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "mock_server", "serve", "--port", str(port),
                                "--log-level", "warning", *flags],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(f"{url}/v1/models", headers=HEADERS, timeout=1)
            return url, process
        except httpx.HTTPError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("the server did not start")


def create(client: httpx.Client, data: bytes) -> dict[str, object]:
    uploaded = client.post("/v1/files", data={"purpose": "batch"},
                           files={"file": ("bench.jsonl", data)}).json()
    return client.post("/v1/batches", json={"input_file_id": uploaded["id"], "completion_window": "24h",
                                            "endpoint": "/v1/chat/completions"}).json()


def run(clock: str, data: bytes, lines: int) -> dict[str, object]:
    flags = ("--clock", "virtual") if clock == "virtual" else ("--batch-seconds", "1")
    url, process = serve(*flags)
    try:
        with httpx.Client(base_url=url, headers=HEADERS, timeout=120) as client:
            batch = create(client, data)
            started = time.perf_counter()
            if clock == "virtual":
                done = client.get(f"/v1/batches/{batch['id']}",
                                  headers={"X-Mock-Clock-Advance": "3"}).json()
            else:
                while (done := client.get(f"/v1/batches/{batch['id']}").json())["status"] != "completed":
                    time.sleep(0.05)
            seconds = time.perf_counter() - started
            output = client.get(f"/v1/files/{done['output_file_id']}/content").content
    finally:
        process.kill()
        process.wait(timeout=10)
    assert done["status"] == "completed" and done["request_counts"]["completed"] == lines, done
    assert output.count(b"\n") == lines
    return {"clock": clock, "lines": lines, "seconds": round(seconds, 3),
            "lines_per_second": round(lines / seconds), "output_mb": round(len(output) / 2**20, 2)}


def report(rows: list[dict[str, object]], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "batch.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    table = ["| clock | lines | seconds to completed | lines/s | output MB |", "|---|---|---|---|---|"]
    table += [f"| {r['clock']} | {r['lines']} | {r['seconds']} | {r['lines_per_second']} | "
              f"{r['output_mb']} |" for r in rows]
    note = (f"One worker (`python -m mock_server serve`), memory stores, Python "
            f"{platform.python_version()}. Virtual: the one retrieve that takes every step (the "
            "work itself). Real: `--batch-seconds 1`, creation to the first poll reading "
            "`completed` (the schedule plus the work).")
    (out / "batch.md").write_text("\n".join([*table, "", note, ""]), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args()
    data = input_file(args.lines)
    rows = [run(clock, data, args.lines) for clock in ("virtual", "real")]
    report(rows, args.out)
    print((args.out / "batch.md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
