"""Real documents made in the tests: PDF (text layer, any Unicode text), scanned-like PDF,
DOCX, PPTX and XLSX (Office Open XML written with zipfile)."""

from __future__ import annotations

import datetime
import io
import zipfile
from xml.sax.saxutils import escape


def _pdf(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info 2 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _to_unicode(chars: set[str]) -> bytes:
    lines = [b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
             b"/CMapName /Mock-UCS def /CMapType 2 def",
             b"1 begincodespacerange <0000> <FFFF> endcodespacerange"]
    ordered = sorted(chars)
    for start in range(0, len(ordered), 100):
        block = ordered[start : start + 100]
        lines.append(b"%d beginbfchar" % len(block))
        lines += [b"<%04X> <%04X>" % (ord(c), ord(c)) for c in block]
        lines.append(b"endbfchar")
    lines.append(b"endcmap CMapName currentdict /CMap defineresource pop end end")
    return b"\n".join(lines)


def make_pdf(pages: list[list[str]], title: str = "") -> bytes:
    """A PDF whose pages carry the given lines as a real text layer (BMP characters)."""
    chars = {c for page in pages for line in page for c in line}
    count = len(pages)
    kids = b" ".join(b"%d 0 R" % (7 + 2 * i) for i in range(count))
    info = b"<< /Title <FEFF%s> >>" % title.encode("utf-16-be").hex().upper().encode()
    objects = [
        b"<< /Type /Catalog /Pages 3 0 R >>", info,
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /MockSans /Encoding /Identity-H "
        b"/DescendantFonts [5 0 R] /ToUnicode 6 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /MockSans /CIDToGIDMap /Identity "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        _stream(_to_unicode(chars)),
    ]
    for lines in pages:
        text = b"BT /F1 12 Tf 14 TL 72 740 Td " + b" ".join(
            b"<%s> Tj T*" % line.encode("utf-16-be").hex().upper().encode() for line in lines
        ) + b" ET"
        objects.append(b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 612 792] "
                       b"/Resources << /Font << /F1 4 0 R >> >> /Contents %d 0 R >>"
                       % (len(objects) + 2))
        objects.append(_stream(text))
    return _pdf(objects)


def make_scanned_pdf() -> bytes:
    """One page that only paints an image: no text layer, as a scan."""
    pixels = bytes(range(256)) * 12
    return _pdf([
        b"<< /Type /Catalog /Pages 3 0 R >>", b"<< >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /XObject << /Im1 5 0 R >> >> /Contents 6 0 R >>",
        _stream(pixels, b"/Type /XObject /Subtype /Image /Width 32 /Height 32 "
                        b"/ColorSpace /DeviceRGB /BitsPerComponent 8 "),
        _stream(b"q 612 0 0 792 0 0 cm /Im1 Do Q"),
    ])


CORE = ('<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.'
        'openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/'
        'elements/1.1/"><dc:title>{title}</dc:title></cp:coreProperties>')
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _zip(parts: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if "[Content_Types].xml" not in parts:
            archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://'
                             'schemas.openxmlformats.org/package/2006/content-types"/>')
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def make_docx(paragraphs: list[str], title: str = "") -> bytes:
    body = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{escape(p)}</w:t></w:r></w:p>"
                   for p in paragraphs)
    document = (f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}">'
                f"<w:body>{body}</w:body></w:document>")
    return _zip({"word/document.xml": document, "docProps/core.xml": CORE.format(title=escape(title))})


def make_pptx(slides: list[str]) -> bytes:
    parts = {
        f"ppt/slides/slide{i}.xml": f'<p:sld xmlns:p="p" xmlns:a="{A_NS}"><a:p><a:r><a:t>{escape(text)}'
        "</a:t></a:r></a:p></p:sld>"
        for i, text in enumerate(slides, start=1)
    }
    return _zip(parts)


REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XLSX_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.styles+xml"/></Types>'),
    "_rels/.rels": (
        f'<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" Type="{REL_NS}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        f'<workbook xmlns="{S_NS}" xmlns:r="{REL_NS}"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{PKG_REL_NS}">'
        f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
        f'<Relationship Id="rId3" Type="{REL_NS}/styles" Target="styles.xml"/></Relationships>'),
    "xl/styles.xml": (  # style 1: the built-in date format 14
        f'<styleSheet xmlns="{S_NS}"><cellXfs count="2"><xf numFmtId="0"/>'
        '<xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>'),
}
Cell = str | int | float | datetime.date


def _xlsx_cell(ref: str, value: Cell, shared: list[str]) -> str:
    if isinstance(value, datetime.date):  # an Excel serial day with the date style
        serial = (value - datetime.date(1899, 12, 30)).days
        return f'<c r="{ref}" s="1"><v>{serial}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if value == "":
        return ""  # an empty cell is not written at all, as Excel does
    return f'<c r="{ref}" t="s"><v>{shared.index(value)}</v></c>'


def make_xlsx(rows: list[list[Cell]]) -> bytes:
    """A workbook Excel itself would open: strings shared, numbers as numbers, dates as serial
    days with a date style, empty cells absent."""
    shared = sorted({c for row in rows for c in row if isinstance(c, str) and c})
    strings = "".join(f"<si><t>{escape(s)}</t></si>" for s in shared)
    cells = "".join(
        f'<row r="{r}">' + "".join(_xlsx_cell(f"{chr(65 + c)}{r}", value, shared)
                                   for c, value in enumerate(row)) + "</row>"
        for r, row in enumerate(rows, start=1))
    return _zip({
        **XLSX_PARTS,
        "xl/sharedStrings.xml": f'<sst xmlns="{S_NS}">{strings}</sst>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{S_NS}"><sheetData>{cells}</sheetData></worksheet>',
    })
