"""Both stores behave alike; the durable one survives reopening and sweeps crash leftovers."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from mock_server.errors import MoonshotError
from mock_server.files.limits import FileLimits
from mock_server.files.records import FileRecord
from mock_server.files.storage.base import DuplicateId, FileStore
from mock_server.files.storage.durable import DurableStore
from mock_server.files.storage.memory import MemoryStore

LIMITS = FileLimits(max_bytes=1000, max_count=3, max_total_bytes=100)


def record(file_id: str, account: str = "acme", size: int = 10, created_at: int = 100) -> FileRecord:
    return FileRecord(id=file_id, account=account, filename=f"{file_id}.txt", purpose="file-extract",
                      created_at=created_at, bytes=size, file_type="text/plain")


def put(store: FileStore, rec: FileRecord, text: bytes | None = b"text") -> FileRecord:
    raw = store.stage()
    raw.write(b"r" * rec.bytes)
    sink = None
    if text is not None:
        sink = store.stage()
        sink.write(text)
    return store.add(rec, raw, sink, LIMITS)


@pytest.fixture(params=["memory", "durable"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FileStore]:
    opened: FileStore = MemoryStore() if request.param == "memory" else DurableStore(tmp_path)
    yield opened
    opened.close()


def test_add_list_get_open_delete(store: FileStore) -> None:
    put(store, record("a", created_at=100))
    put(store, record("b", created_at=200), text=None)
    put(store, record("c", created_at=200))
    assert [r.id for r in store.list("acme")] == ["c", "b", "a"]  # newest first, then last added
    assert store.get("acme", "a") == record("a", created_at=100)
    assert store.open("acme", "a").read() == b"r" * 10
    assert store.open("acme", "a", text=True).read() == b"text"
    assert store.open("acme", "b", text=True).read() == b""
    assert store.usage("acme") == (3, 30)
    assert store.delete("acme", "b").id == "b"
    assert [r.id for r in store.list("acme")] == ["c", "a"]
    for action in (store.get, store.delete, store.open):
        with pytest.raises(MoonshotError) as exc:
            action("acme", "b")
        assert exc.value.status == 404
        assert exc.value.message == "Not found the file b or Permission denied"


def test_accounts_are_isolated(store: FileStore) -> None:
    put(store, record("a", account="acme"))
    assert store.list("other") == []
    with pytest.raises(MoonshotError):
        store.get("other", "a")
    with pytest.raises(MoonshotError):
        store.delete("other", "a")
    assert store.usage("other") == (0, 0)


def test_quota_is_checked_when_adding(store: FileStore) -> None:
    for name in "abc":
        put(store, record(name))
    with pytest.raises(MoonshotError, match="max file count 3"):
        put(store, record("d"))
    store.delete("acme", "a")
    with pytest.raises(MoonshotError, match="max total size 100B"):
        put(store, record("e", size=81))
    put(store, record("f", size=80))
    assert store.usage("acme") == (3, 100)


def test_a_taken_id_is_refused_and_the_blobs_stay_usable(store: FileStore) -> None:
    put(store, record("a"))
    raw = store.stage()
    raw.write(b"second")
    with pytest.raises(DuplicateId):
        store.add(record("a", account="other", size=6), raw, None, LIMITS)
    store.add(record("z", account="other", size=6), raw, None, LIMITS)
    assert store.open("other", "z").read() == b"second"


def test_durable_files_survive_reopening(tmp_path: Path) -> None:
    first = DurableStore(tmp_path)
    put(first, record("a", created_at=1))
    put(first, record("b", created_at=2))
    first.delete("acme", "a")
    first.close()
    again = DurableStore(tmp_path)
    assert [r.id for r in again.list("acme")] == ["b"]
    assert again.open("acme", "b").read() == b"r" * 10
    assert sorted(p.name for p in (tmp_path / "blobs").iterdir()) == ["b", "b.txt"]


def test_sweep_removes_what_a_killed_writer_left_and_keeps_live_uploads(tmp_path: Path) -> None:
    store = DurableStore(tmp_path)
    put(store, record("kept"))
    live = store.stage()  # an upload in progress in this process: its flock is held
    live.write(b"half")
    (tmp_path / "tmp" / "upload-dead").write_bytes(b"half-written")  # writer gone: no flock
    (tmp_path / "blobs" / "orphan").write_bytes(b"renamed, never committed")
    (tmp_path / "blobs" / "orphan.txt").write_bytes(b"x")
    DurableStore(tmp_path).close()  # a second process starting on the same directory
    assert sorted(p.name for p in (tmp_path / "blobs").iterdir()) == ["kept", "kept.txt"]
    assert [p.name for p in (tmp_path / "tmp").iterdir()] == [live.path.name]  # type: ignore[attr-defined]
    live.write(b" and the rest")
    store.add(record("late", size=17), live, None, LIMITS)
    assert store.open("acme", "late").read() == b"half and the rest"


def _fill(data_dir: str, worker: int, results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    store = DurableStore(Path(data_dir))
    accepted = 0
    for n in range(10):
        try:
            put(store, FileRecord(id=f"w{worker}-{n}", account="acme", filename="f", purpose="batch",
                                  created_at=1, bytes=1), text=None)
            accepted += 1
        except MoonshotError:
            pass
    store.close()
    results.put(accepted)


def test_processes_sharing_a_directory_never_overshoot_the_count(tmp_path: Path) -> None:
    DurableStore(tmp_path).close()
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    results = context.Queue()
    workers = [context.Process(target=_fill, args=(str(tmp_path), w, results)) for w in range(3)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=60)
    assert sum(results.get(timeout=5) for _ in workers) == 3  # LIMITS.max_count
    assert DurableStore(tmp_path).usage("acme") == (3, 3)
