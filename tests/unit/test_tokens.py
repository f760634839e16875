from __future__ import annotations

import random

from mock_server.chat.tokens import (
    IMAGE_TOKENS,
    MESSAGE_OVERHEAD,
    REPLY_PRIMING,
    _count_ascii,
    _count_pieces,
    count_message,
    count_prompt,
    count_text,
)
from tests.conftest import CANONICAL_MESSAGES


def test_canonical_request_estimates_near_documented_80() -> None:
    assert 70 <= count_prompt(CANONICAL_MESSAGES) <= 90


def test_chinese_counts_between_one_and_a_half_and_two_characters_per_token() -> None:
    text = "我们的时间可以在中国公司工作没有信息下载软件注册自己产品" * 10  # 280 Han characters
    tokens = count_text(text)
    assert 280 / 2 <= tokens <= 280 / 1.5


def test_english_counts_like_bpe() -> None:
    assert count_text("hello") == 1
    assert count_text("hello world") == 2
    assert count_text("internationalization") == 4
    assert count_text("") == 0


def test_message_overhead_and_priming() -> None:
    message = {"role": "user", "content": "hello"}
    assert count_message(message) == MESSAGE_OVERHEAD + 1
    assert count_prompt([message]) == MESSAGE_OVERHEAD + 1 + REPLY_PRIMING


def test_image_parts_cost_fixed_tokens() -> None:
    message = {"role": "user", "content": [
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
        {"type": "text", "text": "hello"},
    ]}
    assert count_message(message) == MESSAGE_OVERHEAD + IMAGE_TOKENS + 1


def test_tools_count_toward_the_prompt() -> None:
    tools = [{"type": "function", "function": {"name": "get_weather", "parameters": {
        "type": "object", "properties": {"city": {"type": "string"}}}}}]
    messages = [{"role": "user", "content": "hi"}]
    assert count_prompt(messages, tools) > count_prompt(messages) + 10


def test_ascii_counting_equals_the_general_counter() -> None:
    """ASCII text takes the byte-table path; it must count exactly as the regex walk does."""
    rng = random.Random(7)
    alphabet = "aZz09 \t\n\r\x0b\x0c\x1c\x1f\x00\x7f-.,!?_@~#"
    texts = ["", " " * 9, "a" * 13, "1" * 7, "x  \t\n\n   y", *(
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(20_000))]
    for text in texts:
        assert _count_ascii(text.encode("ascii")) == _count_pieces(text), repr(text)
