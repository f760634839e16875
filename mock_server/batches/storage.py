"""Batch stores: `memory` (gone with the process) and `durable` (SQLite in the data directory,
next to the file store's, so batches survive a restart and are shared by worker processes).

Every change is a compare-and-set on the record's `version`: of two workers stepping the same
batch, one stores its step and the other sees `False` and drops its own.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from mock_server.settings import Settings

if TYPE_CHECKING:  # the records' module is imported with the first batch (or a refusal)
    from mock_server.batches.records import BatchRecord


class BatchStore(Protocol):
    def add(self, record: BatchRecord) -> None: ...

    def get(self, account: str, batch_id: str) -> BatchRecord: ...

    def list(self, account: str | None = None) -> list[BatchRecord]:
        """Newest first; every account's when `account` is None."""
        ...

    def unfinished(self) -> list[BatchRecord]: ...

    def replace(self, old: BatchRecord, new: BatchRecord) -> BatchRecord | None:
        """Store `new` if `old` is still the stored version; the stored record, or None."""
        ...

    def close(self) -> None: ...


def open_batch_store(settings: Settings) -> BatchStore:
    if settings.data_dir is None:
        return MemoryBatchStore()
    return DurableBatchStore(settings.data_dir)


class MemoryBatchStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: dict[str, BatchRecord] = {}  # insertion order = creation order

    def add(self, record: BatchRecord) -> None:
        with self._lock:
            self._records[record.id] = record

    def get(self, account: str, batch_id: str) -> BatchRecord:
        record = self._records.get(batch_id)
        if record is None or record.account != account:
            from mock_server.batches.records import batch_not_found

            raise batch_not_found(batch_id)
        return record

    def list(self, account: str | None = None) -> list[BatchRecord]:
        with self._lock:
            records = list(self._records.values())
        return [r for r in reversed(records) if account is None or r.account == account]

    def unfinished(self) -> list[BatchRecord]:
        from mock_server.batches.records import FINAL

        with self._lock:
            return [r for r in self._records.values() if r.status not in FINAL]

    def replace(self, old: BatchRecord, new: BatchRecord) -> BatchRecord | None:
        with self._lock:
            current = self._records.get(old.id)
            if current is None or current.version != old.version:
                return None
            stored = self._records[old.id] = new.but(version=old.version + 1)
            return stored

    def close(self) -> None:
        with self._lock:
            self._records.clear()


SCHEMA = """
CREATE TABLE IF NOT EXISTS batches (
  id TEXT PRIMARY KEY, account TEXT NOT NULL, created REAL NOT NULL, status TEXT NOT NULL,
  version INTEGER NOT NULL, record BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS batches_by_account ON batches (account, created);
"""


class DurableBatchStore:
    def __init__(self, data_dir: Path) -> None:
        import sqlite3  # on first use: a server with a data directory

        data_dir.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(data_dir / "batches.sqlite3", timeout=60.0,
                                   isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)

    def _rows(self, sql: str, *args: object) -> list[BatchRecord]:
        from mock_server.batches.records import BatchRecord

        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        return [BatchRecord.loads(row[0]) for row in rows]

    def add(self, record: BatchRecord) -> None:
        with self._lock:
            self._db.execute("INSERT INTO batches VALUES (?, ?, ?, ?, ?, ?)",
                             (record.id, record.account, record.created, record.status,
                              record.version, record.dumps()))

    def get(self, account: str, batch_id: str) -> BatchRecord:
        found = self._rows("SELECT record FROM batches WHERE id = ? AND account = ?",
                           batch_id, account)
        if not found:
            from mock_server.batches.records import batch_not_found

            raise batch_not_found(batch_id)
        return found[0]

    def list(self, account: str | None = None) -> list[BatchRecord]:
        if account is None:
            return self._rows("SELECT record FROM batches ORDER BY created DESC, rowid DESC")
        return self._rows("SELECT record FROM batches WHERE account = ? "
                          "ORDER BY created DESC, rowid DESC", account)

    def unfinished(self) -> list[BatchRecord]:
        from mock_server.batches.records import FINAL

        marks = ", ".join("?" * len(FINAL))
        return self._rows(f"SELECT record FROM batches WHERE status NOT IN ({marks}) "
                          "ORDER BY created, rowid", *FINAL)

    def replace(self, old: BatchRecord, new: BatchRecord) -> BatchRecord | None:
        stored = new.but(version=old.version + 1)
        with self._lock:
            changed = self._db.execute(
                "UPDATE batches SET status = ?, version = ?, record = ? WHERE id = ? AND version = ?",
                (stored.status, stored.version, stored.dumps(), old.id, old.version)).rowcount
        return stored if changed else None

    def close(self) -> None:
        with self._lock:
            self._db.close()
