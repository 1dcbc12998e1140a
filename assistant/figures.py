"""How figures are written: numbers, number words, scales, units, periods and figure kinds.

The one place that reads them, for questions and for sentences alike (pure functions, no
model). A *figure* is a value as written ("RMB1.8 trillion", "3,000 hours", "11th", "1/5")
with its number, scale, normalised unit and kind; a *period* is what a figure covers ("in
2023", "the first half of 2024", "January to August 2025", "as of the end of 2024").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
MONTH_ABBREVIATIONS = {name[:3]: n for n, name in enumerate(MONTHS, start=1)} | {"sept": 9}
MONTH_NUMBER = {name: n for n, name in enumerate(MONTHS, start=1)} | MONTH_ABBREVIATIONS
MONTH = (r"(?:january|february|march|april|may|june|july|august|september|october|november|"
         r"december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?")
UNITS_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
               "fourteen fifteen sixteen seventeen eighteen nineteen").split()
TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
NUMBER_WORD_VALUES = ({word: n for n, word in enumerate(UNITS_WORDS)}
                      | {word: 10 * (n + 2) for n, word in enumerate(TENS_WORDS)}
                      | {"hundred": 100, "dozen": 12, "a dozen": 12})
ORDINAL_WORDS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
                 "twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth "
                 "nineteenth twentieth").split()
SCALES = {"thousand": 1e3, "million": 1e6, "mln": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9,
          "trillion": 1e12, "tn": 1e12}
SPELLED = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|"
           r"four|five|six|seven|eight|nine))?|zero|one|two|three|four|five|six|seven|eight|nine|"
           r"ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
           r"a dozen|dozens of|a hundred|one hundred|hundreds of|thousands of)")
DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
NUMERAL = rf"(?:{DIGITS}|{SPELLED})"
QUALIFIER = (r"(?:more than|over|nearly|almost|about|around|approximately|up to|at least|"
             r"less than|fewer than|some|roughly|close to|exceeding|above|below)")
SCALE = r"(?:trillion|billion|million|thousand|bn|mln|mn|tn)\b"
CURRENCY_BEFORE = r"(?:RMB|CNY|USD|US\$|HK\$|EUR|\$|¥|€|£|yuan)"
CURRENCY_AFTER = (r"(?:(?:US |U\.S\. |Hong Kong |HK |Singapore )?dollars?|yuan|renminbi|RMB|"
                  r"CNY|USD|euros?|EUR|pounds? sterling|yen)\b")
AREA_UNIT = (r"(?:square kilomet(?:re|er)s?|square km|sq[.-]? ?km|km²|km2|square met(?:re|er)s?|"
             r"sq\.? ?m\b|m²|hectares?|ha\b|mu\b|acres?|square miles?)")
PERCENT_UNIT = r"(?:%|per ?cent\b|percent\b|percentage points?\b)"
DURATION_UNIT = (r"(?:working days?|business days?|hours?|days?|weeks?|months?|years?|minutes?|"
                 r"seconds?)\b")

# the normalised unit of a unit as written, and the kind of figure it makes
UNIT_TABLE: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (unit, kind, re.compile(pattern, re.I)) for unit, kind, pattern in (
        ("km²", "area", r"square kilomet|square km|sq[.-]? ?km|km²|km2|square miles?"),
        ("m²", "area", r"square met|sq\.? ?m\b|m²"),
        ("hectares", "area", r"hectare|\bha\b"),
        ("mu", "area", r"\bmu\b"),
        ("acres", "area", r"acre"),
        ("percentage points", "percent", r"percentage point"),
        ("%", "percent", r"%|per ?cent|percent"),
        ("yuan", "money", r"yuan|rmb|cny|renminbi|¥"),
        ("US dollars", "money", r"dollar|usd|\$"),
        ("euros", "money", r"euro|eur|€"),
        ("working days", "duration", r"working days?|business days?"),
        ("hours", "duration", r"hours?"),
        ("days", "duration", r"days?"),
        ("weeks", "duration", r"weeks?"),
        ("months", "duration", r"months?"),
        ("years", "duration", r"years?"),
        ("minutes", "duration", r"minutes?"),
        ("seconds", "duration", r"seconds?"),
    ))

FIGURE_PATTERN = re.compile(
    rf"(?<![\w.,/])(?:(?P<qualifier>{QUALIFIER})\s+)?"
    rf"(?:(?P<currency>{CURRENCY_BEFORE})\s?)?"
    rf"(?P<number>{NUMERAL}(?:\s*(?:to|-|–|and)\s*{NUMERAL})?)"
    rf"(?P<ordinal>st|nd|rd|th)?\b(?!/\d)"
    rf"(?:\s*(?P<scale>{SCALE}))?"
    # ("a 1.99-sq-km bonded zone", "a 2-hour window": a unit joined by a hyphen)
    rf"(?:(?:\s*|-)(?P<unit>{PERCENT_UNIT}|{AREA_UNIT}|{CURRENCY_AFTER}|{DURATION_UNIT}))?",
    re.I,
)
# a year followed by "to" and a number that is no year
YEAR_THEN_FIGURE = re.compile(r"\b((?:19|20)\d\d)(\s*(?:to|-|–)\s*)(?=\d)(?!(?:19|20)\d\d\b)",
                              re.I)
ORDINAL_WORD = re.compile(rf"\b(?P<word>{'|'.join(ORDINAL_WORDS)}|top)\b", re.I)
FRACTION = re.compile(
    r"(?<![\w/])(?P<value>\d+/\d+)(?![\w/])|\b(?P<words>(?:nearly |almost |about |over |"
    r"more than )?"
    r"(?:half|one[- ]half|a (?:third|quarter|fifth|tenth)|(?:one|two|three|four)[- ](?:thirds?|"
    r"quarters?|fifths?|tenths?)))\b(?<!first half)(?<!second half)"
    # "half of the firms", or a share as a partitive's subject: "Of the 40 firms, nearly half
    # came from Korea"
    r"(?= of\b|,?\s+(?:came|come|were|was|are|is|had|have|went|did|do|does|moved|chose|"
    r"opted|belong|belonged)\b)", re.I)
DATE_PATTERN = re.compile(
    rf"\b{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+(?:19|20)\d\d)?\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}(?:,?\s+(?:19|20)\d\d)?\b"
    rf"|\b{MONTH}\s+(?:19|20)\d\d\b|\b(?:19|20)\d\d-\d\d(?:-\d\d)?\b", re.I)
YEAR = re.compile(r"(?<![\w.,$¥€])(?:19|20)\d\d(?![\w%]|[.,]\d)")
# a table cell's figure whose unit its column names: "Size (sq km): 43.78"
LABELLED = re.compile(rf"\((?P<unit>[^()]{{1,30}})\)\s*:\s*(?P<number>{DIGITS})(?![\d.,]*\s*"
                      rf"(?:{PERCENT_UNIT}|{AREA_UNIT}|{CURRENCY_AFTER}|{DURATION_UNIT}|{SCALE}))",
                      re.I)
# a table row whose first cell gives, in brackets, the unit of the bare figures in its other
# cells: "Indicator (whole FTZ): Foreign trade (bn yuan); 2021: over 154; H1 2022: 95.93"
# (a bracket with a figure in it, "Date: 12 March 2022 (100 days);", is a note, no unit)
ROW_UNIT = re.compile(r"^[^;]{1,120}\((?P<unit>[^()\d]{1,30})\)\s*;")
CODE = re.compile(r"\b(?:No|Nos|Number)\.?\s*\d+(?:\s*[\[(](?:19|20)\d\d[\])])?|"
                  r"\b[A-Z][a-z]+ [A-Z][a-z]+ [\[(](?:19|20)\d\d[\])] No\.? ?\d+")
NOT_A_COUNT_BEFORE = re.compile(
    r"(?:\b(?:no|nos|number|article|articles|item|items|clause|chapter|section|page|pages|"
    r"phase|round|batch|edition|version|record|series|part|note|guo fa|decree|order|"
    r"document|doc)\.?|#|\[)\s*$"
    # the last of "page 1 of 2", "part 3 of 7": how many pages, not a figure of the text
    r"|\b(?:page|part|chapter|section|article|item|sheet|slide)\s+\d+\s+of\s*$", re.I)
ANNIVERSARY_AFTER = re.compile(
    r"^\s*(?:anniversary|session|plenary|national congress|five-year plan|batch|edition|"
    r"meeting|conference|expo|import expo|china import|plenum)", re.I)


@dataclass(frozen=True)
class Figure:
    """One figure in a text: as written, its number (scaled), unit, kind and place."""

    text: str
    value: float | None
    unit: str
    kind: str  # area, percent, money, duration, count, rank, fraction, date, year
    start: int
    end: int
    change: bool = False  # a percentage that says how much something grew or fell


# what makes a percentage a change ("up 12.5%", "a rise of 9 percent", "+28.5%") rather than a
# share ("12.5% of the province's trade")
CHANGE_BEFORE = re.compile(
    r"(?:\b(?:(?<!make )(?<!made )(?<!makes )(?<!making )up|down|rise|rose|risen|rising|"
    r"increase[sd]?|increasing|growth|grew|grow(?:n|ing|s)?|"
    r"gain(?:ed|s)?|jump(?:ed|s)?|surge[sd]?|fell|fall(?:en|ing|s)?|decline[sd]?|drop(?:ped|s)?|"
    r"decrease[sd]?|expand(?:ed|s)?|climb(?:ed|s)?|cut|slump(?:ed)?)\b(?:\s+(?:of|by|at|about|"
    r"nearly|almost|some|more than|over|around|an average of|on average))*\s*|\+)$", re.I)
CHANGE_AFTER = re.compile(r"^\s*(?:year[- ]on[- ]year|from a year (?:earlier|before)|over the "
                          r"previous|more than (?:a|the) year|compared with|higher than|lower than|"
                          r"(?:a )?year[- ]on[- ]year)", re.I)


# a change told by its verb with what changed in between: "cut clearance time by 25% and
# costs by 30%", "raised the kiln output by 5%"
CHANGE_BY = re.compile(r"\b(?:cut|cuts|reduc(?:e|es|ed|ing)|lower(?:s|ed|ing)?|"
                       r"shorten(?:s|ed|ing)?|rais(?:e|es|ed|ing)|increas(?:e|es|ed|ing)|"
                       r"boost(?:s|ed|ing)?|slash(?:es|ed|ing)?|trim(?:s|med|ming)?|decreas(?:e|es|ed|ing)|"
                       r"improv(?:e|es|ed|ing))\b[^.;:!?]{0,60}\bby\s+(?:about |nearly |almost |"
                       r"around |over |more than |some )?$", re.I)


def is_change(text: str, start: int, end: int) -> bool:
    """Whether the percentage at text[start:end] says how much something changed."""
    return bool(CHANGE_BEFORE.search(text[max(0, start - 40):start])
                or CHANGE_BY.search(text[max(0, start - 100):start])
                or CHANGE_AFTER.match(text[end:end + 40]))


@dataclass(frozen=True)
class Period:
    """What a figure covers: a year, or part of one, or a date it stands at.

    `span` is "year", "half", "quarter", "months", "month", "day", "as_of", "since",
    "range" or "part" (a part the text before says: "the same period of 2023"); `first` and
    `last` bound the months covered (1..12) within `year` (for "range", `year` is the first
    year and `last_year` the last). A `year` of 0 is not given with the period ("in the
    first half").
    """

    span: str
    year: int
    first: int = 1
    last: int = 12
    last_year: int | None = None
    start: int = 0
    end: int = 0

    @property
    def label(self) -> str:
        """The period as a reader says it."""
        if not self.year:
            return self._label().replace(" of 0", "").replace(" 0", "")
        return self._label()

    def _label(self) -> str:
        if self.span == "half":
            return f"the {'first' if self.first == 1 else 'second'} half of {self.year}"
        if self.span == "quarter":
            return f"Q{(self.first - 1) // 3 + 1} {self.year}"
        if self.span == "months":
            return f"{MONTHS[self.first - 1].title()}–{MONTHS[self.last - 1].title()} {self.year}"
        if self.span in ("month", "day"):
            return f"{MONTHS[self.first - 1].title()} {self.year}"
        if self.span == "as_of":
            return f"the end of {self.year}" if self.last == 12 else \
                f"{MONTHS[self.last - 1].title()} {self.year}"
        if self.span == "since":
            return f"since {MONTHS[self.first - 1].title() + ' ' if self.first > 1 else ''}" \
                f"{self.year}"
        if self.span == "range":
            return f"{self.year}–{self.last_year}"
        if self.span == "part":
            return f"part of {self.year}"
        return str(self.year)


def number_value(text: str) -> float | None:
    """The value of a written number: "3,000" 3000, "1.8" 1.8, "twenty-two" 22, "a dozen" 12."""
    text = text.strip().lower()
    if re.fullmatch(DIGITS, text):
        return float(text.replace(",", ""))
    if text in NUMBER_WORD_VALUES:
        return float(NUMBER_WORD_VALUES[text])
    text = re.sub(r"^(?:a|one)\s+(?=hundred)", "", text)
    words = re.split(r"[- ]+", text)
    if words and all(w in NUMBER_WORD_VALUES for w in words):
        if words == ["hundred"]:
            return 100.0
        return float(sum(NUMBER_WORD_VALUES[w] for w in words))
    return None


def unit_of(written: str) -> tuple[str, str]:
    """The normalised unit and the figure kind of a unit as written ("sq km" -> km², area)."""
    for unit, kind, pattern in UNIT_TABLE:
        if pattern.search(written):
            return unit, kind
    return "", "count"


def figures_in(text: str) -> list[Figure]:
    """Every figure in a text, in order: values exactly as written, numbers with their scale.
    Years, dates, document and list numbers and ordinals of events ("10th anniversary") are
    left out of the counts; a year stands as a figure of kind "year", a date as "date"."""
    found: dict[int, Figure] = {}
    codes = [(m.start(), m.end()) for m in CODE.finditer(text)]
    for start, end in codes:
        found[start] = Figure(text[start:end], None, "", "code", start, end)
    dates = [(m.start(), m.end()) for m in DATE_PATTERN.finditer(text)]
    for start, end in dates:
        found[start] = Figure(text[start:end], None, "", "date", start, end)

    # "the first eight months of 2025", "the first half of 2024": periods, not figures
    periods = [(p.start, p.end) for p in periods_in(text) if p.span not in ("year", "day")]

    def inside_date(position: int) -> bool:
        return any(a <= position < b for a, b in dates + periods + codes)

    # "from 224.4 billion in 2015 to 526 billion": a year, then a figure, not a range
    unranged = YEAR_THEN_FIGURE.sub(lambda m: m.group(1) + " " * len(m.group(2)), text)
    for match in FIGURE_PATTERN.finditer(unranged):
        number_text = match.group("number")
        start, end = match.start(), match.end()
        if inside_date(match.start("number")) or not re.search(r"\d|[a-z]", number_text, re.I):
            continue
        first_number = re.split(r"\s*(?:to|-|–|and)\s*(?=\S)", number_text)[0]
        value = number_value(first_number)
        if value is None:
            continue
        spelled = not re.match(r"\d", first_number)
        currency, unit_text = match.group("currency"), match.group("unit") or ""
        scale = (match.group("scale") or "").lower()
        before, after = text[:start], text[end:]
        if match.group("ordinal"):
            if ANNIVERSARY_AFTER.match(after):
                continue
            found[start] = Figure(match.group(0).strip(), value, "rank", "rank", start, end)
            continue
        if YEAR.fullmatch(number_text.strip()) and not (currency or unit_text or scale):
            found[start] = Figure(number_text, value, "", "year", start, end)
            continue
        bare = not (unit_text or scale or currency)
        # "one of the", "zero tariffs", "two sides": number words count only things
        if bare and spelled and (re.match(r"(?:one|a|zero)$", first_number, re.I)
                                 or not _counts_something(after)):
            continue
        if not (unit_text or scale or currency) and NOT_A_COUNT_BEFORE.search(before):
            continue
        if currency and not unit_text:
            unit, kind = unit_of(currency)
        elif unit_text:
            unit, kind = unit_of(unit_text)
        else:
            unit, kind = "", "count"
        if scale:
            value *= SCALES[scale]
        end = start + len(match.group(0).rstrip())
        found[start] = Figure(match.group(0).strip(), value, unit, kind, start, end,
                              kind == "percent" and is_change(text, start, end))
    for match in LABELLED.finditer(text):
        unit, kind = unit_of(match.group("unit"))
        scale = re.search(SCALE, match.group("unit"), re.I)
        at = match.start("number")
        if kind != "count" and at in found:
            value = number_value(match.group("number"))
            if value is not None and scale:
                value *= SCALES[scale.group(0).lower()]
            found[at] = Figure(match.group("number"), value, unit, kind, at, match.end())
    row = ROW_UNIT.match(text)  # "Indicator: Foreign trade (bn yuan); 2021: over 154; ..."
    unit, kind = unit_of(row.group("unit")) if row else ("", "count")
    if kind != "count":  # (no row, or a bracket that names no unit, leaves the counts)
        scale = re.search(SCALE, row.group("unit"), re.I)
        for at, figure in list(found.items()):
            if at > row.end() and figure.kind == "count" and figure.value is not None:
                value = figure.value * (SCALES[scale.group(0).lower()] if scale else 1)
                found[at] = Figure(figure.text, value, unit, kind, figure.start, figure.end,
                                   kind == "percent" and is_change(text, figure.start,
                                                                   figure.end))
    for match in FRACTION.finditer(text):
        if match.start() not in found and not inside_date(match.start()):
            found[match.start()] = Figure(match.group(0), None, "fraction", "percent",
                                          match.start(), match.end())
    for match in ORDINAL_WORD.finditer(text):
        if _ranked(text, match) and match.start() not in found and \
                not any(f.start <= match.start() < f.end for f in found.values()):
            found[match.start()] = Figure(match.group(0), float(
                ORDINAL_WORDS.index(match.group("word").lower()) + 1
                if match.group("word").lower() != "top" else 1), "rank", "rank",
                match.start(), match.end())
    return [found[key] for key in sorted(found)]


def _counts_something(after: str) -> bool:
    """Whether a spelled number is followed by what it counts ("seven reforms")."""
    return bool(re.match(r"\s+(?:new\s+|more\s+|major\s+|key\s+)?[a-z]{3,}", after, re.I)) \
        and not re.match(r"\s+(?:of|to|and|or|in|on|at|by|for|is|are|was|were)\b", after, re.I)


def _ranked(text: str, match: re.Match[str]) -> bool:
    """Whether an ordinal word states a rank ("ranks first", "first in China", "the fifth-
    largest port")."""
    before, after = text[:match.start()], text[match.end():]
    if re.match(r"[- ](?:largest|biggest|busiest|highest|most|best|strongest|leading)\b",
                after, re.I):
        return True
    return bool(re.search(r"\b(?:rank(?:s|ed|ing)?|placed|came|is|was|were|are|remained|"
                          r"stood|ranking)\s+(?:\w+\s+)?$", before, re.I)
                and re.match(r"\s*(?:in|among|of|place|position|nationwide|globally|[.,;]|$)",
                             after, re.I)) or bool(
        re.match(r"\s+(?:in|among) (?:china|the country|the nation|the world|all)", after, re.I))


KIND_OF_YEAR = ("year", "date")


def kinds_in(text: str) -> set[str]:
    """The kinds of figure a text holds."""
    return {figure.kind for figure in figures_in(text)}


# ---------------------------------------------------------------- periods

HALF = re.compile(r"\b(?:the\s+)?(?P<which>first|second|1st|2nd)\s+half\s+(?:of\s+)?"
                  r"(?:(?:the\s+)?year\s+)?(?P<year>(?:19|20)\d\d)\b|\bH(?P<h>[12])\s*"
                  r"(?P<year2>(?:19|20)\d\d)\b|\b(?P<year3>(?:19|20)\d\d)\s*H(?P<h3>[12])\b",
                  re.I)
QUARTER = re.compile(r"\b(?:the\s+)?(?P<which>first|second|third|fourth|1st|2nd|3rd|4th)\s+"
                     r"quarter\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)\b|\bQ(?P<q>[1-4])\s*"
                     r"(?P<year2>(?:19|20)\d\d)\b|\b(?P<year3>(?:19|20)\d\d)\s*Q(?P<q3>[1-4])\b",
                     re.I)
FIRST_MONTHS = re.compile(
    rf"\b(?:the\s+)?first\s+(?P<n>{'|'.join(UNITS_WORDS[2:13])}|\d{{1,2}})\s+months"
    rf"(?:\s+(?:of\s+)?(?:(?:the\s+)?year\s+)?(?P<year>(?:19|20)\d\d)\b)?", re.I)
MONTH_RANGE = re.compile(
    rf"\b(?:from\s+)?(?P<a>{MONTH})(?:\s+(?P<ya>(?:19|20)\d\d))?\s*(?:to|through|until|-|–)\s*"
    rf"(?P<b>{MONTH})(?:[,]?\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)\b)?", re.I)
# a part of a year whose year the text gives elsewhere ("in the first half", "Q1")
HALF_ALONE = re.compile(r"\b(?:the\s+)?(?P<which>first|second)\s+half\b(?!\s+of\s+(?:the\s+)?"
                        r"(?:year\s+)?(?:19|20)\d\d)(?!\s+(?:19|20)\d\d)", re.I)
# (a table cell says it with a colon: "As of: End of March 2018")
AS_OF = re.compile(
    rf"\b(?:as of|by|at|as at|until|up to|till|to|through):?\s+(?:the\s+)?end\s+(?:of\s+)?"
    rf"(?:(?P<month>{MONTH})\s+)?(?P<year>(?:19|20)\d\d)\b"
    rf"|\b(?:as of|by|as at):?\s+(?:(?:the\s+)?end\s+of\s+)?(?P<month2>{MONTH})(?:\s+\d{{1,2}},?)?"
    rf"\s+(?P<year2>(?:19|20)\d\d)\b|\bend[- ](?P<year3>(?:19|20)\d\d)\b"
    rf"|\b(?:by|as of|as at|up to|until)\s+(?P<year4>(?:19|20)\d\d)\b"
    rf"|\b(?:by\s+|as of\s+|in\s+)?mid[- ](?P<mid>(?:19|20)\d\d)\b", re.I)  # mid-2023: June
SINCE = re.compile(rf"\bsince\s+(?:[\w'’-]+\s+){{0,7}}?(?:in|on)?\s*(?:(?P<m>{MONTH})\s+"
                   rf"(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?|\d{{1,2}}\s+(?P<m2>{MONTH})\s+)?"
                   rf"(?P<year>(?:19|20)\d\d)\b", re.I)
YEAR_RANGE = re.compile(r"\b(?P<a>(?:19|20)\d\d)\s*(?:-|–|to|through)\s*(?P<b>(?:19|20)\d\d)\b",
                        re.I)
DAY_DATE = re.compile(rf"\b(?P<m>{MONTH})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b"
                      rf"|\b\d{{1,2}}\s+(?P<m2>{MONTH})\s+(?P<year2>(?:19|20)\d\d)\b", re.I)
# a part of a year said by reference to another ("in the same period of 2023"): which part,
# only the text before says
SAME_PERIOD = re.compile(r"\b(?:the\s+)?same\s+period\s+(?:of|in|last)\s+(?:year\s+)?"
                         r"(?P<year>(?:19|20)\d\d)\b", re.I)
MONTH_YEAR = re.compile(rf"\b(?:in\s+)?(?P<m>{MONTH})\s+(?P<year>(?:19|20)\d\d)\b", re.I)
ORDINAL_NUMBER = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
                  "fourth": 4, "4th": 4}


def _month(name: str) -> int:
    return MONTH_NUMBER[name.lower().rstrip(".")[:4] if name.lower().startswith("sept")
                        else name.lower().rstrip(".")[:3]]


def periods_in(text: str) -> list[Period]:
    """The periods a text names, in order; a part of a year wins over the bare year inside it
    ("the first half of 2024" is one period, not also "2024")."""
    found: list[Period] = []
    taken: list[tuple[int, int]] = []

    def add(period: Period) -> None:
        if not any(a < period.end and period.start < b for a, b in taken):
            found.append(period)
            taken.append((period.start, period.end))

    for m in HALF.finditer(text):
        which = m.group("which") or ("first" if (m.group("h") or m.group("h3")) == "1"
                                     else "second")
        first = 1 if ORDINAL_NUMBER.get(which.lower(), 1) == 1 else 7
        year = int(m.group("year") or m.group("year2") or m.group("year3"))
        add(Period("half", year, first, first + 5, start=m.start(), end=m.end()))
    for m in QUARTER.finditer(text):
        number = ORDINAL_NUMBER.get((m.group("which") or "").lower()) or int(
            m.group("q") or m.group("q3"))
        year = int(m.group("year") or m.group("year2") or m.group("year3"))
        add(Period("quarter", year, 3 * number - 2, 3 * number, start=m.start(), end=m.end()))
    for m in FIRST_MONTHS.finditer(text):
        n = m.group("n")
        months = int(n) if n.isdigit() else UNITS_WORDS.index(n.lower())
        span = "half" if months == 6 else "quarter" if months == 3 else "months"
        add(Period(span, int(m.group("year") or 0), 1, min(months, 12), start=m.start(),
                   end=m.end()))
    for m in MONTH_RANGE.finditer(text):
        first, last = _month(m.group("a")), _month(m.group("b"))
        if first <= last and not m.group("ya"):
            span = ("half" if (first, last) in ((1, 6), (7, 12)) else "quarter"
                    if last - first == 2 and first % 3 == 1 else "year"
                    if (first, last) == (1, 12) else "months")
            add(Period(span, int(m.group("year") or 0), first, last, start=m.start(),
                       end=m.end()))
    for m in HALF_ALONE.finditer(text):
        first = 1 if m.group("which").lower() == "first" else 7
        add(Period("half", 0, first, first + 5, start=m.start(), end=m.end()))
    for m in AS_OF.finditer(text):
        year = int(m.group("year") or m.group("year2") or m.group("year3") or m.group("year4")
                   or m.group("mid"))
        month = m.group("month") or m.group("month2")
        last = _month(month) if month else 6 if m.group("mid") else 12
        add(Period("as_of", year, 1, last, start=m.start(), end=m.end()))
    for m in SINCE.finditer(text):
        month = m.group("m") or m.group("m2")  # (the month it began, when the text says it)
        add(Period("since", int(m.group("year")), _month(month) if month else 1,
                   start=m.start(), end=m.end()))
    for m in SAME_PERIOD.finditer(text):
        add(Period("part", int(m.group("year")), start=m.start(), end=m.end()))
    for m in YEAR_RANGE.finditer(text):
        a, b = int(m.group("a")), int(m.group("b"))
        if a < b:
            add(Period("range", a, last_year=b, start=m.start(), end=m.end()))
    for m in DAY_DATE.finditer(text):
        month = _month(m.group("m") or m.group("m2"))
        add(Period("day", int(m.group("year") or m.group("year2")), month, month,
                   start=m.start(), end=m.end()))
    for m in MONTH_YEAR.finditer(text):
        month = _month(m.group("m"))
        add(Period("month", int(m.group("year")), month, month, start=m.start(), end=m.end()))
    for m in YEAR.finditer(text):
        add(Period("year", int(m.group(0)), start=m.start(), end=m.end()))
    return sorted(found, key=lambda p: p.start)


def covers(asked: Period, given: Period) -> bool:
    """Whether a figure for `given` answers a question about `asked`: the same year and the
    same stretch of it. A whole year is answered by itself, by its end ("as of the end of
    2024") or by a date in it; a part of a year only by that part; a running total since a
    year by one to a date after it."""
    if asked.span == "range" or given.span == "range":
        if asked.span == given.span == "range":
            return (asked.year, asked.last_year) == (given.year, given.last_year)
        one = asked if asked.span != "range" else given
        other = given if one is asked else asked
        return other.year <= one.year <= (other.last_year or other.year) and one.span == "since"
    if asked.span == "since" and given.span == "as_of":  # a running total, to a later date
        return given.year >= asked.year
    if asked.span == "since" or given.span == "since":  # a running total from a start
        return asked.span == given.span and asked.year == given.year
    if asked.year != given.year and given.year and asked.year:
        return False  # (a year of 0 is one the text gives elsewhere: any will do)
    if asked.span == "year":
        return given.span in ("year", "as_of", "day", "month") and (
            given.span != "as_of" or given.last == 12)
    if asked.span == "as_of":  # (a stock stated on a day of the month answers "by" it)
        return (given.span in ("year", "as_of") and given.last >= asked.last) or (
            given.span == "day" and given.first == asked.last)
    if asked.span in ("day", "month"):
        if given.span == "as_of":  # a stock "as of August" stands for August
            return given.last == asked.first
        return given.first <= asked.first <= given.last and given.span in ("day", "month",
                                                                            "year")
    return (given.first, given.last) == (asked.first, asked.last) and given.span != "year"


# ---------------------------------------------------------------- what a question asks for

# things whose size is an amount of money ("how big is the kiln fund?")
MONEY_THINGS = r"funds?|budgets?|investments?|loans?|deals?|financing|endowment"
# Checked in order: the first that matches names the figure a question wants.
# a question that asks which part of a place ("Which area of the Reed FTZ ...?"): one of
# its areas is the answer, not a narrower place than the one asked about
WHICH_PART = (r"\bwhich (?:area|part|district|section|sub-?zone|block|site)s?\b|"
              r"\bwhich (?:one )?of (?:the |its |their |these |those )?(?:\w+ )?(?:area|part|"
              r"district|section|sub-?zone)s\b|"
              r"\b(?:an|any|one) (?:area|part|district|section)s? (?:of|in|within)\b|\bwhat "
              r"(?:part|district|section|sub-?zone)s?\b|\bwhat area (?:of|in|within)\b")
ASKS_WHICH_PART = re.compile(WHICH_PART, re.I)
ASKED_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.I)) for kind, pattern in (
        ("person", r"^\s*(?:and\s+)?who\b(?! (?:jointly )?(?:issue[sd]?|release[sd]?|"
                   r"publish(?:e[sd])?|promulgated|approved|compile[sd]?|organi[sz]e[sd]?|"
                   r"host(?:s|ed)?|sponsor(?:s|ed)?)\b)(?!.*\bwho\b.*\?)|"
                   r"\bwhich (?:[\w-]+ ){0,4}(?:official|person|minister|"
                   r"director|mayor|governor|leader|head|chairman|chairwoman|chair|secretary|"
                   r"spokes(?:person|man|woman)|presenter|speaker)s?\b|\bname of the "
                   r"(?:official|person|minister|director|mayor|governor|head|spokes\w+)\b"),
        # before "money": "What is the date of the kiln investment rules?" asks a date
        ("date", r"^\W*what(?:'s| is| was) the (?:\w+ )?date\b"),
        ("code", r"\b(?:reference|document|doc|serial|file|official|notice|circular|decree|order|"
                 r"issue) (?:number|no\.?)\b|\bnumbered\b|\bwhat number (?:is|was|did)\b|"
                 r"\bnumber (?:of|is) (?:the|its|that) (?:notice|circular|document|decree|plan)\b"),
        # "Who issued the list?": ministries and agencies issue documents, not people
        ("organisation", r"^\s*who (?:jointly )?(?:issue[sd]?|release[sd]?|publish(?:e[sd])?|"
                         r"promulgated|approved|compile[sd]?|organi[sz]e[sd]?|host(?:s|ed)?|"
                         r"sponsor(?:s|ed)?)\b|"
                         r"\b(?:which|what) (?:(?!(?:is|was|were|are|did|does|do|has|have|of|will|"
                         r"would|should|shall|can|could|must|may|might|"
                         r"share|percentage|proportion|number|amount|value)\b)"
                         r"\w+ ){0,3}(?:bod(?:y|ies)|ministr(?:y|ies)|"
                         r"departments?|agenc(?:y|ies)|organi[sz]ations?|institutions?|"
                         r"authorit(?:y|ies)|organs?|offices?|bureaus?|commissions?)\b"),
        ("entity", r"\bby (?:what|which) (?!(?:percent|percentage|proportion|share|amount|margin|"
                   r"factor|rate|multiple|year|date|day|month|time|point)s?\b)\w+|\bby whom\b|"
                   + WHICH_PART + r"|"
                   r"\b(?:which|what) (?:(?!(?:is|was|were|are|did|does|do|has|have|of|share|"
                   r"percentage|proportion|number|amount|value)\b)\w+ ){0,3}"
                   r"(?:compan(?:y|ies)|firms?|banks?|"
                   r"universit(?:y|ies)|countr(?:y|ies)|cit(?:y|ies)|provinces?|ports?|airports?|"
                   r"railways?|partners?|brands?|groups?)\b(?! (?:is|are|was|were) (?:the )?"
                   r"(?:largest|biggest|smallest))"),
        ("percent", r"\bwhat (?:share|percentage|proportion|fraction|percent|part)\b|"
                    r"\bhow much of\b|\b(?:by )?(?:what|which|how much) (?:percent|percentage)\b|"
                    r"\b(?:growth|tax|interest|utili[sz]ation|occupancy|success|pass) rate\b|"
                    r"\bby how much did\b|\bhow (?:fast|quickly|much) did\b.*\b(?:grow|rise|"
                    r"increase|fall|drop|decline|expand|reduce|cut|lower|raise|boost|shorten)|"
                    r"\bwhat (?:was|is|were) the (?:\w+ ){0,3}(?:growth|increase|decrease|rise|"
                    r"drop|decline)\b(?! in (?:the )?(?:number|value|amount))|\bin percent\b|"
                    r"\byear[- ]on[- ]year\b|\bwhat rate\b|\bhow much (?:faster|higher|lower)\b|"
                    # a cap on ownership: "the maximum foreign shareholding in brokers"
                    r"\b(?:maximum|minimum|max|highest|lowest|cap on(?: the)?|limit on(?: the)?)"
                    r"\s+(?:\w+\s+)?(?:shareholding|stake|equity share|ownership)\b|"
                    r"\b(?:shareholding|stake|equity|ownership) (?:cap|limit|ceiling)s?\b"),
        # "how big is the repair business" asks the size of an activity, not a land area
        ("area", r"\bhow (?:large|big|extensive)\b(?! (?:is|was|are|were) (?:the |its |their |"
                 r"this |that )?(?:[\w'’-]+ ){0,3}(?:business|industry|industries|market|sector|"
                 r"trade|economy|cluster|chain|company|firm|role|share)\b"
                 r"(?! (?:zone|port|area|park)))(?! (?:is|was|are|were) (?:the |its |their |this |"
                 r"that )?(?:[\w'’-]+ ){0,7}(?:" + MONEY_THINGS + r")\b)|"
                 r"\bhow much (?:land|space|territory|ground|area|surface)\b|"
                 r"\b(?:total |planned |land )?area (?:of|does|do|is|did)\b|"
                 r"\bwhat area (?:does|do|did|is)\b|"
                 r"\bsquare (?:kilomet|met|mile)|\bkm²|\bkm2\b|\bsq\.? ?km\b|\bhectares?\b|"
                 r"\bsize\b|\bhow many (?:square|hectares|mu)\b|"
                 r"\b(?:span|cover)s? (?:how much|what)\b|\bhow much (?:does|do|did) .* cover\b"),
        ("money", r"\bhow much (?:money|capital|investment|funding|funds?|revenue|cash)\b|"
                  # "how big is the kiln fund": the size of what money measures
                  r"\bhow (?:large|big) (?:is|was|are|were) (?:the |its |their |this |that )?"
                  r"(?:[\w'’-]+ ){0,7}(?:" + MONEY_THINGS + r")\b|"
                  r"\bhow much (?:\w+ ){0,4}(?:invest|spend|spent|cost|raise|raised|earn|worth|"
                  r"pay|paid|attract|attracted|sign|signed|contract|contracted)\w*\b|"
                  r"\b(?:what|which) (?:was|is|were|are) (?:the )?(?:[\w'’-]+\s+){0,8}"
                  r"(?:value|worth|"
                  r"revenue|turnover|investment|output|sales|gdp|income|budget)\b|"
                  r"\b(?:value|worth|amount) of\b|\bin (?:yuan|rmb|dollars|us dollars|usd|euros)\b|"
                  r"\bhow many (?:us |u\.s\. |hong kong )?(?:yuan|dollars|euros|rmb)\b|"
                  r"\b(?:registered|foreign|paid-in|paid in|used|utili[sz]ed|actual|contracted|"
                  r"venture|private|social) capital\b|"
                  r"\bwhat (?:does|do|did|will) .{0,60}\bcost\b|\bhow much\b.*"
                  r"\b(?:yuan|rmb|dollars|usd|investment|(?<!free )trade|exports?|imports?)\b"),
        ("quantity", r"\b(?:what|which) (?:was|is|were|are) (?:the )?(?:[\w'’-]+\s+){0,8}?"
                     r"(?:exports?|imports?|trade|throughput|capacity|volume|tonnage|output|"
                     r"turnover|sales|revenue|population|investment|gdp|fdi)\b"
                     r"(?! (?:policy|policies|measures?|zone|plan|strategy|rules?|model|"
                     r"system|focus|goal|platform|mechanism|corridor|route|partners?)\b)"),
        ("duration", r"\bhow many (?:working |business )?(?:hours|days|years|months|minutes|"
                     r"weeks|seconds)\b|\bhow long\b|\bhow much (?:[\w-]+ ){0,3}time\b|"
                     r"\bhow quickly\b|\bhow fast\b|\bwithin how\b|\bin how many years\b|"
                     r"\b(?:what|which) (?:time[- ]?frame|timeframe|time span)\b|"
                     r"\bwhat time (?:saving|savings|cut|reduction|gain)s?\b"),
        ("rank", r"\b(?:what|which) (?:rank|place|position|ranking)\b|\brank(?:ed|s|ing)?\b|"
                 r"\bwhere did .* (?:place|rank|stand)\b|\bhow did .* rank\b|\bplaced\b"),
        ("date", r"^\W*(?:and |so |but )?when\b|\bwhen (?:did|was|were|is|are|will|does|do|has|"
                 r"had|can|could)\b|\bwhat (?:date|day|month)\b|\bwhich (?:date|day|month)\b|"
                 r"^\W*on what\b|\bwhat time\b(?![- ]?(?:frame|saving|savings|cut|"
                 r"reduction|gain))|\bsince when\b"),
        ("year", r"\b(?:which|what|in which|in what) year\b|\bwhat year\b|\bhow old\b"),
        ("quantity", r"\bhow much\b|\bwhat did .{0,60}\b(?:export|import|attract|invest|handle|"
                     r"register|earn|sell|produce|use|utili[sz]e)\b|\b(?:give|tell|show|send)"
                     r"(?: me| us)? the .{0,50}\b(?:figure|number|total|value|amount|volume)s?\b|"
                     r"\bwhat (?:volume|amount|quantity|level|sum|value) of\b|"
                     # a limit is a figure: "What's the per-item price limit?", "What
                     # income tax cap applies?"
                     r"\bwhat(?:'s|’s| is| was| are| were) (?:the )?(?:[\w'’-]+ ){0,3}"
                     r"(?:limit|cap|ceiling|quota|fee|price|charge)s?\b(?! (?:on|for) (?:the )?"
                     r"(?:foreign )?(?:stake|shareholding|equity|ownership))|"
                     r"\bwhat (?:fee|price|charge)s? (?:does|do|did|will|would)\b|"
                     r"\bwhat (?:[\w'’-]+ ){1,4}(?:limit|cap|ceiling|quota|fee|price|charge)s? "
                     r"(?:applies|apply|is set|are set|exists?|does|do|did|will|would)\b|"
                     # "What volume did the port handle?"; not "What do the authorities do if
                     # a firm invests?", whose "what" is an action's
                     r"\bwhat (?!(?:do|does|did|is|are|was|were|can|could|will|would|should|"
                     r"must|may)\b)(?:[\w-]+ ){1,3}"
                     r"(?:did|does|do)\b.{0,100}?\b(?:handle|export|import|attract|invest|register|"
                     r"earn|sell|produce|record|reach|achieve|post)\b|"
                     # "What did the island's sales come to in 2021?"
                     r"\bwhat (?:did|does|do|had|has|have|will) .{1,80}?\b(?:(?:come|amount|add up)"
                     r" to|total(?:led|ed)?)\b(?=\s*(?:(?:in|over|during|for|by|at|per|a|an|each|"
                     r"last|this|that|the (?:whole|full|first|second|year|period))\b|\W*$))"),
        # a score on an index is a number: "What did the area score?", "its overall score"
        ("count", r"\bwhat (?:did|does|do|will) .{1,80}?\bscore\b|\b(?:what|which) "
                  r"(?:(?:was|is) (?:the |its |their )?)?(?:[\w'’-]+ ){0,4}score\b|"
                  r"\bhow many points\b|"
                  r"\bhow many\b|\bwhat(?:'s| is| was| were| are) the (?:total )?"
                  r"(?:number|total|count|tally)\b|\bnumber of\b|\bthe total of\b|"
                  r"\bquantity of\b|\bvolume of\b|\bhow large a number\b"),
    ))
