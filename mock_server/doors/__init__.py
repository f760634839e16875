"""The inference doors: one module per wire format, each a `engine.door.Door` (parse, render,
frame, its error envelope), registered here by the spec operation it answers.

The table names each door's module; `door` imports it on the operation's first request (the
Messages and Responses doors bring their own packages, which a chat completion never needs).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mock_server.engine.door import Door

DOORS: Mapping[str, str] = {  # operationId -> its door's module in this package
    "createChatCompletion": "chat",
    "createMessage": "messages",
    "createResponse": "responses",
}


@cache
def door(operation_id: str) -> Door:
    """The operation's door, its module imported."""
    found: Door = import_module(f"{__name__}.{DOORS[operation_id]}").DOOR
    return found
