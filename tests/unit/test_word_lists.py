"""Words read from faker's sources are exactly faker's own lists, in order."""

from __future__ import annotations

import pytest

from mock_server.data.word_lists import faker_word_list


@pytest.mark.parametrize("locale", ["en_US", "zh_CN"])
def test_word_list_read_as_data_equals_the_imported_one(locale: str) -> None:
    module = pytest.importorskip(f"faker.providers.lorem.{locale}")
    assert faker_word_list(locale) == tuple(module.Provider.word_list)


def test_the_quick_reader_and_the_full_parse_agree() -> None:
    from mock_server.data.word_lists import _assigned_tuple, _walked_word_list

    source = 'x = 1\nword_list = (\n    "a",  # first\n    "b",\n)\nother = {"k": (1, 2)}\n'
    assert _assigned_tuple(source) == _walked_word_list(source) == ("a", "b")
    assert _assigned_tuple("word_list = (some_call(),)") is None  # falls back to the walk
