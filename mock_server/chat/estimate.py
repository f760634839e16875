"""The default text counter: a fast, dependency-free estimate of the Kimi tokenizer's counts.

The text is mapped, in C, to one class letter per character (`bytes.translate` over its UTF-8
bytes, continuation bytes dropped), and a handful of `bytes.count` calls measure what BPE
pieces are made of: letter runs and their lengths, case changes, digit runs, punctuation,
indentation, line breaks, Han characters. The count is a weighted sum of those figures, the
weights fitted against the real vocabulary on the corpus in `tests/data/token_corpus.jsonl`
(`python -m bench.token_corpus fit`); `bench/README.md` shows how close it comes per kind of
text, and what it costs.
"""

from __future__ import annotations

import re
from functools import lru_cache

MEMO_MAX_CHARS = 4096
MEMO_ENTRIES = 2048
SAMPLE_CHARS = 256  # the prefix where traditional characters are looked for
# longer texts are measured on CHUNKS evenly spaced slices of CHUNK characters, scaled up:
# the cost stays bounded (a few passes over ~1 KB) whatever the length
LONG_TEXT = 1024
CHUNK, CHUNKS = 256, 4


def _class_table() -> bytes:
    """Lower-case letters `a`, upper `A`, digits `d`, space ` `, line breaks `n`, other white
    space `t`, ASCII punctuation `p`, a Han character's lead byte `h`, any other lead byte `q`."""
    table = bytearray(b"q" * 256)
    for byte in range(128):
        char = chr(byte)
        table[byte] = ord("a" if char.islower() else "A" if char.isupper() else "d" if char.isdigit()
                          else " " if char == " " else "n" if char in "\r\n"
                          else "t" if char.isspace() else "p")
    for lead in range(0xE4, 0xEA):  # U+4E00-U+9FFF, the CJK unified ideographs
        table[lead] = ord("h")
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
FEATURES = ("words", "letters8", "digit_runs", "digits3", "punct", "punct_runs", "spaces2",
            "spaces8", "breaks", "han", "han_runs", "han_traditional", "space_han",
            "other")
WEIGHTS = (0.9658, 0.4100, 1.2092, 0.9211, 0.1681, 0.4698, 0.6053, -2.1448, 0.7744, 0.3600,
           0.6990, 0.4992, 1.2643, 0.9351)


def features(text: str) -> tuple[float, ...]:
    """The figures the estimate weighs, in the order of `FEATURES`."""
    raw = text.encode("utf-8", "replace").translate(CLASSES, CONTINUATION)
    classes = b" " + raw  # a run at the start begins after a space, like any other
    words, digits = classes.translate(WORDS), classes.translate(DIGITS)
    han = raw.count(b"h")
    han_runs = traditional = 0.0
    if han:
        han_runs = classes.translate(HAN).count(b" h")
        sample = text[:SAMPLE_CHARS]
        traditional = han * min(1.0, 4 * len(_TRADITIONAL.findall(sample)) / len(sample))
    return (
        words.count(b" a"), words.count(b"aaaaaaaa"), digits.count(b" d"), digits.count(b"ddd"),
        raw.count(b"p"), classes.translate(PUNCT).count(b" p"),
        raw.count(b"  "), raw.count(b"        "), raw.count(b"n"),
        han, han_runs, traditional, raw.count(b" h") if han else 0, raw.count(b"q"),
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
    total = sum([w * f for w, f in zip(WEIGHTS, features(sample), strict=True)])
    return max(1, round(total * scale))


def sample_of(text: str) -> tuple[str, float]:
    """The text itself, or for a long one evenly spaced slices of it and the scale back."""
    if len(text) <= LONG_TEXT:
        return text, 1.0
    step = (len(text) - CHUNK) / (CHUNKS - 1)
    sample = "".join([text[round(i * step):round(i * step) + CHUNK] for i in range(CHUNKS)])
    return sample, len(text) / len(sample)
