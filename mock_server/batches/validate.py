"""What is checked when a batch is created (its window) and while it validates (its input file).

The input file rules are the documented ones: a `.jsonl` file, each line a JSON object with
`custom_id`, `method` (`POST`), `url` (`/v1/chat/completions`) and `body`; `custom_id` unique;
one model for the whole batch, a model that exists and accepts batches. A file that breaks
them ends the batch `failed` with every problem in `errors` (`code`, `message`, `param`,
`line`, as the OpenAI-compatible Batch object lists them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from mock_server.batches.records import ENDPOINT
from mock_server.data.catalogue import Catalogue
from mock_server.errors import invalid_request

WINDOW = re.compile(r"^([1-9][0-9]{0,4})([hd])$")
MIN_WINDOW, MAX_WINDOW = 12 * 3600, 7 * 86400
MAX_ERRORS = 1000  # a broken file lists at most this many problems


def window_seconds(window: str) -> int:
    """`12h` .. `7d` in seconds. The spec states the rule (its pattern), so a request that
    reaches this has passed it; the same 400 stands here for a body that skipped the schema."""
    found = WINDOW.fullmatch(window)
    seconds = 0 if found is None else int(found.group(1)) * (3600 if found.group(2) == "h" else 86400)
    if not MIN_WINDOW <= seconds <= MAX_WINDOW:
        raise invalid_request("completion_window must be a duration from 12h to 7d in hours or "
                              f"days, such as '24h' or '3d', got {window!r}")
    return seconds


@dataclass
class ParsedInput:
    """The requests of a valid file in order (`custom_id`, chat body), or what is wrong."""

    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    model: str = ""

    def problem(self, code: str, message: str, param: str | None, line: int | None) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append({"code": code, "message": message, "param": param, "line": line})


def parse_input(filename: str, data: bytes, catalogue: Catalogue) -> ParsedInput:
    parsed = ParsedInput()
    if not filename.endswith(".jsonl"):
        parsed.problem("invalid_file_format",
                       f"The input file must be a .jsonl file, got {filename!r}", None, None)
        return parsed
    seen: set[str] = set()
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if raw.strip():
            _check_line(parsed, number, raw, seen)
    if not parsed.requests and not parsed.errors:
        parsed.problem("empty_file", "The input file contains no requests", None, None)
    if not parsed.errors:
        _check_model(parsed, catalogue)
    return parsed


def _check_line(parsed: ParsedInput, number: int, raw: bytes, seen: set[str]) -> None:
    try:
        line = orjson.loads(raw)
    except orjson.JSONDecodeError:
        parsed.problem("invalid_json_line", f"Line {number} is not valid JSON", None, number)
        return
    if not isinstance(line, Mapping):
        parsed.problem("invalid_json_line", f"Line {number} is not a JSON object", None, number)
        return
    for name in ("custom_id", "method", "url", "body"):
        if name not in line:
            parsed.problem("missing_required_parameter",
                           f"Line {number} is missing the required field {name!r}", name, number)
            return
    problem = _line_problem(line, seen)
    if problem is not None:
        parsed.problem(problem[0], f"Line {number}: {problem[2]}", problem[1], number)
        return
    seen.add(line["custom_id"])
    body = line["body"]
    model = body.get("model")
    if not parsed.model and isinstance(model, str):
        parsed.model = model
    if model != parsed.model:
        parsed.problem("mismatched_model", f"Line {number}: every request of a batch must use "
                       f"the same model ({parsed.model!r}), got {model!r}", "body.model", number)
        return
    parsed.requests.append((line["custom_id"], body))


def _line_problem(line: Mapping[str, Any], seen: set[str]) -> tuple[str, str, str] | None:
    """(code, param, message) of the first rule the line breaks, or None."""
    custom_id = line["custom_id"]
    if not isinstance(custom_id, str) or not custom_id:
        return "invalid_custom_id", "custom_id", "custom_id must be a non-empty string"
    if custom_id in seen:
        return "duplicate_custom_id", "custom_id", f"custom_id {custom_id!r} is not unique"
    if line["method"] != "POST":
        return "invalid_method", "method", f"method must be 'POST', got {line['method']!r}"
    if line["url"] != ENDPOINT:
        return "invalid_url", "url", f"url must be {ENDPOINT!r}, got {line['url']!r}"
    if not isinstance(line["body"], Mapping):
        return "invalid_body", "body", "body must be a JSON object"
    if not isinstance(line["body"].get("model"), str):
        return "missing_required_parameter", "body.model", "body.model is required"
    return None


def _check_model(parsed: ParsedInput, catalogue: Catalogue) -> None:
    model = catalogue.get(parsed.model)
    if model is None:
        parsed.problem("model_not_found", f"Not found the model {parsed.model} or Permission "
                       "denied", "body.model", None)
    elif not model.batch_price:
        accepted = ", ".join(m.id for m in catalogue.models.values() if m.batch_price)
        parsed.problem("model_not_supported", f"The model {parsed.model} does not support the "
                       f"Batch API (supported: {accepted})", "body.model", None)
