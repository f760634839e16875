"""`serve --workers 4 --state redis`: limits and balances hold across uvicorn worker processes."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import orjson
import pytest

from tests.e2e.test_cli import free_port, wait_until_up

CHAT = "/v1/chat/completions"
BODY = {"model": "moonshot-v1-8k", "messages": [{"role": "user", "content": "hi"}],
        "max_tokens": 64}
CONFIG = """
api:
  seed: 21
  stream_event_interval: 0.05
tokens:
  reply_tokens: [40, 40]
accounts:
  per-minute: {keys: [sk-rpm], limits: {rpm: 50}}
  in-flight: {keys: [sk-conc], limits: {concurrency: 3}}
  payer: {keys: [sk-pay], cash_balance: 1.0}
  files: {keys: [sk-files]}
"""


@pytest.fixture(scope="module")
def workers_url(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    config = Path(tmp_path_factory.mktemp("workers")) / "mock.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mock_server", "serve", "--port", str(port), "--workers", "4",
         "--state", "redis", "--redis-url", redis_url, "--redis-prefix", f"workers-{port}:",
         "--config", str(config), "--log-level", "warning"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process, timeout=60)
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        assert len(children) >= 4  # uvicorn's worker processes
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


async def _post_all(url: str, key: str, bodies: list[dict[str, object]]) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=len(bodies), max_keepalive_connections=0)
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits,
                                 timeout=60) as client:
        return await asyncio.gather(*(client.post(CHAT, json=b) for b in bodies))


def test_200_concurrent_requests_against_rpm_50_admit_exactly_50(workers_url: str) -> None:
    answers = asyncio.run(_post_all(workers_url, "sk-rpm", [BODY] * 200))
    statuses = [a.status_code for a in answers]
    assert statuses.count(200) == 50 and statuses.count(429) == 150
    assert all("organization max RPM: 50" in a.text for a in answers if a.status_code == 429)
    ids = {a.json()["id"] for a in answers if a.status_code == 200}
    assert len(ids) == 50  # no two workers mint the same completion id


def test_concurrency_3_holds_across_workers_while_streams_are_open(workers_url: str) -> None:
    streams = [{**BODY, "stream": True}] * 12
    answers = asyncio.run(_post_all(workers_url, "sk-conc", streams))
    statuses = [a.status_code for a in answers]
    assert statuses.count(200) == 3 and statuses.count(429) == 9
    assert all("max organization concurrency: 3" in a.text for a in answers
               if a.status_code == 429)
    assert all(a.text.endswith("data: [DONE]\n\n") for a in answers if a.status_code == 200)
    again = asyncio.run(_post_all(workers_url, "sk-conc", streams[:3]))  # every slot was freed
    assert [a.status_code for a in again] == [200, 200, 200]


def test_balance_is_shared_and_exact_across_workers(workers_url: str) -> None:
    answers = asyncio.run(_post_all(workers_url, "sk-pay", [BODY] * 12))
    spent = sum((Decimal(a.json()["usage"]["prompt_tokens"]) * Decimal("0.20")
                 + Decimal(a.json()["usage"]["completion_tokens"]) * Decimal("2.00"))
                for a in answers) / 1_000_000
    expected = float(round(Decimal(1) - spent, 5))
    with httpx.Client(base_url=workers_url, headers={"Authorization": "Bearer sk-pay"}) as client:
        seen = {orjson.dumps(client.get("/v1/users/me/balance").json()["data"])
                for _ in range(8)}
    assert [orjson.loads(s)["cash_balance"] for s in seen] == [expected]



def test_files_are_shared_across_workers_without_a_data_dir(workers_url: str) -> None:
    headers = {"Authorization": "Bearer sk-files", "Connection": "close"}  # spread over workers
    with httpx.Client(base_url=workers_url, headers=headers) as client:
        ids = {client.post("/v1/files", files={"file": (f"n{i}.txt", f"note {i}".encode())},
                           data={"purpose": "file-extract"}).json()["id"] for i in range(8)}
        for _ in range(12):  # whichever worker answers, it sees every file
            assert {f["id"] for f in client.get("/v1/files").json()["data"]} == ids
