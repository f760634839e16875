"""Closed answers a prompt asks for: a list of N items ("list 5 cities", "give me three
reasons", "3 bullet points", "列出 3 个城市"), one of two words ("answer yes or no", "reply with
'positive' or 'negative'", "(yes/no)", "回答是或否"), one word ("in one word").

Items are plausible for what is listed when the value generators know the noun (cities, names,
colours, emails, ...), and sentences otherwise. Such a request is short and sits at the start or
the end of a message: only the prompt's edges are read.
"""

from __future__ import annotations

import re

from mock_server.chat.prompt_parts import Prompt
from mock_server.chat.reply_shape import Part, Prose, Shape, Value
from mock_server.chat.value_names import TEXT_KINDS

NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "两": 2, "二": 2, "三": 3,
                "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_COUNT = r"(?P<n>\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
LIST_ASK = re.compile(
    r"\b(?:list|give(?:\s+me)?|name|provide|suggest|write|generate|enumerate|recommend|share|"
    rf"tell\s+me|what\s+are)\s+(?:me\s+|us\s+)?(?:the\s+)?(?:top\s+)?{_COUNT}\s+"
    r"(?:(?:good|great|best|main|key|different|popular|famous|short|simple|new)\s+)?"
    r"(?P<noun>[A-Za-z][\w-]*)", re.I)
BULLETS = re.compile(rf"\b{_COUNT}\s+(?:bullet(?:\s+point)?s|bullets)\b", re.I)
CN_LIST = re.compile(r"(?:列出|列举|给出|举出|推荐|写出|说出|给我)\s*(?P<n>\d{1,2}|[两二三四五六七八九十])\s*"
                     r"(?:个|条|种|件|本|部|座|位|项|首)")
MAX_ITEMS = 20
CHOICE = re.compile(
    r"\b(?:answer|respond|reply|say|output|return)\b(?:\s+(?:only|just|simply|strictly))?"
    r"(?P<with>\s+(?:with|using))?(?P<either>\s+(?:either|only|just|exactly))?(?:\s+the\s+words?)?"
    r"""\s+(?P<q>["'`“‘]?)(?P<a>[A-Za-z]+)["'`”’]?\s*(?:\bor\b|/)\s*["'`“‘]?(?P<b>[A-Za-z]+)""", re.I)
SLASHED = re.compile(r"\((?P<a>yes|true)\s*/\s*(?P<b>no|false)\)", re.I)
CN_CHOICE = re.compile(r"(?:回答|回复)[^。\n]{0,6}?[\"“「]?(?P<a>是|对|能|会|有)[\"”」]?\s*"
                       r"(?:或|还是|或者|/)\s*[\"“「]?(?P<b>否|不是|不对|不能|不会|没有)")
KNOWN_PAIRS = frozenset({("yes", "no"), ("true", "false"), ("no", "yes"), ("false", "true"),
                         ("y", "n")})
ONE_WORD = re.compile(
    r"\b(?:in|with|using|as)\s+(?:just\s+|only\s+)?(?:a\s+)?(?:one|single|1)[ -]word\b|"
    r"\bone[ -]word\s+(?:answer|reply|response)\b|\bsingle\s+word\b|\bone\s+word\s+only\b|"
    r"用一个词|一个词回答", re.I)
WORD = {"type": "string", "maxLength": 24}
LIST_VERBS = ("list", "give", "name", "provide", "suggest", "write", "generate", "enumerate",
              "recommend", "share", "tell", "what")
CHOICE_VERBS = ("answer", "respond", "reply", "say", "output", "return")
# the words the Chinese patterns start with (CN_LIST, CN_CHOICE) or hold (ONE_WORD's 一个词)
CN_LIST_VERBS = ("列出", "列举", "给出", "举出", "推荐", "写出", "说出", "给我")
CN_CHOICE_VERBS = ("回答", "回复")
# What the edges of a prompt asking for a closed answer hold, each pattern above needing one: a
# count before a word (LIST_ASK, BULLETS) or a number word, a Chinese list verb (CN_LIST), "or"
# or a slash (CHOICE, SLASHED), 或/还是 (CN_CHOICE), "word" or 一个词 (ONE_WORD); matched in the
# case-folded edges, with the two letters an ignore-case "i" also matches that folding keeps
# apart (ı, and İ's combining dot)
COUNTED = re.compile(r"\d\s+[A-Za-z]", re.I)
OR_WORD = re.compile(r"or\b", re.I)
CUE_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
             "twelve", *CN_LIST_VERBS, "/", "或", "还是", "word", "一个词",
             "ı", "\u0307")


