"""What a door is to the engine: how its wire request becomes an `Inference`, and how the
engine's planned `Answer` (or its refusal) goes back out in the door's own format.

A door is a `Door` value (one per inference operation, `doors/`); the HTTP runner
(`http/doors.py`) and the batch runner (`endpoints/batch_run.py`) drive the engine with it. A
door writes no pipeline step: it parses, it renders, it frames.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mock_server.data.catalogue import Model
    from mock_server.engine.answer import Answer
    from mock_server.engine.call import Call
    from mock_server.engine.request import Inference
    from mock_server.errors import MoonshotError
    from mock_server.ids import IdGenerator


@dataclass(frozen=True, slots=True)
class Door:
    name: str  # how the journal and the logs name it: "chat", "messages", "responses"
    operation_id: str  # its spec operation: the body is checked against it before `parse`
    # the checked wire body -> the internal request; raises `MoonshotError`s of its own wording
    parse: Callable[[Any, Call], Inference]
    # the answer's id (`chatcmpl-…`, `msg_…`, `resp_…`) from the app's ids and the answer's time
    answer_id: Callable[[IdGenerator, int], str]
    render: Callable[[Answer], Mapping[str, Any]]  # the non-stream JSON payload
    # the stream's events, each framed (`data: …\n\n`, `event: …\ndata: …\n\n`), the final one last
    events: Callable[[Answer], Iterator[bytes]]
    is_final: Callable[[bytes], bool]  # the event that ends a complete stream (`data: [DONE]`)
    # an error's body, given the request's id; status and headers are the error's
    envelope: Callable[[MoonshotError, str], bytes]
    # the key as `Bearer <key>` from the request's headers; None: the `Authorization` header
    credentials: Callable[[Mapping[str, str]], str | None] | None = None
    # the door's own rule on the checked request and its model (e.g. the models it serves),
    # after the engine's checks and before admission; raises `MoonshotError`
    check: Callable[[Inference, Model], None] | None = None
