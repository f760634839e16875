"""The cheap test before the format readers (`asked_format.cued`) never hides a request: for
prompts that ask for a format, in the ways the readers know and in unusual letter cases, the
shape is the one the readers find without the test; prompts asking for none are ruled out."""

from __future__ import annotations

import random
from typing import Any

import pytest

from mock_server.chat import asked_format, closed_answers
from mock_server.chat.prompt_parts import read_prompt

ASKING = [
    "List 5 cities in France.", "LIST FIVE CITIES", "give me the top three reasons",
    "Summarise in 3 bullet points.",
    "列出 3 个城市", "推荐五本书", "Answer yes or no: is the sea blue?", "Is it blue? (yes/no)",
    "reply with 'positive' or 'negative'", "Answer YES OR NO.", "回答是或否：海是蓝的吗？",
    "回答“是”还是“否”", "Describe the sea in one word.", "用一个词形容大海。",
    "Answer with a single WORD.", "Return a JSON object with the name.", "Reply in JSON only.",
    "用 json 格式回答", "Thought: ...\nAction: one of [search]\nAction Input: ...",
]
# letters an ignore-case pattern matches beside the ASCII ones, and a marker that is no template
UNUSUAL = ["list ſix cities", "list fıve cities", "LİST FİVE CİTİES", "list K", "Name sıx",
           "[[ ## question ## ]]\nWho?\n\n[[ ## answer ## ]]\n"]
PLAIN = ["Hello, my name is Li Lei. What is 1+1?", "Tell me about the sea.",
         "你好，请介绍一下你自己。", "What is the capital of France?"]


def uncued_shape(messages: list[dict[str, Any]]) -> Any:
    prompt = read_prompt(messages)
    return next((shape for read in asked_format.READERS
                 if (shape := read(prompt)) is not None), None)


@pytest.mark.parametrize("system", [None, "You are a helpful assistant.", "你是 Kimi。"])
@pytest.mark.parametrize("text", ASKING + UNUSUAL + PLAIN)
def test_the_cue_test_changes_no_shape(text: str, system: str | None) -> None:
    messages = [{"role": "system", "content": system}] if system else []
    messages.append({"role": "user", "content": text})
    assert asked_format.asked_shape(messages) == uncued_shape(messages)
    if text in ASKING:
        assert asked_format.asked_shape(messages) is not None


@pytest.mark.parametrize("text", PLAIN)
def test_a_plain_prompt_has_no_cue(text: str) -> None:
    assert not asked_format.cued(read_prompt([{"role": "user", "content": text}]))


def whole_prompt_cued(messages: list[dict[str, Any]]) -> bool:
    """The cue test over the whole prompt at once (before it was taken text by text)."""
    prompt = read_prompt(messages)
    folded, lower = prompt.edges.casefold(), prompt.instructions.lower()
    return ("Action Input" in prompt.instructions and "Thought" in prompt.instructions) or \
        "[[" in prompt.instructions or "<<" in prompt.instructions or "json" in lower or \
        any(word in folded for word in closed_answers.CUE_WORDS) or \
        closed_answers.COUNTED.search(prompt.edges) is not None or \
        closed_answers.OR_WORD.search(prompt.edges) is not None


PIECES = ["5", "٣", " ", "\n", "\t", "apples", "ſ", "K", "İ", "ı", "or", "OR", "for", "x", "word",
          "Two", "列出", "或", "/", "[[", "<", "JSON", "jſon", "Action Input", "Thought", "你好",
          "。", "ß", "ﬁve"]


@pytest.mark.parametrize("seed", range(40))
def test_text_by_text_cues_as_the_whole_prompt(seed: int) -> None:
    """Each instruction text tested on its own (and remembered), the edges' count across the
    texts: the same verdict as the whole prompt's, for texts made of cue fragments, digits and
    white space at their ends (a count may run from one text into the next), long texts cut
    to their edges, and letters that case folding changes."""
    draw = random.Random(seed)
    for _ in range(200):
        messages = [{"role": draw.choice(["system", "user", "assistant"]),
                     "content": "".join(draw.choices(PIECES, k=draw.randint(0, 6)))
                     * draw.choice([1, 1, 1, 150])}
                    for _ in range(draw.randint(1, 4))]
        assert asked_format.cued(read_prompt(messages)) == whole_prompt_cued(messages), messages
