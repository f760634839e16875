"""The OpenAI Responses door, `POST /v1/responses` (operation `createResponse`), from 2026-09.

It parses the request into the engine's conversation (`responses/request.py`: instructions and
developer messages as system turns, typed items as turns, namespace and apply_patch tools as
function tools), runs a declared `web_search` first when the input asks for one (its call and
results read into the conversation), serves kimi-k3 only, and renders the planned answer as a
`Response` object or as `event: <type>` + `data:` frames numbered from 0, ended by
`response.completed` (or `response.incomplete`); errors in the `{"error": {"message",
"type"}}` envelope, as chat's.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from mock_server.chat.tool_choice import choose_tool, tool_name
from mock_server.engine.door import Door
from mock_server.engine.request import Inference
from mock_server.errors import invalid_request
from mock_server.responses.body import ResponseView
from mock_server.responses.events import FINAL, answer_events, frames
from mock_server.responses.output import Defaults
from mock_server.responses.request import DoorRequest, parse_request, with_search
from mock_server.responses.search import AS_TOOL, TOOL_NAME, search_for

if TYPE_CHECKING:
    from mock_server.data.catalogue import Model
    from mock_server.engine.answer import Answer
    from mock_server.engine.call import Call
    from mock_server.errors import MoonshotError
    from mock_server.ids import IdGenerator

FINAL_FRAMES = tuple(b"event: %s\n" % name.encode() for name in FINAL.values())


def parse(body: Mapping[str, Any], call: Call) -> Inference:
    """The request as the conversation; a body seen before was parsed before (the parse is a
    pure function of it), so its record keeps what it gave."""
    known = call.known
    door = known.door if known is not None else None
    if door is None:
        door = searched(parse_request(body))
        if known is not None:
            known.door = door
    return Inference("responses", door.chat, bool(body.get("stream")), door)


def searched(door: DoorRequest) -> DoorRequest:
    """The request after the server's search, when `web_search` is declared and the input
    asks for one (the default model's choice of a tool, offered a search tool)."""
    if not door.web_search:
        return door
    messages = door.chat["messages"]
    question = next((m["content"] for m in reversed(messages)
                     if m["role"] == "user" and isinstance(m["content"], str)), "")
    chosen = choose_tool([*door.chat.get("tools", ()), AS_TOOL], None, messages, question)
    if chosen is None or tool_name(chosen) != TOOL_NAME:
        return door
    return with_search(door, search_for(question))


def check(ask: Inference, model: Model) -> None:
    """"This endpoint currently supports kimi-k3" (the model data's `responses_api`)."""
    if not model.rules.get("responses_api"):
        raise invalid_request(f"model {model.id} is not supported by the Responses API, which "
                              "currently supports kimi-k3")


def answer_id(ids: IdGenerator, created: int) -> str:
    return ids.response_id(created)


def view(answer: Answer) -> ResponseView:
    door: DoorRequest = answer.inference.wire
    assert answer.model is not None, "the engine names the model that answered"
    return ResponseView(answer.plan, door, door.search, defaults_for(answer.model),
                        usage=answer.usage)


def render(answer: Answer) -> Mapping[str, Any]:
    return view(answer).body()


def events(answer: Answer) -> Iterator[bytes]:
    return frames(answer_events(view(answer)))


def is_final(event: bytes) -> bool:
    return event.startswith(FINAL_FRAMES)


def envelope(error: MoonshotError, request_id: str) -> bytes:
    return error.body()


def defaults(model: Model) -> Defaults:
    """What a response echoes where the request is silent: the model's values."""
    def fixed(name: str) -> float | None:
        rule = model.rules.get(name) or {}
        return float(rule["fixed"]) if "fixed" in rule else None
    return Defaults(model.default_max_tokens, fixed("temperature"), fixed("top_p"))


def defaults_for(model: Model) -> Defaults:
    """`defaults`, made once per model (not per request body: every new body needs them)."""
    made = _DEFAULTS.get(model.id)
    if made is None or made[0] is not model:
        made = _DEFAULTS[model.id] = (model, defaults(model))
    return made[1]


_DEFAULTS: dict[str, tuple[Model, Defaults]] = {}  # model id -> the model and its defaults


DOOR = Door("responses", "createResponse", parse, answer_id, render, events, is_final, envelope,
            check=check)
