"""Stateful schemathesis flow over the spec's links: upload → retrieve → content → delete → 404.

Runs in-process against the ASGI app. Every step gets the spec's checks; a 500 is accepted
only as the documented extraction failure (`Failed to extract file: …`) for the content of
a file whose extraction ended with status "error"."""

from __future__ import annotations

import json
import uuid
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CheckContext, not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import Failure

from mock_server.app import create_app
from mock_server.config import Settings

APP = create_app(Settings(seed=2, clock="virtual"))
CONFIG = SchemathesisConfig.from_dict({"seed": 0, "generation": {
    "mode": "positive", "deterministic": True, "database": "none"}})
schema = schemathesis.openapi.from_asgi("/openapi.json", APP, config=CONFIG).include(tag="Files")
SEEN: list[tuple[str, int]] = []  # (operation, status) of every step, for the flow assertions


def only_documented_server_errors(ctx: CheckContext, response: Any, case: Any) -> bool | None:
    if response.status_code >= 500:
        error = json.loads(response.content)["error"]
        if not (case.operation.label == "GET /v1/files/{file_id}/content"
                and error["type"] == "server_error"
                and error["message"].startswith("Failed to extract file: ")):
            raise Failure(operation=case.operation.label, title="Undocumented server error",
                          message=f"{response.status_code}: {error}")
    return None


class FilesFlow(schema.as_state_machine()):  # type: ignore[misc]
    def setup(self) -> None:
        """A fresh account per scenario: every scenario (and its replay) starts with no files."""
        self.key = f"sk-stateful-{uuid.uuid4().hex}"

    def get_call_kwargs(self, case: Any) -> dict[str, Any]:
        return {"headers": {"Authorization": f"Bearer {self.key}"}}

    def after_call(self, response: Any, case: Any) -> None:
        SEEN.append((case.operation.label, response.status_code))

    def validate_response(self, response: Any, case: Any, additional_checks: Any = None,
                          **kwargs: Any) -> None:
        case.validate_response(response, additional_checks=[only_documented_server_errors],
                               excluded_checks=[not_a_server_error], transport_kwargs=kwargs)


def test_upload_retrieve_content_delete_404() -> None:
    SEEN.clear()
    FilesFlow.run(settings=settings(max_examples=30, stateful_step_count=6, deadline=None,
                                    derandomize=True, suppress_health_check=list(HealthCheck)))
    labels = {label for label, _ in SEEN}
    assert {"POST /v1/files", "GET /v1/files/{file_id}", "GET /v1/files/{file_id}/content",
            "DELETE /v1/files/{file_id}"} <= labels
    assert ("POST /v1/files", 200) in SEEN and ("DELETE /v1/files/{file_id}", 200) in SEEN
    assert ("GET /v1/files/{file_id}", 404) in SEEN  # retrieval after the delete