FIGURE_KINDS_FOR: dict[str, frozenset[str]] = {
    "area": frozenset({"area"}),
    "percent": frozenset({"percent"}),
    "money": frozenset({"money"}),
    "duration": frozenset({"duration"}),
    "rank": frozenset({"rank"}),
    "date": frozenset({"date", "year"}),
    "year": frozenset({"year", "date"}),
    "count": frozenset({"count"}),
    "code": frozenset({"code"}),
    "quantity": frozenset({"money", "count"}),
}


# a place's name that ends in a word such as "Area" ("the Zhoushan Area", "Qinzhou Port")
# or "area" ("the Zhoushan area of ..."; "What area ..." asks one)
PLACE_NAME = re.compile(r"\b(?:(?!(?:What|Which|How|Whose|The|Its|Their|Total|Planned|Land|Sea)\b)"
                        r"[A-Z][\w'’-]*\s+)+(?:Area|Areas|area|areas|Zone|Port|Park|District|"
                        r"Sub-zone|Subzone|New Area|new area|Island)\b")


PLACE_MARK = "Placename"  # ("Which Hunan FTZ area is ..." asks no "which place" rank)
# a question that opens with a clause of circumstance ("When the zone opened, ...", "At the
# May briefing, ..."): the question proper comes after it
LEADING_CLAUSE = re.compile(r"^\W*(?:when|after|before|while|since|as|once|if|at|in|during|on|"
                            r"under|according to)\b[^,?]{3,120},\s*"
                            r"(?=(?:what|which|how|who|whom|where|why|when|is|are|was|were|did|"
                            r"does|do|can|could)\b)", re.I)


