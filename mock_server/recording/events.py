"""Server-sent events out of a byte stream, as the chunks arrive.

An event ends with a blank line (`\\n\\n`); chunks may hold several events or part of one.
The splitter keeps the bytes as they came: joining its events and `rest` gives the stream.
"""

from __future__ import annotations


class EventSplitter:
    __slots__ = ("buffer",)

    def __init__(self) -> None:
        self.buffer = b""

    def feed(self, chunk: bytes) -> list[bytes]:
        """The events completed by `chunk`, each with its closing blank line."""
        data = self.buffer + chunk if self.buffer else chunk
        events: list[bytes] = []
        start = 0
        while (end := data.find(b"\n\n", start)) != -1:
            events.append(data[start:end + 2])
            start = end + 2
        self.buffer = data[start:]
        return events

    @property
    def rest(self) -> bytes:
        """What arrived after the last complete event (a cut stream leaves some)."""
        return self.buffer
