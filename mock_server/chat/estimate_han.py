"""The default estimate's word figures for Han text, counted in C: common-word pairs and
frequent characters (`estimate.py` weighs them).

Both are membership counts over a few hundred characters, which a Python loop over the text
would pay per character. Frequent characters are counted by encoding the text with codec maps
(`codecs.charmap_build`, up to 255 characters each) and the `ignore` handler: one byte per
character kept. Pairs are counted two ways that give the same number: on text with few Han
characters a regular expression finds the candidate pairs (a character that begins a common
pair followed by one that ends one) and only those are looked up; on mostly-Han text, where
candidates are many, each adjacent pair is made one UTF-16 code unit (the first character's
byte from one codec map, the second's from another, interleaved and decoded) and the units of
common pairs are counted with codec maps as above.
"""

from __future__ import annotations

import codecs
import re
from collections import defaultdict
from functools import cache
from typing import Any

from mock_server.data import DATA_DIR
from mock_server.data.word_lists import faker_word_list

# bytes for a pair's first character: never 0xD8-0xDF, a surrogate's high byte, so every
# unit decodes; the first of them stands for any other character
_FIRST_BYTES = tuple(byte for byte in range(1, 256) if not 0xD8 <= byte <= 0xDF)
_MANY_HAN = 400  # Han characters (of 512) from which the pairs are counted as code units


def _codec_map(chars_by_byte: dict[int, str]) -> Any:
    """An encoding map: each character to its byte, NUL to 0, every other character unmapped."""
    table = ["\ufffe"] * 256
    table[0] = "\0"
    for byte, char in chars_by_byte.items():
        table[byte] = char
    return codecs.charmap_build("".join(table))


def _maps_of(chars: list[str]) -> tuple[Any, ...]:
    """Maps that keep exactly `chars` (and NUL), 255 to a map."""
    return tuple(_codec_map(dict(zip(range(1, 256), chars[at:at + 255], strict=False)))
                 for at in range(0, len(chars), 255))


def _kept(text: str, maps: tuple[Any, ...]) -> int:
    """How many of the text's characters the maps keep (NUL aside)."""
    found = [codecs.charmap_encode(text, "ignore", table)[0] for table in maps]
    return sum([len(kept) - kept.count(0) for kept in found])


@cache
def common_pairs() -> frozenset[tuple[str, str]]:
    """The first two characters of common words of modern Chinese (faker's simplified and
    traditional lorem lists and the project's `data/common_words_zh.txt`): the vocabulary has
    most such words as one token, where their characters alone would cost one each."""
    text = (DATA_DIR / "common_words_zh.txt").read_text("utf-8")
    listed = {word for line in text.splitlines() if not line.startswith("#") for word in line.split()}
    words = listed | set(faker_word_list("zh_CN")) | set(faker_word_list("zh_TW"))
    return frozenset((word[0], word[1]) for word in words if len(word) > 1)


def _charset(chars: set[str]) -> str:
    """A regular expression's character class of exactly `chars`."""
    return "[" + "".join(re.escape(char) for char in sorted(chars)) + "]"


@cache
def _pair_candidates() -> re.Pattern[str]:
    pairs = common_pairs()
    return re.compile("(" + _charset({first for first, _ in pairs}) + ")(?=("
                      + _charset({second for _, second in pairs}) + "))")


@cache
def _pair_units() -> tuple[tuple[Any, Any, tuple[Any, ...]], ...]:
    """Per group of first characters: the map of their bytes, the map of their second
    characters' bytes (1 stands for any other), and the maps that keep their pairs' units."""
    seconds: defaultdict[str, set[str]] = defaultdict(set)
    for first, second in common_pairs():
        seconds[first].add(second)
    groups: list[list[str]] = [[]]
    joined: set[str] = set()  # the second characters of the last group's pairs
    for first in sorted(seconds):
        grown = joined | seconds[first]
        if len(groups[-1]) + 1 < len(_FIRST_BYTES) and len(grown) < 255:
            groups[-1].append(first)
            joined = grown
        else:
            groups.append([first])
            joined = set(seconds[first])
    return tuple(_group_maps(group, seconds) for group in groups)


def _group_maps(group: list[str], seconds: dict[str, set[str]]) -> tuple[Any, Any, tuple[Any, ...]]:
    high = {first: _FIRST_BYTES[i + 1] for i, first in enumerate(group)}
    low = {second: i + 2 for i, second in enumerate(sorted(set().union(*map(seconds.__getitem__, group))))}
    units = sorted(chr(high[first] << 8 | low[second]) for first in group for second in seconds[first])
    return (_codec_map({_FIRST_BYTES[0]: "?"} | {byte: char for char, byte in high.items()}),
            _codec_map({1: "?"} | {byte: char for char, byte in low.items()}), _maps_of(units))


def common_words(text: str, han: int) -> int:
    """Adjacent character pairs that begin a common word (`han`: the text's Han characters)."""
    if han < _MANY_HAN or len(text) < 2:
        return sum(map(common_pairs().__contains__, _pair_candidates().findall(text)))
    total = 0
    for firsts, seconds, unit_maps in _pair_units():
        cells = bytearray(2 * len(text) - 2)
        cells[0::2] = codecs.charmap_encode(text[:-1], "replace", firsts)[0]
        cells[1::2] = codecs.charmap_encode(text[1:], "replace", seconds)[0]
        total += _kept(cells.decode("utf-16-be"), unit_maps)
    return total


@cache
def _common_char_maps() -> tuple[Any, ...]:
    chars = set("".join(faker_word_list("zh_CN")) + "".join(faker_word_list("zh_TW")))
    return _maps_of(sorted(chars))


def common_chars(text: str) -> int:
    """The characters of those words in the text: frequent characters, which merge into words
    more often."""
    return _kept(text, _common_char_maps())
