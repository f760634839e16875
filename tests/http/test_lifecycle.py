"""What an app holds open is closed: by `/_mock/reset` for what it replaces, by the lifespan at
shutdown for the rest. Counted as the process's open file descriptors under the data directory
(the SQLite databases of the file and batch stores, with their WAL and shared-memory files)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.config import Settings
from tests.conftest import AUTH

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts /proc/self/fd")


def open_under(directory: Path) -> list[str]:
    """Paths under `directory` this process has open."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # the fd of the listing itself, gone by now
            continue
        if target.startswith(str(directory)):
            found.append(target)
    return sorted(found)


def test_reset_closes_the_stores_it_replaces(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with TestClient(create_app(Settings(data_dir=data_dir)), headers=AUTH) as client:
        upload = client.post("/v1/files", files={"file": ("a.txt", b"hello")},
                             data={"purpose": "file-extract"})
        assert upload.status_code == 200
        assert any(path.endswith("files.sqlite3") for path in open_under(data_dir))
        assert client.post("/_mock/reset").status_code == 200
        # SQLite keeps a closed connection's descriptor while another connection of the process
        # holds a lock on the same file (POSIX locks are per process), and reuses it: one more
        # per database after the first reset, then never more
        after_one = open_under(data_dir)
        for _ in range(49):
            assert client.post("/_mock/reset").status_code == 200
        assert open_under(data_dir) == after_one
        assert len(after_one) <= 8
        assert client.get("/v1/files").status_code == 200  # and the new store answers


def test_the_lifespan_closes_the_stores_at_shutdown(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with TestClient(create_app(Settings(data_dir=data_dir)), headers=AUTH) as client:
        assert client.get("/v1/files").status_code == 200
        assert open_under(data_dir)
    assert open_under(data_dir) == []
