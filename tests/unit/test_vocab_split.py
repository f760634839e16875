"""Exact mode counts what the Kimi K2 tokenizer counts: the vocabulary as exact mode loads it (its
pre-tokenizer written for speed) gives token for token what tiktoken gives with the tokenizer's own
`pat_str`, over the token corpus, the bench's texts and seeded random text made of every kind of
character the pattern tells apart. Skipped where the vocabulary is absent (`make tokenizer`)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
import tiktoken

from bench import corpus_text as bank
from bench.token_corpus import read
from mock_server.chat.tokens import counter_for
from mock_server.chat.vocab import PAT_STR, _encoding, read_ranks

# Characters from each class the pattern's alternatives distinguish, and the ones at their edges.
KINDS = {
    "han": "的一是中国人〇㐀𠀀龥",
    "lower": "abcxyzßéøāǆ",
    "upper": "ABCXYZÉØĀǄ",
    "title": "ǅǈǋǲᾈ",
    "modifier": "ʰʲˆˇー々",
    "other_letter": "あいカナ한글אבاب",
    "mark": "\u0301\u0308\u064b\u093f\u20dd",
    "digit": "0123456789٣৪Ⅻ½²",
    "apostrophe": "'’",
    "punct": ".,;:!?-_()[]{}<>\"/\\@#$%^&*+=|~`，。、！？：“”《》…—",
    "space": "  \t\u00a0\u3000\u2009",
    "newline": "\n\r\x0b\x0c\x85\u2028",
    "emoji": "😀👍🏽🇨🇳",
}
CONTRACTIONS = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'RE", "'Ll"]


@pytest.fixture(scope="module")
def tokenizer(kimi_vocabulary: Path) -> tiktoken.Encoding:
    """The Kimi K2 tokenizer as published: the vocabulary with its own `pat_str`."""
    return tiktoken.Encoding("kimi-k2-published", pat_str=PAT_STR, special_tokens={},
                             mergeable_ranks=read_ranks(kimi_vocabulary.read_bytes()))


def random_texts(seed: int, count: int) -> Iterator[str]:
    """Short texts of runs of characters of random kinds (runs, since pieces are runs)."""
    rng = random.Random(seed)
    kinds = list(KINDS.values())
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 12)):
            if rng.random() < 0.1:
                parts.append(rng.choice(CONTRACTIONS))
            else:
                chars = rng.choice(kinds)
                parts.append("".join(rng.choice(chars) for _ in range(rng.choice((1, 1, 2, 3, 5, 9)))))
        yield "".join(parts)


def corpus_texts() -> Iterator[str]:
    yield from (entry["text"] for entry in read())
    for texts in (bank.CHINESE, bank.TRADITIONAL, bank.ENGLISH, bank.MIXED, bank.CODE):
        yield from texts
        yield "\n\n".join(texts)


def test_exact_mode_encodes_token_for_token_as_the_published_pattern(
        kimi_vocabulary: Path, tokenizer: tiktoken.Encoding) -> None:
    ours = _encoding(kimi_vocabulary)
    texts = [*corpus_texts(), *random_texts(32, 20_000)]
    differ = [text for text in texts if ours.encode_ordinary(text) != tokenizer.encode_ordinary(text)]
    assert differ == []
    # the random texts joined into long ones: pieces that meet at the seams
    joined = ["".join(texts[i:i + 400]) for i in range(0, len(texts), 400)]
    assert [ours.encode_ordinary(t) for t in joined] == [tokenizer.encode_ordinary(t) for t in joined]


def test_counts_and_token_boundaries_are_the_tokenizers(
        kimi_vocabulary: Path, tokenizer: tiktoken.Encoding) -> None:
    counter = counter_for(kimi_vocabulary)
    assert counter.split is not None
    for text in [*random_texts(7, 2_000), *corpus_texts()]:
        tokens = tokenizer.encode_ordinary(text)
        assert counter.text(text) == len(tokens)
        assert counter.split(text) == [tokenizer.decode_single_token_bytes(t) for t in tokens]
