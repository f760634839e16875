"""Signing and verifying a request's nonce, timestamp and model.

A signature is `reqsigv1_` + the unpadded URL-safe base64 of HMAC-SHA256 over
`nonce \\n timestamp \\n model` with the key of the `signing_key` setting (or, when that is
empty, a key derived from the seed), so replicas that share the key (or the seed) verify each
other's signatures. The nonce is one header value of visible ASCII: it has no line break, and
the timestamp is digits, so the message cannot be read two ways.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Sequence

PREFIX = "reqsigv1_"
NONCE_MAX_CHARS = 256  # a UUID is 36; the real bound is not documented


def request_nonce(values: Sequence[str]) -> str | None:
    """The nonce of the `X-Msh-Request-Nonce` header values, or None when the request is not
    to be signed: no header, more than one, an empty value, one longer than `NONCE_MAX_CHARS`
    or with characters outside visible ASCII (the request proceeds unsigned)."""
    if len(values) != 1:
        return None
    nonce = values[0]
    if not 0 < len(nonce) <= NONCE_MAX_CHARS or not all("!" <= char <= "~" for char in nonce):
        return None
    return nonce


def signing_key(setting: str, seed: int) -> bytes:
    """The key of the `signing_key` setting, else one derived from the seed."""
    if setting:
        return setting.encode("utf-8")
    return hashlib.sha256(f"moonshot-mock request signatures, seed {seed}".encode()).digest()


class Signer:
    """Signs and verifies with one key (its `repr` never shows it)."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def __repr__(self) -> str:
        return "Signer(key=***)"

    def sign(self, nonce: str, timestamp_ms: int, model: str) -> str:
        message = f"{nonce}\n{timestamp_ms}\n{model}".encode()
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return PREFIX + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")

    def verify(self, nonce: str, timestamp_ms: int, model: str, signature: str) -> bool:
        """Whether `signature` is this key's signature of exactly these three values."""
        if request_nonce((nonce,)) is None or timestamp_ms < 0:
            return False
        return hmac.compare_digest(self.sign(nonce, timestamp_ms, model).encode(),
                                   signature.encode("utf-8", "replace"))

    def headers(self, nonce: str, timestamp_ms: int, model: str) -> dict[str, str]:
        """The response headers of a signed request."""
        return {"Msh-Request-Timestamp": str(timestamp_ms),
                "Msh-Request-Signature": self.sign(nonce, timestamp_ms, model)}
