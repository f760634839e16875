"""The in-process contract suite of CI: the whole spec against the fake, and no failures.

One run of the full fake profile (examples, coverage, fuzzing with positive and negative data,
stateful links, then the live plan) against the fake in-process; the tests read its result.
"""

from __future__ import annotations

from typing import Any

import pytest

from mock_server.app import create_app
from mock_server.config import Settings
from moonshot_mock_contracts.run import RunRequest, execute
from moonshot_mock_contracts.spec import load_spec

EXPECTED_PHASES = {"examples", "coverage", "fuzzing", "stateful_testing", "live"}


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    app = create_app(Settings(seed=2, clock="virtual", explicit_caching=True))
    return execute(RunRequest(profile="fake", api_key="sk-ci-contract", app=app, max_examples=20))


def spec_operations() -> set[str]:
    paths = load_spec()["paths"]
    return {f"{method.upper()} {path}" for path, item in paths.items() for method in item
            if method in ("get", "post", "delete", "put", "patch")}


def test_the_fake_keeps_the_contract(result: dict[str, Any]) -> None:
    problems = {label: op["problems"] for label, op in result["operations"].items()
                if op["problems"]}
    assert problems == {}
    assert result["run"]["errors"] == []


def test_every_operation_is_exercised_and_succeeds_at_least_once(result: dict[str, Any]) -> None:
    operations = result["operations"]
    assert set(operations) == spec_operations()
    for label, op in operations.items():
        assert "200" in op["statuses"], label
        assert "401" in op["statuses"], f"{label}: auth was never checked"


def test_all_phases_ran(result: dict[str, Any]) -> None:
    seen = {phase for op in result["operations"].values() for phase in op["phases"]}
    assert seen == EXPECTED_PHASES
    chat = result["operations"]["POST /v1/chat/completions"]
    assert "400" in chat["statuses"], "negative data never reached the fake"


def test_streams_and_the_files_flow_were_checked(result: dict[str, Any]) -> None:
    chat = result["operations"]["POST /v1/chat/completions"]
    assert chat["media_types"].get("text/event-stream", 0) >= 2
    steps = result["steps"]
    assert steps["chat-stream"]["media_type"] == "text/event-stream"
    assert [steps[s]["status"] for s in ("files-upload", "files-link-RetrieveUploadedFile",
                                         "files-link-RetrieveUploadedFileContent",
                                         "files-link-DeleteUploadedFile")] == [200] * 4
    assert [steps[s]["status"] for s in ("batches-list", "batches-upload", "batches-create",
                                         "batches-link-RetrieveCreatedBatch",
                                         "batches-link-CancelCreatedBatch")] == [200] * 5
    caching = [name for name in steps if name.startswith("caching-")]
    assert len(caching) == 10 and {steps[s]["status"] for s in caching} == {200}
