"""The durable store: blobs in `DIR/blobs`, metadata in SQLite (`DIR/files.sqlite3`, WAL).

Crash safety (kill -9 at any instant): an upload is written to `DIR/tmp` under an exclusive
flock, fsynced, then renamed into `blobs/` inside the SQLite write transaction that inserts its
row, so a listed file always has its bytes and a half-written one is never listed. A delete
removes the row first, then the blob. On start, tmp files whose writer is gone (flock free)
and blobs without a row are swept. Several processes may share one directory: every read goes
to SQLite (no cache) and quota checks run inside `BEGIN IMMEDIATE` transactions.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from mock_server.files.limits import FileLimits, check_room
from mock_server.files.records import FileRecord, file_not_found
from mock_server.files.storage.base import DuplicateId, StagedBlob

COLUMNS = ("id", "account", "filename", "purpose", "created_at", "bytes", "status",
           "status_details", "file_type", "title")
_TYPES = {"created_at": "INTEGER", "bytes": "INTEGER"}
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS files (
  {", ".join(f"{c} {_TYPES.get(c, 'TEXT')} NOT NULL" for c in COLUMNS)},
  has_text INTEGER NOT NULL,
  UNIQUE (id));
CREATE INDEX IF NOT EXISTS files_by_account ON files (account, created_at);
"""


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class TempBlob:
    """An upload being written to `tmp/`, flocked so a starting process knows it is alive."""

    def __init__(self, directory: Path) -> None:
        fd, name = tempfile.mkstemp(dir=directory, prefix="upload-")
        fcntl.flock(fd, fcntl.LOCK_EX)
        self.path = Path(name)
        self._file: BinaryIO = os.fdopen(fd, "wb")
        self._size = 0

    @property
    def size(self) -> int:
        return self._size

    def write(self, data: bytes) -> None:
        self._size += len(data)
        self._file.write(data)

    def open(self) -> BinaryIO:
        self._file.flush()
        return self.path.open("rb")

    def make_durable(self) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())

    def release(self) -> None:
        self._file.close()  # drops the flock

    def discard(self) -> None:
        self.release()
        self.path.unlink(missing_ok=True)


class DurableStore:
    def __init__(self, data_dir: Path) -> None:
        self._tmp, self._blobs = data_dir / "tmp", data_dir / "blobs"
        for directory in (self._tmp, self._blobs):
            directory.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(data_dir / "files.sqlite3", timeout=60.0,
                                   isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)
        self.sweep()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, holding SQLite's write lock across processes."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _read(self, sql: str, *args: object) -> list[tuple[object, ...]]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def sweep(self) -> None:
        """Remove what a killed process left: unlocked tmp files, blobs that have no row."""
        for path in self._tmp.iterdir():
            with contextlib.suppress(OSError), path.open("rb") as handle:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                path.unlink()
        with self._write() as db:
            kept = {row[0] for row in db.execute("SELECT id FROM files")}
            for path in self._blobs.iterdir():
                if path.name.removesuffix(".txt") not in kept:
                    path.unlink(missing_ok=True)

    def stage(self) -> StagedBlob:
        return TempBlob(self._tmp)

    def usage(self, account: str) -> tuple[int, int]:
        count, total = self._read(
            "SELECT COUNT(*), COALESCE(SUM(bytes), 0) FROM files WHERE account = ?", account)[0]
        return int(count), int(total)  # type: ignore[call-overload]

    def add(self, record: FileRecord, raw: StagedBlob, text: StagedBlob | None,
            limits: FileLimits) -> FileRecord:
        staged = [blob for blob in (raw, text) if isinstance(blob, TempBlob)]
        targets = [self._blobs / record.id, self._blobs / f"{record.id}.txt"][: len(staged)]
        try:
            for blob in staged:
                blob.make_durable()
            self._commit(record, text is not None, list(zip(staged, targets, strict=True)), limits)
        except DuplicateId:
            raise  # the caller retries with a new id and the same blobs
        except BaseException:
            for blob in staged:
                blob.discard()
            raise
        for blob in staged:
            blob.release()
        return record

    def _commit(self, record: FileRecord, has_text: bool,
                moves: list[tuple[TempBlob, Path]], limits: FileLimits) -> None:
        with self._write() as db:
            if db.execute("SELECT 1 FROM files WHERE id = ?", (record.id,)).fetchone():
                raise DuplicateId(record.id)
            count, total = db.execute(
                "SELECT COUNT(*), COALESCE(SUM(bytes), 0) FROM files WHERE account = ?",
                (record.account,)).fetchone()
            check_room(count, total, record.bytes, limits)
            try:
                for blob, target in moves:
                    os.replace(blob.path, target)
                fsync_dir(self._blobs)
                db.execute(f"INSERT INTO files VALUES ({', '.join('?' * (len(COLUMNS) + 1))})",
                           (*(getattr(record, c) for c in COLUMNS), int(has_text)))
            except BaseException:
                for _, target in moves:
                    target.unlink(missing_ok=True)
                raise

    def list(self, account: str) -> list[FileRecord]:
        rows = self._read(f"SELECT {', '.join(COLUMNS)} FROM files WHERE account = ? "
                          "ORDER BY created_at DESC, rowid DESC", account)
        return [FileRecord(*row) for row in rows]  # type: ignore[arg-type]

    def get(self, account: str, file_id: str) -> FileRecord:
        rows = self._read(f"SELECT {', '.join(COLUMNS)} FROM files WHERE account = ? AND id = ?",
                          account, file_id)
        if not rows:
            raise file_not_found(file_id)
        return FileRecord(*rows[0])  # type: ignore[arg-type]

    def delete(self, account: str, file_id: str) -> FileRecord:
        record = None
        with self._write() as db:
            row = db.execute(f"SELECT {', '.join(COLUMNS)} FROM files WHERE account = ? AND id = ?",
                             (account, file_id)).fetchone()
            if row is not None:
                db.execute("DELETE FROM files WHERE id = ?", (file_id,))
                record = FileRecord(*row)
        if record is None:
            raise file_not_found(file_id)
        for name in (file_id, f"{file_id}.txt"):
            (self._blobs / name).unlink(missing_ok=True)
        return record

    def open(self, account: str, file_id: str, *, text: bool = False) -> BinaryIO:
        rows = self._read("SELECT has_text FROM files WHERE account = ? AND id = ?",
                          account, file_id)
        if not rows:
            raise file_not_found(file_id)
        if text and not rows[0][0]:
            return open(os.devnull, "rb")
        try:
            return (self._blobs / (f"{file_id}.txt" if text else file_id)).open("rb")
        except FileNotFoundError:
            raise file_not_found(file_id) from None  # deleted since the row was read

    def close(self) -> None:
        with self._lock:
            self._db.close()