# how much of a place lies in another: its area or its share ("How much of the Reed Bonded
# Port Area is included in the zone?")
PART_OF_PLACE = re.compile(r"\bhow much of (?:the |its |their )?(?:[\w'’-]+ ){0,5}(?:area|zone|"
                           r"port|park|district|land|territory)s?\s+(?:is|are|was|were|lies|lie|"
                           r"falls?|sits?|belongs?|included|inside|within)\b", re.I)


# how many of a whole: a count, or the share of the whole ("Of the 40 firms, how many came
# from Korea?" - "nearly half did")
PARTITIVE_COUNT = re.compile(r"\bhow many of\b|^\W*of (?:the|its|their|these|those|all) "
                             r"[^?]{0,100}\bhow many\b", re.I)


# how much something was cut or raised, or how much a measure helped: by a percentage or by an
# amount ("cut costs by 3.5 percent", "by 3,000 yuan a truck", "sped up processing by 80%")
CHANGE_AMOUNT = re.compile(r"\bhow much (?:did|does|do|has|have|will) .{1,120}?\b(?:reduce|cut|"
                           r"lower|raise|boost|shorten|save|help|improve|speed|ease|"
                           r"accelerate|streamline)\b", re.I)


# the time something takes, which a measure cut ("cut the time trucks spend at the gate")
TIME_CUT = re.compile(r"\b(?:time|hours|days|minutes|waits?|waiting|delays?)\b", re.I)


