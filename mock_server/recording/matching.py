"""What a strict replay tells a request no recorded exchange answers: the closest recorded
request (chosen by `replies.recorded.RecordedStubs.closest`) and the first place where the two
normalised documents differ."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mock_server.recording.document import Exchange

MAX_SHOWN = 60


def first_difference(recorded: Any, sent: Any, where: str = "") -> str | None:
    """`body.messages[0].content: recorded 'Hi', sent 'Hello'`, or None when equal."""
    if isinstance(recorded, Mapping) and isinstance(sent, Mapping):
        for name in [*recorded, *(k for k in sent if k not in recorded)]:
            if name not in sent or name not in recorded:
                side = "only in the recording" if name not in sent else "only in the request"
                return f"{where}{'.' if where else ''}{name}: {side}"
            found = first_difference(recorded[name], sent[name], f"{where}{'.' if where else ''}{name}")
            if found:
                return found
        return None
    if isinstance(recorded, list) and isinstance(sent, list):
        for index, (a, b) in enumerate(zip(recorded, sent, strict=False)):
            found = first_difference(a, b, f"{where}[{index}]")
            if found:
                return found
        if len(recorded) != len(sent):
            return f"{where}: {len(recorded)} items recorded, {len(sent)} sent"
        return None
    if recorded == sent:
        return None
    return f"{where or 'request'}: recorded {_short(recorded)}, sent {_short(sent)}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 1] + "…"


def unmatched_message(request: Mapping[str, Any], closest: Exchange | None, where: str) -> str:
    """The strict replay's 404 message for a request the recording has no answer to."""
    head = (f"No recorded reply matches {request.get('method')} {request.get('path')} "
            f"(strict replay of {where})")
    if closest is None:
        return f"{head}; the recording is empty"
    recorded = closest.request
    difference = first_difference(recorded, request) or "nothing (all its answers were used)"
    return (f"{head}; the closest recorded request is {closest.name} ({recorded.get('method')} "
            f"{recorded.get('path')}), which differs at {difference}")
