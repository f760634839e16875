"""Extraction of a `file-extract` upload: decide ok / error and write the text, as UTF-8, to a
second staged blob. Plain text is decoded chunk by chunk (memory stays flat whatever the size):
UTF-8 or UTF-16 with a BOM when it is, else the encoding charset-normalizer finds in its first
bytes (GB18030, Shift-JIS, Big5, …). Documents go through their parser, within the
`ExtractLimits`. Formats that cannot be read offline, and documents past a limit, end as
status "error" with a clear `status_details`, as the real API reports unreadable files."""

from __future__ import annotations

import codecs
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO
from xml.etree import ElementTree

from mock_server.files import documents, sheets
from mock_server.files.formats import (
    BINARY,
    DOCX,
    HTML,
    IMAGE,
    PDF,
    PPTX,
    TEXT,
    UNREADABLE,
    XLS,
    XLSX,
    Format,
    classify,
)
from mock_server.files.limits import ExtractLimits, OverLimit
from mock_server.files.storage.base import CHUNK, StagedBlob

Stage = Callable[[], StagedBlob]
SAMPLE = 64 * 1024  # what the encoding is guessed from
_PARSERS: dict[str, Callable[[BinaryIO, ExtractLimits], tuple[str, str]]] = {
    PDF: documents.pdf_text, DOCX: documents.docx_text, PPTX: documents.pptx_text,
    XLSX: sheets.xlsx_text, XLS: sheets.xls_text,
}
_NAMES = {PDF: "PDF", DOCX: "DOCX", PPTX: "PPTX", XLSX: "XLSX", XLS: "XLS", HTML: "HTML"}
_EMPTY = {
    PDF: "the PDF has no text layer (scanned pages need OCR, which this server does not run)",
    IMAGE: "no text found in the image (OCR of images is not available on this server)",
    BINARY: "the file is not a document this server can read",
}


@dataclass(frozen=True)
class Extraction:
    status: str
    status_details: str
    file_type: str
    title: str = ""


def failed(fmt: Format, details: str) -> Extraction:
    return Extraction("error", details, fmt.mime)


def sniff(raw: StagedBlob, filename: str) -> Format:
    with raw.open() as stream:
        return classify(filename, stream.read(4096))


def decode_into(raw: StagedBlob, encoding: str, sink: StagedBlob) -> bool:
    """Decode the whole blob chunk by chunk into `sink` as UTF-8; False if it is not `encoding`."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with raw.open() as stream:
            while chunk := stream.read(CHUNK):
                sink.write(decoder.decode(chunk).encode())
            sink.write(decoder.decode(b"", final=True).encode())
    except UnicodeDecodeError:
        return False
    return True


def guess_encoding(head: bytes) -> str | None:
    """UTF-16 by its BOM, UTF-8 when the first bytes are (a multi-byte character cut at the end
    of the sample aside), else charset-normalizer's best guess (None: not text at all). A few
    bytes can read cleanly in several encodings: among the equally clean, GB18030 wins (the
    platform's home encoding), so short Chinese text is never taken for Korean."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # on the first non-UTF-8 text

    found = list(from_bytes(head))
    if not found:
        return None
    cleanest = min(match.chaos for match in found)
    tied = [match.encoding for match in found if match.chaos == cleanest]
    return "gb18030" if "gb18030" in tied else tied[0]


def extract_text(
    raw: StagedBlob, fmt: Format, stage: Stage
) -> tuple[Extraction, StagedBlob | None]:
    with raw.open() as stream:
        encoding = guess_encoding(stream.read(SAMPLE))
    if encoding is not None:
        sink = stage()
        if decode_into(raw, encoding, sink):
            return Extraction("ok", "", fmt.mime), sink
        sink.discard()
    return failed(fmt, "the file is not text in an encoding this server recognises "
                       "(UTF-8, UTF-16, GB18030, Big5, Shift-JIS, …)"), None


def parse_document(raw: StagedBlob, fmt: Format,
                   limits: ExtractLimits) -> tuple[str, str] | Extraction:
    try:
        with raw.open() as stream:
            parser = html_document if fmt.kind == HTML else _PARSERS[fmt.kind]
            return parser(stream, limits)
    except (OverLimit, zipfile.BadZipFile, ElementTree.ParseError, ValueError, KeyError, IndexError,
            UnicodeDecodeError, EOFError, zlib.error) as exc:
        return failed(fmt, f"the file cannot be read as {_NAMES[fmt.kind]}: {exc}")


def html_document(stream: BinaryIO, limits: ExtractLimits) -> tuple[str, str]:
    data = stream.read()
    encoding = guess_encoding(data[:SAMPLE])
    if encoding is None:
        raise ValueError("the file is not text in an encoding this server recognises")
    return documents.html_text(data.decode(encoding))


def extract(raw: StagedBlob, filename: str, stage: Stage,
            limits: ExtractLimits | None = None) -> tuple[Extraction, StagedBlob | None]:
    """Extraction of a `file-extract` upload: its result, and the text blob when it is ok."""
    limits = limits or ExtractLimits()
    fmt = sniff(raw, filename)
    if fmt.kind == TEXT:
        return extract_text(raw, fmt, stage)
    if fmt.kind == UNREADABLE:
        return failed(fmt, f"text extraction from {fmt.mime} files is not supported by this "
                           "server; upload it as PDF, DOCX, PPTX, XLSX or plain text"), None
    if fmt.kind in (IMAGE, BINARY):
        return failed(fmt, _EMPTY[fmt.kind]), None
    parsed = parse_document(raw, fmt, limits)
    if isinstance(parsed, Extraction):
        return parsed, None
    text, title = parsed
    if not text.strip():
        return failed(fmt, _EMPTY.get(fmt.kind, "no text found in the file")), None
    sink = stage()
    sink.write(text.encode())
    return Extraction("ok", "", fmt.mime, title), sink


def describe(raw: StagedBlob, filename: str) -> Extraction:
    """Uploads for image / video / batch are kept as they are: only their type is noted."""
    return Extraction("ok", "", sniff(raw, filename).mime)
