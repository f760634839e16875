"""Words read from faker's sources are exactly faker's own lists, in order."""

from __future__ import annotations

import pytest

from mock_server.word_lists import faker_word_list


@pytest.mark.parametrize("locale", ["en_US", "zh_CN"])
def test_word_list_read_as_data_equals_the_imported_one(locale: str) -> None:
    module = pytest.importorskip(f"faker.providers.lorem.{locale}")
    assert faker_word_list(locale) == tuple(module.Provider.word_list)