# a figure in brackets right after another is that one in another unit
CONVERSION = re.compile(r"\s*\(\s*(?:about|around|roughly|approximately|approx\.|nearly|some|"
                        r"or|equal to|equivalent to)?\s*", re.I)


def converts(text: str, previous: Figure, figure: Figure) -> bool:
    """Whether `figure` is `previous` again in another unit: "13.5 billion yuan (about 1.96
    billion dollars)"."""
    return previous.end <= figure.start and bool(
        CONVERSION.fullmatch(text[previous.end:figure.start]))


def asked_kinds(question: str) -> tuple[str, ...]:
    """The kinds of figure a question asks for, first the main one ("How many ... and what
    share ...?" asks for a count and a share); empty for a question without one."""
    if PART_OF_PLACE.search(question):
        return ("area", "percent")
    if PARTITIVE_COUNT.search(question):
        return ("count", "percent")
    if CHANGE_AMOUNT.search(question):  # (a time cut by minutes, or by a share of it)
        return ("duration", "percent") if TIME_CUT.search(question) else ("percent", "quantity")
    # "the Zhoushan Area of ..." names a place (by a word no pattern reads as a question's)
    question = PLACE_NAME.sub(PLACE_MARK, question)
    question = LEADING_CLAUSE.sub("", question)  # "When the zone opened, what ...?" asks what
    kinds = list(dict.fromkeys(kind for kind, pattern in ASKED_KINDS
                               if pattern.search(question)))
    if len(kinds) > 1 and not re.search(r"\band (?:what|how|which|when|who|where|in what)\b|"
                                        r",\s*and\b", question, re.I):
        kinds = kinds[:1]  # "how many square kilometres": the area is what is asked
    return tuple(kinds)


