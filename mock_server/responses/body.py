"""The `Response` object: the planned output with its status and usage, and the request's
settings echoed with the fixed values of a stateless endpoint (`store` false, `background`
false, `previous_response_id` and `conversation` null)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mock_server.responses.output import (
    Defaults,
    Item,
    Search,
    final_status,
    item_body,
    output_items,
    response_id,
    usage_body,
)

if TYPE_CHECKING:
    from mock_server.chat.plan import ChatPlan
    from mock_server.responses.request import DoorRequest

DEFAULT_EFFORT = "max"
INCOMPLETE = {"reason": "max_output_tokens"}


class ResponseView:
    """A planned answer with everything its Response object and stream need."""

    def __init__(self, plan: ChatPlan, door: DoorRequest, search: Search | None,
                 defaults: Defaults, completed_at: int | None = None,
                 usage: dict[str, int] | None = None) -> None:
        self.plan = plan
        self.door = door
        self.defaults = defaults
        self.items: list[Item] = output_items(plan, door, search)
        self.status = final_status(plan.choices[0])
        self.completed_at = plan.created if completed_at is None else completed_at
        # the chat usage (what is billed and journaled): the engine's, when it has it
        self.usage = plan.usage() if usage is None else usage
        self.id = response_id(plan)

    def final_items(self) -> list[dict[str, Any]]:
        """The output; the last item is incomplete when the budget ran out in it."""
        last = len(self.items) - 1
        return [item_body(item, self.status if index == last else "completed", self.door)
                for index, item in enumerate(self.items)]

    def body(self) -> dict[str, Any]:
        """The non-stream answer, and the final stream event's response."""
        return self.snapshot(self.status, self.final_items())

    def snapshot(self, status: str, output: list[dict[str, Any]],
                 error: dict[str, str] | None = None) -> dict[str, Any]:
        done = status in ("completed", "incomplete")
        return {
            "id": self.id, "object": "response", "created_at": self.plan.created,
            "status": status, "background": False,
            "completed_at": self.completed_at if done else None,
            "conversation": None, "error": error,
            "incomplete_details": INCOMPLETE if status == "incomplete" else None,
            "model": self.plan.model, "output": output,
            **echo(self.door, self.defaults),
            "usage": usage_body(self.plan, self.usage) if done else None,
        }


def echo(door: DoorRequest, defaults: Defaults) -> dict[str, Any]:
    """The request's settings as every response to it echoes them (made once per request
    and model defaults)."""
    made = door.memo.get(defaults)
    if made is not None:
        return made
    request = door.body
    reasoning = request.get("reasoning") or {}
    made = door.memo[defaults] = {
        "instructions": request.get("instructions"),
        "max_output_tokens": request.get("max_output_tokens") or defaults.max_output_tokens,
        "metadata": request.get("metadata"),
        "parallel_tool_calls": request.get("parallel_tool_calls") is not False,
        "previous_response_id": None, "prompt_cache_key": request.get("prompt_cache_key"),
        "reasoning": {"effort": reasoning.get("effort") or DEFAULT_EFFORT,
                      "summary": reasoning.get("summary")},
        "safety_identifier": request.get("safety_identifier"), "service_tier": None,
        "store": False, "temperature": defaults.temperature, "text": request.get("text"),
        "tool_choice": "auto", "tools": list(request.get("tools") or ()), "top_p": defaults.top_p,
    }
    return made
