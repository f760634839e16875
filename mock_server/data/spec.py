"""The spec, loaded once: operations, compiled request validators, and the JSON served at /openapi.json.

`openapi/moonshot.yaml` is the only place wire shapes are written down. Each operation's JSON
request schema is compiled twice, from the same schema with its references inlined:
jsonschema-rs (compiled Rust) answers "valid or not" in about a fifth of the time, and a body
it accepts is accepted; a body it rejects goes to fastjsonschema, whose error (keyword and
field path) `wording.describe` turns into the API's `Invalid request: <field> <rule>` text.
The two agree on a corpus of several thousand valid and broken bodies (tests). An operation the
API gained on a known day carries it (`x-available-from`, `Operation.served_on`). The parsed
document and fastjsonschema's bytecode are kept in a disk cache keyed by the spec's hash
(`spec_cache`), so a restart skips both. An operation's two checks are built on its first
body (`Operation.validate`, `Operation.is_valid`): a server builds only those of the operations
it is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import jsonschema_rs
import orjson

from mock_server.clock import epoch_day
from mock_server.data import DATA_DIR, spec_cache
from mock_server.data.yaml_load import load_yaml
from mock_server.errors import MoonshotError

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
SCHEMA_REF = "#/components/schemas/"
Validator = Callable[[Any], Any]  # returns the body or raises with the offending field
Check = Callable[[Any], bool]  # valid or not, nothing more


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    body_media_type: str | None
    available_from: int | None = None  # the first API day it is served (`x-available-from`)
    # what the JSON body's checks are built from (None without a JSON body): the validator's
    # marshalled code, the operation's definition and the spec's components
    code: bytes | None = field(default=None, repr=False, compare=False)
    definition: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    components: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def served_on(self, day: int) -> bool:
        return self.available_from is None or self.available_from <= day

    @cached_property
    def validate(self) -> Validator | None:
        """The body validator: returns the body or raises with the offending field."""
        return None if self.code is None else spec_cache.validator_from(self.code)

    @cached_property
    def is_valid(self) -> Check | None:
        """The same schema's yes/no check, for the common case of a valid body."""
        if self.code is None:
            return None
        return _fast_check(request_schema(self.definition, self.components), self.components)


@dataclass(frozen=True)
class Spec:
    document: Mapping[str, Any]
    operations: tuple[Operation, ...]

    @cached_property
    def json(self) -> bytes:
        """The document served at /openapi.json."""
        return orjson.dumps(self.document)

    def operation(self, operation_id: str) -> Operation:
        return next(op for op in self.operations if op.operation_id == operation_id)


def default_spec_path() -> Path:
    return DATA_DIR / "moonshot.yaml"


@cache
def load_spec(path: Path | None = None) -> Spec:
    """The spec with its compiled validators, from the disk cache when the text is known."""
    text = (path or default_spec_path()).read_text("utf-8")
    where = spec_cache.cache_path(text)
    compiled = spec_cache.load(where)
    if compiled is None:
        compiled = _compile(load_yaml(text))
        spec_cache.store(where, *compiled)
    document, validators = compiled
    components = document.get("components", {})
    operations = tuple(
        Operation(op["operationId"], method.upper(), route, _media_type(op), _available_from(op),
                  validators.get(op["operationId"]), op, components)
        for route, op, method in _operations(document))
    return Spec(document=document, operations=operations)


def _operations(document: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any], str]]:
    for route, item in document["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield route, item[method], method


def _available_from(op: Mapping[str, Any]) -> int | None:
    """`x-available-from: YYYY-MM-DD` of an operation the API did not always have."""
    value = op.get("x-available-from")
    return None if value is None else epoch_day(str(value))


def _media_type(op: Mapping[str, Any]) -> str | None:
    return next(iter((op.get("requestBody") or {}).get("content") or {}), None)


def _compile(document: Mapping[str, Any]) -> spec_cache.Compiled:
    """Validator code for each operation with a JSON body (its schema + the components)."""
    components = document.get("components", {})
    validators = {}
    for _, op, _ in _operations(document):
        if _media_type(op) == "application/json":
            validators[op["operationId"]] = spec_cache.compile_validator(
                {**request_schema(op, components), "components": components})
    return document, validators


def request_schema(op: Mapping[str, Any], components: Mapping[str, Any]) -> Any:
    """The operation's JSON request schema with its component references inlined."""
    schema = op["requestBody"]["content"]["application/json"].get("schema") or {}
    return inline_refs(schema, components.get("schemas", {}))


def _fast_check(schema: Any, components: Mapping[str, Any]) -> Check:
    """jsonschema-rs's yes/no check of the schema (the components go along only when a
    cyclic reference was left in place)."""
    if _has_ref(schema):
        schema = {**schema, "components": components}
    return jsonschema_rs.validator_for(schema).is_valid


def _has_ref(node: Any) -> bool:
    if isinstance(node, Mapping):
        return "$ref" in node or any(_has_ref(value) for value in node.values())
    if isinstance(node, list):
        return any(_has_ref(value) for value in node)
    return False


def inline_refs(node: Any, schemas: Mapping[str, Any], seen: tuple[str, ...] = ()) -> Any:
    """The schema with each `#/components/schemas/X` reference replaced by X itself (a cycle
    keeps its reference). The same constraints, but fastjsonschema then checks array items
    inline instead of calling a function per item with a name built from `locals()`: the chat
    body validates in ~3.5 us instead of ~10."""
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_REF) and len(node) == 1:
            name = ref.removeprefix(SCHEMA_REF)
            if name in schemas and name not in seen:
                return inline_refs(schemas[name], schemas, (*seen, name))
            return node
        return {key: inline_refs(value, schemas, seen) for key, value in node.items()}
    if isinstance(node, list):
        return [inline_refs(value, schemas, seen) for value in node]
    return node


def validate_body(operation: Operation, body: Any) -> Any:
    """Validate a parsed JSON body; a failure is a 400 that names the offending field."""
    check = operation.is_valid  # None: the operation has no JSON body
    if check is None or check(body):
        return body
    # a refused body: fastjsonschema (and the wording of its errors) on first use
    import fastjsonschema

    from mock_server.data.wording import describe

    validate = operation.validate
    assert validate is not None
    try:
        return validate(body)
    except fastjsonschema.JsonSchemaValueException as exc:
        raise MoonshotError("invalid_request_error", describe(exc)) from None
