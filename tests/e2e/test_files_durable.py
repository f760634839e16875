"""Durable mode as a user runs it (`python -m mock_server serve --data-dir`): files survive a
clean restart and a kill -9 in the middle of uploads, with nothing half-written listed and
nothing acknowledged missing."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from tests.e2e.conftest import Start
from tests.e2e.test_cli import free_port, wait_until_up

HEADERS = {"Authorization": "Bearer sk-durable-account"}


def payload(n: int) -> bytes:
    return (f"文件 {n}\n" + "数据行 data line\n" * (2000 * (1 + n % 7))).encode()


def upload(client: httpx.Client, n: int) -> str:
    response = client.post("/v1/files", data={"purpose": "file-extract"},
                           files={"file": (f"{n}.txt", payload(n))})
    assert response.status_code == 200, response.text
    return str(response.json()["id"])


def check_consistent(url: str, data_dir: Path) -> dict[str, str]:
    """Every listed file is whole: its content is exactly what its upload sent."""
    with httpx.Client(base_url=url, headers=HEADERS, timeout=30) as client:
        listed = client.get("/v1/files").json()["data"]
        for item in listed:
            n = int(item["filename"].removesuffix(".txt"))
            assert item["bytes"] == len(payload(n))
            content = client.get(f"/v1/files/{item['id']}/content").json()["content"]
            assert content == payload(n).decode()
    assert list((data_dir / "tmp").iterdir()) == []  # the restart swept partial uploads
    assert len(list((data_dir / "blobs").iterdir())) == 2 * len(listed)  # raw + text, no orphans
    return {item["id"]: item["filename"] for item in listed}


def test_clean_restart_keeps_files(server: Start, tmp_path: Path) -> None:
    url, process = server()
    with httpx.Client(base_url=url, headers=HEADERS, timeout=30) as client:
        ids = [upload(client, n) for n in range(5)]
        client.delete(f"/v1/files/{ids[0]}")
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=10)
    url, _ = server()
    assert sorted(check_consistent(url, tmp_path / "data")) == sorted(ids[1:])


def test_kill_9_during_uploads_loses_nothing_acknowledged(server: Start, tmp_path: Path) -> None:
    url, process = server()
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def uploader(worker: int) -> None:
        with httpx.Client(base_url=url, headers=HEADERS, timeout=30) as client:
            for n in range(worker * 1000, worker * 1000 + 400):  # bounded
                if stop.is_set():
                    return
                try:
                    file_id = upload(client, n)
                except httpx.TransportError:
                    return  # the server died under this request
                with lock:
                    acknowledged.append(file_id)

    threads = [threading.Thread(target=uploader, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while len(acknowledged) < 20 and time.monotonic() < deadline:
        time.sleep(0.02)
    process.kill()  # SIGKILL while four uploads are in flight
    process.wait(timeout=10)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert len(acknowledged) >= 20
    left = [p.name for p in (tmp_path / "data" / "tmp").iterdir()]
    print(f"killed with {len(acknowledged)} acknowledged, {len(left)} partial uploads left")
    url, _ = server()
    listed = check_consistent(url, tmp_path / "data")
    assert set(acknowledged) <= set(listed)  # no acknowledged file missing
    assert len(listed) - len(acknowledged) <= len(threads)  # at most the in-flight ones
    with httpx.Client(base_url=url, headers=HEADERS, timeout=30) as client:
        new_id = upload(client, 9999)  # the reopened store accepts new files
    assert new_id not in listed


def test_workers_sharing_a_data_dir_see_one_consistent_store(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mock_server", "serve", "--port", str(port), "--workers", "2",
         "--data-dir", str(tmp_path / "data"), "--log-level", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)  # type: ignore[arg-type]
        uploaded: set[str] = set()
        for n in range(12):  # a new connection each time: requests spread over both workers
            with httpx.Client(base_url=url, headers=HEADERS, timeout=30) as client:
                uploaded.add(upload(client, n))
        for _ in range(6):
            with httpx.Client(base_url=url, headers=HEADERS, timeout=30) as client:
                assert {f["id"] for f in client.get("/v1/files").json()["data"]} == uploaded
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert len(uploaded) == 12
