"""Which kind of document an upload is: by its extension (the real API's supported list),
then by its first bytes. A fixed table, so the MIME type never depends on the host's setup."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

TEXT = "text"
HTML = "html"
PDF = "pdf"
DOCX = "docx"
PPTX = "pptx"
XLSX = "xlsx"
XLS = "xls"
IMAGE = "image"
UNREADABLE = "unreadable"  # listed by the real API, but not readable offline (legacy binaries)
BINARY = "binary"

_TEXT_TYPES = {
    "txt": "text/plain", "log": "text/plain", "md": "text/markdown", "csv": "text/csv",
    "json": "application/json", "yaml": "application/yaml", "yml": "application/yaml",
    "ini": "text/plain", "conf": "text/plain", "go": "text/x-go", "h": "text/x-c",
    "c": "text/x-c", "cpp": "text/x-c++", "cxx": "text/x-c++", "cc": "text/x-c++",
    "cs": "text/x-csharp", "java": "text/x-java", "js": "text/javascript", "css": "text/css",
    "jsp": "text/plain", "php": "text/x-php", "py": "text/x-python", "py3": "text/x-python",
    "asp": "text/plain", "ts": "text/x-typescript", "tsx": "text/x-typescript",
    "jsonl": "application/jsonl",
}
_IMAGE_TYPES = {
    "jpeg": "image/jpeg", "jpg": "image/jpeg", "jfif": "image/jpeg", "pjp": "image/jpeg",
    "pjpeg": "image/jpeg", "png": "image/png", "apng": "image/apng", "bmp": "image/bmp",
    "dib": "image/bmp", "gif": "image/gif", "webp": "image/webp", "ico": "image/x-icon",
    "tif": "image/tiff", "tiff": "image/tiff", "avif": "image/avif", "xbm": "image/x-xbitmap",
    "svg": "image/svg+xml", "svgz": "image/svg+xml",
}
_OTHER_TYPES = {
    "html": ("text/html", HTML), "htm": ("text/html", HTML), "pdf": ("application/pdf", PDF),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", DOCX),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", PPTX),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", XLSX),
    "doc": ("application/msword", UNREADABLE), "dot": ("application/msword", UNREADABLE),
    "xls": ("application/vnd.ms-excel", XLS),
    "ppt": ("application/vnd.ms-powerpoint", UNREADABLE),
    "epub": ("application/epub+zip", UNREADABLE),
    "mobi": ("application/x-mobipocket-ebook", UNREADABLE),
}
_MAGIC = (
    (b"%PDF-", "application/pdf", PDF), (b"\x89PNG", "image/png", IMAGE),
    (b"\xff\xd8\xff", "image/jpeg", IMAGE), (b"GIF8", "image/gif", IMAGE),
)


@dataclass(frozen=True)
class Format:
    mime: str
    kind: str


def by_extension(filename: str) -> Format | None:
    ext = PurePosixPath(filename.replace("\\", "/")).suffix.lower().lstrip(".")
    if ext in _TEXT_TYPES:
        return Format(_TEXT_TYPES[ext], TEXT)
    if ext in _IMAGE_TYPES:
        return Format(_IMAGE_TYPES[ext], IMAGE)
    if ext in _OTHER_TYPES:
        return Format(*_OTHER_TYPES[ext])
    return None


def by_content(head: bytes) -> Format:
    for magic, mime, kind in _MAGIC:
        if head.startswith(magic):
            return Format(mime, kind)
    if b"\0" in head:
        return Format("application/octet-stream", BINARY)
    return Format("text/plain", TEXT)


def classify(filename: str, head: bytes) -> Format:
    """The extension decides; a name without a known one (the SDK's `upload`) is sniffed."""
    return by_extension(filename) or by_content(head)
