"""The live profile: a short, positive, cheap plan built from the spec's own examples and links.

Against a real account it must cost almost nothing and change nothing it did not create: one
request per read operation, the documented chat and Messages examples (non-streamed and
streamed) with the model pinned to a cheap one and the output pinned small, the documented
Responses example (the same two ways, on kimi-k3, the one model it serves, output pinned
small), the documented token estimate, and a file flow that uploads one tiny file, follows the
upload's links (retrieve, content, delete) and so deletes only that file, then a batch flow
that uploads a one-line batch file, creates a batch from it and follows the creation's links
(retrieve, then cancel at once, so nothing runs). Then, where the older explicit caching API is
served (its list answers 200), a cache flow: one small cache, tagged, the tag's links followed
(delete last), then the cache's (delete last).
The same plan runs against the fake, so two runs compare step by step.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from schemathesis.specs.openapi import checks as builtin

from . import checks as custom
from .observations import Exchange, Problem

CHEAP_MODEL = "moonshot-v1-8k"
BATCH_MODEL = "kimi-k2.5"  # the cheapest model that accepts batches
RESPONSES_MODEL = "kimi-k3"  # the one model POST /v1/responses serves
UPLOAD = (b"moonshot-mock contract suite probe file; safe to delete.\n", "contract-probe.txt")
BUILTIN_CHECKS = (builtin.status_code_conformance, builtin.content_type_conformance,
                  builtin.response_headers_conformance, builtin.response_schema_conformance)
CUSTOM_CHECKS = tuple(getattr(custom, name) for name in custom.CUSTOM_CHECKS)


@dataclass(frozen=True)
class LiveOptions:
    api_key: str
    model: str = CHEAP_MODEL
    max_tokens: int = 16


@dataclass(frozen=True)
class Step:
    name: str
    operation_id: str
    body: Any = None
    media_type: str | None = None


def example_body(document: Mapping[str, Any], operation_id: str, example: str) -> dict[str, Any]:
    operation = _operation(document, operation_id)
    media = operation["requestBody"]["content"]["application/json"]
    return dict(media["examples"][example]["value"])


def pinned(body: Mapping[str, Any], options: LiveOptions) -> dict[str, Any]:
    """The example with the cost guards applied: cheap model, small output budget."""
    out = {k: v for k, v in body.items() if k != "max_completion_tokens"}
    out["model"] = options.model
    out["max_tokens"] = options.max_tokens
    return out


def pinned_response(body: Mapping[str, Any], options: LiveOptions,
                    stream: bool) -> dict[str, Any]:
    """A Responses example with its output pinned small (its model is the only one served)."""
    return {**body, "model": RESPONSES_MODEL, "max_output_tokens": options.max_tokens,
            "stream": stream}


def plan(document: Mapping[str, Any], options: LiveOptions) -> list[Step]:
    chat = example_body(document, "createChatCompletion", "nonStream")
    response = example_body(document, "createResponse", "documented")
    streamed = example_body(document, "createChatCompletion", "stream")
    estimate = example_body(document, "estimateTokenCount", "canonical")
    estimate = {**estimate, "model": options.model}
    # a Messages stream has 5 events beside its deltas: 8 tokens keep it within the 20 events
    # the stream reader takes
    message = {**pinned(example_body(document, "createMessage", "text"), options),
               "max_tokens": min(options.max_tokens, 8)}
    return [
        Step("models", "listModels"),
        Step("balance", "getBalance"),
        Step("estimate", "estimateTokenCount", estimate, "application/json"),
        Step("chat", "createChatCompletion", pinned(chat, options), "application/json"),
        Step("chat-stream", "createChatCompletion", pinned(streamed, options), "application/json"),
        Step("messages", "createMessage", message, "application/json"),
        Step("messages-stream", "createMessage", {**message, "stream": True}, "application/json"),
        Step("responses", "createResponse", pinned_response(response, options, False),
             "application/json"),
        Step("responses-stream", "createResponse", pinned_response(response, options, True),
             "application/json"),
        Step("files-list", "listFiles"),
        Step("files-upload", "uploadFile", {"file": UPLOAD[0], "purpose": "file-extract"},
             "multipart/form-data"),
    ]


def upload_links(document: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(link name, operationId, parameter expression) of the upload's 200 links, in spec order;
    the delete link last whatever the order, so every read happens before the file is gone."""
    return links_of(document, "uploadFile", "file_id", last="deleteFile")


