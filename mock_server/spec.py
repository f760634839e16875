"""The spec, loaded once: operations, compiled request validators, and the JSON served at /openapi.json.

`openapi/moonshot.yaml` is the only place wire shapes are written down. Request validation uses
fastjsonschema: each operation's JSON request schema is compiled once, with the spec's
components alongside so `$ref`s resolve.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import fastjsonschema
import orjson

from mock_server.errors import invalid_request
from mock_server.yaml_load import load_yaml

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
Validator = Callable[[Any], Any]


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    body_media_type: str | None
    validate: Validator | None


@dataclass(frozen=True)
class Spec:
    document: Mapping[str, Any]
    operations: tuple[Operation, ...]
    json: bytes

    def operation(self, operation_id: str) -> Operation:
        return next(op for op in self.operations if op.operation_id == operation_id)


def default_spec_path() -> Path:
    return Path(str(resources.files("mock_server.data").joinpath("moonshot.yaml")))


@cache
def load_spec(path: Path | None = None) -> Spec:
    document = load_yaml((path or default_spec_path()).read_text("utf-8"))
    components = document.get("components", {})
    operations = []
    for route, item in document["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                operations.append(_operation(route, method, item[method], components))
    return Spec(document=document, operations=tuple(operations), json=orjson.dumps(document))


def _operation(route: str, method: str, op: Mapping[str, Any], components: Any) -> Operation:
    content = (op.get("requestBody") or {}).get("content") or {}
    media_type = next(iter(content), None)
    validate = None
    if media_type == "application/json":
        schema = content[media_type].get("schema") or {}
        validate = fastjsonschema.compile({**schema, "components": components}, use_default=False)
    return Operation(op["operationId"], method.upper(), route, media_type, validate)


def validate_body(operation: Operation, body: Any) -> Any:
    """Validate a parsed JSON body; a failure is a 400 that names the offending field."""
    if operation.validate is None:
        return body
    try:
        return operation.validate(body)
    except fastjsonschema.JsonSchemaValueException as exc:
        field = exc.name.removeprefix("data").lstrip(".") or "body"
        message = exc.message.replace(exc.name, field, 1)
        raise invalid_request(message) from None
