"""Per-file and per-account upload limits, with the real API's literal messages."""

from __future__ import annotations

from dataclasses import dataclass

from mock_server.errors import MoonshotError
from mock_server.settings import Settings


@dataclass(frozen=True)
class FileLimits:
    max_bytes: int
    max_count: int
    max_total_bytes: int

    @classmethod
    def from_settings(cls, settings: Settings) -> FileLimits:
        return cls(settings.file_max_bytes, settings.file_max_count, settings.file_max_total_bytes)


def size_text(size: int) -> str:
    """`100MB` for the default limit; lowered limits keep the same style."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale and size % scale == 0:
            return f"{size // scale}{unit}"
    return f"{size}B"


def too_large(limits: FileLimits) -> MoonshotError:
    return MoonshotError(
        "invalid_request_error",
        f"File size is too large, max file size is {size_text(limits.max_bytes)}, "
        "please confirm and re-upload the file")


def empty_file() -> MoonshotError:
    return MoonshotError("invalid_request_error",
                         "File size is zero, please confirm and re-upload the file")


def too_many(limits: FileLimits) -> MoonshotError:
    return MoonshotError(
        "invalid_request_error",
        f"The number of files you have uploaded exceeded the max file count {limits.max_count}, "
        "please delete previous uploaded files")


def over_total(limits: FileLimits) -> MoonshotError:
    """No real capture of this message exists; it follows the file-count template."""
    return MoonshotError(
        "invalid_request_error",
        "The total size of the files you have uploaded exceeded the max total size "
        f"{size_text(limits.max_total_bytes)}, please delete previous uploaded files")


def check_size(size: int, limits: FileLimits) -> None:
    """The finished upload's own size: empty or over the per-file limit."""
    if size == 0:
        raise empty_file()
    if size > limits.max_bytes:
        raise too_large(limits)


def check_room(count: int, total: int, size: int, limits: FileLimits) -> None:
    """Whether an account holding `count` files of `total` bytes may add one of `size` bytes."""
    if count >= limits.max_count:
        raise too_many(limits)
    if total + size > limits.max_total_bytes:
        raise over_total(limits)


@dataclass(frozen=True)
class ExtractLimits:
    """Bounds on the work one `file-extract` upload may cost (docs/bounds.md)."""

    max_unzipped_bytes: int = 100 * 1024**2
    max_entries: int = 10_000
    max_pages: int = 1000
    max_depth: int = 256

    @classmethod
    def from_settings(cls, settings: Settings) -> ExtractLimits:
        return cls(settings.extract_max_unzipped_bytes, settings.extract_max_entries,
                   settings.extract_max_pages, settings.extract_max_depth)


class OverLimit(ValueError):
    """A document past one of the `ExtractLimits`; the message names the setting."""

    def __init__(self, what: str, limit: int, setting: str) -> None:
        super().__init__(f"{what} is over the limit of {limit} ({setting})")
