"""Scripted web results: what a query or a URL returns, written by a test.

The same entries come from a config file's `web_results:` list and from the control plane
(`POST /_mock/web_results`):

    - query: "moonshot pricing"        # /v1/tools/search and /search_pro
      results:                         # [] = nothing found (free, as an empty call is)
        - {title: Pricing, url: "https://platform.kimi.ai/docs/pricing", snippet: "..."}
    - url: "https://example.com/"      # /v1/tools/fetch
      page: {title: Example, markdown: "# Example"}

Fields a result leaves out are filled in (the site from the URL, `text: ""`, `chunks: []`, ...).
A `WebScriptError` names the entry and the field that is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

RESULT_FIELDS = ("title", "url", "snippet", "site_name", "date", "icon", "mime", "authority",
                 "text", "chunks")
PAGE_FIELDS = ("title", "markdown")


class WebScriptError(ValueError):
    """A scripted web result that cannot be used; the message names the field."""


@dataclass(frozen=True)
class WebScript:
    searches: Mapping[str, tuple[dict[str, Any], ...]] = field(default_factory=dict)
    pages: Mapping[str, dict[str, Any]] = field(default_factory=dict)

    def plus(self, other: WebScript) -> WebScript:
        """These entries with `other`'s added (a query or URL given again: the newer wins)."""
        return WebScript({**self.searches, **other.searches}, {**self.pages, **other.pages})

    def entries(self) -> list[dict[str, Any]]:
        """The entries as written (what `parse_web_script` reads back into the same script)."""
        return [*({"query": q, "results": list(r)} for q, r in self.searches.items()),
                *({"url": u, "page": {k: p[k] for k in PAGE_FIELDS}} for u, p in self.pages.items())]


def parse_web_script(entries: Any, where: str = "web_results") -> WebScript:
    if not isinstance(entries, list):
        raise WebScriptError(f"{where} must be a list of entries with `query` or `url`")
    searches: dict[str, tuple[dict[str, Any], ...]] = {}
    pages: dict[str, dict[str, Any]] = {}
    for index, entry in enumerate(entries):
        at = f"{where}[{index}]"
        if not isinstance(entry, Mapping) or ("query" in entry) == ("url" in entry):
            raise WebScriptError(f"{at} must have exactly one of `query` or `url`")
        if "query" in entry:
            searches[_text(entry, "query", at)] = _results(entry.get("results"), f"{at}.results")
        else:
            pages[_text(entry, "url", at)] = _page(entry.get("page"), entry["url"], f"{at}.page")
    return WebScript(searches, pages)


def _text(entry: Mapping[str, Any], name: str, at: str) -> str:
    value = entry[name]
    if not isinstance(value, str) or not value:
        raise WebScriptError(f"{at}.{name} must be a non-empty string")
    return value


def _results(results: Any, at: str) -> tuple[dict[str, Any], ...]:
    if not isinstance(results, Sequence) or isinstance(results, str):
        raise WebScriptError(f"{at} must be a list of results")
    return tuple(_result(result, f"{at}[{index}]") for index, result in enumerate(results))


def _result(result: Any, at: str) -> dict[str, Any]:
    if not isinstance(result, Mapping):
        raise WebScriptError(f"{at} must be a mapping of {', '.join(RESULT_FIELDS)}")
    unknown = sorted(set(result) - set(RESULT_FIELDS))
    if unknown:
        raise WebScriptError(f"{at}.{unknown[0]} is not a result field ({', '.join(RESULT_FIELDS)})")
    url = str(result.get("url", "https://example.com/"))
    host = url.split("://", 1)[-1].split("/", 1)[0]
    return {"title": str(result.get("title", host)), "url": url,
            "snippet": str(result.get("snippet", "")), "site_name": str(result.get("site_name", host)),
            "date": str(result.get("date", "")), "icon": str(result.get("icon", "")),
            "mime": str(result.get("mime", "text/html")),
            "authority": str(result.get("authority", "medium")),
            "text": str(result.get("text", "")), "chunks": list(result.get("chunks") or [])}


def _page(page: Any, url: str, at: str) -> dict[str, Any]:
    if not isinstance(page, Mapping) or not set(page) <= set(PAGE_FIELDS):
        raise WebScriptError(f"{at} must be a mapping of {' and '.join(PAGE_FIELDS)}")
    return {"url": url, "title": str(page.get("title", "")), "markdown": str(page.get("markdown", ""))}


def search_view(script: WebScript, pro: bool) -> Mapping[str, Sequence[dict[str, Any]]]:
    """The scripted results as the endpoint answers them: search results have `text`,
    search_pro results `chunks`."""
    drop = "text" if pro else "chunks"
    return {query: [{k: v for k, v in r.items() if k != drop} for r in results]
            for query, results in script.searches.items()}
