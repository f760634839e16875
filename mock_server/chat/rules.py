"""The real API's semantic rules for a chat request, checked after schema validation.

Each rule is a small function over the validated body and the model; the first that fails
raises the `MoonshotError` the real API answers with. Literal messages come from real captures
where one exists; where the reference has none, the message follows the real API's style.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import cache, partial
from typing import Any

from mock_server.chat.thinking import check_thinking, thinking_enabled
from mock_server.chat.tokens import DEFAULT_COUNTER, TokenCounter
from mock_server.chat.tool_rules import (
    check_dynamic_tools,
    check_response_format,
    check_tool_choice,
    check_tool_names,
    check_tools,
)
from mock_server.data.catalogue import Catalogue, Model
from mock_server.errors import MoonshotError, invalid_request
from mock_server.media import data_url, is_svg
from mock_server.messages import NEWEST

Body = Mapping[str, Any]
N_MIN_TEMPERATURE = 0.3  # below it n > 1 is rejected (threshold uncertain; litellm's figure)
STOP_MAX_BYTES = 32


def resolve_model(catalogue: Catalogue, name: str) -> Model:
    model = catalogue.get(name)
    if model is None:
        raise MoonshotError(
            "resource_not_found_error", f"Not found the model {name} or Permission denied"
        )
    return model


def effective_value(body: Body, model: Model, name: str, fallback: float) -> float:
    """The value the model runs with: the request's, else the model's default or fixed value."""
    if body.get(name) is not None:
        return float(body[name])
    rule = model.rules.get(name) or {}
    if "fixed" in rule:
        return float(rule["fixed"])
    if "thinking" in rule:
        return float(rule["thinking" if thinking_enabled(body, model) else "non_thinking"])
    return float(rule.get("default", fallback))


def max_output_tokens(body: Body, model: Model) -> int:
    budget = body.get("max_completion_tokens")
    if budget is None:
        budget = body.get("max_tokens")
    return model.default_max_tokens if budget is None else int(budget)


def _number(value: float) -> str:
    return f"{value:g}"


def check_fixed_parameters(body: Body, model: Model) -> None:
    for name in model.fixed_parameters:
        if body.get(name) is None:
            continue
        allowed = effective_value({k: v for k, v in body.items() if k != name}, model, name, 0.0)
        if abs(float(body[name]) - allowed) > 1e-9:
            raise invalid_request_body(f"invalid {name}: only {_number(allowed)} is allowed for this model")


def invalid_request_body(message: str) -> MoonshotError:
    """The newer parameter errors carry no `Invalid request:` prefix (2025-2026 captures)."""
    return MoonshotError("invalid_request_error", message)


def check_n(body: Body, model: Model) -> None:
    if not body.get("n"):
        return  # n = 1
    n = int(body["n"])
    n_max = int(model.rules.get("n_max", 5))
    if n > n_max:
        raise invalid_request_body(f"invalid n: only {n_max} is allowed for this model")
    if n > 1 and effective_value(body, model, "temperature", 0.0) < N_MIN_TEMPERATURE:
        raise invalid_request(
            f"n must be 1 when temperature is below {N_MIN_TEMPERATURE} (got n={n})"
        )


def check_stop(body: Body, model: Model) -> None:
    stop = body.get("stop")
    if not stop:
        return
    for item in [stop] if isinstance(stop, str) else stop:
        if len(item.encode()) > STOP_MAX_BYTES:
            raise invalid_request(f"each stop string must be at most {STOP_MAX_BYTES} bytes")


def _is_empty(message: Mapping[str, Any]) -> bool:
    """Only an empty string, an empty part list or no content at all is empty (whitespace such
    as " " is content), and not on an assistant tool-call message or a tool declaration."""
    if message.get("content"):
        return False
    if message.get("role") == "assistant" and message.get("tool_calls"):
        return False
    return message.get("tools") is None


def check_messages(body: Body, model: Model) -> None:
    messages = body["messages"]
    answered: set[str] = set()
    for index, message in enumerate(messages):
        role = message.get("role")
        partial_prefix = message.get("partial") and index == len(messages) - 1
        if _is_empty(message) and not partial_prefix:
            raise invalid_request(f"the message at position {index} with role '{role}' must not be empty")
        if role == "tool":
            call_id = message.get("tool_call_id")
            if call_id not in answered:
                raise invalid_request(f"tool_call_id {call_id} is not found")
        if role == "assistant" and message.get("tool_calls"):
            if thinking_enabled(body, model) and not message.get("reasoning_content"):
                raise invalid_request_body(
                    "thinking is enabled but reasoning_content is missing in assistant tool call "
                    f"message at index {index}"
                )
            answered.update(call.get("id") for call in message["tool_calls"])
        content = message.get("content")
        if isinstance(content, list):  # a string content has no parts to check
            _check_media(content, model, index)


def _content_parts(content: list[Any]) -> Iterator[tuple[str | None, Mapping[str, Any]]]:
    """Each part of a content-part array with its `type` (callers pass only list contents:
    a string content, the common case, costs them one check and no generator)."""
    for part in content:
        if isinstance(part, Mapping):
            yield part.get("type"), part


def _check_media(content: list[Any], model: Model, index: int) -> None:
    for position, (kind, part) in enumerate(_content_parts(content)):
        if kind == "image_url" and not model.supports_image_in:
            raise invalid_request(f"model {model.id} does not support image input (message {index})")
        if kind == "video_url" and not model.supports_video_in:
            raise invalid_request(f"model {model.id} does not support video input (message {index})")
        if kind == "image_url":
            _check_image_url(part, model, f"messages[{index}].content[{position}].image_url")


URL_KINDS = {"data": "a base64 data URL (data:<mime>;base64,...)", "ms": "ms://<file_id>"}


def _check_image_url(part: Mapping[str, Any], model: Model, where: str) -> None:
    """Per family (§2.1 Vision): moonshot-v1 vision models take base64 data URLs only ("URL-
    formatted images: Not supported"); the kimi-k2.5+ families also `ms://<file_id>`. No family
    fetches http(s) URLs."""
    media = part.get("image_url")
    url = media.get("url") if isinstance(media, Mapping) else media
    if not isinstance(url, str):
        return
    kind = "data" if url.startswith("data:") else "ms" if url.startswith("ms://") else "url"
    field = f"{where}.url" if isinstance(media, Mapping) else where
    if kind == "data" and is_svg(b"", mime=(data_url(url) or ("", b""))[0]):
        raise invalid_request(f"{field} is an SVG image, which is not supported; "
                              "use jpeg, png, gif, webp, bmp, heic or heif")
    accepted = model.rules.get("image_urls") or ("data", "ms")
    if kind not in accepted:
        wanted = " or ".join(URL_KINDS[k] for k in accepted if k in URL_KINDS)
        raise invalid_request(f"{field} must be {wanted}; {model.id} does not fetch image URLs"
                              if kind == "url" else f"{field} must be {wanted} for {model.id}")


def check_logprobs(body: Body, model: Model) -> None:
    """`top_logprobs` (0-20, the schema's range) needs `logprobs: true`."""
    if body.get("top_logprobs") is not None and not body.get("logprobs"):
        raise invalid_request("top_logprobs requires logprobs to be true")


def check_context(body: Body, model: Model, prompt_tokens: int,
                  texts: Mapping[str, str] = NEWEST) -> None:
    """Prompt + output budget within the context, in the era's wording (`texts`)."""
    requested = prompt_tokens + max_output_tokens(body, model)
    if requested > model.context_length:
        suffix = f" (requested: {requested})" if model.rules.get("limit_message_requested") else ""
        text = texts["token_limit"].format(context=model.context_length)
        raise MoonshotError("invalid_request_error", text + suffix)


Rule = Callable[[Body, Model], None]
RULES: tuple[Rule, ...] = (
    check_thinking, check_fixed_parameters, check_n, check_stop, check_dynamic_tools,
    check_messages, check_tools, check_tool_names, check_tool_choice, check_response_format,
    check_logprobs,
)
NAMING_RULES = (check_dynamic_tools, check_tools, check_tool_choice)  # take the name pattern


@cache
def rules_for(names: str) -> tuple[Rule, ...]:
    """`RULES` with the function-name pattern `names` of the API's day."""
    return tuple([partial(rule, names=names) if rule in NAMING_RULES else rule for rule in RULES])


MediaPurpose = Callable[[str], str]  # file id -> its purpose; raises 404 for an unknown id
MEDIA_PURPOSES = {"image_url": "image", "video_url": "video"}


def check_media_files(body: Body, purpose_of: MediaPurpose) -> None:
    """`ms://<file_id>` media urls must name a file of the caller uploaded for that kind."""
    for message in body["messages"]:
        content = message.get("content")
        if not isinstance(content, list):
            continue
        for kind, part in _content_parts(content):
            media = part.get(kind) if kind in MEDIA_PURPOSES else None
            url = media.get("url") if isinstance(media, Mapping) else media
            if isinstance(url, str) and url.startswith("ms://"):
                file_id = url.removeprefix("ms://")
                purpose = purpose_of(file_id)
                if purpose != MEDIA_PURPOSES[kind]:
                    raise invalid_request(f"file {file_id} was uploaded with purpose '{purpose}', "
                                          f"{kind} needs purpose '{MEDIA_PURPOSES[kind]}'")


def check_chat_request(body: Body, catalogue: Catalogue,
                       counter: TokenCounter = DEFAULT_COUNTER) -> tuple[Model, int]:
    """All semantic checks; returns the model and the prompt's token count."""
    model = resolve_model(catalogue, body["model"])
    for rule in rules_for(catalogue.texts["tool_name_pattern"]):
        rule(body, model)
    prompt_tokens = counter.prompt(body, model, thinking_enabled(body, model))
    check_context(body, model, prompt_tokens, catalogue.texts)
    return model, prompt_tokens
