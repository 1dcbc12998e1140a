"""Reading a question: what kind of figure it asks for, which names it is about, follow-ups.

Pure functions on text; no model and no store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
          "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
NUMBER = r"\d[\d,]*(?:\.\d+)?"
NUMBER_WORDS = (r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
                r"forty|fifty|hundred|thousand")

# What a sentence must hold to answer each kind of figure question.
FIGURE_PATTERNS: dict[str, re.Pattern[str]] = {
    "area": re.compile(rf"{NUMBER}\s*(?:square\s+kilomet|sq\.?\s*km|km²|km2|square\s+met|"
                       rf"hectare|mu\b|acre)", re.I),
    "percent": re.compile(rf"{NUMBER}\s*(?:%|per\s*cent)|\bhalf\b|\b(?:one|two|three)[- ]"
                          rf"(?:fifths?|tenths?|thirds?|quarters?)\b|\ba (?:fifth|tenth|third|"
                          rf"quarter) of\b|\b\d+/\d+\b", re.I),
    "money": re.compile(rf"(?:{NUMBER}|{NUMBER_WORDS})\s*(?:trillion|billion|million|thousand)?"
                        rf"\s*(?:us\s+)?(?:yuan|rmb|cny|usd|dollars?|euros?)|"
                        rf"(?:rmb|cny|usd|eur|us\$|\$|¥|€)\s*{NUMBER}", re.I),
    "duration": re.compile(rf"(?:{NUMBER}|{NUMBER_WORDS})(?:\s+(?:to|-|–)\s+(?:{NUMBER}|"
                           rf"{NUMBER_WORDS}))?\s+(?:hours?|days?|years?|months?|minutes?|"
                           rf"weeks?|working days)", re.I),
    "rank": re.compile(r"\b\d+(?:st|nd|rd|th)\b|\b(?:first|second|third|top)\b", re.I),
    "date": re.compile(rf"\b(?:{MONTHS})\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\s+(?:{MONTHS})\b|"
                       rf"\b(?:{MONTHS})\.?\s+(?:19|20)\d\d\b|\b(?:19|20)\d\d-\d\d-\d\d\b",
                       re.I),
    "year": re.compile(r"\b(?:19|20)\d\d\b"),
    "count": re.compile(rf"\b{NUMBER}\b|\b(?:{NUMBER_WORDS})\b", re.I),
}
DATE_OR_YEAR = re.compile(rf"{FIGURE_PATTERNS['date'].pattern}|\b(?:19|20)\d\d(?:-\d\d){{0,2}}\b",
                          re.I)

# Checked in order: the first that matches names the figure a question wants.
QUESTION_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("person", re.compile(r"^\s*who\b|\bwhich (?:[\w-]+ ){0,2}(?:official|person|minister|"
                          r"director|mayor|leader|head|chairman|spokes(?:person|man|woman)|"
                          r"presenter|speaker)s?\b", re.I)),
    ("percent", re.compile(r"\bwhat (?:share|percentage|proportion|fraction|percent)|"
                           r"\bhow much of\b|\bwhat part\b|\brate\b|\btax cap\b", re.I)),
    ("area", re.compile(r"\bhow (?:large|big)\b|\bhow much land\b|\bwhat(?:'s| is) the area\b|"
                        r"\bsquare (?:kilomet|met)|\bkm²|\bsize of\b", re.I)),
    ("money", re.compile(r"\bhow much (?:money|capital|can|did|does|will|investment)|"
                         r"\bspend\b|\byuan\b|\brmb\b|\bregistered capital\b|\bcost\b|"
                         r"\bvalue\b", re.I)),
    ("duration", re.compile(r"\bhow many (?:working )?(?:hours|days|years|months|minutes|weeks)|"
                            r"\bhow long\b|\bhow much (?:[\w-]+ ){0,3}time\b", re.I)),
    ("rank", re.compile(r"\b(?:what|which) (?:rank|place|position)\b|\brank(?:ed|ing)?\b|"
                        r"\bwhere did .* (?:place|rank)", re.I)),
    ("date", re.compile(r"\bwhen\b|\bwhat (?:date|day)\b|\bwhich (?:date|day)\b|"
                        r"\bon what\b|\bwhich month\b|\bwhat month\b", re.I)),
    ("year", re.compile(r"\b(?:which|what|in which) year\b", re.I)),
    ("count", re.compile(r"\bhow many\b|\bhow much\b|\bwhat (?:is the )?(?:number|total)\b|"
                         r"\bnumber of\b", re.I)),
)

GENERIC_NAMES = frozenset("""
free trade zone zones area areas pilot ftz ftzs china chinese the a an what which who when where
how is are was were in on of for and or by to did does do we our us i it its new state council
according under besides apart after before by name our their this that there with from as at
""".split())
FOLLOW_UP = re.compile(r"^(?:and|what about|how about|and what about|what of|which of them|"
                       r"and in|and for|same for|also)\b", re.I)
PRONOUN = re.compile(r"\b(?:it|its|they|them|their|that|those|these|this one)\b", re.I)
NAME = re.compile(r"\b(?:[A-Z][A-Za-z]*(?:-[A-Za-z]+)*|[A-Z]{2,}[a-z]?)\b")
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
PERSON = re.compile(r"\b([A-Z][a-z]{1,4})\s+([A-Z][a-z]{1,9})\b")


@dataclass(frozen=True)
class Reading:
    """A question as English text, with the names it is about; a name may list alternatives
    separated by "|" (any of them will do)."""

    text: str
    names: tuple[str, ...]


def read_english(question: str) -> Reading:
    return Reading(question, key_names(question))


@dataclass(frozen=True)
class QuestionProfile:
    """What the answer must contain: a figure kind (or None) and the names it is about."""

    text: str
    figure: str | None
    names: tuple[str, ...]


def figure_kind(question: str) -> str | None:
    """The kind of figure a question asks for, or None for a non-numeric question."""
    for kind, pattern in QUESTION_KINDS:
        if pattern.search(question):
            return kind
    return None


def has_person(sentence: str, known: tuple[str, ...] = ()) -> bool:
    """Whether a sentence names a person: a Chinese name in pinyin, a one-syllable surname and
    a given name that is no English word (Zhu Zhisong, Liao Xiaodong), not among `known`."""
    from wordfreq import zipf_frequency

    from assistant.ingest.repair import PINYIN_SYLLABLES, is_pinyin

    known_lower = {name.lower() for name in known}
    for match in PERSON.finditer(sentence):
        surname, given = match.group(1).lower(), match.group(2).lower()
        if {surname, given} & known_lower or surname not in PINYIN_SYLLABLES:
            continue
        if is_pinyin(given) and zipf_frequency(given, "en") < 3.0:
            return True
    return False


def has_figure(sentence: str, kind: str, known: tuple[str, ...] = ()) -> bool:
    """Whether a sentence holds a figure of the kind ("date" also accepts a bare year; "person"
    wants a personal name other than the `known` names of the question)."""
    if kind == "person":
        return has_person(sentence, known)
    if kind == "date":
        return bool(FIGURE_PATTERNS["date"].search(sentence) or YEAR.search(sentence))
    if kind == "count":  # a count is a number that is not part of a date
        sentence = DATE_OR_YEAR.sub(" ", sentence)
    return bool(FIGURE_PATTERNS[kind].search(sentence))


def key_names(question: str) -> tuple[str, ...]:
    """Proper names, acronyms and years a question is specifically about."""
    names: list[str] = []
    for match in NAME.finditer(question):
        word = match.group(0)
        before = question[:match.start()].rstrip(" '\"")
        starts_sentence = not before or before[-1] in ".?!:;"
        generic = word.lower() in GENERIC_NAMES or re.fullmatch(MONTHS, word.lower())
        if generic or (starts_sentence and not word.isupper()):
            continue
        if word not in names:
            names.append(word)
    names.extend(y for y in YEAR.findall(question) if y not in names)
    return tuple(names)


def is_follow_up(question: str) -> bool:
    """Short questions that lean on the previous turn ("And in 2020?", "What about Shenyang?")."""
    words = question.split()
    return bool(FOLLOW_UP.search(question.strip())) or (
        len(words) <= 6 and bool(PRONOUN.search(question))
    )


def profile(question: str | Reading, previous: str | Reading | None = None) -> QuestionProfile:
    """A question's profile. A follow-up borrows the previous question's figure kind and
    names, its own names replacing those of the same sort (a year for a year, a place for a
    place): "And in 2020?" after "How many ... in Harbin in 2021?" is about Harbin in 2020."""
    now = read_english(question) if isinstance(question, str) else question
    before = read_english(previous) if isinstance(previous, str) else previous
    figure = figure_kind(now.text)
    names = now.names
    if before and is_follow_up(now.text):
        figure = figure or figure_kind(before.text)
        has_year = any(YEAR.fullmatch(n) for n in names)
        has_place = any(not YEAR.fullmatch(n) for n in names)
        kept = [n for n in before.names
                if not (has_year if YEAR.fullmatch(n) else has_place)]
        names = tuple(dict.fromkeys([*names, *kept]))
    return QuestionProfile(now.text, figure, names)
