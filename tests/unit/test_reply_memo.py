"""Remembered replies: a repeated request gets exactly the answer planning would give."""

from __future__ import annotations

import dataclasses
from typing import Any

from mock_server.chat.plan import Replies, completion_body, plan_chat
from mock_server.chat.rules import check_chat_request
from mock_server.data.catalogue import load_catalogue
from mock_server.engine.known import KnownBody
from mock_server.engine.plan import choices_for
from mock_server.memo import Memo

CATALOGUE = load_catalogue()
REPLIES = Replies(seed=3, reply_tokens=(16, 64), id="chatcmpl-00000000aaaaaaaaaaaaaaaa",
                  created=0, system_fingerprint="fpv0_00000000")
SEARCH = {"type": "builtin_function", "function": {"name": "$web_search"}}


def answer(body: dict[str, Any], replies: Replies, known: KnownBody | None) -> dict[str, Any]:
    model, prompt_tokens = check_chat_request(body, CATALOGUE)
    choices = choices_for(body, model, replies, known)
    return completion_body(plan_chat(body, model, prompt_tokens, replies, choices))


def body_for(text: str, **extra: Any) -> dict[str, Any]:
    return {"model": "kimi-k2-turbo-preview",
            "messages": [{"role": "user", "content": text}], **extra}


def test_remembered_answers_equal_planned_ones_with_new_ids() -> None:
    known = KnownBody()
    body = body_for("Tell me a story", n=2, temperature=0.6)
    first = answer(body, REPLIES, known)
    assert known.choices is not None
    remembered = known.choices[1]
    later = dataclasses.replace(REPLIES, id="chatcmpl-00000001bbbbbbbbbbbbbbbb", created=5)
    again = answer(body, later, known)
    assert known.choices[1] is remembered
    assert again == answer(body, later, None)
    assert again["choices"] == first["choices"]
    assert (again["id"], again["created"]) == (later.id, 5)


def test_seed_and_reply_length_are_part_of_what_is_remembered() -> None:
    known = KnownBody()
    body = body_for("Tell me a story")
    answer(body, REPLIES, known)
    for other in (dataclasses.replace(REPLIES, seed=4),
                  dataclasses.replace(REPLIES, reply_tokens=(100, 100))):
        assert answer(body, other, known) == answer(body, other, None)
        assert known.choices is not None and known.choices[0][:2] == (other.seed,
                                                                      other.reply_tokens)


def test_builtin_tool_calls_embed_the_completion_id_and_are_not_remembered() -> None:
    known = KnownBody()
    body = body_for("Search the news", tools=[SEARCH])
    answer(body, REPLIES, known)
    later = dataclasses.replace(REPLIES, id="chatcmpl-00000001bbbbbbbbbbbbbbbb")
    call = answer(body, later, known)["choices"][0]["message"]["tool_calls"][0]
    assert known.choices is None
    assert call["id"].endswith("00000001bbbb")


def test_memo_keeps_only_the_newest_entries() -> None:
    memo: Memo[str, int] = Memo(2)
    memo.put("a", 1)
    memo.put("b", 2)
    assert memo.get("a") == 1
    memo.put("c", 3)
    assert (memo.get("a"), memo.get("b"), memo.get("c")) == (None, 2, 3)
    memo.put("a", 1)
    assert (len(memo), memo.get("b")) == (2, None)
