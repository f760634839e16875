"""The batch state machine over the API clock: which step is due, and the record after it.

A batch spends a third of `batch_seconds` in each of validating, in_progress and finalizing;
its timestamps are those scheduled instants (whole seconds), whenever the fake gets round to
the step, so a virtual clock moved far ahead yields the same record as one moved step by step.
Its lines run at the end of in_progress (their answers are in the files before `finalizing`).
A batch not finished by `expires_at` (created + completion window) expires; a cancelled batch
is `cancelling` for a third of `batch_seconds`, then `cancelled`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mock_server.batches.records import BatchRecord


@dataclass(frozen=True)
class Pace:
    seconds: float  # creation to completion

    def at(self, record: BatchRecord, thirds: int) -> float:
        return record.created + self.seconds * thirds / 3

    def stamp(self, record: BatchRecord, thirds: int) -> int:
        return int(self.at(record, thirds))


def due(record: BatchRecord, now: float, pace: Pace) -> str | None:
    """The step that is due now: validate, run, complete, cancel, expire, or None."""
    status = record.status
    if status == "cancelling":
        ready = (record.cancelling_at or record.created_at) + pace.seconds / 3
        return "cancel" if now >= ready else None
    step, thirds = {"validating": ("validate", 1), "in_progress": ("run", 2),
                    "finalizing": ("complete", 3)}.get(status, (None, 0))
    if step is None:
        return None
    when = pace.at(record, thirds)
    if step != "complete" and when >= record.expires_at and now >= record.expires_at:
        return "expire"
    return step if now >= when else None


def validated(record: BatchRecord, pace: Pace, model: str, total: int,
              errors: list[dict[str, Any]]) -> BatchRecord:
    at = pace.stamp(record, 1)
    if errors:
        return record.but(status="failed", failed_at=at, errors=errors)
    return record.but(status="in_progress", in_progress_at=at, model=model, total=total)


def ran(record: BatchRecord, pace: Pace, counts: tuple[int, int],
        files: tuple[str | None, str | None]) -> BatchRecord:
    return record.but(status="finalizing", finalizing_at=pace.stamp(record, 2),
                      completed=counts[0], failed=counts[1],
                      output_file_id=files[0], error_file_id=files[1])


def completed(record: BatchRecord, pace: Pace) -> BatchRecord:
    return record.but(status="completed", completed_at=pace.stamp(record, 3))


def cancelling(record: BatchRecord, now: float) -> BatchRecord:
    return record.but(status="cancelling", cancelling_at=int(now))


def cancelled(record: BatchRecord, pace: Pace) -> BatchRecord:
    at = int((record.cancelling_at or record.created_at) + pace.seconds / 3)
    return record.but(status="cancelled", cancelled_at=at)


def expired(record: BatchRecord, failed: int, error_file_id: str | None) -> BatchRecord:
    """Expired before its lines ran: every line is in the error file as `batch_expired`."""
    return record.but(status="expired", failed=failed, total=max(record.total, failed),
                      error_file_id=error_file_id)
