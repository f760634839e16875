"""Limits and the streaming multipart reader: exact messages, cut-off while streaming."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from mock_server.errors import MoonshotError
from mock_server.files.limits import FileLimits, check_room, check_size, size_text, too_large
from mock_server.files.multipart import read_upload
from mock_server.files.storage.memory import SpoolBlob

LIMITS = FileLimits(max_bytes=100 * 1024 * 1024, max_count=1000, max_total_bytes=10 * 1024**3)
CT = "multipart/form-data; boundary=XyZ"


def form(*parts: tuple[str, str | None, bytes]) -> bytes:
    out = b""
    for name, filename, data in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out += b"--XyZ\r\nContent-Disposition: " + disposition.encode() + b"\r\n\r\n" + data + b"\r\n"
    return out + b"--XyZ--\r\n"


async def chunks(data: bytes, size: int = 1000) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def message(exc: pytest.ExceptionInfo[MoonshotError]) -> tuple[int, str, str]:
    return exc.value.status, exc.value.type, exc.value.message


def test_limit_messages_are_the_real_ones() -> None:
    with pytest.raises(MoonshotError) as exc:
        check_size(LIMITS.max_bytes + 1, LIMITS)
    assert message(exc) == (400, "invalid_request_error", "File size is too large, max file size is "
                            "100MB, please confirm and re-upload the file")
    with pytest.raises(MoonshotError) as exc:
        check_size(0, LIMITS)
    assert message(exc)[2] == "File size is zero, please confirm and re-upload the file"
    with pytest.raises(MoonshotError) as exc:
        check_room(1000, 0, 1, LIMITS)
    assert message(exc)[2] == ("The number of files you have uploaded exceeded the max file count "
                               "1000, please delete previous uploaded files")
    with pytest.raises(MoonshotError) as exc:
        check_room(3, LIMITS.max_total_bytes - 10, 11, LIMITS)
    assert message(exc)[2] == ("The total size of the files you have uploaded exceeded the max "
                               "total size 10GB, please delete previous uploaded files")
    check_size(LIMITS.max_bytes, LIMITS)
    check_room(999, LIMITS.max_total_bytes - 11, 11, LIMITS)


def test_lowered_limits_keep_the_message_style() -> None:
    sizes = (100 * 1024**2, 1024**2, 3 * 1024, 1000)
    assert [size_text(n) for n in sizes] == ["100MB", "1MB", "3KB", "1000B"]


async def test_fields_and_file_are_read_with_the_filename_as_sent() -> None:
    body = form(("purpose", None, b"file-extract"), ("file", "福州商场.pdf", b"%PDF-1.4 data"))
    upload = await read_upload(CT, chunks(body, 7), SpoolBlob, lambda size: None)
    assert upload.fields == {"purpose": "file-extract"} and upload.filename == "福州商场.pdf"
    assert upload.blob is not None and upload.blob.open().read() == b"%PDF-1.4 data"


async def test_oversize_file_is_cut_off_while_streaming_and_discarded() -> None:
    limit = FileLimits(max_bytes=10_000, max_count=10, max_total_bytes=10**9)
    staged: list[SpoolBlob] = []
    received = 0

    def stage() -> SpoolBlob:
        staged.append(SpoolBlob(threshold=100))
        return staged[-1]

    def cut(size: int) -> None:
        if size > limit.max_bytes:
            raise too_large(limit)

    async def counted(data: bytes) -> AsyncIterator[bytes]:
        nonlocal received
        async for chunk in chunks(data, 1000):
            received += len(chunk)
            yield chunk

    body = form(("file", "big.txt", b"x" * 1_000_000), ("purpose", None, b"file-extract"))
    with pytest.raises(MoonshotError) as exc:
        await read_upload(CT, counted(body), stage, cut)
    assert exc.value.message.startswith("File size is too large, max file size is 10000B")
    assert received <= 12_000  # stopped reading right after the limit, not at the end
    assert staged[0].size == 0 or staged[0].open().read() == b""


@pytest.mark.parametrize(("content_type", "body", "text"), [
    ("application/json", b"{}", "the body must be multipart/form-data with the fields file and purpose"),
    ("multipart/form-data", b"--XyZ--\r\n", "the multipart/form-data Content-Type has no boundary"),
    (CT, b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc",
     "the multipart body ended before its closing boundary"),
    (CT, b"--Wrong\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc\r\n--Wrong--\r\n", None),
    (CT, form(("file", "a", b"1"), ("file", "b", b"2")),
     "only one multipart field 'file' is allowed per upload"),
    (CT, form(("note", None, b"n" * 70_000), ("file", "a", b"1")),
     "the form fields other than 'file' exceed 65536 bytes"),
])
async def test_broken_forms_are_400(content_type: str, body: bytes, text: str | None) -> None:
    with pytest.raises(MoonshotError) as exc:
        await read_upload(content_type, chunks(body), SpoolBlob, lambda size: None)
    assert exc.value.status == 400 and exc.value.type == "invalid_request_error"
    assert exc.value.message.startswith("Invalid request: ")
    if text is not None:
        assert exc.value.message == f"Invalid request: {text}"