def links_of(document: Mapping[str, Any], operation_id: str, parameter: str,
             last: str) -> list[tuple[str, str, str]]:
    links = _operation(document, operation_id)["responses"]["200"].get("links", {})
    found = [(name, link["operationId"], link["parameters"][parameter])
             for name, link in links.items() if parameter in link.get("parameters", {})]
    return sorted(found, key=lambda item: item[1] == last)


def batch_file(options: LiveOptions) -> bytes:
    line = {"custom_id": "contract-probe", "method": "POST", "url": "/v1/chat/completions",
            "body": {"model": BATCH_MODEL, "max_tokens": options.max_tokens,
                     "messages": [{"role": "user", "content": "ping"}]}}
    return json.dumps(line).encode() + b"\n"


def batch_flow(sender: Sender, document: Mapping[str, Any], options: LiveOptions
               ) -> Iterator[Exchange]:
    """List, upload a one-line batch file, create a batch, follow its links (cancel last)."""
    yield sender.send(Step("batches-list", "listBatches"))[0]
    upload = Step("batches-upload", "uploadFile", {"file": batch_file(options), "purpose": "batch"},
                  "multipart/form-data")
    exchange, response = sender.send(upload)
    yield exchange
    if getattr(response, "status_code", 0) != 200:
        return
    body = {"input_file_id": json.loads(response.content)["id"],
            "endpoint": "/v1/chat/completions", "completion_window": "24h"}
    exchange, response = sender.send(Step("batches-create", "createBatch", body, "application/json"))
    yield exchange
    if getattr(response, "status_code", 0) != 200:
        return
    created = json.loads(response.content)
    for name, operation_id, expression in links_of(document, "createBatch", "batch_id",
                                                   last="cancelBatch"):
        parameters = {"batch_id": resolve(expression, created)}
        yield sender.send(Step(f"batches-link-{name}", operation_id), parameters)[0]


def resolve(expression: str, payload: Any) -> Any:
    """`$response.body#/a/b` against a JSON body (the only runtime expression the spec uses)."""
    prefix = "$response.body#"
    if not expression.startswith(prefix):
        raise ValueError(f"unsupported link expression {expression!r}")
    for part in filter(None, expression[len(prefix):].split("/")):
        payload = payload[int(part)] if isinstance(payload, list) else payload[part]
    return payload


def _operation(document: Mapping[str, Any], operation_id: str) -> Mapping[str, Any]:
    for item in document["paths"].values():
        for operation in item.values():
            if isinstance(operation, Mapping) and operation.get("operationId") == operation_id:
                return operation
    raise KeyError(operation_id)


def run_plan(schema: Any, document: Mapping[str, Any], options: LiveOptions,
             transport: Mapping[str, Any]) -> Iterator[Exchange]:
    """Send the plan, then the upload's links; yield one Exchange per step.

    `transport` is what each call gets: `{"base_url": ..., "session": PoliteSession}` over HTTP,
    `{}` for a schema bound to an in-process app."""
    sender = Sender(schema, options, transport)
    uploaded: Any = None
    for step in plan(document, options):
        exchange, response = sender.send(step)
        yield exchange
        if step.operation_id == "uploadFile" and getattr(response, "status_code", 0) == 200:
            uploaded = json.loads(response.content)
    if uploaded is not None:
        for name, operation_id, expression in upload_links(document):
            parameters = {"file_id": resolve(expression, uploaded)}
            yield sender.send(Step(f"files-link-{name}", operation_id), parameters)[0]
    yield from batch_flow(sender, document, options)
    yield from caching_flow(sender, document)


