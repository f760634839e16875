"""The upload and content flows over a store: plain functions with the clock and ids passed in.

Upload: refuse early when the account is full, stream the form into a staged blob (cut off at
the per-file limit), check the purpose and size, extract text (`file-extract`), then add the
record and blobs to the store, which checks the account's room atomically.
"""

from __future__ import annotations

import codecs
import functools
import os
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

import anyio.to_thread
import orjson

from mock_server.clock import Clock
from mock_server.errors import MoonshotError, invalid_request
from mock_server.files.limits import ExtractLimits, FileLimits, check_room, check_size, too_large
from mock_server.files.multipart import Upload, read_upload
from mock_server.files.records import PURPOSES, FileRecord
from mock_server.files.storage.base import CHUNK, DuplicateId, FileStore, StagedBlob
from mock_server.ids import IdGenerator, xid_from
from mock_server.media import is_svg

ID_ATTEMPTS = 8
EXTRACT_DEFAULTS = ExtractLimits()


@dataclass(frozen=True)
class FileDesk:
    """What the file flows need from the app."""

    store: FileStore
    limits: FileLimits
    clock: Clock
    ids: IdGenerator
    extract_limits: ExtractLimits = EXTRACT_DEFAULTS


def invalid_purpose() -> MoonshotError:
    """The documented E1/E2 message, listing the purposes accepted now."""
    accepted = ", ".join(f"'{p}'" for p in PURPOSES[:-1]) + f" or '{PURPOSES[-1]}'"
    return MoonshotError("invalid_request_error", f"Invalid purpose: only {accepted} accepted")


def missing_file() -> MoonshotError:
    return MoonshotError("invalid_request_error",
                         "Invalid request: the multipart field 'file' is required")


async def upload(desk: FileDesk, account: str, content_type: str,
                 stream: AsyncIterator[bytes]) -> FileRecord:
    count, total = await anyio.to_thread.run_sync(desk.store.usage, account)
    check_room(count, total, 0, desk.limits)  # a full account is refused before the body is read

    def cut_off(size: int) -> None:
        if size > desk.limits.max_bytes:
            raise too_large(desk.limits)

    form = await read_upload(content_type, stream, desk.store.stage, cut_off)
    try:
        return await anyio.to_thread.run_sync(functools.partial(keep, desk, account, form))
    finally:
        if form.blob is not None:
            form.blob.discard()  # kept blobs were moved or adopted by the store: a no-op then


def mint_id(ids: IdGenerator, created_at: int, attempt: int) -> str:
    """The seeded id first; if it is taken (a durable directory reopened with the same seed, or
    another worker process) fall back to random bits, unique but not reproducible."""
    return ids.file_id(created_at) if attempt == 0 else xid_from(created_at, os.urandom(8))


def keep(desk: FileDesk, account: str, form: Upload) -> FileRecord:
    """Check, extract and store a received form (blocking: runs in a worker thread)."""
    if form.blob is None:
        raise missing_file()
    purpose = form.fields.get("purpose", "")
    if purpose not in PURPOSES:
        raise invalid_purpose()
    check_size(form.blob.size, desk.limits)
    if purpose == "image":
        check_not_svg(form)
    # the extraction stack (zipfile, ElementTree, html.parser, pypdf) loads on the first upload
    from mock_server.files.extract import describe, extract

    text = None
    if purpose == "file-extract":
        extraction, text = extract(form.blob, form.filename, desk.store.stage,
                                   desk.extract_limits)
    else:
        extraction = describe(form.blob, form.filename)
    created_at, blob = int(desk.clock.now()), form.blob
    stored = add_new(desk.store, desk.ids, created_at, lambda file_id: FileRecord(
        id=file_id, account=account, filename=form.filename, purpose=purpose,
        created_at=created_at, bytes=blob.size, status=extraction.status,
        status_details=extraction.status_details, file_type=extraction.file_type,
        title=extraction.title), blob, text, desk.limits)
    form.blob = None
    return stored


def add_new(store: FileStore, ids: IdGenerator, created_at: int,
            record: Callable[[str], FileRecord], blob: StagedBlob, text: StagedBlob | None,
            limits: FileLimits) -> FileRecord:
    """Store a new file under a fresh id (`mint_id`: the seeded one, else random ones)."""
    for attempt in range(ID_ATTEMPTS):
        try:
            return store.add(record(mint_id(ids, created_at, attempt)), blob, text, limits)
        except DuplicateId:
            continue
    raise MoonshotError("server_error", "no free file id could be assigned, please try again")


def check_not_svg(form: Upload) -> None:
    """SVG is refused for purpose `image` (the 2026 vision guide, §17.7)."""
    assert form.blob is not None
    with form.blob.open() as stream:
        head = stream.read(512)
    if is_svg(head, form.filename):
        raise invalid_request("SVG images are not supported for purpose 'image'; upload jpeg, "
                              "png, gif, webp, bmp, heic or heif")


def extraction_failed(record: FileRecord) -> MoonshotError:
    """Content of a file whose extraction failed: the documented 500 template."""
    return MoonshotError("server_error", f"Failed to extract file: {record.status_details}")


def content_chunks(record: FileRecord, text: BinaryIO) -> Iterator[bytes]:
    """The content document, `{"content","file_type","filename","title","type"}`, as bytes
    identical to serialising it whole, but produced chunk by chunk from the stored text."""
    rest = {"file_type": record.file_type, "filename": record.filename, "title": record.title,
            "type": "file"}
    decoder = codecs.getincrementaldecoder("utf-8")()
    with text:
        yield b'{"content":"'
        while chunk := text.read(CHUNK):
            yield orjson.dumps(decoder.decode(chunk))[1:-1]
        yield orjson.dumps(decoder.decode(b"", final=True))[1:-1]
        yield b'",' + orjson.dumps(rest)[1:]


def raw_chunks(raw: BinaryIO) -> Iterator[bytes]:
    with raw:
        while chunk := raw.read(CHUNK):
            yield chunk
