"""A planned answer as the Responses door's output items and `Response` object.

The engine plans a chat answer (reasoning, content, tool calls, finish reason, usage); this
module lays it out as the platform does: `output` ordered web_search_call → reasoning →
message → tool calls, ids derived from the response id, a call's `call_id` read from the
chat call id (`functions.get_weather:0` -> `get_weather_0`), an `apply_patch` call as a
`custom_tool_call` whose `input` is the patch, `status` completed, or incomplete when the
output budget ran out. The stream (`events.py`) sends the same items piece by piece.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from mock_server.responses.search import Search
from mock_server.responses.tools import PATCH_FIELD, ToolIndex

if TYPE_CHECKING:
    from mock_server.chat.plan import ChatPlan, ChoicePlan, ToolCall
    from mock_server.responses.request import DoorRequest

_CHAT_CALL_ID = re.compile(r"^(?:functions\.)?(.+):(\d+)\Z")
_PREFIX = {"web_search_call": "ws", "reasoning": "rs", "message": "msg",
           "function_call": "fc", "custom_tool_call": "ctc"}
PATCH_HEAD = "*** Begin Patch"


class Item(NamedTuple):
    """One output item: its kind, id, the pieces a stream sends, and its other fields."""

    kind: str
    id: str
    pieces: tuple[str, ...]
    fields: Mapping[str, Any]

    @property
    def text(self) -> str:
        return "".join(self.pieces)


class Defaults(NamedTuple):
    """What the response echoes where the request is silent: the model's values."""

    max_output_tokens: int
    temperature: float | None
    top_p: float | None


def response_id(plan: ChatPlan) -> str:
    """The plan's id as a response id (`resp_…` already when the door minted it)."""
    return plan.id if plan.id.startswith("resp_") else "resp_" + plan.id.removeprefix("chatcmpl-")


def _item_id(base: str, kind: str, position: int) -> str:
    """The response's own 24 hex (`base`), rotated by the item's position: the kinds differ
    by their prefix, two calls by their rotation."""
    return f"{_PREFIX[kind]}_{base[position:]}{base[:position]}"


def output_items(plan: ChatPlan, door: DoorRequest, search: Search | None) -> list[Item]:
    choice = plan.choices[0]
    resp = plan.id[-24:]
    items: list[Item] = []
    if search is not None:
        day = datetime.fromtimestamp(plan.created, UTC).date()
        items.append(Item("web_search_call", _item_id(resp, "web_search_call", 0), (),
                          {"query": search.query_on(day), "sources": search.sources}))
    if choice.reasoning:
        items.append(Item("reasoning", _item_id(resp, "reasoning", 1), choice.reasoning, {}))
    if choice.content or (not choice.tool_calls and choice.finish_reason != "length"):
        items.append(Item("message", _item_id(resp, "message", 2), choice.content, {}))
    for position, call in enumerate(choice.tool_calls):
        items.append(_call_item(call, door.tools, _item_id, resp, position + 3))
    return items


def _call_item(call: ToolCall, tools: ToolIndex, ids: Any, resp: str, position: int) -> Item:
    ref = tools.wire(call.name)
    matched = _CHAT_CALL_ID.match(call.id)
    call_id = f"{ref.name}_{matched.group(2)}" if matched else call.id
    fields: dict[str, Any] = {"call_id": call_id, "name": ref.name}
    if ref.namespace:
        fields["namespace"] = ref.namespace
    if ref.kind == "custom":
        patch = patch_text("".join(call.arguments))
        pieces = tuple(patch.splitlines(keepends=True))
        return Item("custom_tool_call", ids(resp, "custom_tool_call", position), pieces, fields)
    return Item("function_call", ids(resp, "function_call", position), call.arguments, fields)


def patch_text(arguments: str) -> str:
    """The apply_patch input of a call: the `patch` argument when it is a patch already, else
    a patch adding a file with the argument's text."""
    try:
        value = orjson.loads(arguments)
    except orjson.JSONDecodeError:
        value = arguments
    text = value.get(PATCH_FIELD) if isinstance(value, dict) else value
    text = text if isinstance(text, str) else arguments
    if text.startswith(PATCH_HEAD):
        return text
    lines = "".join(f"+{line}\n" for line in text.splitlines() or [""])
    return f"{PATCH_HEAD}\n*** Add File: notes.md\n{lines}*** End Patch"


def item_body(item: Item, status: str, door: DoorRequest | None = None) -> dict[str, Any]:
    """An item as a response's `output` has it (`status` in_progress: as a stream opens it)."""
    opening = status == "in_progress"
    text = "" if opening else item.text
    kind = item.kind
    if kind == "web_search_call":
        action: dict[str, Any] = {"type": "search", "query": item.fields["query"]}
        if door is not None and door.sources and not opening:
            action["sources"] = [{"type": "url", "url": url, "title": title}
                                 for url, title in item.fields["sources"]]
        return {"type": kind, "id": item.id, "status": status, "action": action}
    if kind == "reasoning":
        summary = [] if opening else [{"type": "summary_text", "text": text}]
        return {"type": kind, "id": item.id, "summary": summary, "encrypted_content": None,
                "status": status}
    if kind == "message":
        content = [] if opening else [output_text(text)]
        return {"type": kind, "id": item.id, "role": "assistant", "status": status,
                "content": content}
    key = "input" if kind == "custom_tool_call" else "arguments"
    return {"type": kind, "id": item.id, "status": status, **item.fields, key: text}


def output_text(text: str) -> dict[str, Any]:
    return {"type": "output_text", "text": text, "annotations": []}


def final_status(choice: ChoicePlan) -> str:
    return "incomplete" if choice.finish_reason == "length" else "completed"


def usage_body(plan: ChatPlan, usage: Mapping[str, int]) -> dict[str, Any]:
    """The Responses usage of the plan's chat usage (`plan.usage()`)."""
    output = usage["completion_tokens"]
    return {"input_tokens": usage["prompt_tokens"],
            "input_tokens_details": {"cached_tokens": plan.cached_tokens, "cache_write_tokens": 0},
            "output_tokens": output,
            "output_tokens_details": {"reasoning_tokens": min(len(plan.choices[0].reasoning),
                                                              output)},
            "total_tokens": usage["total_tokens"]}
