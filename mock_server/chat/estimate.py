"""The default text counter: a fast, dependency-free estimate of the Kimi tokenizer's counts.

The text is mapped, in C, to one class letter per character (`bytes.translate` over its UTF-8
bytes, continuation bytes dropped), and a handful of `bytes.count` calls measure what BPE
pieces are made of: letter runs and their lengths, case changes, digit runs, punctuation,
indentation, line breaks; for Han text also how many of its characters and words are common
(the project's and faker's word lists, the GB 2312 levels of the interpreter's codec) and
whether it reads as traditional or classical Chinese. The count is a weighted sum of those
figures, the weights fitted against the real vocabulary on the fit part of the wide corpus
(`python -m bench.corpus_wide fit`, `bench/corpus_wide.py` names its sources) and checked on
its held-out part; `docs/tokens.md` shows how close it comes per kind of text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from operator import mul

from mock_server.chat.estimate_han import common_chars, common_words

MEMO_MAX_CHARS = 4096
MEMO_ENTRIES = 2048
SAMPLE_CHARS = 256  # the prefix where traditional characters are looked for
HAN_SAMPLE_CHARS = 512  # the prefix where common and rare Han characters are counted
# longer texts are measured on CHUNKS evenly spaced slices of CHUNK characters, scaled up:
# the cost stays bounded (a few passes over ~1 KB) whatever the length
LONG_TEXT = 1024
CHUNK, CHUNKS = 256, 4


def _class_table() -> bytes:
    """Lower-case letters `a`, upper `A`, digits `d`, space ` `, line breaks `n`, other white
    space `t`, ASCII punctuation `p`, a Han character's lead byte `h`, another three-byte
    character's `c` (CJK punctuation, kana), a four-byte character's `e` (emoji), any other
    lead byte `q`."""
    table = bytearray(b"q" * 256)
    for byte in range(128):
        char = chr(byte)
        table[byte] = ord("a" if char.islower() else "A" if char.isupper() else "d" if char.isdigit()
                          else " " if char == " " else "n" if char in "\r\n"
                          else "t" if char.isspace() else "p")
    for lead in range(0xE0, 0xF0):  # other three-byte characters: CJK punctuation, kana, ...
        table[lead] = ord("c")
    for lead in range(0xE4, 0xEA):  # U+4E00-U+9FFF, the CJK unified ideographs
        table[lead] = ord("h")
    for lead in range(0xF0, 0xF5):  # four-byte characters: emoji, rare ideographs
        table[lead] = ord("e")
    return bytes(table)


CLASSES = _class_table()
CONTINUATION = bytes(range(0x80, 0xC0))


def _keep(kept: bytes, as_: bytes) -> bytes:
    """A table over class letters: those in `kept` become `as_`, the rest a space."""
    table = bytearray(b" " * 256)
    for letter in kept:
        table[letter] = as_[0]
    return bytes(table)


WORDS, DIGITS, PUNCT, HAN = _keep(b"aA", b"a"), _keep(b"d", b"d"), _keep(b"p", b"p"), _keep(b"h", b"h")
SPACES = bytes(b" "[0] if letter == b" "[0] else b"x"[0] for letter in range(256))
# frequent characters of traditional, never of simplified, Chinese text: it costs about twice
# as many tokens per character
_TRADITIONAL = re.compile("["
                          "們這個來說時會為對國過還後開經從點與麼樣應該電話動學體問實現發讓處關將歷認讀無頭"
                          "見書長聽種區傳網設機業線義當進裡覺場買賣車東門員務單條標準價錢節氣風飛馬魚鳥雲號"
                          "歲歡樂愛夠寫寶記計訂請試詳論變較輕達選邊際隊陽陰難雙雜靜響順預領頁顯類館飯黨產報"
                          "導專圖團園聯職規劃資質費貨負責護轉運連週環萬億則創勞勢勵協參臺灣帳戶擇擔據換損擊"
                          "攝數斷極構檢歸決況溝減測溫滿漢熱燈爭獎獨異療盡監盤確礎穩積競範築簡糧約級紀細組終"
                          "結絕統綠維緊總織續罰聖聲腦臨興藝藥術衛製複觀訊訓許診語誤誰課調談識證貝財貴貿賽趕"
                          "軍軟載輪輸農遊遠適遺鄉醫釋鐘鐵間陣陸險隨隱雖雞離靈韓頂項須題餘驗髮鬥齊龍"
                          "]")
# frequent function words of classical Chinese, rare in the modern language: such text costs
# about one token per character (few of its words are merged tokens)
_CLASSICAL = re.compile("[之乎者也矣焉哉兮曰吾汝尔盖遂乃夫亦其而则故]")


FEATURES = ("words", "letters8", "digit_runs", "digits3", "punct", "punct_runs", "space_runs",
            "spaces8", "spaces16", "indents", "breaks", "letter_digit", "han", "han_runs",
            "han_traditional", "han_classical", "han_words", "han_common", "han_level2",
            "han_rare", "han_sparse", "space_han", "other", "cjk_other", "astral")
WEIGHTS = (0.9751, 0.3383, 1.1181, 0.9315, 0.1447, 0.5304, 1.8328, -0.2148, 0.6613, -0.3762,
           0.3920, 0.0204, 0.4237, 0.4043, 0.2173, 0.1519, -0.2654, -0.0990, 0.2087, 0.8279, 0.1107,
           1.4512, 2.3883, 1.1341, 2.4630)
assert len(WEIGHTS) == len(FEATURES)
SPARSE_DENSITY = 12.0  # common words per Han character below 1/12: "sparse" (literary) text


# every byte but 0xD8-0xF7: deleting them leaves GB 2312's second-level bytes (see below)
_NOT_LEVEL2 = bytes(byte for byte in range(256) if not 0xD8 <= byte < 0xF8)


def _gb2312_levels(text: str) -> tuple[int, int]:
    """How common the text's characters are, by the GB 2312 standard (the interpreter's own
    codec): its bytes 0xD8-0xF7 (second-level, less common, characters' lead bytes, and the
    trail bytes of the upper part of each row: a rough measure that the fit weighs), and the
    characters outside it (rare or traditional ones; the vocabulary splits many into bytes)."""
    encoded = text.encode("gb2312", "replace")
    return len(encoded.translate(None, _NOT_LEVEL2)), encoded.count(b"?") - text.count("?")


def _han_figures(text: str, raw: bytes, han: int) -> tuple[float, ...]:
    """The Han features after `han` and `han_runs`, in the order of `FEATURES`: traditional and
    classical shares (of the first `SAMPLE_CHARS`), common-word pairs, common characters, GB
    2312 levels (of the first `HAN_SAMPLE_CHARS`, scaled to the whole), and the characters of
    text with few common words (classical or literary text: mostly a token per character).
    `raw` is the text's class letters, one per character."""
    part = text[:HAN_SAMPLE_CHARS]
    in_part = raw[:HAN_SAMPLE_CHARS].count(b"h") if len(text) > HAN_SAMPLE_CHARS else han
    scale = han / max(1, in_part)
    common = common_words(part, in_part) * scale
    level2, rare = _gb2312_levels(part)
    sample = text[:SAMPLE_CHARS]
    return (han * min(1.0, 4 * len(_TRADITIONAL.findall(sample)) / len(sample)),
            han * min(1.0, 6 * len(_CLASSICAL.findall(sample)) / len(sample)),
            common, common_chars(part) * scale, level2 * scale, rare * scale,
            han * max(0.0, 1.0 - SPARSE_DENSITY * common / han))


