"""The full contract suite: schemathesis' engine over every operation of the spec.

Phases examples, coverage, fuzzing (positive and negative data) and stateful (the files flow
through the spec's links), with schemathesis' built-in conformance checks (status code, content
type, headers, response schema, auth, negative data rejection, use after free) plus the custom
checks of `moonshot_mock_contracts.checks`. Every request becomes an `Exchange`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema

from . import checks  # noqa: F401  (registers the custom checks)
from .observations import Exchange, Problem

# A schema-valid body can still break a documented rule the spec cannot state (docs/contracts.md
# lists them: per-model parameters, context window, message order, a Messages tool result
# without its call, a Responses option refused or an output answering no call, an empty upload,
# a batch over a missing or non-batch file, cancelling a finished batch, a cache expiring in the
# past or too late, a tag that exists): the spec answers those with 400 (or 404 for a missing
# file or cache). Rules it can state (the batch window, tag syntax, the caching model family,
# `json_schema` with its type, metadata key length) are in the spec, and positive data keeps
# them.
SEMANTIC_400 = ("createChatCompletion", "createMessage", "createResponse", "estimateTokenCount",
                "uploadFile", "createBatch", "cancelBatch", "createContextCache",
                "updateContextCache", "createContextCacheTag")
# The content of a file whose extraction failed is the documented 500 `Failed to extract file`;
# `moonshot_documented_server_error` (moonshot_mock_contracts.checks) accepts that one 500 and nothing else.
EXTRACTION_FAILURE_500 = {"not_a_server_error": {"enabled": False}}
# A tag request names its cache in the body: after a cache is created, a generated tag request
# naming another (random) cache id is rightly a 404, which schemathesis' heuristic takes for the
# new cache gone missing. The tag links of the spec (retrieve, content, delete) are still checked.
TAG_OF_ANY_CACHE = {"ensure_resource_availability": {"enabled": False}}


@dataclass(frozen=True)
class SuiteOptions:
    api_key: str
    max_examples: int = 25
    seed: int | None = 0
    mode: str = "all"  # positive | negative | all
    phases: tuple[str, ...] = ("examples", "coverage", "fuzzing", "stateful")
    max_stream_events: int = 500
    request_timeout: float = 30.0
    max_time: int | None = None


def suite_config(options: SuiteOptions, base_url: str | None) -> SchemathesisConfig:
    all_phases = ("examples", "coverage", "fuzzing", "stateful")
    semantic = {"positive_data_acceptance": {"expected-statuses":
                                             ["2XX", 400, 401, 403, 404, 409, 429, "5XX"]}}
    data: dict[str, Any] = {
        "seed": options.seed,
        "headers": {"Authorization": f"Bearer {options.api_key}"},
        "generation": {"mode": options.mode, "max-examples": options.max_examples,
                       "deterministic": options.seed is not None, "database": "none"},
        "phases": {p: {"enabled": p in options.phases} for p in all_phases},
        "max-stream-events": options.max_stream_events,
        "request-timeout": options.request_timeout,
        "operations": [{"include-operation-id": op, "checks": semantic} for op in SEMANTIC_400]
        + [{"include-operation-id": "retrieveFileContent", "checks": EXTRACTION_FAILURE_500},
           {"include-operation-id": "createContextCacheTag", "checks": TAG_OF_ANY_CACHE}],
    }
    if options.max_time:
        data["max-time"] = options.max_time
    if base_url:
        data["base-url"] = base_url
    return SchemathesisConfig.from_dict(data)


def load_schema(document: Mapping[str, Any], options: SuiteOptions, *, base_url: str | None = None,
                app: Any = None) -> Any:
    """The schema under test, bound to an ASGI app (in-process) or a base URL (over HTTP)."""
    schema = schemathesis.openapi.from_dict(dict(document), config=suite_config(options, base_url))
    if app is not None:
        schema.app = app
    return schema


def run_suite(schema: Any) -> Iterator[Exchange | str]:
    """Run the engine; yield each request as an `Exchange` and each engine error as a string."""
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            yield from exchanges_of(event.recorder, event.phase.name.lower())
        elif isinstance(event, events.NonFatalError):
            yield f"{event.label}: {event.info.title}: {event.info.message}"
        elif isinstance(event, events.FatalError):
            yield f"fatal: {event.exception}"


def exchanges_of(recorder: Any, phase: str) -> Iterator[Exchange]:
    for case_id, interaction in recorder.interactions.items():
        node = recorder.cases.get(case_id)
        label = node.value.operation.label if node else recorder.label
        response = interaction.response
        problems = tuple(
            Problem(check.name, check.failure_info.failure.title,
                    check.failure_info.failure.message.strip())
            for check in recorder.checks.get(case_id, ())
            if check.failure_info is not None
        )
        if response is None:
            yield Exchange(label, phase, None, problems=problems)
            continue
        content_type = (response.headers.get("content-type") or [""])[0]
        yield Exchange(label, phase, response.status_code,
                       content_type.split(";")[0].strip().lower(),
                       tuple(sorted(name.lower() for name in response.headers)), problems)
