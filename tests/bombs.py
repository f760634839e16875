"""Hostile documents, made small on disk: zip bombs (DOCX / PPTX / XLSX parts that inflate to
any size, streamed into the archive so building one never holds it), archives of many members,
XML nested deep, PDFs of many pages or with a content stream that inflates without end. Used by
the limit tests and by `bench/bench_bombs.py`."""

from __future__ import annotations

import io
import zipfile
import zlib

from tests.sample_documents import A_NS, W_NS, XLSX_PARTS, _pdf, _stream

MB = 1024 * 1024
CHUNK = MB


def _deflated(head: bytes, block: bytes, count: int, tail: bytes) -> tuple[bytes, int, int]:
    """Raw deflate of head + block * count + tail, its CRC-32 and size, made by compressing
    `block` once: after a full flush the compressor starts afresh, so every block's output is
    the same bytes (a gigabyte costs a CRC pass, not a compression pass)."""
    def piece(data: bytes) -> bytes:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        return packer.compress(data) + packer.flush(zlib.Z_FULL_FLUSH)

    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    last = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = piece(head) + piece(block) * count + last.compress(tail) + last.flush()
    return data, crc, len(head) + len(block) * count + len(tail)


def _zip_with_big_part(parts: dict[str, str], name: str, head: str, unit: str, tail: str,
                       inflated: int) -> bytes:
    """An archive whose part `name` is `head`, `unit` repeated to about `inflated` bytes (under
    4 GB), `tail`: written stored, then its headers patched to say deflated."""
    block = (unit * max(1, CHUNK // len(unit))).encode()
    data, crc, size = _deflated(head.encode(), block, max(1, inflated // len(block)), tail.encode())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, text in parts.items():
            archive.writestr(part, text)
        offset = out.tell()
        archive.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_STORED)
    raw = bytearray(out.getvalue())
    fields = (8).to_bytes(2, "little"), crc.to_bytes(4, "little"), size.to_bytes(4, "little")
    raw[offset + 8:offset + 10], raw[offset + 14:offset + 18] = fields[0], fields[1]
    raw[offset + 22:offset + 26] = fields[2]
    central = raw.rfind(b"PK\x01\x02")
    raw[central + 10:central + 12], raw[central + 16:central + 20] = fields[0], fields[1]
    raw[central + 24:central + 28] = fields[2]
    return bytes(raw)


def docx_bomb(inflated: int) -> bytes:
    """One paragraph of text that inflates to `inflated` bytes: the worst case for memory."""
    return _zip_with_big_part({}, "word/document.xml",
                              f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>', "a",
                              "</w:t></w:r></w:p></w:body></w:document>", inflated)


def docx_paragraphs_bomb(inflated: int) -> bytes:
    """Many small paragraphs (each parsed and dropped in turn)."""
    return _zip_with_big_part({}, "word/document.xml",
                              f'<w:document xmlns:w="{W_NS}"><w:body>',
                              "<w:p><w:r><w:t>bomb</w:t></w:r></w:p>",
                              "</w:body></w:document>", inflated)


def pptx_bomb(inflated: int) -> bytes:
    return _zip_with_big_part({}, "ppt/slides/slide1.xml",
                              f'<p:sld xmlns:p="p" xmlns:a="{A_NS}"><a:p><a:r><a:t>', "a",
                              "</a:t></a:r></a:p></p:sld>", inflated)


def xlsx_bomb(inflated: int) -> bytes:
    """A sheet of numeric cells (no shared strings) that inflates to `inflated` bytes."""
    parts = {**XLSX_PARTS, "xl/sharedStrings.xml":
             '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'}
    return _zip_with_big_part(parts, "xl/worksheets/sheet1.xml",
                              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                              '2006/main"><sheetData>', '<row><c><v>1</v></c></row>',
                              "</sheetData></worksheet>", inflated)


def many_members(count: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml",
                         f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p>'
                         "</w:body></w:document>")
        for index in range(count - 1):
            archive.writestr(f"m/{index}", b"")
    return out.getvalue()


def deep_docx(depth: int) -> bytes:
    """A paragraph wrapped in `depth` nested elements."""
    inner = "<w:p><w:r><w:t>deep</w:t></w:r></w:p>"
    text = (f'<w:document xmlns:w="{W_NS}"><w:body>' + "<w:sdt>" * depth + inner
            + "</w:sdt>" * depth + "</w:body></w:document>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", text)
    return out.getvalue()


def lying_docx(real: int) -> bytes:
    """A DOCX whose document.xml declares 10 bytes in the central directory and inflates to
    `real`: a reader that trusted the declared size would go on inflating."""
    data = bytearray(docx_paragraphs_bomb(real))
    directory = data.rfind(b"PK\x01\x02")
    # the central directory entry's uncompressed size (offset 24), or its zip64 extra field
    if data[directory + 24:directory + 28] == b"\xff\xff\xff\xff":
        extra = data.find(b"\x01\x00", directory + 46)
        data[extra + 4:extra + 12] = (10).to_bytes(8, "little")
    else:
        data[directory + 24:directory + 28] = (10).to_bytes(4, "little")
    return bytes(data)


def pdf_pages(count: int) -> bytes:
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(count))
    objects = [b"<< /Type /Catalog /Pages 3 0 R >>", b"<< >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count)]
    objects += [b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 612 792] >>"] * count
    return _pdf(objects)


def pdf_stream_bomb(inflated: int) -> bytes:
    """One page whose content stream (FlateDecode) inflates to `inflated` bytes of spaces."""
    packer = zlib.compressobj(9)
    block = b" " * CHUNK
    data = b"".join(packer.compress(block) for _ in range(max(1, inflated // CHUNK)))
    data += packer.flush()
    objects = [b"<< /Type /Catalog /Pages 3 0 R >>", b"<< >>",
               b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 612 792] /Contents 5 0 R >>",
               _stream(data, b"/Filter /FlateDecode ")]
    return _pdf(objects)
