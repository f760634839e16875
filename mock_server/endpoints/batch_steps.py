"""Moving batches along their state machine: whatever step is due on the API clock is taken
when the batch is next looked at (a batch API call, `mock.batches()`, `mock.advance()`), so a
virtual clock moved past a batch's deadlines finishes it at once, and the real clock finishes
it `batch_seconds` after creation.

Steps are taken under one lock per app, in a worker thread (running 10,000 lines takes a few
seconds); each stored change is a compare-and-set, so of two workers sharing a data directory
only one takes a step (the other drops the files it made) and the batch is billed once.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import anyio.to_thread

from mock_server.batches import lifecycle, lines
from mock_server.batches.lifecycle import Pace, due
from mock_server.batches.records import BatchRecord, not_cancellable
from mock_server.endpoints.batch_run import read_input, run_lines, store_lines
from mock_server.errors import MoonshotError

if TYPE_CHECKING:
    from mock_server.services import Services

Step = tuple[BatchRecord, int, list[str]]  # the next record, its cost, the files it made


def pace(services: Services) -> Pace:
    return Pace(services.settings.batch_seconds)


def perform(services: Services, record: BatchRecord, action: str, funded: bool) -> Step:
    steps = pace(services)
    if action == "validate":
        parsed = read_input(services, record)
        return lifecycle.validated(record, steps, parsed.model, len(parsed.requests),
                                   parsed.errors), 0, []
    if action == "run":
        outcome = run_lines(services, record, funded)
        output = store_lines(services, record, "output", outcome.output)
        errors = store_lines(services, record, "error", outcome.errors)
        made = [f for f in (output, errors) if f]
        counts = (len(outcome.output), len(outcome.errors))
        return lifecycle.ran(record, steps, counts, (output, errors)), outcome.cost, made
    if action == "expire":
        unrun = [lines.never_ran(custom_id) for custom_id, _ in read_input(services, record).requests]
        errors = store_lines(services, record, "error", unrun)
        return lifecycle.expired(record, len(unrun), errors), 0, [errors] if errors else []
    if action == "complete":
        return lifecycle.completed(record, steps), 0, []
    return lifecycle.cancelled(record, steps), 0, []


def step_sync(services: Services, batch: BatchRecord, funded: bool = True) -> tuple[BatchRecord, int]:
    """Take every step that is due; the record after them and the cost to charge."""
    cost = 0
    with services.batch_lock:
        record = services.batches.get(batch.account, batch.id)
        while (action := due(record, services.clock.now(), pace(services))) is not None:
            new, spent, made = perform(services, record, action, funded)
            stored = services.batches.replace(record, new)
            if stored is None:  # another worker took this step first
                for file_id in made:
                    with contextlib.suppress(MoonshotError):
                        services.files.delete(record.account, file_id)
                record = services.batches.get(batch.account, batch.id)
                continue
            record, cost = stored, cost + spent
    return record, cost


async def step(services: Services, record: BatchRecord) -> BatchRecord:
    if due(record, services.clock.now(), pace(services)) is None:
        return record
    account = services.auth.account(record.account)
    funded = (await services.admission.balance(account)).available > 0
    record, cost = await anyio.to_thread.run_sync(step_sync, services, record, funded)
    if cost:
        await services.admission.charge(account, cost)
    return record


async def step_account(services: Services, account: str) -> None:
    for record in services.batches.unfinished():
        if record.account == account:
            await step(services, record)


def cancel_sync(services: Services, batch: BatchRecord) -> BatchRecord:
    with services.batch_lock:
        while True:
            record = services.batches.get(batch.account, batch.id)
            if record.status not in ("validating", "in_progress", "finalizing"):
                raise not_cancellable(record)
            stored = services.batches.replace(
                record, lifecycle.cancelling(record, services.clock.now()))
            if stored is not None:
                return stored