# a question put as a noun phrase ("Heihe Area total imports and exports in 2023?"): it asks
# for the figure of the quantity it names
QUANTITY_NOUN = (
    r"\b(?:imports?|exports?|trade|throughput|output|production|investment|capital|fdi|gdp|"
    r"revenue|sales|turnover|settlements?|transactions|scores?|capacity|volume|tonnage|"
    r"registrations?|number|enterprises|firms|companies|businesses|projects|containers|teus?|"
    r"trains|flights|passengers|visitors|tourists|cases|"
    r"innovations|tasks|jobs)\b(?!\s+(?:polic(?:y|ies)|measures?|zones?|plans?|strategy|rules?|"
    r"models?|system|facilitation|corridor|partners?|agreements?|routes?|links?|parks?|hubs?|"
    r"cent(?:er|re)s?|ports?|expos?|fairs?))")
# words that make a text a question, not a noun phrase
INTERROGATIVE = re.compile(r"\b(?:what|which|who|whom|when|where|why|how|is|are|was|were|does|"
                           r"do|did|can|could|should|will|would|has|have)\b", re.I)
TERSE_QUANTITY = re.compile(QUANTITY_NOUN, re.I)
# "Tell me the Zhoushan Area's actually utilized foreign capital in 2020."
TELL = re.compile(r"^\W*(?:please\s+)?(?:give|tell|show|send)(?: me| us)?\b", re.I)
# an instruction that asks for a description, not a figure ("List the ...", "Explain ...")
DESCRIBE = re.compile(r"^\W*(?:please\s+)?(?:explain|describe|list|name|outline|summari[sz]e)\b",
                      re.I)
