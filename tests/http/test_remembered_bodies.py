"""Bodies seen valid before skip the schema check; invalid ones are checked every time."""

from __future__ import annotations

import orjson
from starlette.testclient import TestClient

CHAT = "/v1/chat/completions"
VALID = orjson.dumps({"model": "moonshot-v1-8k", "messages": [{"role": "user", "content": "hi"}]})
INVALID = orjson.dumps({"model": "moonshot-v1-8k", "messages": "hi"})


def post(client: TestClient, body: bytes):
    return client.post(CHAT, content=body, headers={"Content-Type": "application/json"})


def test_a_valid_body_is_remembered_once_and_answers_alike(client: TestClient) -> None:
    first, second = post(client, VALID), post(client, VALID)
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json()["choices"] == second.json()["choices"]
    assert len(client.app.state.services.known_bodies) == 1


def test_an_invalid_body_is_rejected_every_time(client: TestClient) -> None:
    answers = [post(client, INVALID) for _ in range(2)]
    assert [a.status_code for a in answers] == [400, 400]
    assert answers[0].json() == answers[1].json()
    assert answers[0].json()["error"]["type"] == "invalid_request_error"
    assert len(client.app.state.services.known_bodies) == 0


def test_one_record_per_body_holds_its_checks_and_choices(client: TestClient) -> None:
    post(client, VALID)
    services = client.app.state.services
    (known,) = services.known_bodies.values()
    assert known.checked is not None and known.checked[0] is services.api()
    assert known.choices is not None
    checked, choices = known.checked, known.choices
    post(client, VALID)
    assert (known.checked, known.choices) == (checked, choices)
    assert known.choices[1] is choices[1]  # reused, not planned again
