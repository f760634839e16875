"""Stateful schemathesis flow over the batch links: create → retrieve → cancel → retrieve.

Runs in-process against the ASGI app with the virtual clock (a batch stays `validating`, so a
cancel right after creation succeeds). Each scenario's account first uploads a batch file; the
generated create bodies are pointed at it, with a valid window when the generated text is not
one (their other fields stay generated, so a metadata key over 64 characters still gets its
400, a documented semantic answer: the positive-data check, which wants a 2xx for every
schema-valid body, is left out as for the other semantic-400 operations of the suite). Every
step gets the spec's other checks; no 5xx is accepted."""

from __future__ import annotations

import json
import uuid
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.batches.validate import window_seconds
from mock_server.config import Settings
from mock_server.errors import MoonshotError

APP = create_app(Settings(seed=2, clock="virtual"))
CONFIG = SchemathesisConfig.from_dict({"seed": 0, "generation": {
    "mode": "positive", "deterministic": True, "database": "none"}})
schema = schemathesis.openapi.from_asgi("/openapi.json", APP, config=CONFIG).include(tag="Batches")
SEEN: list[tuple[str, int]] = []
LINE = {"custom_id": "a", "method": "POST", "url": "/v1/chat/completions",
        "body": {"model": "kimi-k2.6", "messages": [{"role": "user", "content": "hi"}]}}


class BatchesFlow(schema.as_state_machine()):  # type: ignore[misc]
    def setup(self) -> None:
        """A fresh account per scenario, with one batch file to create batches from."""
        self.key = f"sk-stateful-{uuid.uuid4().hex}"
        client = TestClient(APP)  # no `with`: its lifespan's end would close the app's stores
        uploaded = client.post("/v1/files", headers={"Authorization": f"Bearer {self.key}"},
                               data={"purpose": "batch"},
                               files={"file": ("in.jsonl", json.dumps(LINE).encode())})
        self.file_id = uploaded.json()["id"]

    def before_call(self, case: Any) -> None:
        if case.operation.definition.raw.get("operationId") == "createBatch" and isinstance(
                case.body, dict):
            case.body["input_file_id"] = self.file_id
            try:  # random text is almost never a window: most creates get a valid one
                window_seconds(str(case.body.get("completion_window")))
            except MoonshotError:
                case.body["completion_window"] = "24h"

    def get_call_kwargs(self, case: Any) -> dict[str, Any]:
        return {"headers": {"Authorization": f"Bearer {self.key}"}}

    def after_call(self, response: Any, case: Any) -> None:
        SEEN.append((case.operation.label, response.status_code))

    def validate_response(self, response: Any, case: Any, additional_checks: Any = None,
                          **kwargs: Any) -> None:
        case.validate_response(response, excluded_checks=[positive_data_acceptance],
                               transport_kwargs=kwargs)


def test_create_retrieve_cancel() -> None:
    SEEN.clear()
    BatchesFlow.run(settings=settings(max_examples=30, stateful_step_count=6, deadline=None,
                                      derandomize=True, suppress_health_check=list(HealthCheck)))
    assert ("POST /v1/batches", 200) in SEEN
    assert ("GET /v1/batches/{batch_id}", 200) in SEEN
    assert ("POST /v1/batches/{batch_id}/cancel", 200) in SEEN
    assert all(status < 500 for _, status in SEEN)