# a word a noun phrase's figure comes after when the figure is only a circumstance of what
# it names ("licensing on non-working days", "certificates for exports")
GOVERNED = re.compile(r"\b(?:(?:on|in|within|during|over|for|at|outside|after|before|per|by|"
                      r"about|from|to|with)|(?:on|at|during|outside|for)\s+[\w'’-]+)\s+$", re.I)

# a noun phrase that names a time taken or saved, or the date or year of an event ("full-time"
# and "real-time" say how, not how long)
TERSE_DURATION = re.compile(r"(?<!-)\b(?:time|hours|days|duration)\b(?!\s+(?:limits?|frames?)\b)|"
                            r"\b(?:years|months|weeks) to\b", re.I)
# "Lotus zone share of the province's trade in 2021?"
TERSE_SHARE = re.compile(r"\b(?:share|proportion|percentage)\s+of\b", re.I)
# "Lotus zone total area under the 2019 plan?"
TERSE_AREA = re.compile(r"\b(?:total|planned|land|overall|combined|whole|approved) area\b", re.I)
TERSE_DATE = re.compile(r"^\W*(?:[\w'’-]+\s+){0,3}(?:year|date|day|month)\s+of\b|\b(?:approval|"
                        r"launch|opening|publication|release|founding|listing|establishment|"
                        r"signing) (?:year|date|day|month)\b", re.I)


