"""The batch record, its wire form (the Batch object), and the errors that name a batch."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import orjson

from mock_server.errors import MoonshotError

ENDPOINT = "/v1/chat/completions"
STATUSES = ("validating", "failed", "in_progress", "finalizing", "completed", "expired",
            "cancelling", "cancelled")
CANCELLABLE = ("validating", "in_progress", "finalizing")
FINAL = ("failed", "completed", "expired", "cancelled")
TIMESTAMPS = ("in_progress_at", "expires_at", "finalizing_at", "completed_at", "failed_at",
              "cancelling_at", "cancelled_at")


@dataclass(frozen=True)
class BatchRecord:
    """One batch: the wire fields, its account, and the exact (float) creation time that the
    state machine's deadlines count from."""

    id: str
    account: str
    input_file_id: str
    completion_window: str
    created: float  # API clock seconds
    expires_at: int
    status: str = "validating"
    endpoint: str = ENDPOINT
    output_file_id: str | None = None
    error_file_id: str | None = None
    in_progress_at: int | None = None
    finalizing_at: int | None = None
    completed_at: int | None = None
    failed_at: int | None = None
    cancelling_at: int | None = None
    cancelled_at: int | None = None
    completed: int = 0
    failed: int = 0
    total: int = 0
    metadata: dict[str, str] | None = None
    errors: list[dict[str, Any]] | None = None
    model: str = ""  # the one model of the batch's lines, once validated
    version: int = 0  # bumped by every stored change (compare-and-set between workers)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def created_at(self) -> int:
        return int(self.created)

    def but(self, **changes: Any) -> BatchRecord:
        return dataclasses.replace(self, **changes)

    def wire(self) -> dict[str, Any]:
        """The Batch object, in the documented key order (plus `errors`, set when it failed)."""
        return {
            "id": self.id, "object": "batch", "endpoint": self.endpoint,
            "input_file_id": self.input_file_id, "completion_window": self.completion_window,
            "status": self.status, "output_file_id": self.output_file_id,
            "error_file_id": self.error_file_id, "created_at": self.created_at,
            "in_progress_at": self.in_progress_at, "expires_at": self.expires_at,
            "finalizing_at": self.finalizing_at, "completed_at": self.completed_at,
            "failed_at": self.failed_at, "cancelling_at": self.cancelling_at,
            "cancelled_at": self.cancelled_at,
            "request_counts": {"completed": self.completed, "failed": self.failed,
                               "total": self.total},
            "metadata": self.metadata,
            "errors": None if self.errors is None else {"object": "list", "data": self.errors},
        }

    def dumps(self) -> bytes:
        return orjson.dumps(dataclasses.asdict(self))

    @classmethod
    def loads(cls, raw: bytes | str) -> BatchRecord:
        return cls(**orjson.loads(raw))


def batch_not_found(batch_id: str) -> MoonshotError:
    """Unknown or another account's batch; the real text is unknown, this follows the files'."""
    return MoonshotError("resource_not_found_error",
                         f"Not found the batch {batch_id} or Permission denied")


def not_cancellable(record: BatchRecord) -> MoonshotError:
    """Only validating, in_progress and finalizing batches can be cancelled (docs)."""
    return MoonshotError("invalid_request_error",
                         f"Invalid request: batch {record.id} cannot be cancelled in status "
                         f"{record.status!r}; only validating, in_progress or finalizing "
                         "batches can be cancelled")
