"""A first schemathesis run over every operation, in-process: no server errors, no schema drift."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mock_server.app import create_app
from mock_server.config import Settings

APP = create_app(Settings(seed=1, clock="virtual"))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_operation_conforms(case: schemathesis.Case) -> None:
    case.call_and_validate(
        headers={"Authorization": "Bearer sk-contract"},
        checks=[not_a_server_error, status_code_conformance, content_type_conformance,
                response_schema_conformance],
    )
