"""A request as the stable document a recording matches on.

The document holds the method, the path, the query string, and the body: JSON bodies parsed
with the volatile fields dropped (`user`, `metadata`, ... — they change between runs without
changing the answer), multipart uploads as their fields with each file's name, media type,
size and SHA-256 (the boundary is random), anything else by digest. Every string that looks
like an API key is redacted, so keys never reach a recording and matching does not depend on
them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

import orjson

from mock_server.journal import redact

# request fields that vary between runs of the same test without changing the answer
VOLATILE_FIELDS = frozenset({"user", "metadata", "store", "request_id", "safety_identifier",
                             "prompt_cache_key"})
_DISPOSITION = re.compile(r'\b(name|filename)="([^"]*)"')


def normalise_request(method: str, path: str, query: str, content_type: str,
                      body: bytes) -> dict[str, Any]:
    """The matching document of one request (see the module's docstring)."""
    document: dict[str, Any] = {"method": method.upper(), "path": path}
    if query:
        document["query"] = "&".join(sorted(query.split("&")))
    if body:
        document.update(_body_document(content_type, body))
    return redact(document)


def request_key(document: Mapping[str, Any]) -> bytes:
    """The document as canonical bytes: equal documents, equal keys."""
    return orjson.dumps(document, option=orjson.OPT_SORT_KEYS)


def _body_document(content_type: str, body: bytes) -> dict[str, Any]:
    media = content_type.split(";")[0].strip().lower()
    if media == "application/json" or (not media and body.lstrip()[:1] in (b"{", b"[")):
        try:
            value = orjson.loads(body)
        except orjson.JSONDecodeError:
            return {"body_sha256": _digest(body)}
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if k not in VOLATILE_FIELDS}
        return {"body": value}
    if media == "multipart/form-data":
        form = parse_form(content_type, body)
        if form is not None:
            return {"form": form}
    return {"body_sha256": _digest(body)}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse_form(content_type: str, body: bytes) -> dict[str, Any] | None:
    """A multipart body's fields: text as text, files as name, media type, size and digest;
    None when the body is not the multipart it claims to be."""
    boundary = _boundary(content_type)
    if not boundary:
        return None
    form: dict[str, Any] = {}
    for part in body.split(b"--" + boundary)[1:]:
        if part.startswith(b"--"):
            break
        head, sep, content = part.partition(b"\r\n\r\n")
        if not sep:
            return None
        content = content.removesuffix(b"\r\n")
        names = dict(_DISPOSITION.findall(head.decode("utf-8", "replace")))
        if "name" not in names:
            return None
        form[names["name"]] = _field(names, head, content)
    return form


def _field(names: Mapping[str, str], head: bytes, content: bytes) -> Any:
    if "filename" not in names:
        return content.decode("utf-8", "replace")
    media = ""
    for line in head.decode("utf-8", "replace").split("\r\n"):
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-type":
            media = value.strip()
    return {"filename": names["filename"], "content_type": media, "size": len(content),
            "sha256": _digest(content)}


def _boundary(content_type: str) -> bytes:
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.strip().partition("=")
        if name.lower() == "boundary":
            return value.strip('"').encode("latin-1")
    return b""
