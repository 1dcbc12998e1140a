"""Checking a generated answer against its passages, sentence by sentence (pure functions).

A sentence holds when it cites passages that exist (`[n]` markers); every figure and name in
it — numbers, dates, ranks, percentages, capitalised names, places, quoted names — appears in
a passage it cites or in what that passage is about (its document's title, zone and date and
its section: `Context`); most of its words come from there; and it makes none of the edits
that change a meaning while keeping the words (`assistant.edits`: a changed unit, rate basis
or period, a negation, a reversed direction, a figure moved to another place or year).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from assistant.answering.names import gazetteer
from assistant.edits import YEAR, changed_meaning, zone_of

MARKER = re.compile(r"\[(\d{1,2})\]")
LEADING_MARKERS = re.compile(r"^(?:\s*\[\d{1,2}\])+")
BREAK = re.compile(r"[.!?]+[\"'”’)]*\s+|[。！？]+|\n+")
OPENS_SENTENCE = re.compile(r"[A-Z\"'“‘(\[\u3400-\u9fff]")
ABBREVIATIONS = frozenset("no nos art arts para mr mrs ms dr st vs etc co ltd inc jan feb mar apr "
                          "jun jul aug sep sept oct nov dec fig e.g i.e approx".split())
LETTER = re.compile(r"[^\W\d_]")

NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
FIGURE = re.compile(
    rf"(?<![\w.])({NUMBER})(?:\s*(%)|(st|nd|rd|th)\b|\s+(million|billion|trillion)\b)?", re.I)
NUMBER_WORDS = {word: str(value) for value, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split()) if value > 1} | {
    word: str(value) for value, word in zip(range(20, 100, 10), "twenty thirty forty fifty "
                                             "sixty seventy eighty ninety".split(), strict=True)}
ORDINALS = {word: f"{value}th" for value, word in enumerate(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth".split()) if value}
COMPOUND = re.compile(r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ](two|three|"
                      r"four|five|six|seven|eight|nine)\b", re.I)  # "twenty-two": 22
SPELLED = re.compile(rf"\b({'|'.join([*NUMBER_WORDS, *ORDINALS])})\b", re.I)
PER_CENT = re.compile(r"\s*\bper\s*cent\b|\s*\bpercent\b", re.I)
MONTH = re.compile(r"\b(?:January|February|March|April|June|July|August|September|October|"
                   r"November|December)\b|\bMay(?=\s+\d)")
CAPITAL = r"[A-Z][\w’'&-]*"
NAME = re.compile(rf"\b{CAPITAL}(?:\s+(?:(?:of|and|for|the|on|in|&)\s+)?{CAPITAL})+")
MONTHS = frozenset("january february march april may june july august september october "
                   "november december jan feb mar apr jun jul aug sep sept oct nov dec".split())
MONTH_WORD = rf"(?:{'|'.join(sorted((m.title() for m in MONTHS), key=len, reverse=True))})\.?"
DAY_OF_DATE = re.compile(rf"\b({MONTH_WORD}\s+)(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*%|\.\d|,\d)")
DATE_DAY = re.compile(rf"\b(\d{{1,2}})(\s+{MONTH_WORD})\b")
FRACTION_PARTS = {"half": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "sixth": 6,
                  "tenth": 10, "hundredth": 100, "thousandth": 1000}
FRACTION = re.compile(r"\b(?:(a|an|one|two|three|four|five|nine)[\s-]+)?(half|(?:third|quarter|"
                      r"fifth|sixth|tenth|hundredth|thousandth)s?)\b(?!\s+(?:of\s+)?(?:19|20)\d\d)"
                      r"(?<!first half)(?<!second half)(?=\s+of\b|\s*[,.;:)]|\s*$)", re.I)
YEAR_ON_YEAR = re.compile(r"\byear[- ]on[- ]year\b|\ba year (?:earlier|before)\b|"
                          r"\b(?:the )?previous year\b", re.I)
RATE_BEFORE = re.compile(r"(?:\d|%|\b(?:yuan|dollars?|euros?|tonnes?|tons?|teus?|hours?|days?|"
                         r"times))\s*$", re.I)
QUOTED = re.compile(r"[\"“]([^\"“”]{3,80})[\"”]")
OPENERS = frozenset("the a an in on at by for of and it its this these those since from with "
                    "under as according to both each all its their there when while after "
                    "before during once within following although though unlike like besides "
                    "despite through across between among if unless until upon".split())
# words that join a name to what follows it, not the parts of one name ("the State Council on
# January 9", "by July the Xiamen Area"): a name is split there
NAME_BREAK = re.compile(r"\s+(?:on|in|the|at|by)\s+")
PARTICIPLE = re.compile(r"[A-Z][a-z]+(?:ing|ed)")  # a sentence's opening "Adding", "Launched"
ACRONYM = re.compile(r"[A-Z]{2,5}")  # a measure's abbreviation after a name ("... Park GDP")
# words of a zone's name that its spellings vary in ("Fujian FTZ", "China (Fujian) Pilot Free
# Trade Zone"): a name whose other words all stand in the passages holds
GENERIC_NAME_WORDS = frozenset("pilot free trade zone zones ftz ftzs ftp area areas port china "
                               "chinese special new district of and for the".split())
STOPWORDS = frozenset("that this with from have which their there were been into also than "
                      "they them these those will would could should about such what when "
                      "where while more most other over only some many much very each both "
                      "according passage passages".split())
MIN_SHARE = 0.5  # of a sentence's content words that must come from its cited passages
# (one word from elsewhere is always allowed)
PREFIX = 5  # letters compared per word: a crude stemmer ("covers" ~ "covering")
NO_ANSWER = re.compile(
    r"\b(?:passages?|documents?|context|sources?|information)\b.*\b(?:do(?:es)? not|don't|"
    r"doesn't|cannot|can't|no)\b.*\b(?:answer|say|mention|contain|provide|state|information)|"
    r"\bnot (?:mentioned|stated|provided|given|specified) in\b", re.I)


@dataclass(frozen=True)
class Context:
    """What a passage is about: its document's title, zone and date, and its section."""

    title: str = ""
    zone: str = ""
    date: str = ""
    section: str = ""

    @property
    def text(self) -> str:
        return " ".join(part for part in (self.title, self.zone, self.date, self.section) if part)


