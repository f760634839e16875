"""A recording on disk: a directory of reply files, written one per exchange (read back by the
one loader of reply files, `reply_files.py`).

Files are named `NNNN-<method>-<path>.json` in the order the exchanges finished; recording into
a directory that already holds some continues the numbering.
"""

from __future__ import annotations

import re
from pathlib import Path

from mock_server.recording.document import Exchange, dumps

SUFFIXES = (".json", ".yaml", ".yml")
_SLUG = re.compile(r"[^a-z0-9]+")


def reply_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.suffix in SUFFIXES and p.is_file())


def file_stem(sequence: int, method: str, path: str) -> str:
    slug = _SLUG.sub("-", path.lower()).strip("-")[:60].rstrip("-")
    return f"{sequence:04d}-{method.lower()}-{slug}"


class Recorder:
    """Writes each exchange to its own file as it completes."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        numbers = [int(p.name[:4]) for p in reply_files(directory) if p.name[:4].isdigit()]
        self.sequence = max(numbers, default=0)

    def write(self, exchange: Exchange) -> Path:
        self.sequence += 1
        request = exchange.request
        path = self.directory / (file_stem(self.sequence, str(request["method"]),
                                           str(request["path"])) + ".json")
        temporary = path.with_suffix(".tmp")
        temporary.write_text(dumps(exchange), encoding="utf-8")
        temporary.replace(path)
        return path
