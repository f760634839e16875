"""The order of a Responses stream's named frames (`x-sse-order: responses`), as a plain rule:
events in, problems out. Numbered from 0 without gaps (`sequence_number`), opened by
`response.created`, ended by its final event, one response id throughout.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

RESPONSE_FINAL = ("response.completed", "response.incomplete", "response.failed")


def response_order_problems(events: list[Mapping[str, Any]]) -> list[str]:
    problems = []
    numbers = [e.get("sequence_number") for e in events]
    if numbers != list(range(len(events))):
        problems.append(f"sequence numbers {numbers[:8]}…; documented 0, 1, 2, … without gaps")
    kinds = [e.get("type") for e in events]
    if kinds[:1] != ["response.created"]:
        problems.append(f"the first event is {kinds[:1]}, documented response.created")
    if not kinds or kinds[-1] not in RESPONSE_FINAL:
        problems.append(f"the last event is {kinds[-1:]}, documented one of {RESPONSE_FINAL}")
    ids = {e["response"].get("id") for e in events if isinstance(e.get("response"), Mapping)}
    if len(ids) > 1:
        problems.append(f"{len(ids)} response ids in one stream: {sorted(map(str, ids))[:3]}")
    return problems
