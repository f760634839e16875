"""Request signatures: the one place where an inference answer's signature headers are made.

The engine calls `signature_headers` for every planned answer whose request carries
`X-Msh-Request-Nonce`, whatever the door, after the plan (the model is known) and before the
first byte; the door sends what it returns with the answer (`engine.run.answer_headers`). The
platform's 2026-09 signatures (`Msh-Request-Timestamp` on the API clock and
`Msh-Request-Signature` over nonce, timestamp and model) are not emulated yet: no request
gets signature headers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mock_server.engine.call import Call
    from mock_server.services import Services


NONCE_HEADER = "x-msh-request-nonce"


def signature_headers(call: Call, model: str, services: Services) -> dict[str, str] | None:
    """The signature headers of this request's answer (None: none)."""
    return None
