"""A batch's lines through the engine, without HTTP.

Each line is one more caller of the engine (`engine.offline.answer_offline`) through the chat
door: the same fault rules (an error fault answers the line with that error; latency, gateway
and connection faults belong to a connection and do not apply), the door's spec operation, the
semantic checks, the scripted replies, the plan with its context-cache hit, and a journal
entry marked with the batch and `custom_id`. What is the batch's own: the account must be
funded when the batch runs, the usage is priced at the model's batch price, and the lines go
into the output and error files. Blocking: runs in a worker thread (or a test's own thread).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson

from mock_server.accounts.billing import insufficient_balance
from mock_server.batches import lines
from mock_server.batches.records import ENDPOINT, BatchRecord
from mock_server.batches.validate import ParsedInput, parse_input
from mock_server.doors.chat import DOOR
from mock_server.engine.answer import Replay
from mock_server.engine.offline import answer_offline
from mock_server.errors import MoonshotError
from mock_server.files.limits import FileLimits
from mock_server.files.records import FileRecord
from mock_server.files.service import add_new

if TYPE_CHECKING:
    from mock_server.accounts.admission import Demand
    from mock_server.accounts.auth import Account
    from mock_server.engine.call import Call
    from mock_server.services import Services

RESULT_LIMITS = FileLimits(2**62, 2**62, 2**62)  # result files are never refused for room


@dataclass
class Outcome:
    """What running a batch's lines produced."""

    output: list[bytes] = field(default_factory=list)
    errors: list[bytes] = field(default_factory=list)
    cost: int = 0  # nano-units at the batch price


class BatchAccounting:
    """A batch line's admission and billing: a funded account, the model's batch price."""

    def __init__(self, services: Services, funded: bool) -> None:
        self.services, self.funded = services, funded
        self.cost = 0

    async def admit(self, call: Call, demand: Demand) -> None:
        if not self.funded:
            raise insufficient_balance(call.caller.account.id, "")
        return None  # no slot: a batch line has no connection to hold one

    async def bill(self, call: Call, usage: dict[str, int]) -> None:
        assert call.demand is not None
        self.cost = self.services.admission.batch_rates(call.demand.model).cost(usage)


def read_input(services: Services, record: BatchRecord) -> ParsedInput:
    """The input file parsed and checked (a deleted file fails the batch)."""
    try:
        stored = services.files.get(record.account, record.input_file_id)
        with services.files.open(record.account, record.input_file_id) as handle:
            data = handle.read()
    except MoonshotError as error:
        parsed = ParsedInput()
        parsed.problem("invalid_file", error.message, "input_file_id", None)
        return parsed
    return parse_input(stored.filename, data, services.api())


def run_lines(services: Services, record: BatchRecord, funded: bool) -> Outcome:
    parsed = read_input(services, record)
    account = services.auth.account(record.account)
    outcome = Outcome()
    for custom_id, body in parsed.requests:
        line, cost = run_line(services, account, record.id, custom_id, body, funded)
        (outcome.output if cost >= 0 else outcome.errors).append(line)
        outcome.cost += max(cost, 0)
    return outcome


def run_line(services: Services, account: Account, batch_id: str, custom_id: str,
             body: dict[str, Any], funded: bool) -> tuple[bytes, int]:
    """The line for the output file and its cost, or for the error file and -1."""
    accounting = BatchAccounting(services, funded)
    try:
        answer = answer_offline(services, DOOR, account, ENDPOINT, body, accounting,
                                {"batch": batch_id, "custom_id": custom_id})
    except MoonshotError as error:  # the error file holds it in the door's envelope
        return lines.answered(custom_id, error.status, orjson.Fragment(DOOR.envelope(error, ""))), -1
    if isinstance(answer, Replay):  # a recorded exchange: its status and body, not billed
        recorded = answer.recorded
        line = lines.answered(custom_id, recorded.status, orjson.Fragment(recorded.body or b"null"))
        return line, (0 if recorded.status < 400 else -1)
    return lines.answered(custom_id, 200, DOOR.render(answer)), accounting.cost


def store_lines(services: Services, record: BatchRecord, kind: str,
                content: list[bytes]) -> str | None:
    """A result file of purpose `batch` holding the lines; None when there are none."""
    if not content:
        return None
    blob = services.files.stage()
    for line in content:
        blob.write(line)
    created_at = int(services.clock.now())
    try:
        return add_new(services.files, services.ids, created_at, lambda file_id: FileRecord(
            id=file_id, account=record.account, filename=f"{record.id}_{kind}.jsonl",
            purpose="batch", created_at=created_at, bytes=blob.size,
            file_type="application/jsonl"), blob, None, RESULT_LIMITS).id
    except MoonshotError:
        blob.discard()
        raise
