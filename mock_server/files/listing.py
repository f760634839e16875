"""`GET /v1/files` query parameters: `order`, `after` and `limit`, as the OpenAI SDK sends them.

The Moonshot docs list no parameters for this call; these follow the platform's other lists
(`/v1/batches`, `/v1/caching`): newest first by default, `after` the id of a listed file, a
malformed value a 400 naming it and an `after` that names no file of the account the file's
own 404 (an empty page would end a client's pagination as if the list were done).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mock_server.errors import invalid_request
from mock_server.files.records import FileRecord, file_not_found

LIMIT_MAX = 10_000  # past the account's 1,000 files: a limit never hides one


def listed(records: Sequence[FileRecord], query: Mapping[str, str]) -> list[FileRecord]:
    """The page `query` asks for, from `records` newest first."""
    order = query.get("order", "desc")
    if order not in ("asc", "desc"):
        raise invalid_request(f"order must be 'asc' or 'desc', got {order!r}")
    ordered = list(records) if order == "desc" else list(reversed(records))
    after = query.get("after")
    if after is not None:
        ids = [record.id for record in ordered]
        if after not in ids:
            raise file_not_found(after)
        ordered = ordered[ids.index(after) + 1:]
    return ordered[: page_size(query.get("limit"))]


def page_size(raw: str | None) -> int:
    if raw is None:
        return LIMIT_MAX
    try:
        limit = int(raw)
    except ValueError:
        limit = 0
    if not 1 <= limit <= LIMIT_MAX:
        raise invalid_request(f"limit must be an integer between 1 and {LIMIT_MAX}, got {raw!r}")
    return limit