# the cue words as one pattern: one scan of the folded edges instead of one per word
CUED_WORD = re.compile("|".join(map(re.escape, CUE_WORDS)))


def worded(edges: str) -> bool:
    """Whether these edges hold a cue word or "or" (with `counted`, a cheap test that rules out
    most prompts: when neither finds a cue, no reader here finds a request). Neither holds a
    line break, so the edges of several texts joined by line breaks hold one iff one text's
    edges do. OR_WORD's "o" and "r" match only themselves in either case: the folded edges
    hold "or" wherever it can match."""
    folded = edges.casefold()
    return CUED_WORD.search(folded) is not None or \
        ("or" in folded and OR_WORD.search(edges) is not None)


def counted(prompt: Prompt) -> bool:
    """Whether the edges hold a count before a word (which may run across two texts' edges)."""
    return COUNTED.search(prompt.edges) is not None


def _search(pattern: re.Pattern[str], prompt: Prompt, anchors: tuple[str, ...],
            after: int) -> re.Match[str] | None:
    """The first match of `pattern` starting at one of the anchors in the prompt's edges."""
    for start, end in prompt.windows(anchors, after):
        found = pattern.match(prompt.edges, start, end)
        if found is not None:
            return found
    return None


def _around(pattern: re.Pattern[str], prompt: Prompt, anchor: str,
            reach: int) -> re.Match[str] | None:
    """The first match of `pattern` within `reach` characters of a mention of `anchor`."""
    for start, end in prompt.windows((anchor,), 0):
        found = pattern.search(prompt.edges, max(0, start - reach), end + reach)
        if found is not None:
            return found
    return None


def list_shape(prompt: Prompt) -> Shape | None:
    found = _search(LIST_ASK, prompt, LIST_VERBS, 60) or _around(BULLETS, prompt, "bullet", 16) or \
        _search(CN_LIST, prompt, CN_LIST_VERBS, 16)
    if found is None:
        return None
    raw = found.group("n").lower()
    count = int(raw) if raw.isdigit() else NUMBER_WORDS.get(raw, 0)
    if not 2 <= count <= MAX_ITEMS:
        return None
    noun = found.groupdict().get("noun") or ""
    item = _item(noun.lower())
    bulleted = "bullet" in found.group(0).lower()
    parts: list[Part] = []
    for number in range(1, count + 1):
        parts += ["\n" if number > 1 else "", "- " if bulleted else f"{number}. ", item]
    return tuple(parts)


def _item(noun: str) -> Part:
    """A value of the listed kind when the generators know it (`cities` -> a city)."""
    singular = noun[:-3] + "y" if noun.endswith("ies") else noun.rstrip("s")
    if singular in TEXT_KINDS and TEXT_KINDS[singular] != "sentence":
        return Value(singular, {"type": "string"}, text=True)
    return Prose(4, 10)


def choice_shape(prompt: Prompt) -> Shape | None:
    found = _search(SLASHED, prompt, ("(yes", "(true"), 12) or \
        _search(CN_CHOICE, prompt, CN_CHOICE_VERBS, 30)
    if found is None:
        for start, end in prompt.windows(CHOICE_VERBS, 80):
            match = CHOICE.match(prompt.edges, start, end)
            if match is not None and (
                    (match.group("a").lower(), match.group("b").lower()) in KNOWN_PAIRS
                    or match.group("q") or match.group("with") or match.group("either")):
                found = match
                break
    if found is None:
        return None
    return (Value("", {"enum": [found.group("a"), found.group("b")]}, text=True),)


def one_word_shape(prompt: Prompt) -> Shape | None:
    if _around(ONE_WORD, prompt, "word", 30) is None and _around(ONE_WORD, prompt, "一个词", 2) is None:
        return None
    return (Value("", WORD, text=True),)
