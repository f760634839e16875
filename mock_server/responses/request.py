"""A Responses request (schema-checked) as the chat request the engine answers.

`parse_request` keeps what only this door needs beside the chat body: the wire identity of
each tool (`ToolIndex`), whether the request declared `web_search` and asked for its sources,
and the settings the response echoes. The platform's endpoint is stateless: a request that
asks for stored state is refused naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from mock_server.errors import invalid_request
from mock_server.responses.items import conversation
from mock_server.responses.search import Search, search_turns
from mock_server.responses.tools import ToolIndex, chat_tools

Body = Mapping[str, Any]
DEFAULT_SCHEMA_NAME = "output"
SOURCES = "web_search_call.action.sources"
STATEFUL = ("previous_response_id", "conversation")
# request fields the chat body takes as they are
PASSED_ON = ("model", "stream", "prompt_cache_key", "safety_identifier")


class DoorRequest(NamedTuple):
    """What the door made of one request (a named tuple: made for every new body)."""

    body: Body  # the request as sent (schema-checked)
    chat: dict[str, Any]  # the same request in the chat shape
    tools: ToolIndex
    search: Search | None  # the web search the server runs before answering
    # what renders of this request the same for every answer (`body.echo`), made once
    memo: dict[Any, Any]

    @property
    def web_search(self) -> bool:
        return self.tools.web_search is not None

    @property
    def sources(self) -> bool:
        return SOURCES in (self.body.get("include") or ())


def parse_request(body: Body) -> DoorRequest:
    _refuse_state(body)
    index = ToolIndex()
    tools = chat_tools(body.get("tools"), index, "tools")
    chat: dict[str, Any] = {key: body[key] for key in PASSED_ON if body.get(key) is not None}
    chat["messages"] = conversation(body, index)  # after the tools: calls use their names
    if tools:
        chat["tools"] = tools
    effort = (body.get("reasoning") or {}).get("effort")
    if effort is not None:
        chat["reasoning_effort"] = effort
    if body.get("max_output_tokens") is not None:
        chat["max_completion_tokens"] = body["max_output_tokens"]
    response_format = _response_format((body.get("text") or {}).get("format"))
    if response_format is not None:
        chat["response_format"] = response_format
    return DoorRequest(body, chat, index, None, {})


def with_search(door: DoorRequest, search: Search) -> DoorRequest:
    """The request after the server's search: its call and results read before the answer."""
    chat = {**door.chat, "messages": [*door.chat["messages"], *search_turns(search)]}
    return door._replace(chat=chat, search=search, memo={})


def _refuse_state(body: Body) -> None:
    for name in STATEFUL:
        if body.get(name) is not None:
            raise invalid_request(f"{name} is not supported: this endpoint is stateless "
                                  "(responses are not stored)")
    if body.get("background"):
        raise invalid_request("background must be false: this endpoint does not run "
                              "responses in the background")


def _response_format(fmt: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not fmt:
        return None
    strict = fmt.get("strict")
    return {"type": "json_schema", "json_schema": {
        "name": fmt.get("name") or DEFAULT_SCHEMA_NAME, "schema": fmt["schema"],
        "strict": True if strict is None else strict}}
