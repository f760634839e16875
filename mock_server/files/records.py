"""The stored file record, its wire form, and the errors that name a file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mock_server.errors import MoonshotError

PURPOSES = ("file-extract", "image", "video", "batch")


@dataclass(frozen=True)
class FileRecord:
    """One stored file: the wire fields plus what extraction found (type, title)."""

    id: str
    account: str
    filename: str
    purpose: str
    created_at: int
    bytes: int
    status: str = "ok"
    status_details: str = ""
    file_type: str = "application/octet-stream"
    title: str = ""

    def wire(self) -> dict[str, Any]:
        """The File object, in the real API's key order."""
        return {"id": self.id, "object": "file", "bytes": self.bytes,
                "created_at": self.created_at, "filename": self.filename,
                "purpose": self.purpose, "status": self.status,
                "status_details": self.status_details}


def file_not_found(file_id: str) -> MoonshotError:
    """Unknown, deleted or another account's file. The real text is unknown; this follows the
    real model-not-found template, which also does not tell "missing" from "not yours"."""
    return MoonshotError("resource_not_found_error",
                         f"Not found the file {file_id} or Permission denied")
