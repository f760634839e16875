"""A batch's lines through the fake's own chat engine, without HTTP.

Each line goes the way of a direct `POST /v1/chat/completions` minus the transport: the fault
rules (an error fault answers the line with that error; latency, gateway and connection faults
belong to a connection and do not apply), the spec's body schema, the semantic checks, the
planned answer with its context-cache hit, and the usage, billed at the model's batch price.
Every line is journaled as a chat request marked with its batch and `custom_id`. Blocking:
runs in a worker thread (or a test's own thread).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mock_server.accounts.auth import Account
from mock_server.accounts.billing import insufficient_balance
from mock_server.batches import lines
from mock_server.batches.records import ENDPOINT, BatchRecord
from mock_server.batches.validate import ParsedInput, parse_input
from mock_server.chat.plan import completion_body
from mock_server.data.spec import validate_body
from mock_server.endpoints.chat import chat_answer, chat_demand
from mock_server.errors import MoonshotError
from mock_server.faults.book import FaultRequest
from mock_server.faults.dsl import FaultPlan
from mock_server.faults.presets import render_message
from mock_server.faults.rules import parse_step
from mock_server.files.limits import FileLimits
from mock_server.files.records import FileRecord
from mock_server.files.service import mint_id
from mock_server.files.storage.base import DuplicateId
from mock_server.ids import stable_hex
from mock_server.journal import Entry, summarize_body

if TYPE_CHECKING:
    from mock_server.replies.rules import Reply
    from mock_server.services import Services

RESULT_LIMITS = FileLimits(2**62, 2**62, 2**62)  # result files are never refused for room


@dataclass
class Outcome:
    """What running a batch's lines produced."""

    output: list[bytes] = field(default_factory=list)
    errors: list[bytes] = field(default_factory=list)
    cost: int = 0  # nano-units at the batch price


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
    now = services.clock.now()
    entry = services.journal.open("POST", ENDPOINT, now)
    entry.account, entry.body = account.name, summarize_body(body, 0)
    entry.request_id = services.ids.request_id(now)
    entry.extra = {"batch": batch_id, "custom_id": custom_id}
    try:
        line_fault(services, account, body)
        body = validate_body(services.spec.operation("createChatCompletion"), body)
        demand = chat_demand(body, account.name, services)
        if not funded:
            raise insufficient_balance(account.id, "")
        reply = scripted_line(services, account, body, entry)
        plan = chat_answer(body, demand, account.name, services, reply=reply)
    except MoonshotError as error:
        entry.status = error.status
        return lines.refused(custom_id, error), -1
    usage = entry.usage = plan.usage()
    entry.status = 200
    cost = services.admission.batch_rates(demand.model).cost(usage)
    return lines.answered(custom_id, 200, completion_body(plan, usage)), cost


def scripted_line(services: Services, account: Account, body: dict[str, Any],
                  entry: Entry) -> Reply | None:
    """The scripted reply for this line (its rule named in the journal); an `error:` reply's
    error is raised, as a direct call would get it."""
    if services.replies.idle:
        return None
    answer = services.replies.answer(body, account.name)
    if answer is None:
        return None
    entry.reply = answer.rule.id
    if answer.reply.error is not None:
        raise_plan_error(parse_step(answer.reply.error), account, body)
        return None  # a fault without an error (latency, stream faults): the model answers
    return answer.reply


def raise_plan_error(plan: FaultPlan, account: Account, body: dict[str, Any]) -> None:
    if plan.error is None:
        return
    model = body.get("model")
    message = render_message(plan.error, org=account.id, ak="", model=str(model or ""),
                             proj="proj-" + stable_hex("proj", account.name))
    raise MoonshotError(plan.error.type, message, status=plan.error.status)


def line_fault(services: Services, account: Account, body: dict[str, Any]) -> None:
    """Raise the error a fault rule or scenario gives this line, as a direct call would get."""
    if services.faults.idle:
        return
    model = body.get("model")
    plan = services.faults.choose(FaultRequest("POST", ENDPOINT, model if isinstance(
        model, str) else None, account.name)).plan
    if plan is not None:
        raise_plan_error(plan, account, body)


def store_lines(services: Services, record: BatchRecord, kind: str,
                content: list[bytes]) -> str | None:
    """A result file of purpose `batch` holding the lines; None when there are none."""
    if not content:
        return None
    blob = services.files.stage()
    for line in content:
        blob.write(line)
    created_at = int(services.clock.now())
    for attempt in range(8):
        stored = FileRecord(id=mint_id(services.ids, created_at, attempt), account=record.account,
                            filename=f"{record.id}_{kind}.jsonl", purpose="batch",
                            created_at=created_at, bytes=blob.size, file_type="application/jsonl")
        try:
            return services.files.add(stored, blob, None, RESULT_LIMITS).id
        except DuplicateId:
            continue
    blob.discard()
    raise MoonshotError("server_error", "no free file id could be assigned, please try again")

