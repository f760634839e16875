"""The server-side `web_search` tool, made up deterministically.

Whether the input asks for a search is decided the way the default model picks a tool: the
door offers the model `AS_TOOL` beside the request's own tools (it is called when the text
points at searching, news, or today's facts). The search itself is a plain function of the
question: a query of its words (with the answer's day when it asks about today) and pages on
the reserved example domains. Its results are read into the model's context as a search call
and its result (`search_turns`), so their tokens count in the prompt, as on the platform, and
the answer follows from them.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from typing import Any, NamedTuple

import orjson

TOOL_NAME = "web_search"
AS_TOOL = {"type": "function", "function": {
    "name": TOOL_NAME,
    "description": "Search the web for news, current events, prices and facts of today.",
    "parameters": {"type": "object", "properties": {"query": {"type": "string"}}}}}
CALL_ID = "web_search_0"
_WORD = re.compile(r"[\w'-]+", re.UNICODE)
_TODAY = re.compile(r"\b(today|latest|current|now|this week|news)\b|今天|最新|新闻", re.I)
_FILLER_TEXT = """a an the is are was were what which who whom how why when where do does
did please tell me about of on in for to and or can could would you your i my give find search
web look up stories story today now tonight"""
_FILLER = frozenset(_FILLER_TEXT.split())
SITES = ("example.com", "example.org", "example.net")
SOURCES = 3
# kimi-k3 reasons before every call, and a chat turn with calls must carry its reasoning
SEARCH_REASONING = "The question needs a web search."


class Search(NamedTuple):
    """A web search the server runs before answering (`sources`: (url, title) pairs)."""

    query: str
    sources: tuple[tuple[str, str], ...]
    dated: bool  # the question asks about today: the query names the answer's day

    def query_on(self, day: date) -> str:
        return f"{self.query} {day.strftime('%B')} {day.day} {day.year}" if self.dated \
            else self.query


def search_for(question: str) -> Search:
    words = [w for w in _WORD.findall(question) if w.lower() not in _FILLER][:8]
    query = " ".join(words) if words else question.strip()[:64]
    digest = hashlib.blake2b(query.encode(), digest_size=16).hexdigest()
    slug = "-".join(query.lower().split()[:6]) or "result"
    title = query.title() if query.isascii() else query
    sources = tuple((f"https://{SITES[n % len(SITES)]}/{slug}-{digest[n * 4:n * 4 + 4]}",
                     f"{title} ({n + 1})") for n in range(SOURCES))
    return Search(query, sources, bool(_TODAY.search(question)))


def search_turns(search: Search) -> list[dict[str, Any]]:
    """The search as the model reads it: its call, then its results."""
    arguments = orjson.dumps({"query": search.query}).decode()
    results = [f"Search results for: {search.query}"]
    results += [f"[{n + 1}] {title} — {url}" for n, (url, title) in enumerate(search.sources)]
    return [{"role": "assistant", "content": "", "reasoning_content": SEARCH_REASONING,
             "tool_calls": [{"id": CALL_ID, "type": "function",
                             "function": {"name": TOOL_NAME, "arguments": arguments}}]},
            {"role": "tool", "tool_call_id": CALL_ID, "content": "\n".join(results)}]
