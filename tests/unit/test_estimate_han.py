"""The estimate's Han word figures are counted in C two ways (a regular expression on text
with few Han characters, code units on mostly-Han text): both give what a plain loop over the
text gives, on the wide corpus and on text with the characters the codec maps single out."""

from __future__ import annotations

import pytest

from bench import corpus_wide
from mock_server.chat.estimate_han import common_chars, common_pairs, common_words
from mock_server.data.word_lists import faker_word_list

EDGES = ["中国人天天常常看看", "中国?人\0天天", "今天😀天气\ud800不错", "国", "", "之乎者也" * 40,
         "我们的中国" * 120, "?" * 600 + "中国", "\0" * 300 + "我们" * 200]


def _plain_pairs(text: str) -> int:
    pairs = common_pairs()
    return sum((text[i], text[i + 1]) in pairs for i in range(len(text) - 1))


def _texts() -> list[str]:
    return [entry["text"][:512] for entry in corpus_wide.build()] + EDGES


@pytest.mark.parametrize("many_han", [0, 10_000])
def test_pairs_of_common_words_counted_either_way_match_a_plain_count(many_han: int) -> None:
    for text in _texts():
        assert common_words(text, many_han) == _plain_pairs(text), text[:40]


def test_frequent_characters_match_a_plain_count() -> None:
    chars = set("".join(faker_word_list("zh_CN")) + "".join(faker_word_list("zh_TW")))
    for text in _texts():
        assert common_chars(text) == sum(char in chars for char in text), text[:40]
