"""The pytest handle with batches: `mock.advance()` completes due batches, `mock.batches()`
lists them, and the journal marks the requests a batch made."""

from __future__ import annotations

import json

from openai import OpenAI

from mock_server.testing.handle import MoonshotMock


def test_advance_completes_due_batches(moonshot_mock_asgi: MoonshotMock) -> None:
    mock = moonshot_mock_asgi
    sdk = OpenAI(**mock.client_kwargs(), max_retries=0)
    lines = [{"custom_id": f"q{n}", "method": "POST", "url": "/v1/chat/completions",
              "body": {"model": "kimi-k2.5", "messages": [{"role": "user", "content": f"q {n}"}]}}
             for n in range(4)]
    data = "".join(json.dumps(x) + "\n" for x in lines).encode()
    uploaded = sdk.files.create(file=("q.jsonl", data), purpose="batch")
    batch = sdk.batches.create(input_file_id=uploaded.id, endpoint="/v1/chat/completions",
                               completion_window="24h")
    assert [b["status"] for b in mock.batches()] == ["validating"]
    mock.advance(1)
    assert [b["status"] for b in mock.batches()] == ["in_progress"]
    assert not mock.calls()  # no line has run yet
    mock.advance(2)
    (done,) = mock.batches()
    assert (done["id"], done["status"]) == (batch.id, "completed")
    assert done["request_counts"] == {"completed": 4, "failed": 0, "total": 4}
    calls = mock.calls()
    assert [c["extra"] for c in calls] == [{"batch": batch.id, "custom_id": f"q{n}"}
                                           for n in range(4)]
    assert all(c["status"] == 200 and c["usage"] for c in calls)
    assert sdk.batches.retrieve(batch.id).status == "completed"
    mock.reset()
    assert mock.batches() == []
