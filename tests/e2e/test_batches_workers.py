"""`serve --workers 3 --data-dir DIR --state redis`: a batch polled through every worker runs
once (one output file, one journal of lines) and is billed once, at the batch price."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import httpx

from tests.e2e.test_cli import free_port, wait_until_up

KEY = {"Authorization": "Bearer sk-batch-workers"}
PRICE = {"input": Decimal("0.57"), "output": Decimal("2.40")}  # kimi-k2.6 batch, per M


async def poll(url: str, batch_id: str) -> list[dict[str, object]]:
    """Many pollers on fresh connections (so on every worker) until the batch completes."""
    limits = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=url, headers=KEY, limits=limits, timeout=60) as client:
        for _ in range(200):
            seen = await asyncio.gather(*(client.get(f"/v1/batches/{batch_id}") for _ in range(6)))
            bodies = [r.json() for r in seen]
            if all(b["status"] == "completed" for b in bodies):
                return bodies
            await asyncio.sleep(0.05)
    raise AssertionError("the batch did not complete")


def test_a_batch_runs_and_is_billed_once_across_workers(redis_url: str, tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mock_server", "serve", "--port", str(port), "--workers", "3",
         "--state", "redis", "--redis-url", redis_url, "--redis-prefix", f"batches-{port}:",
         "--data-dir", str(tmp_path / "data"), "--batch-seconds", "0.5", "--log-level", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process, timeout=60)  # type: ignore[arg-type]
        with httpx.Client(base_url=url, headers=KEY, timeout=60) as client:
            start = Decimal(str(client.get("/v1/users/me/balance").json()["data"]["cash_balance"]))
            lines = [{"custom_id": f"r{n}", "method": "POST", "url": "/v1/chat/completions",
                      "body": {"model": "kimi-k2.6",
                               "messages": [{"role": "user", "content": f"第 {n} 题"}]}}
                     for n in range(40)]
            data = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines).encode()
            uploaded = client.post("/v1/files", data={"purpose": "batch"},
                                   files={"file": ("w.jsonl", data)}).json()
            batch = client.post("/v1/batches", json={
                "input_file_id": uploaded["id"], "endpoint": "/v1/chat/completions",
                "completion_window": "24h"}).json()
            bodies = asyncio.run(poll(url, batch["id"]))
            assert len({b["output_file_id"] for b in bodies}) == 1
            output = client.get(f"/v1/files/{bodies[0]['output_file_id']}/content").text
            answers = [json.loads(x)["response"]["body"]["usage"] for x in output.splitlines()]
            assert len(answers) == 40
            files = [f for f in client.get("/v1/files").json()["data"] if f["purpose"] == "batch"]
            assert len(files) == 2  # the input and one output: a losing run left nothing behind
            end = Decimal(str(client.get("/v1/users/me/balance").json()["data"]["cash_balance"]))
            cost = sum(u["prompt_tokens"] * PRICE["input"] + u["completion_tokens"] * PRICE["output"]
                       for u in answers) / 1_000_000
            assert start - end == round(cost, 5)
    finally:
        process.terminate()
        process.wait(timeout=20)
