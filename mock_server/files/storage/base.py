"""What a file store offers, and the staged blob an upload streams into.

An upload streams into a `StagedBlob` (never whole in memory); `FileStore.add` then makes it a
stored file in one step that also checks the account's quota, so concurrent uploads never
overshoot a limit and a file is listed only once its bytes are kept.
"""

from __future__ import annotations

import io
import os
from typing import TYPE_CHECKING, BinaryIO, Protocol

if TYPE_CHECKING:
    from mock_server.files.limits import FileLimits
    from mock_server.files.records import FileRecord

CHUNK = 256 * 1024


class DuplicateId(Exception):
    """The id is taken (another process minted the same one); the caller mints a new one."""


class StagedBlob(Protocol):
    """Bytes being received: written in order, then read back from the start or discarded."""

    @property
    def size(self) -> int: ...

    def write(self, data: bytes) -> None: ...

    def open(self) -> BinaryIO: ...

    def discard(self) -> None: ...


class FileStore(Protocol):
    def stage(self) -> StagedBlob: ...

    def usage(self, account: str) -> tuple[int, int]:
        """(file count, total bytes) of the account."""
        ...

    def add(self, record: FileRecord, raw: StagedBlob, text: StagedBlob | None,
            limits: FileLimits) -> FileRecord:
        """Keep the blobs under the record's id if the account has room; else raise and discard."""
        ...

    def list(self, account: str) -> list[FileRecord]:
        """Newest first."""
        ...

    def get(self, account: str, file_id: str) -> FileRecord: ...

    def delete(self, account: str, file_id: str) -> FileRecord: ...

    def open(self, account: str, file_id: str, *, text: bool = False) -> BinaryIO:
        """The raw upload, or (text=True) the extracted text as UTF-8."""
        ...

    def close(self) -> None: ...


class PositionalReader(io.RawIOBase):
    """A read-only view of a file descriptor with its own position (pread): many readers of one
    anonymous temporary file never disturb each other or the writer."""

    def __init__(self, file: BinaryIO, size: int) -> None:
        super().__init__()
        self._file = file  # held, so the descriptor stays open while this reader lives
        self._fd, self._size, self._pos = file.fileno(), size, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        want = min(len(buffer), self._size - self._pos)
        data = os.pread(self._fd, want, self._pos) if want > 0 else b""
        buffer[: len(data)] = data
        self._pos += len(data)
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos
