"""Facts about image files the vision rules of 2026 need (reference §17.7): SVG is refused,
and an animated GIF or WebP is decoded and counted as a video. Pure functions over the first
bytes of a file or a `data:` URL."""

from __future__ import annotations

import base64
import binascii

HEAD_BYTES = 65536  # the part of an image looked at: animation shows in its first frames
SVG_TYPES = frozenset({"image/svg+xml"})


def is_svg(head: bytes, filename: str = "", mime: str = "") -> bool:
    """An SVG by its declared type, its name or its content (an XML document whose root is
    `<svg`)."""
    if mime.lower() in SVG_TYPES or filename.lower().endswith((".svg", ".svgz")):
        return True
    start = head[:512].lstrip().lower()
    return start.startswith(b"<svg") or (start.startswith(b"<?xml") and b"<svg" in start)


def is_animated(head: bytes) -> bool:
    """A GIF with a looping extension or more than one frame, or a WebP with an `ANIM` chunk
    (or the animation flag of its `VP8X` header)."""
    if head.startswith((b"GIF87a", b"GIF89a")):
        return (b"NETSCAPE2.0" in head or b"ANIMEXTS1.0" in head
                or head.count(b"\x21\xf9\x04") > 1)
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return b"ANIM" in head or (head[12:16] == b"VP8X" and len(head) > 20
                                   and bool(head[20] & 0x02))
    return False


def data_url(url: str) -> tuple[str, bytes] | None:
    """The media type and the first `HEAD_BYTES` bytes of a base64 `data:` URL (None for any
    other URL, or one that is not base64)."""
    if not url.startswith("data:"):
        return None
    header, _, payload = url.partition(",")
    mime = header[5:].split(";", 1)[0].strip().lower()
    if ";base64" not in header.lower():
        return mime, payload[:HEAD_BYTES].encode("utf-8", "replace")
    chunk = payload[: HEAD_BYTES * 4 // 3 + 4]
    chunk = chunk[: len(chunk) - len(chunk) % 4]
    try:
        return mime, base64.b64decode(chunk, validate=False)
    except (binascii.Error, ValueError):
        return mime, b""
