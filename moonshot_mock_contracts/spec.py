"""What the contract checks read from the spec: the SSE event schemas and JSON-schema validators.

Nothing here restates a field: every shape comes from the spec document under test (the one the
suite was built from), resolved against its own `components`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema_rs

from mock_server.data.spec import default_spec_path
from mock_server.data.yaml_load import load_yaml

SSE_MEDIA_TYPE = "text/event-stream"
Validate = Callable[[Any], list[str]]


def load_spec(path: str | Path | None = None) -> dict[str, Any]:
    """The spec document (`openapi/moonshot.yaml` as packaged with the fake, or a given file)."""
    return load_yaml(Path(path or default_spec_path()).read_text(encoding="utf-8"))


@dataclass
class _Compiled:
    """The validators compiled against one document's components, by schema (a check asks for
    the same few schemas on every response; compiling one bundles every component)."""

    components: Any = None
    validators: dict[str, Any] = field(default_factory=dict)

    def validator(self, components: Mapping[str, Any], schema: Mapping[str, Any]) -> Any:
        if components is not self.components:
            self.components, self.validators = components, {}
        key = json.dumps(schema, sort_keys=True)
        if key not in self.validators:
            bundle = {**schema, "components": components}
            self.validators[key] = jsonschema_rs.Draft202012Validator(bundle)
        return self.validators[key]


_COMPILED = _Compiled()


def validator_for(document: Mapping[str, Any], schema: Mapping[str, Any]) -> Validate:
    """A validator of `schema` (usually a `$ref`) resolved against the document's components."""
    compiled = _COMPILED.validator(document.get("components", {}), schema)

    def validate(instance: Any) -> list[str]:
        return [f"{_where(e.instance_path)}: {e.message}" for e in compiled.iter_errors(instance)]

    return validate


def _where(path: Any) -> str:
    return "/" + "/".join(str(p) for p in path) if path else "(root)"


@dataclass(frozen=True)
class StreamSchemas:
    """Validators for one SSE media type: its data events and its terminator (chat's `[DONE]`),
    or, for named frames (`x-sse-event-name`), the data field each frame's `event:` equals and
    whose order rules they follow (`x-sse-order`: `messages`, the default, or `responses`)."""

    data: Validate
    terminator: Validate | None
    terminator_const: str | None
    event_name_field: str | None = None
    order: str = "messages"


def stream_schemas(document: Mapping[str, Any], media: Mapping[str, Any]) -> StreamSchemas | None:
    """Read `x-sse-data` and `x-sse-terminator` (or `x-sse-event-name`) of a
    `text/event-stream` media type object."""
    data, terminator = media.get("x-sse-data"), media.get("x-sse-terminator")
    named = media.get("x-sse-event-name")
    if not isinstance(data, Mapping):
        return None
    if isinstance(named, str):
        return StreamSchemas(validator_for(document, data), None, None, named,
                             str(media.get("x-sse-order", "messages")))
    if not isinstance(terminator, Mapping):
        return None
    return StreamSchemas(validator_for(document, data), validator_for(document, terminator),
                         _const_of(document, terminator))


def _const_of(document: Mapping[str, Any], schema: Mapping[str, Any]) -> str | None:
    ref = schema.get("$ref", "")
    if ref.startswith("#/"):
        for part in ref[2:].split("/"):
            document = document.get(part, {})
        schema = document
    value = schema.get("const")
    return value if isinstance(value, str) else None


def response_media(
    operation_raw: Mapping[str, Any], status: int, media_type: str
) -> Mapping[str, Any]:
    """The media type object an operation documents for a status (or {})."""
    responses = operation_raw.get("responses", {})
    response = responses.get(str(status)) or responses.get(f"{status // 100}XX") or {}
    return response.get("content", {}).get(media_type, {})
