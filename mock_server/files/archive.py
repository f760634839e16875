"""DOCX / PPTX / XLSX archives read within bounds: at most `max_entries` members, and at most
`max_unzipped_bytes` inflated in all, counted on the bytes actually inflated while reading (a
member's declared size is only a first, cheap check: it can lie)."""

from __future__ import annotations

import zipfile
from typing import BinaryIO

from mock_server.files.limits import ExtractLimits, OverLimit

READ = 64 * 1024


def declared_entries(stream: BinaryIO) -> int:
    """The member count the end-of-central-directory record declares (0 when it cannot be
    read here: zipfile then reads the archive and reports what is wrong)."""
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(max(0, size - 66_000))  # the record, after a comment of at most 64 KB
    tail = stream.read()
    stream.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 12:
        return 0
    count = int.from_bytes(tail[at + 10:at + 12], "little")
    if count == 0xFFFF:  # zip64: the count is in the zip64 end record before it
        at64 = tail.rfind(b"PK\x06\x06", 0, at)
        count = int.from_bytes(tail[at64 + 32:at64 + 40], "little") if at64 >= 0 else 0
    return count


class BoundedArchive:
    def __init__(self, stream: BinaryIO, limits: ExtractLimits) -> None:
        declared = declared_entries(stream)
        if declared > limits.max_entries:  # refused before zipfile reads the whole directory
            raise OverLimit(f"the archive's member count ({declared})", limits.max_entries,
                            "extract_max_entries")
        self.zip = zipfile.ZipFile(stream)
        self.limits = limits
        self.left = limits.max_unzipped_bytes
        members = self.zip.infolist()
        if len(members) > limits.max_entries:
            raise OverLimit(f"the archive's member count ({len(members)})", limits.max_entries,
                            "extract_max_entries")
        if sum(m.file_size for m in members) > limits.max_unzipped_bytes:
            self._over()

    def __enter__(self) -> BoundedArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.zip.close()

    def _over(self) -> None:
        raise OverLimit("the archive's unzipped size", self.limits.max_unzipped_bytes,
                        "extract_max_unzipped_bytes")

    def names(self) -> list[str]:
        return self.zip.namelist()

    def open(self, name: str) -> BoundedPart:
        return BoundedPart(self, self.zip.open(name))

    def charge(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            self._over()

    def inflate_all(self) -> None:
        """Inflate every member once, keeping nothing: the archive is then known to be within
        bounds before a reader that loads it whole (the spreadsheet reader) sees it."""
        for name in self.names():
            with self.open(name) as part:
                while part.read(READ):
                    pass


class BoundedPart:
    """A member being inflated; every byte read is charged to the archive's budget."""

    def __init__(self, archive: BoundedArchive, raw: BinaryIO) -> None:
        self.archive = archive
        self.raw = raw

    def read(self, size: int = READ) -> bytes:
        data = self.raw.read(min(size, READ) if size and size > 0 else READ)
        self.archive.charge(len(data))
        return data

    def __enter__(self) -> BoundedPart:
        return self

    def __exit__(self, *exc: object) -> None:
        self.raw.close()
