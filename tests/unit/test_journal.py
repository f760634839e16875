"""The journal: bounded, queryable, exportable, and never holding an API key."""

from __future__ import annotations

import itertools

import orjson

from mock_server.journal import Journal, redact, summarize_body


def make_journal(size: int = 3) -> Journal:
    ticks = itertools.count()
    return Journal(size, monotonic=lambda: float(next(ticks)))


def test_bounded_keeps_the_newest() -> None:
    journal = make_journal(3)
    for i in range(5):
        journal.open("GET", f"/v1/p{i}", now=100.0 + i)
    assert [e["path"] for e in journal.entries()] == ["/v1/p2", "/v1/p3", "/v1/p4"]
    assert [e["seq"] for e in journal.entries()] == [3, 4, 5]
    assert [e["elapsed"] for e in journal.entries()] == [3.0, 4.0, 5.0]


def test_query_by_path_and_status_and_limit() -> None:
    journal = make_journal(10)
    for path, status in [("/v1/a", 200), ("/v1/b", 429), ("/v1/a", 429), ("/v1/a", 200)]:
        journal.open("POST", path, now=0.0).status = status
    assert [e["seq"] for e in journal.entries(path="/v1/a")] == [1, 3, 4]
    assert [e["seq"] for e in journal.entries(status=429)] == [2, 3]
    assert [e["seq"] for e in journal.entries(path="/v1/a", status=200, limit=1)] == [4]
    assert orjson.loads(journal.export()) == journal.entries()
    journal.clear()
    assert journal.entries() == []


def test_redaction_reaches_every_string() -> None:
    secret = "sk-live-abc_DEF.123"
    value = {"a": f"Bearer {secret}", secret: [secret, (1, f"x{secret}y")], "n": 3}
    assert redact(value) == {"a": "Bearer sk-***", "sk-***": ["sk-***", [1, "xsk-***"]], "n": 3}


def test_entries_are_redacted_even_if_a_key_slips_in() -> None:
    journal = make_journal()
    entry = journal.open("POST", "/v1/chat/completions", now=0.0)
    entry.extra["note"] = "key sk-should-not-show"
    entry.body = {"model": "sk-in-a-field"}
    assert "sk-should" not in journal.export().decode()
    assert "sk-in" not in journal.export().decode()


def test_body_summary_keeps_no_content() -> None:
    body = {"model": "moonshot-v1-8k", "stream": True, "max_tokens": 9,
            "messages": [{"role": "user", "content": "secret text"}], "tools": [{}, {}]}
    assert summarize_body(body, 120) == {"bytes": 120, "model": "moonshot-v1-8k",
                                         "stream": True, "max_tokens": 9, "messages": 1,
                                         "tools": 2}
    assert summarize_body(None, 7) == {"bytes": 7}
