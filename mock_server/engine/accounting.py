"""Admission and billing (DESIGN steps 6 and 9), as the engine asks for them.

`Connected` is the app's own: a request through a connection is admitted against its account's
balance, limits and overload (a `Ticket` holding a concurrency slot goes on the call; the
door's transport frees it after the last byte) and billed at the model's prices, a non-stream
answer before it is sent, a stream once its final event is. A batch run brings its own
(`endpoints/batch_run.py`: a funded account, the batch price, charged when the batch ends).
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from mock_server.accounts.admission import Demand, Ticket
    from mock_server.engine.call import Call
    from mock_server.services import Services


class Accounting(Protocol):
    def admit(self, call: Call, demand: Demand) -> Awaitable[Ticket | None]:
        """Refuse (raise the `MoonshotError`), or admit: the ticket that holds a slot, if any."""

    def bill(self, call: Call, usage: dict[str, int]) -> Awaitable[object]:
        """Charge the answer's usage."""


class Connected:
    __slots__ = ("services",)

    def __init__(self, services: Services) -> None:
        self.services = services  # its admission is replaced by a reset: looked up each time

    def admit(self, call: Call, demand: Demand) -> Awaitable[Ticket]:
        return self.services.admission.admit(call.caller, demand)

    def bill(self, call: Call, usage: dict[str, int]) -> Awaitable[object]:
        assert call.ticket is not None, "billed after admission"
        return self.services.admission.bill(call.ticket, call.caller.account, usage)