@dataclass(frozen=True)
class Verdict:
    """What checking one sentence found: the passages it cites and, if rejected, why."""

    sentence: str
    cited: tuple[int, ...]
    problem: str | None = None

    @property
    def holds(self) -> bool:
        return self.problem is None


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`; markers written after a sentence's full stop stay with it, and
    "No. 15" or "e.g. Dalian" do not end one."""
    pieces, start = [], 0
    for found in BREAK.finditer(text):
        if "\n" in found.group() or _ends_sentence(text, found):
            pieces.append(text[start:found.end()])
            start = found.end()
    pieces.append(text[start:])
    sentences: list[str] = []
    for piece in (" ".join(p.split()) for p in pieces):
        lead = LEADING_MARKERS.match(piece)
        if lead and sentences:
            sentences[-1] = f"{sentences[-1]} {lead.group().strip()}"
            piece = piece[lead.end():].strip()
        if piece:
            sentences.append(piece)
    return sentences


def _ends_sentence(text: str, found: re.Match[str]) -> bool:
    if found.group()[0] in "。！？":
        return True
    if not OPENS_SENTENCE.match(text, found.end()):
        return False
    word = text[:found.start()].rsplit(None, 1)[-1] if text[:found.start()].strip() else ""
    word = word.lstrip("(\"'“‘").lower()
    return not (word in ABBREVIATIONS or re.fullmatch(r"[a-z]|(?:[a-z]\.)+[a-z]", word))


class SentenceStream:
    """Complete sentences out of text that arrives in pieces (a streamed answer)."""

    def __init__(self) -> None:
        self._text = ""
        self._given = 0

    def feed(self, piece: str) -> list[str]:
        """The sentences completed by `piece`: those followed by the next one's first word."""
        self._text += piece
        sentences = split_sentences(self._text)
        complete = sentences[:-1] if sentences and LETTER.search(sentences[-1]) else []
        return self._give(complete)

    def close(self) -> list[str]:
        """Whatever is left once the text has ended."""
        return self._give(split_sentences(self._text))

    def _give(self, sentences: list[str]) -> list[str]:
        fresh = sentences[self._given:]
        self._given = max(self._given, len(sentences))
        return fresh


def without_markers(sentence: str) -> str:
    """The sentence's text with its `[n]` markers taken out."""
    text = MARKER.sub(" ", sentence)
    return re.sub(r"\s+([.,;:!?。])", r"\1", " ".join(text.split()))


def _normal(text: str) -> str:
    """NFKC, thousands commas gone, "per cent" as %, small number words as digits."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)
    text = PER_CENT.sub("%", text)
    text = _compounds(text)
    return SPELLED.sub(lambda m: {**NUMBER_WORDS, **ORDINALS}[m.group(1).lower()], text)


def _spelled_out(text: str) -> str:
    """Number words as digits ("two or three hours": "2 or 3 hours"), and nothing else
    changed, so that a figure's words can be read around it."""
    return re.sub(rf"\b({'|'.join(NUMBER_WORDS)})\b(?=\s+(?:or|to|and)?\s*\w)",
                  lambda m: NUMBER_WORDS[m.group(1).lower()], _compounds(text), flags=re.I)


def _compounds(text: str) -> str:
    """Two-word numbers as digits ("twenty-two": "22")."""
    return COMPOUND.sub(lambda m: str(int(NUMBER_WORDS[m.group(1).lower()])
                                      + int(NUMBER_WORDS[m.group(2).lower()])), text)


def _figures(text: str) -> list[tuple[str, str]]:
    """(plain value, value with its %, ordinal or scale) of every number in `text`."""
    found = []
    for match in FIGURE.finditer(_normal(text)):
        value = re.sub(r"^0+(?=\d)", "", match.group(1).replace(",", ""))
        if match.group(2):
            full = f"{value}%"
        elif match.group(3):
            full = f"{value}th"
        elif match.group(4):
            full = f"{value} {match.group(4).lower()}"
        else:
            full = value
        found.append((value, full))
    return found


def _squash(text: str) -> str:
    return re.sub(r"[^0-9a-z\u3400-\u9fff]+", "", unicodedata.normalize("NFKC", text).lower())


def _names(sentence: str) -> list[str]:
    """Capitalised multi-word names (split where a word such as "on" or "the" joins two, and
    opening words such as "The" or "In" and month names left out), quoted names and month
    names."""
    names = []
    for match in NAME.finditer(sentence):
        for part in NAME_BREAK.split(re.sub(r"[’']s\b", "", match.group())):
            words = part.split()
            while words and (words[0].lower() in OPENERS or words[0].lower() in MONTHS
                             or (match.start() == 0 and PARTICIPLE.fullmatch(words[0]))):
                words.pop(0)
            while words and (words[-1].lower() in MONTHS or ACRONYM.fullmatch(words[-1])):
                words.pop()
            if len(words) >= 2:
                names.append(" ".join(words))
    names.extend(QUOTED.findall(sentence))
    names.extend(MONTH.findall(sentence))
    return list(dict.fromkeys(names))


def _fractions(text: str) -> set[str]:
    """The fractions a text states in words ("a quarter" and "one quarter" alike: "1/4";
    "two-thirds": "2/3"; "half": "1/2")."""
    found = set()
    for match in FRACTION.finditer(text):
        count, part = match.group(1), match.group(2).lower().rstrip("s")
        if not count and part != "half":  # ("the third batch", "the first quarter")
            continue
        if RATE_BEFORE.search(text, 0, match.start()):  # ("20,000 yuan a quarter": a rate)
            continue
        number = 1 if not count or count.lower() in ("a", "an", "one") else \
            int(NUMBER_WORDS.get(count.lower(), 0)) or count
        found.add(f"{number}/{FRACTION_PARTS[part]}")
    return found


def _name_holds(name: str, about: list[str]) -> bool:
    """Whether a name stands in the passages or their context: whole, or — a zone or area
    spelt another way ("Fujian FTZ") — as places they name, with no other words but generic
    ones ("Zhengzhou Customs" must stand whole)."""
    squashed = [_squash(re.sub(r"[’']s\b", "", text)) for text in about]
    if any(_squash(name) in text for text in squashed):
        return True
    words = {w.lower() for w in re.findall(r"[^\W_]+", name)} - GENERIC_NAME_WORDS
    named = gazetteer().mentioned(name)
    spelt = {w.lower() for place in named for spelling in (place.name, *place.spellings)
             for w in re.findall(r"[^\W_]+", spelling)}
    known = {place.name for place in gazetteer().mentioned(" ".join(about))}
    known |= {zone_of(place) for place in known}
    return bool(named) and words <= spelt and {place.name for place in named} <= known


def _content_words(text: str) -> set[str]:
    """Words of four letters or more (their first letters, stopwords left out), and pairs of
    adjacent Chinese characters."""
    text = unicodedata.normalize("NFKC", text).lower()
    words = {w[:PREFIX] for w in re.findall(r"[a-z]{4,}", text) if w not in STOPWORDS}
    for run in re.findall(r"[\u3400-\u9fff]{2,}", text):
        words.update(run[i:i + 2] for i in range(len(run) - 1))
    return words


def check(sentence: str, passages: Mapping[int, str],
          context: Mapping[int, Context] | None = None) -> Verdict:
    """Whether `sentence` holds against the passages it cites (`passages` maps each number the
    model was shown to that passage's text, `context` to what the passage is about)."""
    cited = tuple(dict.fromkeys(int(n) for n in MARKER.findall(sentence)))
    text = without_markers(sentence)
    if not cited:
        return Verdict(sentence, cited, "cites no passage")
    missing = [n for n in cited if n not in passages]
    if missing:
        return Verdict(sentence, cited, f"cites passages that do not exist: {missing}")
    if not LETTER.search(text):
        return Verdict(sentence, cited, "has no text")
    sources = [passages[n] for n in cited]
    about = [*sources, *((context or {})[n].text for n in cited if n in (context or {}))]
    held = {full for source in sources for pair in _figures(source) for full in pair}
    held |= {full for extra in about[len(sources):] for pair in _figures(extra) for full in pair}
    for _, full in _figures(text):
        if full not in held and not _year_before(full, held, sources):
            return Verdict(sentence, cited, f"figure not in its passages: {full}")
    dates = set().union(*map(_dates, about))
    for date in _dates(text) - dates:
        return Verdict(sentence, cited, f"date not in its passages: {date}")
    for fraction in _fractions(text):
        if not any(fraction in found for source in about for found in _fractions(source)):
            return Verdict(sentence, cited, f"fraction not in its passages: {fraction}")
    for name in _names(text):
        if not _name_holds(name, about):
            return Verdict(sentence, cited, f"name not in its passages: {name}")
    words = _content_words(text)
    known = words & set().union(*(_content_words(source) for source in about))
    if len(words - known) > max(1, (1 - MIN_SHARE) * len(words)):
        return Verdict(sentence, cited, "too little of it is in its passages")
    if not known and not _figures(text) and not _names(text):
        return Verdict(sentence, cited, "says nothing its passages hold")
    resting = [_spelled_out(s) for s in _resting(text, sources)]
    problem = changed_meaning(_spelled_out(text), resting, " ".join(about),
                              " ".join(about[len(sources):]), _edit_figures)
    return Verdict(sentence, cited, problem)


def _dates(text: str) -> set[str]:
    """The days a text names ("June 6, 2020" and "6 June" alike: "jun 6")."""
    found = {f"{m.group(1)[:3].lower()} {int(m.group(2))}" for m in DAY_OF_DATE.finditer(text)}
    found |= {f"{m.group(2).strip()[:3].lower()} {int(m.group(1))}"
              for m in DATE_DAY.finditer(text)}
    return found


def _year_before(figure: str, held: set[str], sources: list[str]) -> bool:
    """Whether `figure` is the year before one the passages give a year-on-year change for
    ("up 12% in 2023, year on year": "12% more than in 2022")."""
    return bool(YEAR.fullmatch(figure)) and str(int(figure) + 1) in held and any(
        YEAR_ON_YEAR.search(source) for source in sources)


def _resting(text: str, sources: list[str]) -> list[str]:
    """The source sentences `text` rests on: those that hold its measures (figures other than
    years, days of a date and ordinal words such as "first"), and the one that shares most of
    its words."""
    own = [s for source in sources for s in split_sentences(source)]
    if not own:
        return []
    measures = _measures(text)
    words = _content_words(text)
    closest = max(own, key=lambda s: len(words & _content_words(s)))
    return list(dict.fromkeys([*(s for s in own if measures & _measures(s)), closest]))


def _measures(text: str) -> set[str]:
    return {full for value, full in _edit_figures(text) if not YEAR.fullmatch(value)}


def _edit_figures(text: str) -> list[tuple[str, str]]:
    """The figures of `text` that state a quantity: not the ordinal words ("first"), nor the
    day of a date ("June 1, 2020", "1 June")."""
    plain = re.sub(r"\b(?:" + "|".join(ORDINALS) + r")\b", " ", text, flags=re.I)
    plain = DAY_OF_DATE.sub(lambda m: m.group(1) + " " * len(m.group(2)), plain)
    plain = DATE_DAY.sub(lambda m: " " * len(m.group(1)) + m.group(2), plain)
    return _figures(plain)


def declines(sentence: str) -> bool:
    """Whether an uncited sentence says that the passages do not answer."""
    return not MARKER.search(sentence) and bool(NO_ANSWER.search(sentence))


def supporting(sentence: str, passage: str) -> list[str]:
    """The passage's sentences that support `sentence`: those holding its figures, else the
    one holding most of its names, then sharing most of its words."""
    own = split_sentences(passage)
    text = without_markers(sentence)
    figures = {full for _, full in _figures(text)}
    holding = [s for s in own if figures & {full for _, full in _figures(s)}]
    if holding:
        return holding
    names, words = [_squash(name) for name in _names(text)], _content_words(text)

    def fit(candidate: str) -> tuple[int, int]:
        squashed = _squash(candidate)
        return sum(name in squashed for name in names), len(words & _content_words(candidate))

    return [max(own, key=fit)] if own else []