def terse_kinds(question: str) -> tuple[str, ...]:
    """The figure a question put as a noun phrase asks for: a date ("Approval year of the
    Lotus Area?"), a duration ("Clearance time saved per year?") or a quantity ("Tianjin port
    throughput in 2020?"), if it is one. A text with a question word is no noun phrase, and a
    word after a preposition names a circumstance ("services on non-working days")."""
    told = TELL.match(question)
    if INTERROGATIVE.search(question) or DESCRIBE.match(question) or (
            told and re.search(r"\babout\b", question, re.I)):
        return ()
    question = PLACE_NAME.sub(PLACE_MARK, question)
    if TERSE_DATE.search(question):
        return ("date",)
    if TERSE_AREA.search(question):
        return ("area",)
    if TERSE_SHARE.search(question):
        return ("percent",)

    def heads(pattern: re.Pattern[str]) -> bool:
        return any(not GOVERNED.search(question[:m.start()]) for m in pattern.finditer(question))

    if heads(TERSE_DURATION):
        return ("duration",)
    return ("quantity",) if heads(TERSE_QUANTITY) else ()


ASKS_CHANGE = re.compile(r"\b(?:grow|grew|growth|increase[sd]?|rise|rose|change[sd]?|expand(?:ed)?|"
                         r"faster|slower|year[- ]on[- ]year|compared|by how much|how fast|fall|"
                         r"fell|decline[sd]?|drop(?:ped)?)\b", re.I)
