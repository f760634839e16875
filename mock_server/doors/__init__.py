"""The inference doors: one module per wire format, each a `engine.door.Door` (parse, render,
frame, its error envelope), registered here by the spec operation it answers."""

from __future__ import annotations

from collections.abc import Mapping

from mock_server.doors import chat, messages, responses
from mock_server.engine.door import Door

DOORS: Mapping[str, Door] = {door.operation_id: door
                             for door in (chat.DOOR, messages.DOOR, responses.DOOR)}
