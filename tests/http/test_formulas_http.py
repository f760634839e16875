"""The Formula API (reference §17.6) as the platform's guide uses it: the 12 official tools'
declarations (accepted as chat tools), fibers that run offline or answer deterministically,
the fiber object's fields, web search billed and the others free, and the errors."""

from __future__ import annotations

import base64
from typing import Any

import orjson
import pytest
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.config import Settings

URIS = [f"moonshot/{name}:latest" for name in (
    "convert", "web-search", "rethink", "random-choice", "mew", "memory", "excel", "date",
    "base64", "fetch", "quickjs", "code-runner")]


def make(seed: int = 3) -> TestClient:
    client = TestClient(create_app(Settings(seed=seed, clock="virtual")))
    client.headers["Authorization"] = "Bearer sk-formula"
    return client


def run(client: TestClient, uri: str, name: str, arguments: Any) -> dict[str, Any]:
    text = arguments if isinstance(arguments, str) else orjson.dumps(arguments).decode()
    answer = client.post(f"/v1/formulas/{uri}/fibers", json={"name": name, "arguments": text})
    assert answer.status_code == 200, answer.text
    return answer.json()


def balance(client: TestClient) -> float:
    return client.get("/v1/users/me/balance").json()["data"]["available_balance"]


@pytest.mark.parametrize("uri", URIS)
def test_every_official_formula_lists_tools_a_chat_accepts(uri: str) -> None:
    client = make()
    listed = client.get(f"/v1/formulas/{uri}/tools").json()
    assert listed["object"] == "list" and listed["tools"]
    for tool in listed["tools"]:
        assert tool["type"] == "function" and tool["function"]["parameters"]["type"] == "object"
    chat = client.post("/v1/chat/completions", json={
        "model": "kimi-k3", "messages": [{"role": "user", "content": "go"}],
        "tools": listed["tools"]})
    assert chat.status_code == 200, chat.text


def test_the_guides_web_search_run_is_sealed_and_billed() -> None:
    client = make()
    fiber = run(client, "moonshot/web-search:latest", "web_search", {"query": "Moonshot AI news"})
    assert fiber["status"] == "succeeded" and fiber["object"] == "fiber"
    assert fiber["id"].startswith("fiber-") and len(fiber["id"]) == 26
    assert fiber["lambda_id"].startswith("lambda-") and fiber["formula"] == "moonshot/web-search:latest"
    assert fiber["created_at"] == 1793491200 and fiber["project_id"].startswith("proj-")
    sealed = fiber["context"]["encrypted_output"]
    assert sealed.startswith("----MOONSHOT ENCRYPTED BEGIN----")
    assert sealed.endswith("----MOONSHOT ENCRYPTED END----") and "output" not in fiber["context"]
    assert orjson.loads(fiber["context"]["input"]) == {
        "name": "web_search", "arguments": '{"query":"Moonshot AI news"}'}
    again = run(make(), "moonshot/web-search:latest", "web_search", {"query": "Moonshot AI news"})
    assert again["context"] == fiber["context"]
    assert balance(client) == pytest.approx(100 - 0.005)


@pytest.mark.parametrize(("uri", "name", "arguments", "output"), [
    ("moonshot/convert:latest", "convert", {"value": 10, "from_unit": "km", "to_unit": "mi"},
     "10 km = 6.21371 mi"),
    ("moonshot/convert:latest", "convert", {"value": 100, "from_unit": "C", "to_unit": "F"},
     "100 C = 212 F"),
    ("moonshot/date:latest", "date", {"operation": "now"}, "2026-11-01T00:00:00+00:00"),
    ("moonshot/date:latest", "date", {"operation": "add", "date": "2026-01-30", "days": 3},
     "2026-02-02T00:00:00+00:00"),
    ("moonshot/date:latest", "date", {"operation": "diff", "date": "2026-01-01", "other": "2026-03-01"},
     "59 days"),
    ("moonshot/base64:latest", "base64_encode", {"data": "你好"}, base64.b64encode("你好".encode()).decode()),
    ("moonshot/base64:latest", "base64_decode", {"data": "aGk="}, "hi"),
])
def test_what_runs_offline_runs(uri: str, name: str, arguments: Any, output: str) -> None:
    fiber = run(make(), uri, name, arguments)
    assert (fiber["status"], fiber["context"]["output"]) == ("succeeded", output)


def test_random_choice_is_seeded_and_memory_stays_in_the_account() -> None:
    choose = {"options": ["a", "b", "c", "d"], "count": 2}
    first = run(make(), "moonshot/random-choice:latest", "random_choice", choose)
    assert run(make(), "moonshot/random-choice:latest", "random_choice", choose)["context"] == \
        first["context"]
    assert len(orjson.loads(first["context"]["output"])) == 2
    client = make()
    run(client, "moonshot/memory:latest", "memory", {"action": "store", "key": "lang", "value": "zh"})
    kept = run(client, "moonshot/memory:latest", "memory", {"action": "retrieve", "key": "lang"})
    assert kept["context"]["output"] == "zh"
    other = TestClient(client.app, headers={"Authorization": "Bearer sk-someone-else"})
    missing = run(other, "moonshot/memory:latest", "memory", {"action": "retrieve", "key": "lang"})
    assert missing["status"] == "failed" and missing["context"]["error"] == "no memory lang"


@pytest.mark.parametrize(("arguments", "error"), [
    ({"value": 1, "from_unit": "km", "to_unit": "kg"}, "cannot convert length (km) to mass (kg)"),
    ({"value": 1, "from_unit": "usd", "to_unit": "cny"},
     "currency conversion needs live exchange rates, which moonshot-mock does not have"),
    ({"value": 1, "from_unit": "km"}, "missing required argument to_unit"),
    ("{oops", "arguments are not JSON (give the tool call's arguments as they are)"),
    ([1, 2], "arguments must be a JSON object"),
])
def test_a_run_that_cannot_succeed_is_a_failed_fiber(arguments: Any, error: str) -> None:
    client = make()
    fiber = run(client, "moonshot/convert:latest", "convert", arguments)
    assert (fiber["status"], fiber["context"]["error"]) == ("failed", error)
    assert "output" not in fiber["context"] and balance(client) == 100


@pytest.mark.parametrize(("path", "body", "status", "message"), [
    ("/v1/formulas/moonshot/nope:latest/tools", None, 404,
     "Not found the formula moonshot/nope:latest or Permission denied"),
    ("/v1/formulas/acme/convert:latest/fibers", {"name": "convert"}, 404,
     "Not found the formula acme/convert:latest or Permission denied"),
    ("/v1/formulas/moonshot/convert:latest/fibers", {"name": "web_search", "arguments": "{}"}, 404,
     "Not found the function web_search in formula moonshot/convert:latest (it has: convert)"),
    ("/v1/formulas/moonshot/convert:latest/fibers", {"arguments": "{}"}, 400,
     "Invalid request: name is required"),
])
def test_unknown_formulas_functions_and_bad_arguments(path: str, body: Any, status: int,
                                                     message: str) -> None:
    client = make()
    answer = client.get(path) if body is None else client.post(path, json=body)
    assert answer.status_code == status
    assert answer.json()["error"]["message"] == message


def test_the_canned_tools_answer_deterministically_and_say_so() -> None:
    fiber = run(make(), "moonshot/code-runner:latest", "code_runner", {"code": "print(1)"})
    assert fiber["status"] == "succeeded"
    assert "not run by moonshot-mock" in fiber["context"]["output"]
    assert run(make(), "moonshot/code-runner:latest", "code_runner", {"code": "print(1)"})[
        "context"] == fiber["context"]
