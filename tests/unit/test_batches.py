"""The batch domain as plain data: the window, the input file's rules, the state machine over
the clock, and both stores' compare-and-set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mock_server.batches import lifecycle
from mock_server.batches.lifecycle import Pace, due
from mock_server.batches.records import BatchRecord
from mock_server.batches.storage import DurableBatchStore, MemoryBatchStore
from mock_server.batches.validate import parse_input, window_seconds
from mock_server.data.catalogue import load_catalogue
from mock_server.errors import MoonshotError

CATALOGUE = load_catalogue()


def line(custom_id: object = "a", model: str = "kimi-k2.6", **changes: object) -> bytes:
    item = {"custom_id": custom_id, "method": "POST", "url": "/v1/chat/completions",
            "body": {"model": model, "messages": [{"role": "user", "content": "hi"}]}, **changes}
    return json.dumps(item).encode()


@pytest.mark.parametrize(("window", "seconds"), [("12h", 43200), ("24h", 86400), ("1d", 86400),
                                                 ("3d", 259200), ("168h", 604800), ("7d", 604800)])
def test_windows_in_range(window: str, seconds: int) -> None:
    assert window_seconds(window) == seconds


@pytest.mark.parametrize("window", ["11h", "8d", "0h", "24", "h", "1.5d", "24H", " 24h"])
def test_windows_refused(window: str) -> None:
    with pytest.raises(MoonshotError) as refused:
        window_seconds(window)
    assert refused.value.status == 400


def test_a_good_file_parses_in_order_and_blank_lines_are_skipped() -> None:
    parsed = parse_input("in.jsonl", line("a") + b"\n\n" + line("b") + b"\n", CATALOGUE)
    assert parsed.errors == [] and parsed.model == "kimi-k2.6"
    assert [custom_id for custom_id, _ in parsed.requests] == ["a", "b"]


@pytest.mark.parametrize(("data", "code", "param"), [
    (b"{", "invalid_json_line", None),
    (b"[1]", "invalid_json_line", None),
    (json.dumps({"custom_id": "a", "method": "POST", "url": "/v1/chat/completions"}).encode(),
     "missing_required_parameter", "body"),
    (line(""), "invalid_custom_id", "custom_id"),
    (line(7), "invalid_custom_id", "custom_id"),
    (line(method="GET"), "invalid_method", "method"),
    (line(url="/v1/embeddings"), "invalid_url", "url"),
    (line(body=[]), "invalid_body", "body"),
    (line(body={"messages": []}), "missing_required_parameter", "body.model"),
])
def test_each_line_rule(data: bytes, code: str, param: str | None) -> None:
    (problem,) = parse_input("in.jsonl", data, CATALOGUE).errors
    assert (problem["code"], problem["param"], problem["line"]) == (code, param, 1)


def test_file_level_rules() -> None:
    assert parse_input("in.json", line(), CATALOGUE).errors[0]["code"] == "invalid_file_format"
    assert parse_input("in.jsonl", b"\n \n", CATALOGUE).errors[0]["code"] == "empty_file"
    duplicate = parse_input("in.jsonl", line("a") + b"\n" + line("a"), CATALOGUE).errors
    assert [(e["code"], e["line"]) for e in duplicate] == [("duplicate_custom_id", 2)]
    mixed = parse_input("in.jsonl", line("a") + b"\n" + line("b", "kimi-k2.5"), CATALOGUE).errors
    assert [(e["code"], e["line"]) for e in mixed] == [("mismatched_model", 2)]
    unknown = parse_input("in.jsonl", line(model="gpt-4o"), CATALOGUE).errors
    assert unknown[0]["message"] == "Not found the model gpt-4o or Permission denied"


def record(**changes: object) -> BatchRecord:
    base = BatchRecord(id="batch_1", account="acme", input_file_id="f", completion_window="24h",
                       created=1000.5, expires_at=1000 + 86400)
    return base.but(**changes)


def test_steps_fall_due_a_third_of_the_pace_apart() -> None:
    pace = Pace(3.0)
    batch = record()
    assert due(batch, 1001.0, pace) is None and due(batch, 1001.5, pace) == "validate"
    running = lifecycle.validated(batch, pace, "kimi-k2.6", 2, [])
    assert (running.status, running.in_progress_at, running.total) == ("in_progress", 1001, 2)
    assert due(running, 1002.4, pace) is None and due(running, 1_000_000, pace) == "run"
    final = lifecycle.ran(running, pace, (2, 0), ("out", None))
    assert (final.status, final.finalizing_at, final.output_file_id) == ("finalizing", 1002, "out")
    done = lifecycle.completed(final, pace)
    assert (done.status, done.completed_at, due(done, 10**9, pace)) == ("completed", 1003, None)


def test_failed_validation_expiry_and_cancel() -> None:
    pace = Pace(3.0)
    failed = lifecycle.validated(record(), pace, "", 0, [{"code": "empty_file"}])
    assert (failed.status, failed.failed_at, due(failed, 10**9, pace)) == ("failed", 1001, None)
    slow = Pace(200_000)
    running = record(status="in_progress")
    assert due(running, 1000 + 86399, slow) is None and due(running, 1000 + 86400, slow) == "expire"
    cancelling = lifecycle.cancelling(record(), 1000.9)  # cancelling_at: whole seconds
    assert due(cancelling, 1000.99, pace) is None and due(cancelling, 1001.0, pace) == "cancel"
    assert lifecycle.cancelled(cancelling, pace).cancelled_at == 1001


@pytest.mark.parametrize("kind", ["memory", "durable"])
def test_stores_compare_and_set(kind: str, tmp_path: Path) -> None:
    store = MemoryBatchStore() if kind == "memory" else DurableBatchStore(tmp_path)
    first, second = record(), record(id="batch_2", created=2000.0, account="other")
    store.add(first)
    store.add(second)
    assert [r.id for r in store.list()] == ["batch_2", "batch_1"]
    assert store.list("acme") == [first]
    with pytest.raises(MoonshotError):
        store.get("other", "batch_1")
    moved = store.replace(first, first.but(status="in_progress"))
    assert moved is not None and moved.version == 1
    assert store.replace(first, first.but(status="failed")) is None  # a stale version loses
    assert store.get("acme", "batch_1") == moved
    done = store.replace(moved, moved.but(status="completed"))
    assert done is not None and [r.id for r in store.unfinished()] == ["batch_2"]
    store.close()
