"""`make tokenizer`: the Kimi K2 vocabulary is put in place only if it is the file the tests know."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import kimi_vocabulary as vocabulary_file


def test_a_download_with_the_known_checksum_is_put_in_place(kimi_vocabulary: Path, tmp_path: Path) -> None:
    target = tmp_path / "kimi-k2" / "tiktoken.model"
    # a file: URL goes the download's way without the network
    assert vocabulary_file.fetch(kimi_vocabulary.as_uri(), target) == vocabulary_file.SHA256
    assert target.read_bytes() == kimi_vocabulary.read_bytes()


def test_another_file_is_refused_and_nothing_is_left(tmp_path: Path) -> None:
    other = tmp_path / "tiktoken.model"
    other.write_bytes(b"IQ== 0\n")
    target = tmp_path / "out" / "tiktoken.model"
    with pytest.raises(ValueError, match="not the vocabulary the tests were written against"):
        vocabulary_file.fetch(str(other), target)
    assert list(target.parent.iterdir()) == []
