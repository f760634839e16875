"""Thinking-block signatures: what the API signs when it answers, checked when a client passes
the block back.

A signature is an HMAC of the thinking text, written as base64 like the real API's opaque
tokens. A block whose text was changed, or that carries another block's signature, no longer
matches. The key is the fake's own and fixed (a signature depends on the text alone), so a
seeded run stays byte-identical and a conversation can move between two fakes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

VERSION = b"\x01"  # the first byte of every signature: its scheme


class ThinkingSigner:
    def __init__(self, key: bytes) -> None:
        self._key = key

    def sign(self, thinking: str) -> str:
        mac = hmac.new(self._key, thinking.encode(), hashlib.sha256).digest()
        return base64.b64encode(VERSION + mac).decode()

    def valid(self, thinking: str, signature: str) -> bool:
        return hmac.compare_digest(self.sign(thinking).encode(), signature.encode())  # any text


SIGNER = ThinkingSigner(b"moonshot-mock thinking signature v1")
