"""Text out of documents: HTML (text, not tags), PDF (text layer, pypdf), DOCX / PPTX (the
Office Open XML parts, streamed through expat: memory holds the open paragraph, whatever the
part's size). Each returns (text, title), within the `ExtractLimits`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any, BinaryIO
from xml.etree import ElementTree
from xml.parsers import expat

from mock_server.files.archive import READ, BoundedArchive
from mock_server.files.limits import ExtractLimits, OverLimit

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
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


PDF_OUTPUT_LIMITS = ("maximum_declared_stream_length", "array_based_stream_maximum_output_length",
                     "zlib_maximum_output_length", "lzw_maximum_output_length",
                     "run_length_maximum_output_length", "brotli_maximum_output_length",
                     "image_maximum_buffer_size")


def pdf_text(stream: BinaryIO, limits: ExtractLimits) -> tuple[str, str]:
    """Text and title of a PDF; pypdf's own errors surface as `ValueError` (same text). pypdf's
    own bounds (every stream's inflated size, page tree, arrays, filters) apply, each stream
    capped at `max_unzipped_bytes`; the pages are counted before any is read, and the text
    stops at `max_unzipped_bytes` too."""
    import pypdf  # on first use: importing it would add ~60 ms to every start-up

    caps = {name: min(getattr(pypdf.Configuration, name), limits.max_unzipped_bytes)
            for name in PDF_OUTPUT_LIMITS}
    # the page tree is flattened only within the page limit (a tree that lies about /Count
    # stops there too)
    caps["page_tree_maximum_page_entries"] = 64 * limits.max_pages  # a page's dictionary entries
    caps["page_tree_maximum_entries"] = 2 * limits.max_pages + 1  # pages and the nodes above them
    try:
        with pypdf.apply_configuration(**caps):
            reader = pypdf.PdfReader(stream)
            if reader.is_encrypted:
                raise ValueError("the PDF is encrypted")
            for count in (lambda: _declared_pages(reader), lambda: len(reader.pages)):
                if (pages := count()) > limits.max_pages:  # declared, then as walked
                    raise OverLimit(f"the page count ({pages})", limits.max_pages,
                                    "extract_max_pages")
            pages = list(_pdf_pages(reader, limits))
            title = (reader.metadata.title if reader.metadata else None) or ""
    except pypdf.errors.LimitReachedError as exc:
        if "page" in str(exc).lower():
            raise OverLimit("the page tree", limits.max_pages, "extract_max_pages") from exc
        raise OverLimit(f"a part of the PDF ({exc})", limits.max_unzipped_bytes,
                        "extract_max_unzipped_bytes") from exc
    except pypdf.errors.PyPdfError as exc:
        raise ValueError(str(exc)) from exc
    return "\n\n".join(page for page in pages if page), str(title)


def _declared_pages(reader: Any) -> int:
    """The page count the document's root declares (read without walking the page tree)."""
    try:
        return int(reader.trailer["/Root"]["/Pages"]["/Count"])
    except (KeyError, TypeError, ValueError):
        return 0


def _pdf_pages(reader: object, limits: ExtractLimits) -> Iterator[str]:
    left = limits.max_unzipped_bytes
    for page in reader.pages:  # type: ignore[attr-defined]
        contents = page.get_contents()  # decoded here: text extraction would hide a cut stream
        if contents is not None:
            contents.get_data()
        text = (page.extract_text() or "").strip()
        left -= len(text)
        if left < 0:
            raise OverLimit("the extracted text", limits.max_unzipped_bytes,
                            "extract_max_unzipped_bytes")
        yield text


def elements(part: BinaryIO, max_depth: int) -> Iterator[tuple[str, ElementTree.Element]]:
    """iterparse's ("start"/"end", element) events, refused past `max_depth` levels."""
    depth = 0
    for event, element in ElementTree.iterparse(part, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > max_depth:
            raise OverLimit("the XML nesting", max_depth, "extract_max_depth")
        yield event, element


def paragraphs(part: BinaryIO, ns: str, max_depth: int) -> Iterator[str]:
    """The text of each `{ns}p` of an XML part, in order, read with expat's callbacks: no tree
    is built, so memory holds the open paragraphs only, whatever the part's size."""
    uri = ns[1:-1]
    names = {f"{uri}}}{local}": local for local in ("p", "t", "tab", "br", "cr")}
    parser = expat.ParserCreate(namespace_separator="}")
    open_paragraphs: list[list[str]] = []
    done: list[str] = []
    state = {"depth": 0, "text": 0}

    def start(name: str, _attrs: object) -> None:
        state["depth"] += 1
        if state["depth"] > max_depth:
            raise OverLimit("the XML nesting", max_depth, "extract_max_depth")
        local = names.get(name)
        if local == "p":
            open_paragraphs.append([])
        elif local == "t":
            state["text"] += 1
        elif local and open_paragraphs:
            open_paragraphs[-1].append("\t" if local == "tab" else "\n")

    def end(name: str) -> None:
        state["depth"] -= 1
        local = names.get(name)
        if local == "p":
            done.append("".join(open_paragraphs.pop()))
        elif local == "t":
            state["text"] -= 1

    def text(data: str) -> None:
        if state["text"] and open_paragraphs:
            open_paragraphs[-1].append(data)

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = text
    try:
        while chunk := part.read(READ):
            parser.Parse(chunk, False)
            yield from done
            done.clear()
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise ValueError(f"the XML is not well-formed: {exc}") from None
    yield from done


def core_title(archive: BoundedArchive, max_depth: int) -> str:
    if "docProps/core.xml" not in archive.names():
        return ""
    with archive.open("docProps/core.xml") as part:
        for event, element in elements(part, max_depth):
            if event == "end" and element.tag == DC_TITLE:
                return (element.text or "").strip()
    return ""


def docx_text(stream: BinaryIO, limits: ExtractLimits) -> tuple[str, str]:
    with BoundedArchive(stream, limits) as archive:
        if "word/document.xml" not in archive.names():
            raise ValueError("word/document.xml is missing")
        with archive.open("word/document.xml") as part:
            text = "\n".join(paragraphs(part, W, limits.max_depth)).strip()
        return text, core_title(archive, limits.max_depth)


def numbered(names: list[str], pattern: str) -> list[str]:
    found = [(int(m.group(1)), n) for n in names if (m := re.fullmatch(pattern, n))]
    return [name for _, name in sorted(found)]


def pptx_text(stream: BinaryIO, limits: ExtractLimits) -> tuple[str, str]:
    with BoundedArchive(stream, limits) as archive:
        slides = []
        for name in numbered(archive.names(), r"ppt/slides/slide(\d+)\.xml"):
            with archive.open(name) as part:
                slides.append("\n".join(paragraphs(part, A, limits.max_depth)).strip())
        return "\n\n".join(s for s in slides if s), core_title(archive, limits.max_depth)
