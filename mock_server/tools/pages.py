"""Plausible, deterministic web pages: the same seed and query give the same results.

A query is hashed with the seed into a random source that picks sites, dates and words; the
query's own words lead every title and snippet, so results look like answers to it. A Chinese
query gets Chinese text.
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta
from functools import cache
from typing import Any

from mock_server.data.word_lists import faker_word_list

SITES = (("Wikipedia", "en.wikipedia.org"), ("Reuters", "www.reuters.com"),
         ("GitHub", "github.com"), ("Stack Overflow", "stackoverflow.com"),
         ("MDN Web Docs", "developer.mozilla.org"), ("BBC", "www.bbc.com"),
         ("知乎", "www.zhihu.com"), ("百度百科", "baike.baidu.com"), ("新华网", "www.news.cn"),
         ("Python Docs", "docs.python.org"), ("arXiv", "arxiv.org"), ("Medium", "medium.com"))
AUTHORITIES = ("high", "medium", "low")
LATEST = date(2026, 9, 1)  # results are dated within the five years before


@cache
def _words(chinese: bool) -> tuple[str, ...]:
    return faker_word_list("zh_CN" if chinese else "en_US")


def is_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def source(seed: int, *parts: str) -> random.Random:
    digest = hashlib.blake2b("\x00".join(parts).encode(), digest_size=16,
                             key=b"%d:web" % seed).digest()
    return random.Random(int.from_bytes(digest, "big"))


def sentence(rng: random.Random, lead: str, chinese: bool, words: int) -> str:
    picked = [rng.choice(_words(chinese)) for _ in range(words)]
    if chinese:
        return f"{lead}：{''.join(picked)}。"
    text = " ".join(picked)
    return f"{lead}: {text[:1].upper()}{text[1:]}."


def page(rng: random.Random, query: str, sites: tuple[str, ...] = ()) -> dict[str, Any]:
    """One result's common fields (title, url, site, date, snippet, icon, mime, authority)."""
    chinese = is_chinese(query)
    name, host = rng.choice(SITES)
    if sites:
        host = rng.choice(sites)
        name = host.removeprefix("www.").split(".")[0].capitalize()
    slug = "-".join(rng.choice(_words(False)) for _ in range(3))
    day = LATEST - timedelta(days=rng.randrange(5 * 365))
    extra = [rng.choice(_words(chinese)) for _ in range(rng.randint(2, 5))]
    title = f"{query}{''.join(extra)}" if chinese else f"{query.strip().capitalize()} - {' '.join(extra)}"
    return {"title": f"{title} | {name}", "url": f"https://{host}/{slug}",
            "site_name": name, "date": day.isoformat(), "icon": f"https://{host}/favicon.ico",
            "mime": "text/html", "authority": rng.choice(AUTHORITIES),
            "snippet": sentence(rng, query.strip(), chinese, rng.randint(12, 24))}


def body_text(rng: random.Random, query: str, paragraphs: int) -> list[str]:
    chinese = is_chinese(query)
    return [sentence(rng, query.strip(), chinese, rng.randint(30, 60)) for _ in range(paragraphs)]


def fetched(seed: int, url: str) -> dict[str, Any]:
    """`/v1/tools/fetch` of `url`: a title and a Markdown body with one image placeholder."""
    rng = source(seed, "fetch", url)
    host = url.split("://", 1)[-1].split("/", 1)[0]
    topic = " ".join(rng.choice(_words(False)) for _ in range(3))
    paragraphs = body_text(rng, topic.capitalize(), rng.randint(2, 4))
    image = f"![image1](https://{host}/static/{rng.getrandbits(40):010x}.png)"
    markdown = "\n\n".join([f"# {topic.title()}", paragraphs[0], image, *paragraphs[1:]])
    return {"url": url, "title": f"{topic.title()} | {host}", "markdown": markdown}
