"""Thinking-block signatures: what the API signs when it answers, checked when a client passes
the block back.

A signature is an HMAC of the thinking text under a key of the app (derived from its seed, so
a seeded run is byte-identical), written as base64 like the real API's opaque tokens. A block
whose text was changed, or that carries another answer's signature, no longer matches.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

VERSION = b"\x01"  # the first byte of every signature: its scheme


class ThinkingSigner:
    def __init__(self, seed: int) -> None:
        self._key = hashlib.blake2b(b"thinking-signature:%d" % seed, digest_size=32).digest()

    def sign(self, thinking: str) -> str:
        mac = hmac.new(self._key, thinking.encode(), hashlib.sha256).digest()
        return base64.b64encode(VERSION + mac).decode()

    def valid(self, thinking: str, signature: str) -> bool:
        return hmac.compare_digest(self.sign(thinking), signature)