ASKS_SHARE = re.compile(r"\b(?:share|proportion|percentage of|percent of|part of|fraction|"
                        r"account(?:ed|s)? for|make up|made up)\b", re.I)


def asked_rate(question: str) -> str:
    """Whether a question about a percentage asks for a "change" (growth), a "share" (part
    of a whole), or does not say ("")."""
    change, share = bool(ASKS_CHANGE.search(question)), bool(ASKS_SHARE.search(question))
    return "change" if change and not share else "share" if share and not change else ""


def asked_kind(question: str) -> str | None:
    """The main kind of figure a question asks for, or None for a question without one."""
    kinds = asked_kinds(question)
    return kinds[0] if kinds else None


def holds_kind(text: str, kind: str, figures: list[Figure] | None = None) -> bool:
    """Whether a text holds a figure of the kind a question asks for ("count" wants a number
    that counts, not a year or a date)."""
    if kind == "person":
        return False
    wanted = FIGURE_KINDS_FOR[kind]
    return any(figure.kind in wanted for figure in (figures_in(text) if figures is None
                                                    else figures))


@lru_cache(maxsize=4096)
def digits_of(text: str) -> frozenset[str]:
    """The numbers a text writes, as digit strings without separators ("3,000" -> "3000")."""
    return frozenset(m.group(0).replace(",", "") for m in re.finditer(DIGITS, text))


# ---------------------------------------------------------------- numbered parts

# the parts of a document or a series that are told apart by number: "the sixth batch of
# cases", "Part II of the plan", "Article 3", "the first two articles"
PART_NOUNS = (r"(?:batch|edition|article|part|round|phase|characteristic|chapter|section|"
              r"version|stage|tranche|wave|session|expo|exposition|fair|forum|summit|"
              r"conference)")
ORDINAL_OF_PART = re.compile(
    rf"\b(?P<a>{'|'.join(ORDINAL_WORDS)}|\d{{1,2}}(?:st|nd|rd|th))(?:\s+(?:and|or|&)\s+"
    rf"(?:the\s+)?(?P<b>{'|'.join(ORDINAL_WORDS)}|\d{{1,2}}(?:st|nd|rd|th)))?\s+"
    # (a few words, or an event's name: "the fourth China-Africa Economic and Trade Expo")
    rf"(?:(?:[\w'’-]+\s+){{0,2}}?|(?-i:(?:[A-Z][\w'’-]*\s+(?:(?:and|of|&)\s+)?){{1,5}}?))"
    rf"(?P<noun>{PART_NOUNS})(?:e?s)?\b", re.I)
FIRST_FEW = re.compile(
    rf"\bthe first (?P<n>two|three|four|five|\d)\s+(?:of\s+(?:the\s+|its\s+)?)?"
    rf"(?:[\w'’-]+\s+){{0,4}}?(?P<noun>{PART_NOUNS})(?:e?s)?\b", re.I)
NUMBERED_PART = re.compile(rf"\b(?P<noun>{PART_NOUNS})\s+(?P<n>\d{{1,3}}\b|[IVX]{{1,5}}\b)", re.I)
ROMAN = {"I": 1, "V": 5, "X": 10}


def _ordinal_number(word: str) -> int:
    word = word.lower()
    return ORDINAL_WORDS.index(word) + 1 if word in ORDINAL_WORDS else int(word[:-2])


def _roman(numeral: str) -> int:
    values = [ROMAN[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v
               for i, v in enumerate(values))


def parts_in(text: str) -> dict[str, frozenset[int]]:
    """The numbered parts a text names, by the kind of part: "the third and fourth
    characteristics" -> {"characteristic": {3, 4}}; "Part II" -> {"part": {2}}."""
    found: dict[str, set[int]] = {}
    for match in ORDINAL_OF_PART.finditer(text):
        numbers = found.setdefault(match.group("noun").lower(), set())
        numbers.update(_ordinal_number(match.group(g)) for g in ("a", "b") if match.group(g))
    for match in FIRST_FEW.finditer(text):
        count = NUMBER_WORD_VALUES.get(match.group("n").lower()) or int(match.group("n"))
        found.setdefault(match.group("noun").lower(), set()).update(range(1, count + 1))
    for match in NUMBERED_PART.finditer(text):
        written = match.group("n")
        if written.isdigit():
            number = int(written)
        elif written.isupper():  # "Part II"; "part i" is no numeral
            number = _roman(written)
        else:
            continue
        found.setdefault(match.group("noun").lower(), set()).add(number)
    return {noun: frozenset(numbers) for noun, numbers in found.items()}
