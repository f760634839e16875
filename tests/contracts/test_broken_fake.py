"""Each custom check is proven to catch one deliberately injected bug in the fake."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from mock_server.app import create_app
from mock_server.config import Settings
from moonshot_mock_contracts.run import RunRequest, execute
from tests.contracts.broken import ForgetfulDelete, RewriteBody, json_edit

KEY = "sk-contract-test"


def run_against(app: Any) -> dict[str, Any]:
    """A small fake-profile run (examples + stateful phases, then the live plan) on `app`."""
    return execute(RunRequest(profile="fake", api_key=KEY, app=app, max_examples=3,
                              phases=("examples", "stateful")))


def failing_checks(result: dict[str, Any]) -> dict[str, list[str]]:
    """check name -> the messages it reported, over every operation."""
    found: dict[str, list[str]] = {}
    for operation in result["operations"].values():
        for key, problem in operation["problems"].items():
            found.setdefault(key.split(":", 1)[0], []).extend(problem["messages"])
    return found


def fake() -> Any:
    return create_app(Settings(seed=5, clock="virtual"))


def add_one_to_total(payload: Any) -> None:
    if payload.get("object") == "chat.completion":
        payload["usage"]["total_tokens"] += 1


def add_one_to_estimate(payload: Any) -> None:
    payload["data"]["total_tokens"] += 1


def drop_done(status: int, body: bytes) -> bytes:
    return body.replace(b"data: [DONE]\n\n", b"")


def fastapi_errors(status: int, body: bytes) -> bytes:
    return body if status < 400 else b'{"detail":"Not Found"}'


BUGS: dict[str, tuple[Callable[[Any], Any], str]] = {
    "moonshot_usage_arithmetic": (
        lambda app: RewriteBody(app, "POST", "/v1/chat/completions", json_edit(add_one_to_total)),
        "usage.total_tokens is"),
    "moonshot_estimate_matches_usage": (
        lambda app: RewriteBody(app, "POST", "/v1/tokenizers", json_edit(add_one_to_estimate)),
        "estimate-token-count answered"),
    "moonshot_stream_conformance": (
        lambda app: RewriteBody(app, "POST", "/v1/chat/completions", drop_done),
        "documented the terminator"),
    "moonshot_error_envelope": (
        lambda app: RewriteBody(app, "GET", "/v1/files/", fastapi_errors),
        "error envelope"),
    "moonshot_not_found_after_delete": (
        ForgetfulDelete, "after a successful delete the same id answered 200, documented 404"),
    # the honest window remainder in the text again ("after 60 seconds"): every chat a 429
    "moonshot_retry_hint_as_captured": (
        lambda app: create_app(Settings(seed=5, clock="virtual", limits={"rpm": 0},
                                        retry_hint="window")),
        "every real capture says 'after 1 seconds'"),
    # a catalogue that still serves the kimi-k2 previews and kimi-latest
    "moonshot_no_discontinued_models": (
        lambda app: create_app(Settings(seed=5, clock="virtual", api_date="2026-01-01")),
        "GET /v1/models lists kimi-latest, discontinued on 2026-01-28"),
}


@pytest.fixture(scope="module")
def healthy_result() -> dict[str, Any]:
    return run_against(fake())


def test_the_healthy_fake_passes_the_same_small_run(healthy_result: dict[str, Any]) -> None:
    assert failing_checks(healthy_result) == {}
    assert healthy_result["run"]["errors"] == []


@pytest.mark.parametrize("check", sorted(BUGS))
def test_each_custom_check_catches_its_bug(check: str) -> None:
    break_app, message = BUGS[check]
    found = failing_checks(run_against(break_app(fake())))
    assert check in found, f"{check} missed the bug; the suite reported {sorted(found)}"
    assert any(message in m for m in found[check]), found[check]
