"""`/v1/tools/search` and `/v1/tools/search_pro`: results for a query, and the rules of their
fields the schema cannot say (a `time_window` whose start is after its end).

The number of results is drawn between 0 and `limit` (most queries fill it; a few find
nothing, answered as an empty list and not billed). Scripted results (`ScriptedResults`) for a
query replace the drawn ones, cut to `limit`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from mock_server.errors import invalid_request
from mock_server.tools.pages import body_text, page, source

DEFAULT_LIMIT = 5
EMPTY_SHARE = 0.05  # queries that find nothing
Scripted = Mapping[str, Sequence[Mapping[str, Any]]]  # query -> its results as written


def result_count(seed: int, query: str, limit: int) -> int:
    rng = source(seed, "count", query)
    if rng.random() < EMPTY_SHARE:
        return 0
    return limit if rng.random() < 0.8 else rng.randint(1, limit)


def search_results(body: Mapping[str, Any], seed: int, scripted: Scripted) -> list[dict[str, Any]]:
    """`search_results` of `/v1/tools/search`: `text` is the page's content with
    `include_content`, else an empty string."""
    query, limit = body["text_query"], int(body.get("limit") or DEFAULT_LIMIT)
    if query in scripted:
        return [dict(result) for result in scripted[query][:limit]]
    results = []
    for index in range(result_count(seed, query, limit)):
        rng = source(seed, "search", query, str(index))
        result = page(rng, query)
        result["text"] = "\n\n".join(body_text(rng, query, 3)) if body.get("include_content") else ""
        results.append(result)
    return results


def search_pro_results(body: Mapping[str, Any], seed: int,
                       scripted: Scripted) -> list[dict[str, Any]]:
    """`search_results` of `/v1/tools/search_pro`: within `sites`, dated within `time_window`,
    each with scored `chunks`."""
    check_time_window(body.get("time_window"))
    query, limit = body["text_query"], int(body.get("limit") or DEFAULT_LIMIT)
    if query in scripted:
        return [dict(result) for result in scripted[query][:limit]]
    sites = tuple(body.get("sites") or ())
    low, high = window_days(body.get("time_window"))
    results = []
    for index in range(result_count(seed, query, limit)):
        rng = source(seed, "search_pro", query, str(index), *sites)
        result = page(rng, query, sites)
        result["date"] = date.fromordinal(rng.randint(low, high)).isoformat()
        texts = body_text(rng, query, rng.randint(1, 3))
        scores = sorted((round(rng.uniform(0.3, 0.99), 4) for _ in texts), reverse=True)
        result["chunks"] = [{"text": t, "score": s} for t, s in zip(texts, scores, strict=True)]
        results.append(result)
    return results


def period_start(value: str) -> date:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD` as the first day of its period."""
    parts = [int(part) for part in value.split("-")]
    return date(parts[0], *[*parts[1:], 1, 1][:2])


def check_time_window(window: Mapping[str, Any] | None) -> None:
    """Each bound a real date; `start` not later than `end` (both as first days)."""
    bounds: dict[str, date] = {}
    for name in ("start", "end"):
        value = (window or {}).get(name)
        if value:
            try:
                bounds[name] = period_start(value)
            except ValueError as exc:
                raise invalid_request(f"time_window.{name} is not a valid date ({exc})") from None
    if len(bounds) == 2 and bounds["start"] > bounds["end"]:
        raise invalid_request("time_window.start must not be later than time_window.end")


def window_days(window: Mapping[str, Any] | None) -> tuple[int, int]:
    """The ordinal days results may be dated on (the last five years by default)."""
    high = date(2026, 9, 1).toordinal()
    low = high - 5 * 365
    if window and window.get("start"):
        low = period_start(window["start"]).toordinal()
    if window and window.get("end"):
        high = period_start(window["end"]).toordinal()
    return low, max(low, high)
