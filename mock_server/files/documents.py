"""Text out of documents: HTML (text, not tags), PDF (text layer), DOCX / PPTX / XLSX (the
Office Open XML parts, read with zipfile + ElementTree). Each returns (text, title)."""

from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from typing import BinaryIO
from xml.etree import ElementTree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section",
           "article", "header", "footer", "table", "ul", "ol", "pre", "blockquote"}
_HIDDEN = {"script", "style", "noscript", "template"}


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")
        if tag not in ("br", "img", "meta", "link", "hr", "input"):
            self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._stack:
            while self._stack and self._stack.pop() != tag:
                pass
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if "title" in self._stack:
            self.title.append(data)
        elif not _HIDDEN.intersection(self._stack):
            self.parts.append(data)


def tidy(text: str) -> str:
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_text(source: str) -> tuple[str, str]:
    parser = _HtmlText()
    parser.feed(source)
    parser.close()
    return tidy("".join(parser.parts)), tidy("".join(parser.title))


def pdf_text(stream: BinaryIO) -> tuple[str, str]:
    """Text and title of a PDF; pypdf's own errors surface as `ValueError` (same text)."""
    import pypdf  # on first use: importing it would add ~60 ms to every start-up

    try:
        reader = pypdf.PdfReader(stream)
        if reader.is_encrypted:
            raise ValueError("the PDF is encrypted")
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        title = (reader.metadata.title if reader.metadata else None) or ""
    except pypdf.errors.PyPdfError as exc:
        raise ValueError(str(exc)) from exc
    return "\n\n".join(page for page in pages if page), str(title)


def _xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    if name not in archive.namelist():
        return None
    with archive.open(name) as part:
        return ElementTree.parse(part).getroot()


def _core_title(archive: zipfile.ZipFile) -> str:
    core = _xml(archive, "docProps/core.xml")
    node = core.find(DC_TITLE) if core is not None else None
    return (node.text or "").strip() if node is not None else ""


def _paragraph(node: ElementTree.Element, ns: str) -> str:
    pieces = []
    for item in node.iter():
        if item.tag == f"{ns}t":
            pieces.append(item.text or "")
        elif item.tag in (f"{ns}tab",):
            pieces.append("\t")
        elif item.tag in (f"{ns}br", f"{ns}cr"):
            pieces.append("\n")
    return "".join(pieces)


def docx_text(stream: BinaryIO) -> tuple[str, str]:
    with zipfile.ZipFile(stream) as archive:
        body = _xml(archive, "word/document.xml")
        if body is None:
            raise ValueError("word/document.xml is missing")
        paragraphs = [_paragraph(p, W) for p in body.iter(f"{W}p")]
        return "\n".join(paragraphs).strip(), _core_title(archive)


def _numbered(names: list[str], pattern: str) -> list[str]:
    found = [(int(m.group(1)), n) for n in names if (m := re.fullmatch(pattern, n))]
    return [name for _, name in sorted(found)]


def pptx_text(stream: BinaryIO) -> tuple[str, str]:
    with zipfile.ZipFile(stream) as archive:
        slides = []
        for name in _numbered(archive.namelist(), r"ppt/slides/slide(\d+)\.xml"):
            root = _xml(archive, name)
            assert root is not None
            slides.append("\n".join(_paragraph(p, A) for p in root.iter(f"{A}p")).strip())
        return "\n\n".join(s for s in slides if s), _core_title(archive)


def _cell(cell: ElementTree.Element, shared: list[str]) -> str:
    if cell.get("t") == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(f"{S}t"))
    value = cell.findtext(f"{S}v") or ""
    return shared[int(value)] if cell.get("t") == "s" and value.isdigit() else value


def xlsx_text(stream: BinaryIO) -> tuple[str, str]:
    with zipfile.ZipFile(stream) as archive:
        strings = _xml(archive, "xl/sharedStrings.xml")
        shared = ["".join(t.text or "" for t in si.iter(f"{S}t"))
                  for si in (strings.iter(f"{S}si") if strings is not None else ())]
        sheets = []
        for name in _numbered(archive.namelist(), r"xl/worksheets/sheet(\d+)\.xml"):
            root = _xml(archive, name)
            assert root is not None
            rows = ["\t".join(_cell(c, shared) for c in row.iter(f"{S}c"))
                    for row in root.iter(f"{S}row")]
            sheets.append("\n".join(rows).strip())
        return "\n\n".join(s for s in sheets if s), _core_title(archive)
