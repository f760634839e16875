"""Extraction of a `file-extract` upload: decide ok / error and write the text, as UTF-8, to a
second staged blob. Plain text is decoded chunk by chunk (memory stays flat whatever the size);
documents go through their parser. Formats that cannot be read offline end as status "error"
with a clear `status_details`, as the real API reports unreadable files."""

from __future__ import annotations

import codecs
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO
from xml.etree import ElementTree

from mock_server.files import documents
from mock_server.files.formats import (
    BINARY,
    DOCX,
    HTML,
    IMAGE,
    PDF,
    PPTX,
    TEXT,
    UNREADABLE,
    XLSX,
    Format,
    classify,
)
from mock_server.files.storage.base import CHUNK, StagedBlob

Stage = Callable[[], StagedBlob]
ENCODINGS = ("utf-8-sig", "gb18030")
_PARSERS: dict[str, Callable[[BinaryIO], tuple[str, str]]] = {
    PDF: documents.pdf_text, DOCX: documents.docx_text, PPTX: documents.pptx_text,
    XLSX: documents.xlsx_text,
}
_NAMES = {PDF: "PDF", DOCX: "DOCX", PPTX: "PPTX", XLSX: "XLSX", HTML: "HTML"}
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


def utf16_bom(raw: StagedBlob) -> bool:
    with raw.open() as stream:
        return stream.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def extract_text(
    raw: StagedBlob, fmt: Format, stage: Stage
) -> tuple[Extraction, StagedBlob | None]:
    for encoding in ("utf-16",) if utf16_bom(raw) else ENCODINGS:
        sink = stage()
        if decode_into(raw, encoding, sink):
            return Extraction("ok", "", fmt.mime), sink
        sink.discard()
    return failed(fmt, "the file is not text in UTF-8, UTF-16 or GB18030"), None


def parse_document(raw: StagedBlob, fmt: Format) -> tuple[str, str] | Extraction:
    try:
        with raw.open() as stream:
            parser = html_document if fmt.kind == HTML else _PARSERS[fmt.kind]
            return parser(stream)
    except (zipfile.BadZipFile, ElementTree.ParseError, ValueError, KeyError, IndexError,
            UnicodeDecodeError) as exc:
        return failed(fmt, f"the file cannot be read as {_NAMES[fmt.kind]}: {exc}")


def html_document(stream: BinaryIO) -> tuple[str, str]:
    data = stream.read()
    for encoding in ENCODINGS:
        try:
            return documents.html_text(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise ValueError("the file is not text in UTF-8 or GB18030")


def extract(raw: StagedBlob, filename: str, stage: Stage) -> tuple[Extraction, StagedBlob | None]:
    """Extraction of a `file-extract` upload: its result, and the text blob when it is ok."""
    fmt = sniff(raw, filename)
    if fmt.kind == TEXT:
        return extract_text(raw, fmt, stage)
    if fmt.kind == UNREADABLE:
        return failed(fmt, f"text extraction from {fmt.mime} files is not supported by this "
                           "server; upload it as PDF, DOCX, PPTX, XLSX or plain text"), None
    if fmt.kind in (IMAGE, BINARY):
        return failed(fmt, _EMPTY[fmt.kind]), None
    parsed = parse_document(raw, fmt)
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
