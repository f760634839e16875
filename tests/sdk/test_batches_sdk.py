"""The real `openai` SDK's batches API against the fake over a real socket: upload a `batch`
file, create, retrieve, list, cancel, read the output and error files; the virtual clock
finishes a batch at once."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import openai
import pytest
from openai import OpenAI

from mock_server.app import create_app
from mock_server.config import Settings
from mock_server.server.thread import serve_in_thread
from tests.conftest import API_KEY

MODEL = "kimi-k2.6"


def jsonl(lines: list[object]) -> bytes:
    return b"".join(json.dumps(line, ensure_ascii=False).encode() + b"\n" for line in lines)


def request(custom_id: str, text: str, **body: object) -> dict[str, object]:
    return {"custom_id": custom_id, "method": "POST", "url": "/v1/chat/completions",
            "body": {"model": MODEL, "messages": [{"role": "user", "content": text}], **body}}


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with serve_in_thread(create_app(Settings(seed=3, clock="virtual"))) as served:
        yield served


@pytest.fixture
def sdk(url: str) -> OpenAI:
    return OpenAI(base_url=f"{url}/v1", api_key=API_KEY, max_retries=0)


def advance(sdk: OpenAI, seconds: float) -> None:
    """Move the virtual clock with the header on a harmless call."""
    sdk.models.list(extra_headers={"X-Mock-Clock-Advance": f"{seconds}"})


def test_batch_end_to_end_with_the_virtual_clock(sdk: OpenAI) -> None:
    data = jsonl([request("req-1", "你好"), request("req-2", "Classify: AI is here"),
                  request("bad", "hi", temperature=0.3)])  # kimi-k2.6 fixes temperature
    uploaded = sdk.files.create(file=("requests.jsonl", data), purpose="batch")
    assert uploaded.purpose == "batch"
    batch = sdk.batches.create(input_file_id=uploaded.id, endpoint="/v1/chat/completions",
                               completion_window="24h", metadata={"job": "nightly"})
    assert (batch.status, batch.object, batch.metadata) == ("validating", "batch", {"job": "nightly"})
    assert batch.expires_at == batch.created_at + 24 * 3600
    assert sdk.batches.retrieve(batch.id).status == "validating"  # time stands still
    started = time.perf_counter()
    advance(sdk, 3)
    done = sdk.batches.retrieve(batch.id)
    assert time.perf_counter() - started < 1.0  # milliseconds, not the real schedule
    assert done.status == "completed"
    created = batch.created_at
    assert (done.in_progress_at, done.finalizing_at, done.completed_at) == (
        created + 1, created + 2, created + 3)
    assert (done.request_counts.completed, done.request_counts.failed,
            done.request_counts.total) == (2, 1, 3)
    output = [json.loads(line) for line in sdk.files.content(done.output_file_id).text.splitlines()]
    assert [line["custom_id"] for line in output] == ["req-1", "req-2"]
    assert list(output[0]) == ["custom_id", "id", "response", "error"]
    body = output[0]["response"]["body"]
    assert output[0]["response"]["status_code"] == 200 and body["object"] == "chat.completion"
    assert body["model"] == MODEL and body["choices"][0]["message"]["content"]
    errors = [json.loads(line) for line in sdk.files.content(done.error_file_id).text.splitlines()]
    assert [(e["custom_id"], e["response"]["status_code"]) for e in errors] == [("bad", 400)]
    assert errors[0]["response"]["body"]["error"]["type"] == "invalid_request_error"
    assert sdk.files.retrieve(done.output_file_id).purpose == "batch"


def test_list_paginates_and_cancel(sdk: OpenAI) -> None:
    uploaded = sdk.files.create(file=("one.jsonl", jsonl([request("a", "hi")])), purpose="batch")
    made = [sdk.batches.create(input_file_id=uploaded.id, endpoint="/v1/chat/completions",
                               completion_window="12h") for _ in range(3)]
    page = sdk.batches.list(limit=2)
    assert [b.id for b in page.data] == [made[2].id, made[1].id] and page.has_more
    listed = [b.id for b in sdk.batches.list(limit=2)]  # auto-pagination follows `after`
    assert listed[:3] == [b.id for b in reversed(made)]
    cancelled = sdk.batches.cancel(made[0].id)
    assert cancelled.status == "cancelling" and cancelled.cancelling_at is not None
    advance(sdk, 1)
    final = sdk.batches.retrieve(made[0].id)
    assert final.status == "cancelled" and final.output_file_id is None
    with pytest.raises(openai.BadRequestError) as refused:
        sdk.batches.cancel(made[0].id)
    assert refused.value.body["type"] == "invalid_request_error"  # type: ignore[index]
    assert "cannot be cancelled in status 'cancelled'" in refused.value.body["message"]  # type: ignore[index]


def test_a_broken_input_file_fails_validation(sdk: OpenAI) -> None:
    data = jsonl([request("a", "first")]) + b"not json\n" + jsonl([request("a", "dup")])
    uploaded = sdk.files.create(file=("broken.jsonl", data), purpose="batch")
    batch = sdk.batches.create(input_file_id=uploaded.id, endpoint="/v1/chat/completions",
                               completion_window="1d")
    advance(sdk, 1)
    failed = sdk.batches.retrieve(batch.id)
    assert failed.status == "failed" and failed.failed_at == batch.created_at + 1
    assert failed.errors is not None
    assert [(e.code, e.line) for e in failed.errors.data or []] == [
        ("invalid_json_line", 2), ("duplicate_custom_id", 3)]
