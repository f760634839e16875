"""Identifiers in the real API's formats, from a seeded source so runs are reproducible."""

from __future__ import annotations

import hashlib
import random

_XID_ALPHABET = "0123456789abcdefghijklmnopqrstuv"


def xid_from(timestamp: int, rest: bytes) -> str:
    """An xid (rs/xid): 12 bytes, the first 4 the Unix time, as 20 base32hex lowercase chars."""
    raw = timestamp.to_bytes(4, "big") + rest[:8].rjust(8, b"\0")
    value = int.from_bytes(raw, "big") << 4  # 96 bits padded to 100 = 20 chars of 5 bits
    return "".join(_XID_ALPHABET[(value >> shift) & 31] for shift in range(95, -1, -5))


def xid_time(xid: str) -> int:
    value = 0
    for char in xid:
        value = (value << 5) | _XID_ALPHABET.index(char)
    return (value >> 4) >> 64


def stable_hex(*parts: object, length: int = 32) -> str:
    """Hex digest of the parts: ids derived from a key (accounts, key ids) stay the same."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=32).hexdigest()[:length]


class IdGenerator:
    """Every id the fake mints, drawn from one seeded random source."""

    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)
        self._node = self._random.getrandbits(48) | (1 << 40)  # multicast bit: not a real MAC
        self._node_hex = f"{self._node:012x}"

    def hex(self, length: int) -> str:
        return f"{self._random.getrandbits(length * 4):0{length}x}"

    def completion_id(self, created: int) -> str:
        """`chatcmpl-` + 24 hex, the first 8 being `created` (ObjectId-like, 2025+ captures)."""
        value = (created & 0xFFFFFFFF) << 64 | self._random.getrandbits(64)
        return "chatcmpl-" + value.to_bytes(12, "big").hex()  # hex of bytes: no format spec

    def message_id(self, created: int) -> str:
        """`msg_` + 24 hex, the first 8 being `created` (the Messages door; the real format is
        not documented, this one is the completion id's under the Anthropic prefix)."""
        value = (created & 0xFFFFFFFF) << 64 | self._random.getrandbits(64)
        return "msg_" + value.to_bytes(12, "big").hex()

    def response_id(self, created: int) -> str:
        """`resp_` + 24 hex, the first 8 being `created` (the platform's Responses page shows
        `resp_` + 24 hex)."""
        value = (created & 0xFFFFFFFF) << 64 | self._random.getrandbits(64)
        return "resp_" + value.to_bytes(12, "big").hex()

    def batch_id(self, created: int) -> str:
        """`batch_` + 24 hex, the first 8 being the creation time (the docs show `batch_xxx`;
        the real format is unknown, this one sorts by time like the completion ids)."""
        value = (created & 0xFFFFFFFF) << 64 | self._random.getrandbits(64)
        return "batch_" + value.to_bytes(12, "big").hex()

    def cache_id(self) -> str:
        """`cache-` + 20 lowercase letters and digits, as the docs' real example."""
        alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
        return "cache-" + "".join(alphabet[self._random.getrandbits(8) % 36] for _ in range(20))

    def fiber_id(self) -> str:
        """`fiber-` + 20 lowercase letters and digits, as the guide's example."""
        alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
        return "fiber-" + "".join(alphabet[self._random.getrandbits(8) % 36] for _ in range(20))

    def system_fingerprint(self) -> str:
        return f"fpv0_{self.hex(8)}"

    def file_id(self, created_at: int) -> str:
        return xid_from(created_at, self._random.getrandbits(64).to_bytes(8, "big"))

    def request_id(self, now: float) -> str:
        """UUID version 1 of the request time, as `Msh-Request-Id` is."""
        ticks = int(now * 10_000_000) + 0x01B21DD213814000
        clock_seq = 0x8000 | self._random.getrandbits(14)  # variant bits 10, then 14 random
        # the text of uuid.UUID(fields=...): the time fields and the clock sequence as the hex
        # of their bytes (cheaper than four format specs), then cut into groups
        fields = ((ticks & 0xFFFFFFFF) << 48 | ((ticks >> 32) & 0xFFFF) << 32
                  | (((ticks >> 48) & 0x0FFF) | 0x1000) << 16 | clock_seq)
        text = fields.to_bytes(10, "big").hex()
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:]}-{self._node_hex}"
