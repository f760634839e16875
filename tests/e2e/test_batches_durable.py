"""Batches as a user runs them (`python -m mock_server serve --data-dir`): a batch survives a
kill -9, whether it was still validating (it goes on after the restart) or already completed
(its output file is still readable); with the real clock it completes in `--batch-seconds`."""

from __future__ import annotations

import json
import signal
import subprocess
import time

import httpx

from tests.e2e.conftest import Start

HEADERS = {"Authorization": "Bearer sk-durable-batches"}


def create(client: httpx.Client, count: int) -> str:
    lines = [{"custom_id": f"r{n}", "method": "POST", "url": "/v1/chat/completions",
              "body": {"model": "kimi-k2.6", "messages": [{"role": "user", "content": f"问题 {n}"}]}}
             for n in range(count)]
    data = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines).encode()
    uploaded = client.post("/v1/files", data={"purpose": "batch"},
                           files={"file": ("jobs.jsonl", data)}).json()
    batch = client.post("/v1/batches", json={"input_file_id": uploaded["id"],
                                             "endpoint": "/v1/chat/completions",
                                             "completion_window": "24h"})
    assert batch.status_code == 200, batch.text
    return str(batch.json()["id"])


def output_ids(client: httpx.Client, batch: dict[str, object]) -> list[str]:
    text = client.get(f"/v1/files/{batch['output_file_id']}/content").text
    return [json.loads(line)["custom_id"] for line in text.splitlines()]


def kill_9(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


def test_a_validating_batch_goes_on_after_kill_9(server: Start) -> None:
    url, process = server("--clock", "virtual")
    with httpx.Client(base_url=url, headers=HEADERS, timeout=30) as client:
        batch_id = create(client, 5)
    kill_9(process)
    url, _ = server("--clock", "virtual")
    with httpx.Client(base_url=url, headers=HEADERS, timeout=30) as client:
        assert client.get(f"/v1/batches/{batch_id}").json()["status"] == "validating"
        done = client.get(f"/v1/batches/{batch_id}", headers={"X-Mock-Clock-Advance": "3"}).json()
        assert done["status"] == "completed"
        assert output_ids(client, done) == [f"r{n}" for n in range(5)]
        assert [b["id"] for b in client.get("/v1/batches").json()["data"]] == [batch_id]


def test_real_clock_completes_and_the_results_survive_kill_9(server: Start) -> None:
    url, process = server("--batch-seconds", "0.6")
    with httpx.Client(base_url=url, headers=HEADERS, timeout=30) as client:
        batch_id = create(client, 3)
        deadline = time.monotonic() + 10
        while (done := client.get(f"/v1/batches/{batch_id}").json())["status"] != "completed":
            assert time.monotonic() < deadline, done
            time.sleep(0.1)
        assert done["completed_at"] - done["created_at"] <= 1
    kill_9(process)
    url, _ = server("--batch-seconds", "0.6")
    with httpx.Client(base_url=url, headers=HEADERS, timeout=30) as client:
        again = client.get(f"/v1/batches/{batch_id}").json()
        assert again == done
        assert output_ids(client, again) == ["r0", "r1", "r2"]