@dataclass
class Sender:
    schema: Any
    options: LiveOptions
    transport: Mapping[str, Any]

    def send(self, step: Step, path_parameters: Mapping[str, Any] | None = None
             ) -> tuple[Exchange, Any]:
        operation = self.schema.find_operation_by_id(step.operation_id)
        parts: dict[str, Any] = {"headers": {"Authorization": f"Bearer {self.options.api_key}"}}
        if step.body is not None:
            parts.update(body=step.body, media_type=step.media_type)
        if path_parameters:
            parts["path_parameters"] = dict(path_parameters)
        case = operation.Case(**parts)
        transport = dict(self.transport)
        try:
            response = case.call(**transport)
        except Exception as exc:  # a live target may drop the connection; record, go on
            return Exchange(operation.label, "live", None, problems=(
                Problem("transport", type(exc).__name__, str(exc)),), step=step.name), None
        problems = tuple(p for check in BUILTIN_CHECKS + CUSTOM_CHECKS
                         for p in run_check(case, response, check, transport))
        content_type = (response.headers.get("content-type") or [""])[0]
        return Exchange(operation.label, "live", response.status_code,
                        content_type.split(";")[0].strip().lower(),
                        tuple(sorted(n.lower() for n in response.headers)), problems,
                        step=step.name), response


def run_check(case: Any, response: Any, check: Any, transport: Mapping[str, Any]) -> list[Problem]:
    name = check.__name__
    try:
        case.validate_response(response, checks=[check], transport_kwargs=dict(transport))
    except BaseExceptionGroup as group:
        return [_problem(name, failure) for failure in group.exceptions]
    except AssertionError as failure:
        return [_problem(name, failure)]
    return []


def _problem(name: str, failure: BaseException) -> Problem:
    title = str(getattr(failure, "title", "") or "Check failed")
    message = str(getattr(failure, "message", "") or failure).strip()
    return Problem(name, title, message)


CACHE_BODY = {"model": "moonshot-v1", "ttl": 60, "name": "contract-probe",
              "messages": [{"role": "system", "content": "moonshot-mock contract probe"}]}


def caching_flow(sender: Sender, document: Mapping[str, Any]) -> Iterator[Exchange]:
    """The explicit caching API, when served: create, tag, follow the links, delete both."""
    exchange, response = sender.send(Step("caching-list", "listContextCaches"))
    yield exchange
    if getattr(response, "status_code", 0) != 200:
        return  # not served (the 2026 platform caches automatically)
    exchange, response = sender.send(Step("caching-create", "createContextCache", CACHE_BODY,
                                          "application/json"))
    yield exchange
    if getattr(response, "status_code", 0) != 200:
        return
    cache = json.loads(response.content)
    tag_body = {"tag": f"probe-{cache['id']}", "cache_id": cache["id"]}
    exchange, response = sender.send(Step("caching-tag", "createContextCacheTag", tag_body,
                                          "application/json"))
    yield exchange
    if getattr(response, "status_code", 0) == 200:
        tag = json.loads(response.content)
        yield sender.send(Step("caching-tags", "listContextCacheTags"))[0]
        for name, operation_id, expression in links_of(document, "createContextCacheTag", "tag",
                                                       last="deleteContextCacheTag"):
            yield sender.send(Step(f"caching-link-{name}", operation_id),
                              {"tag": resolve(expression, tag)})[0]
    for name, operation_id, expression in links_of(document, "createContextCache", "cache_id",
                                                   last="deleteContextCache"):
        body = {"metadata": {"probe": "1"}} if operation_id == "updateContextCache" else None
        step = Step(f"caching-link-{name}", operation_id, body, body and "application/json")
        yield sender.send(step, {"cache_id": resolve(expression, cache)})[0]
