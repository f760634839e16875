"""A Messages request as the internal request the engine plans from.

The body has passed the spec's schema. What the schema cannot say is checked here, naming the
field as the client wrote it; the rest (model rules, the context window, the thinking history)
is the engine's, the same as for chat. Mapping:

- `system` → a leading system turn; the turns as `content.chat_turns` makes them; a last
  assistant turn is continued (Partial Mode, chat's `partial`);
- `max_tokens` → `max_tokens`; `stop_sequences` → `stop`; `stream` → `stream`;
- `tools` → function tools (`input_schema` is the `parameters`); `tool_choice` auto / any /
  none → `auto` / `required` / `none`;
- `output_config.format` → `response_format` json_schema; `output_config.effort` → the
  model's `reasoning_effort` where it takes one (else it is ignored);
- `thinking.type` `disabled` → chat's `{"type": "disabled"}`; `enabled` and `adaptive` leave the
  model's default; `metadata`, `context_management` and `cache_control` are accepted and
  ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mock_server.anthropic.content import Verify, chat_turns
from mock_server.data.catalogue import Model
from mock_server.errors import invalid_request

Body = Mapping[str, Any]
STOP_SEQUENCE_MAX_BYTES = 32
TOOL_CHOICES = {"auto": "auto", "any": "required", "none": "none"}
SCHEMA_NAME = "output"  # the page names no schema; Responses' default name


def chat_request(body: Body, model: Model | None, verify: Verify) -> dict[str, Any]:
    """`model`: the requested model's facts where known (an unknown one is the engine's 404)."""
    request: dict[str, Any] = {"model": body["model"], "messages": _turns(body, verify),
                               "max_tokens": body["max_tokens"]}
    if body.get("stream"):
        request["stream"] = True
    stop = body.get("stop_sequences")
    if stop and (kept := _stop_sequences(stop)):
        request["stop"] = kept
    if body.get("tools"):
        request["tools"] = [_tool(tool) for tool in body["tools"]]
    choice = body.get("tool_choice")
    if choice is not None:
        request["tool_choice"] = TOOL_CHOICES[choice["type"]]
    config = body.get("output_config")
    if config:
        request.update(_output_config(config, model))
    thinking = body.get("thinking")
    if thinking and thinking.get("type") == "disabled":
        request["thinking"] = {"type": "disabled"}
    return request


def _turns(body: Body, verify: Verify) -> list[dict[str, Any]]:
    turns = chat_turns(body["messages"], verify)
    system = body.get("system")
    if system:
        text = system if isinstance(system, str) else "\n".join(b["text"] for b in system)
        turns.insert(0, {"role": "system", "content": text})
    if body["messages"] and body["messages"][-1]["role"] == "assistant":
        turns[-1]["partial"] = True
    return turns


def _stop_sequences(sequences: list[str]) -> list[str]:
    """The non-empty sequences, each within its bytes."""
    for position, sequence in enumerate(sequences):
        if len(sequence.encode()) > STOP_SEQUENCE_MAX_BYTES:
            raise invalid_request(
                f"stop_sequences[{position}] must be at most {STOP_SEQUENCE_MAX_BYTES} bytes long")
    return [sequence for sequence in sequences if sequence]


def _tool(tool: Mapping[str, Any]) -> dict[str, Any]:
    function = {"name": tool["name"], "parameters": tool["input_schema"]}
    if tool.get("description") is not None:
        function["description"] = tool["description"]
    return {"type": "function", "function": function}


def _output_config(config: Mapping[str, Any], model: Model | None) -> dict[str, Any]:
    options: dict[str, Any] = {}
    fmt = config.get("format")
    if fmt is not None:
        options["response_format"] = {"type": "json_schema", "json_schema": {
            "name": SCHEMA_NAME, "schema": fmt["schema"], "strict": True}}
    if config.get("effort") is not None and model is not None and model.rules.get("reasoning_effort"):
        options["reasoning_effort"] = config["effort"]
    return options
