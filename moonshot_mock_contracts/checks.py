"""Custom schemathesis checks for what the spec's schemas alone cannot express.

Importing this module registers them (schemathesis keeps a global check registry). Each check is
a thin adapter: it picks the data out of the case and response and asks `moonshot_mock_contracts.invariants`,
then raises one AssertionError listing every problem found.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import schemathesis
from schemathesis import Case, CheckContext, Response

from . import invariants
from .probes import json_body, media_type, probe
from .spec import SSE_MEDIA_TYPE, response_media, stream_schemas, validator_for

ERROR_REF = {"$ref": "#/components/schemas/Error"}
GATEWAY_REF = {"$ref": "#/components/schemas/GatewayNotFound"}
CUSTOM_CHECKS = ("moonshot_error_envelope", "moonshot_stream_conformance",
                 "moonshot_usage_arithmetic", "moonshot_estimate_matches_usage",
                 "moonshot_not_found_after_delete", "moonshot_documented_server_error",
                 "moonshot_retry_hint_as_captured", "moonshot_no_discontinued_models")


def _fail(problems: list[str]) -> None:
    if problems:
        raise AssertionError("\n".join(problems))


def _document(case: Case) -> Mapping[str, Any]:
    return case.operation.schema.raw_schema


def operation_id(case: Case) -> str:
    return str(case.operation.definition.raw.get("operationId", case.operation.label))


def _resolved_response(document: Mapping[str, Any], case: Case, status: int) -> Mapping[str, Any]:
    responses = case.operation.definition.raw.get("responses", {})
    response = responses.get(str(status)) or responses.get("default") or {}
    ref = response.get("$ref", "")
    if ref.startswith("#/components/responses/"):
        response = document["components"]["responses"].get(ref.rsplit("/", 1)[1], {})
    return response


def _is_known_path(document: Mapping[str, Any], url: str) -> bool:
    path = urlsplit(url).path
    for template in document.get("paths", {}):
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path):
            return True
    return False


@schemathesis.check
def moonshot_error_envelope(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """Every non-2xx is the JSON error envelope its operation documents for the status (chat's
    `Error`, the Messages door's `MessagesErrorResponse`), the gateway body only for unknown
    URLs."""
    status = response.status_code
    if status < 400:
        return None
    document = _document(case)
    documented = _resolved_response(document, case, status).get("content", {})
    if documented and "application/json" not in documented:
        return None  # e.g. the gateway's HTML 504, documented as text/html
    if status == 404 and not _is_known_path(document, str(response.request.url)):
        schema = validator_for(document, GATEWAY_REF)
        _fail([f"unknown-URL 404 {p}" for p in schema(json_body(response))])
        return None
    if status == 404 and "GatewayNotFound" in str(documented) and b'"url.not_found"' in response.content:
        # an operation the fake may not serve (explicit caching off) answers as an unknown URL
        _fail([f"unserved-operation 404 {p}" for p in
               validator_for(document, GATEWAY_REF)(json_body(response))])
        return None
    schema = (documented.get("application/json") or {}).get("schema") or ERROR_REF
    _fail(invariants.envelope_problems(status, media_type(response), response.content,
                                       validator_for(document, schema)))
    return None


@schemathesis.check
def moonshot_stream_conformance(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """Each SSE event validates against x-sse-data / x-sse-terminator (or, named frames,
    x-sse-event-name); stream invariants hold."""
    if response.status_code != 200 or media_type(response) != SSE_MEDIA_TYPE:
        return None
    document = _document(case)
    media = response_media(case.operation.definition.raw, 200, SSE_MEDIA_TYPE)
    schemas = stream_schemas(document, media)
    if schemas is None:
        _fail([f"{case.operation.label} answered {SSE_MEDIA_TYPE}, but the spec documents no "
               "x-sse-data / x-sse-terminator schemas for it"])
        return None
    _fail(invariants.stream_problems(response.content, schemas))
    return None


@schemathesis.check
def moonshot_usage_arithmetic(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """A JSON completion's usage adds up (streams are covered by the stream check)."""
    if response.status_code != 200 or media_type(response) != "application/json":
        return None
    body = json_body(response)
    if isinstance(body, Mapping) and body.get("object") == "chat.completion":
        _fail(invariants.usage_problems(body.get("usage")))
    return None


@schemathesis.check
def moonshot_estimate_matches_usage(ctx: CheckContext, response: Response,
                                    case: Case) -> bool | None:
    """The completion's prompt_tokens == estimate-token-count for the same model, messages and
    tools + the generation prompt (3 on moonshot-v1/K2; `invariants.prompt_gap`)."""
    body = json_body(response) if media_type(response) == "application/json" else None
    if (response.status_code != 200 or not isinstance(body, Mapping)
            or body.get("object") != "chat.completion" or not isinstance(case.body, Mapping)):
        return None
    same = {k: case.body[k] for k in ("model", "messages", "tools") if k in case.body}
    answer = probe(ctx, case, response, "estimateTokenCount", body=same)
    if answer.status_code != 200:
        _fail([f"estimate-token-count for the same request answered {answer.status_code} "
               f"({answer.content[:120]!r}) while the completion succeeded"])
    estimate = (json_body(answer) or {}).get("data", {}).get("total_tokens")
    _fail(invariants.estimate_problems(estimate, (body.get("usage") or {}).get("prompt_tokens"),
                                       case.body))
    return None


@schemathesis.check
def moonshot_not_found_after_delete(ctx: CheckContext, response: Response,
                                    case: Case) -> bool | None:
    """After a successful delete, retrieving the same file is a 404 envelope."""
    if operation_id(case) != "deleteFile" or response.status_code != 200:
        return None
    file_id = (case.path_parameters or {}).get("file_id")
    answer = probe(ctx, case, response, "retrieveFile", path_parameters={"file_id": file_id})
    _fail(invariants.not_found_problems(answer.status_code, json_body(answer),
                                        validator_for(_document(case), ERROR_REF)))
    return None


@schemathesis.check
def moonshot_documented_server_error(ctx: CheckContext, response: Response,
                                     case: Case) -> bool | None:
    """File content answers 5xx only as the documented extraction failure of an error file."""
    if operation_id(case) != "retrieveFileContent" or response.status_code < 500:
        return None
    error = (json_body(response) or {}).get("error") or {}
    if error.get("type") != "server_error" or not str(error.get("message", "")).startswith(
            "Failed to extract file: "):
        _fail([f"undocumented {response.status_code} for file content: {response.content[:200]!r}"])
    return None


RETRY_HINT = re.compile(r"please try again after (\d+) seconds")


@schemathesis.check
def moonshot_retry_hint_as_captured(ctx: CheckContext, response: Response,
                                    case: Case) -> bool | None:
    """A rate-limit 429 says "please try again after 1 seconds", as every real capture does."""
    if response.status_code != 429 or media_type(response) != "application/json":
        return None
    error = (json_body(response) or {}).get("error") or {}
    found = RETRY_HINT.search(str(error.get("message", "")))
    if found and found.group(1) != "1":
        _fail([f"429 says 'try again after {found.group(1)} seconds'; every real capture says "
               "'after 1 seconds'"])
    return None


def discontinued_models(case: Case, today: str | None = None) -> dict[str, str]:
    """The spec's `x-discontinued-models` of listModels whose date has come."""
    today = today or datetime.now(UTC).date().isoformat()
    for item in _document(case).get("paths", {}).values():
        listed = (item.get("get") or {}).get("x-discontinued-models")
        if listed:
            return {model: str(day) for model, day in listed.items() if str(day) <= today}
    return {}


@schemathesis.check
def moonshot_no_discontinued_models(ctx: CheckContext, response: Response,
                                    case: Case) -> bool | None:
    """No discontinued model is listed, or answered 200 by chat or the token estimate."""
    if response.status_code != 200 or media_type(response) != "application/json":
        return None
    gone = discontinued_models(case)
    body = json_body(response)
    if operation_id(case) == "listModels" and isinstance(body, Mapping):
        served = [m.get("id") for m in body.get("data") or () if isinstance(m, Mapping)]
        _fail([f"GET /v1/models lists {model}, discontinued on {gone[model]}"
               for model in served if model in gone])
    elif isinstance(case.body, Mapping) and case.body.get("model") in gone:
        model = case.body["model"]
        _fail([f"{operation_id(case)} answered 200 for {model}, discontinued on {gone[model]} "
               "(documented: 404 Not found the model ... or Permission denied)"])
    return None