def features(text: str) -> tuple[float, ...]:
    """The figures the estimate weighs, in the order of `FEATURES` (a class the text does not
    have is neither translated nor searched for: its figures are 0)."""
    raw = text.encode("utf-8", "replace").translate(CLASSES, CONTINUATION)
    classes = b" " + raw  # a run at the start begins after a space, like any other
    words = classes.translate(WORDS) if b"a" in raw or b"A" in raw else b""
    has_digits = b"d" in raw
    digits = classes.translate(DIGITS) if has_digits else b""
    punct, han = raw.count(b"p"), raw.count(b"h")
    han_runs = 0.0
    figures: tuple[float, ...] = (0.0,) * 7
    if han:
        han_runs = classes.translate(HAN).count(b" h")
        figures = _han_figures(text, raw, han)
    return (
        words.count(b" a"), words.count(b"aaaaaaaa"), digits.count(b" d"), digits.count(b"ddd"),
        punct, classes.translate(PUNCT).count(b" p") if punct else 0,
        classes.translate(SPACES).count(b"x  ") if b"  " in raw else 0,
        raw.count(b"        "), raw.count(b" " * 16), raw.count(b"n "), raw.count(b"n"),
        (raw.count(b"ad") + raw.count(b"Ad") + raw.count(b"da") + raw.count(b"dA")) if has_digits else 0,
        han, han_runs, *figures, raw.count(b" h") if han else 0,
        raw.count(b"q"), raw.count(b"c"), raw.count(b"e"),
    )


def count_text(text: str) -> int:
    """Estimated tokens of a plain string (remembered for strings up to `MEMO_MAX_CHARS`)."""
    if len(text) <= MEMO_MAX_CHARS:
        return _count_remembered(text)
    return _count(text)


@lru_cache(maxsize=MEMO_ENTRIES)
def _count_remembered(text: str) -> int:
    return _count(text)


def _count(text: str) -> int:
    if not text:
        return 0
    sample, scale = sample_of(text)
    total = sum(map(mul, WEIGHTS, features(sample)))  # the weighted sum, term by term
    return max(1, round(total * scale))


def sample_of(text: str) -> tuple[str, float]:
    """The text itself, or for a long one evenly spaced slices of it and the scale back."""
    if len(text) <= LONG_TEXT:
        return text, 1.0
    step = (len(text) - CHUNK) / (CHUNKS - 1)
    sample = "".join([text[round(i * step):round(i * step) + CHUNK] for i in range(CHUNKS)])
    return sample, len(text) / len(sample)
