"""Request signatures: the one place where an inference answer's signature headers are made.

The engine calls `signature_headers` for every planned answer whose request carries
`X-Msh-Request-Nonce`, whatever the door, after the plan (the model is known) and before the
first byte; the door sends what it returns with the answer (`engine.run.answer_headers`). A
request with exactly one valid nonce gets `Msh-Request-Timestamp` (milliseconds on the API
clock) and `Msh-Request-Signature` (`signatures/signer.py`, with the `signing_key` setting);
any other request gets neither and proceeds (reference §17.5).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from mock_server.signatures.signer import request_nonce

if TYPE_CHECKING:
    from mock_server.engine.call import Call
    from mock_server.services import Services


NONCE_HEADER = "x-msh-request-nonce"


def nonce_values(headers: Mapping[str, str]) -> list[str]:
    """Every value of the nonce header: all of them when the transport's headers keep repeats
    (`getlist`, as HTTP's do), else the one value."""
    getlist = getattr(headers, "getlist", None)
    if getlist is not None:
        return list(getlist(NONCE_HEADER))
    value = headers.get(NONCE_HEADER)
    return [] if value is None else [value]


def signature_headers(call: Call, model: str, services: Services) -> dict[str, str] | None:
    """The signature headers of this request's answer (None: none)."""
    nonce = request_nonce(nonce_values(call.headers))
    if nonce is None:
        return None
    return services.signer.headers(nonce, int(services.clock.now() * 1000), model)
