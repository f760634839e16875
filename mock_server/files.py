"""A simple in-memory file store, per account. (Uploads, extraction and durable storage grow here.)"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mock_server.errors import MoonshotError

PURPOSES = ("file-extract", "image", "video", "batch")


@dataclass(frozen=True)
class StoredFile:
    id: str
    account: str
    filename: str
    purpose: str
    created_at: int
    data: bytes
    status: str = "ok"
    status_details: str = ""

    def listing(self) -> dict[str, Any]:
        return {"id": self.id, "object": "file", "bytes": len(self.data),
                "created_at": self.created_at, "filename": self.filename,
                "purpose": self.purpose, "status": self.status,
                "status_details": self.status_details}


def file_not_found(file_id: str) -> MoonshotError:
    return MoonshotError("resource_not_found_error", f"file {file_id} not found")


class FileStore:
    def __init__(self) -> None:
        self._files: dict[str, dict[str, StoredFile]] = {}

    def add(self, stored: StoredFile) -> StoredFile:
        self._files.setdefault(stored.account, {})[stored.id] = stored
        return stored

    def list(self, account: str) -> list[StoredFile]:
        files = self._files.get(account, {}).values()
        return sorted(files, key=lambda f: (f.created_at, f.id), reverse=True)

    def get(self, account: str, file_id: str) -> StoredFile:
        stored = self._files.get(account, {}).get(file_id)
        if stored is None:
            raise file_not_found(file_id)
        return stored

    def delete(self, account: str, file_id: str) -> StoredFile:
        stored = self.get(account, file_id)
        del self._files[account][file_id]
        return stored


def extracted_content(stored: StoredFile, mime: str) -> Mapping[str, Any]:
    return {"content": stored.data.decode("utf-8", "replace"), "file_type": mime,
            "filename": stored.filename, "title": "", "type": "file"}
