"""Automatic context caching as plain data: hits in multiples of 256 after a prompt over 256
tokens, per account and model, never the whole prompt."""

from __future__ import annotations

from mock_server.chat.context_cache import ContextCache, best_hit, common_prefix, prompt_text


def body(system: str, user: str) -> dict[str, object]:
    return {"messages": [{"role": "system", "content": system}, {"role": "user", "content": user}]}


def test_common_prefix() -> None:
    assert common_prefix("abcdef", "abcxyz") == 3
    assert common_prefix("", "abc") == 0 and common_prefix("same", "same") == 4
    long = "月" * 100_000
    assert common_prefix(long + "a", long + "b") == 100_000


def test_prefixes_of_the_prompt_text_follow_the_messages() -> None:
    first, second = prompt_text(body("S" * 50, "one")), prompt_text(body("S" * 50, "two"))
    assert common_prefix(first, second) == len(first) - 3


def test_hits_are_multiples_of_256_and_never_the_whole_prompt() -> None:
    text = "x" * 1000
    assert best_hit(text, 1000, [(text, 1000)]) == 768  # 999 rounded down
    assert best_hit(text, 1000, [(text[:500] + "y" * 500, 1000)]) == 256
    assert best_hit(text, 1000, [(text, 256)]) == 0  # the earlier prompt was not over 256
    assert best_hit(text, 1000, [(text, 300)]) == 256  # never more than the earlier prompt


def test_memory_per_account_and_model() -> None:
    cache = ContextCache()
    long = body("rules " * 2000, "a")
    assert cache.cached_tokens("acme", "m", long, 2000) == 0
    assert cache.cached_tokens("acme", "m", body("rules " * 2000, "b"), 2000) == 1792
    assert cache.cached_tokens("acme", "other-model", long, 2000) == 0
    assert cache.cached_tokens("other", "m", long, 2000) == 0
    assert cache.cached_tokens("acme", "m", body("short", "a"), 200) == 0
    cache.clear()
    assert cache.cached_tokens("acme", "m", long, 2000) == 0
