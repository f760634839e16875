"""The default store: metadata in memory, small files in memory, big ones in anonymous temp
files (unlinked at creation, so nothing outlives the process and RAM stays flat)."""

from __future__ import annotations

import io
import itertools
import tempfile
import threading
from typing import TYPE_CHECKING, BinaryIO

from mock_server.files.storage.base import DuplicateId, PositionalReader, StagedBlob

if TYPE_CHECKING:  # the limits and records are imported with the first upload (or a refusal)
    from mock_server.files.limits import FileLimits
    from mock_server.files.records import FileRecord

SPOOL_BYTES = 1024 * 1024


class SpoolBlob:
    """Bytes kept in a buffer up to `threshold`, then moved to an anonymous temporary file."""

    def __init__(self, threshold: int = SPOOL_BYTES) -> None:
        self._threshold = threshold
        self._buffer = bytearray()
        self._file: BinaryIO | None = None
        self._size = 0

    @property
    def size(self) -> int:
        return self._size

    def write(self, data: bytes) -> None:
        self._size += len(data)
        if self._file is None and self._size <= self._threshold:
            self._buffer += data
            return
        if self._file is None:
            self._file = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the blob
            self._file.write(self._buffer)
            self._buffer = bytearray()
        self._file.write(data)

    def open(self) -> BinaryIO:
        if self._file is None:
            return io.BytesIO(bytes(self._buffer))
        self._file.flush()
        return io.BufferedReader(PositionalReader(self._file, self._size))  # type: ignore[return-value]

    def discard(self) -> None:
        """Forget the bytes; readers still holding the file keep it alive until they finish."""
        self._buffer = bytearray()
        self._file = None


class MemoryStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._order = itertools.count()
        self._records: dict[str, dict[str, tuple[int, FileRecord]]] = {}
        self._blobs: dict[str, tuple[StagedBlob, StagedBlob | None]] = {}

    def stage(self) -> StagedBlob:
        return SpoolBlob()

    def usage(self, account: str) -> tuple[int, int]:
        with self._lock:
            files = self._records.get(account, {}).values()
            return len(files), sum(record.bytes for _, record in files)

    def add(self, record: FileRecord, raw: StagedBlob, text: StagedBlob | None,
            limits: FileLimits) -> FileRecord:
        from mock_server.files.limits import check_room

        with self._lock:
            if record.id in self._blobs:
                raise DuplicateId(record.id)
            files = self._records.setdefault(record.account, {})
            try:
                total = sum(r.bytes for _, r in files.values())
                check_room(len(files), total, record.bytes, limits)
            except Exception:
                raw.discard()
                if text is not None:
                    text.discard()
                raise
            files[record.id] = (next(self._order), record)
            self._blobs[record.id] = (raw, text)
        return record

    def list(self, account: str) -> list[FileRecord]:
        with self._lock:
            entries = list(self._records.get(account, {}).values())
        entries.sort(key=lambda entry: (entry[1].created_at, entry[0]), reverse=True)
        return [record for _, record in entries]

    def get(self, account: str, file_id: str) -> FileRecord:
        with self._lock:
            entry = self._records.get(account, {}).get(file_id)
        if entry is None:
            from mock_server.files.records import file_not_found

            raise file_not_found(file_id)
        return entry[1]

    def delete(self, account: str, file_id: str) -> FileRecord:
        with self._lock:
            entry = self._records.get(account, {}).pop(file_id, None)
            if entry is None:
                from mock_server.files.records import file_not_found

                raise file_not_found(file_id)
            raw, text = self._blobs.pop(file_id)
        raw.discard()
        if text is not None:
            text.discard()
        return entry[1]

    def open(self, account: str, file_id: str, *, text: bool = False) -> BinaryIO:
        with self._lock:
            if file_id not in self._records.get(account, {}):
                from mock_server.files.records import file_not_found

                raise file_not_found(file_id)
            raw, extracted = self._blobs[file_id]
        blob = extracted if text else raw
        return blob.open() if blob is not None else io.BytesIO(b"")

    def close(self) -> None:
        with self._lock:
            self._records.clear()
            self._blobs.clear()
