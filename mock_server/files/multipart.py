"""A streaming multipart/form-data reader for uploads.

The `file` part goes straight into a staged blob as it arrives and is cut off the moment it
passes the per-file limit (what was received is discarded); other fields are small text values
with a bounded total. A body that is not multipart, has a broken boundary or ends early is a
400 `invalid_request_error`, never a 500.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from mock_server.errors import invalid_request
from mock_server.files.storage.base import StagedBlob

FIELDS_MAX_BYTES = 64 * 1024


@dataclass
class Upload:
    """What the form carried: the file (staged) and the other fields."""

    blob: StagedBlob | None = None
    filename: str = "upload"
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class _PartState:
    headers: dict[str, str] = field(default_factory=dict)
    header_name: bytearray = field(default_factory=bytearray)
    header_value: bytearray = field(default_factory=bytearray)
    name: str | None = None
    value: bytearray = field(default_factory=bytearray)
    field_bytes: int = 0
    ended: bool = False


class _Reader:
    """The parser's callbacks: one instance per request."""

    def __init__(self, stage: Callable[[], StagedBlob], too_large: Callable[[int], None]) -> None:
        self.upload = Upload()
        self.part = _PartState()
        self._stage, self._too_large = stage, too_large
        self._in_file = False

    def callbacks(self) -> dict[str, Callable[..., None]]:
        return {
            "on_header_field": lambda d, s, e: self.part.header_name.extend(d[s:e]),
            "on_header_value": lambda d, s, e: self.part.header_value.extend(d[s:e]),
            "on_header_end": self._header_end, "on_headers_finished": self._headers_finished,
            "on_part_data": self._data, "on_part_end": self._part_end, "on_end": self._end,
        }

    def _header_end(self) -> None:
        name = self.part.header_name.decode("latin-1").strip().lower()
        self.part.headers[name] = self.part.header_value.decode("latin-1")
        self.part.header_name, self.part.header_value = bytearray(), bytearray()

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self.part.headers.get("content-disposition", ""))
        self.part.name = options.get(b"name", b"").decode("utf-8", "replace")
        self._in_file = self.part.name == "file"
        if self._in_file:
            if self.upload.blob is not None:
                raise invalid_request("only one multipart field 'file' is allowed per upload")
            filename = options.get(b"filename")
            if filename:
                self.upload.filename = filename.decode("utf-8", "replace")  # sent as raw UTF-8
            self.upload.blob = self._stage()

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self._in_file:
            assert self.upload.blob is not None
            self.upload.blob.write(data[start:end])
            self._too_large(self.upload.blob.size)
            return
        self.part.field_bytes += end - start
        if self.part.field_bytes > FIELDS_MAX_BYTES:
            raise invalid_request(
                f"the form fields other than 'file' exceed {FIELDS_MAX_BYTES} bytes")
        self.part.value.extend(data[start:end])

    def _part_end(self) -> None:
        if not self._in_file and self.part.name:
            self.upload.fields[self.part.name] = self.part.value.decode("utf-8", "replace")
        self.part = _PartState(field_bytes=self.part.field_bytes)
        self._in_file = False

    def _end(self) -> None:
        self.part.ended = True

    def discard(self) -> None:
        if self.upload.blob is not None:
            self.upload.blob.discard()


def boundary_of(content_type: str) -> bytes:
    media_type, options = parse_options_header(content_type)
    if media_type != b"multipart/form-data":
        raise invalid_request(
            "the body must be multipart/form-data with the fields file and purpose")
    boundary = options.get(b"boundary")
    if not boundary:
        raise invalid_request("the multipart/form-data Content-Type has no boundary")
    return boundary


async def read_upload(content_type: str, stream: AsyncIterator[bytes],
                      stage: Callable[[], StagedBlob], too_large: Callable[[int], None]) -> Upload:
    """Read the whole form; `too_large(size)` raises once the file passes the limit."""
    reader = _Reader(stage, too_large)
    try:
        parser = MultipartParser(boundary_of(content_type), reader.callbacks())  # type: ignore[arg-type]
        async for chunk in stream:
            parser.write(chunk)
        parser.finalize()
        if not reader.part.ended:
            raise invalid_request("the multipart body ended before its closing boundary")
    except (MultipartParseError, ValueError) as exc:
        reader.discard()
        raise invalid_request(f"the multipart body cannot be parsed ({exc})") from None
    except BaseException:
        reader.discard()
        raise
    return reader.upload
