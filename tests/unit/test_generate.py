"""Reply material: numbered sentences picked by the request's digest."""

from __future__ import annotations

import hashlib

from mock_server.chat.generate import Draws, is_chinese, sentences, text_pieces


def draws(text: str) -> Draws:
    return Draws(hashlib.blake2b(text.encode(), digest_size=32).digest())


def test_the_same_digest_gives_the_same_prose_and_others_differ() -> None:
    assert text_pieces(draws("a"), False, 40) == text_pieces(draws("a"), False, 40)
    replies = {tuple(text_pieces(draws(f"prompt {i}"), False, 40)) for i in range(200)}
    assert len(replies) == 200


def test_prose_reaches_the_asked_length_and_ends_a_sentence() -> None:
    for count in (1, 16, 64, 2000):  # 2,000 tokens need many more bits than one digest holds
        english = text_pieces(draws(f"long {count}"), False, count)
        chinese = text_pieces(draws(f"long {count}"), True, count)
        assert len(english) >= count and english[-1] in (".", "!", "?")
        assert len(chinese) >= count and chinese[-1] == "。"
        assert not english[0].startswith(" ") and english[0][0].isupper()
        assert is_chinese("".join(chinese)) and not is_chinese("".join(english))
    assert text_pieces(draws("none"), False, 0) == []


def test_a_sentence_is_built_once_from_its_number() -> None:
    english = sentences(False)
    assert english[5] is english[5]
    opening, following = english[5]
    assert following[0] == " " + opening[0] and following[1:-1] == opening[1:-1]
    assert opening[-1] == "." and following[-1] in (".", "!", "?")
    chinese_opening, chinese_following = sentences(True)[9]
    assert chinese_opening == chinese_following


def test_between_stays_in_bounds_and_covers_the_range() -> None:
    source = draws("bounds")
    seen = {source.between(16, 64) for _ in range(2000)}
    assert seen == set(range(16, 65))
    assert source.between(7, 7) == 7


def test_structured_draws_are_seeded_by_the_digest() -> None:
    assert draws("x").rng.random() == draws("x").rng.random()
    assert draws("x").rng.random() != draws("y").rng.random()


def test_a_copied_keyed_hasher_gives_the_keyed_digest() -> None:
    import hashlib

    from mock_server.chat.plan import _draws

    material = b'["moonshot-v1-8k",[{"content":"hi","role":"user"}]]'
    for seed, index in ((0, 0), (7, 3)):
        expected = hashlib.blake2b(material, digest_size=32, key=b"%d:%d" % (seed, index))
        assert _draws(seed, material, index)._digest == expected.digest()
