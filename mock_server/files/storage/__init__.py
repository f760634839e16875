"""File stores: `memory` (the default, gone with the process) and `durable` (a data directory)."""

from __future__ import annotations

from mock_server.files.storage.base import FileStore
from mock_server.settings import Settings


def open_store(settings: Settings) -> FileStore:
    if settings.data_dir is None:
        from mock_server.files.storage.memory import MemoryStore

        return MemoryStore()
    from mock_server.files.storage.durable import DurableStore

    return DurableStore(settings.data_dir)
