"""Edits that change a sentence's meaning while keeping its words and figures: a generated
sentence compared with the source sentences it rests on (pure functions).

Each check names one class of edit a writer (or a model) makes without changing a figure:
- a changed unit ("2.5 billion yuan" -> "2.5 billion US dollars");
- a changed rate basis ("a year" -> "a day", "per person" -> "per household");
- a changed period ("in the first half of 2023" -> "in 2023");
- a negation added or taken away ("is required" <-> "is not required");
- a reversed direction or comparison ("rose" -> "fell", "more than" -> "less than");
- a figure moved to another place or year than the one the sources give it for.
`changed_meaning` returns the first such edit found, or None.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from assistant.answering.names import gazetteer

# --- units: the word before or after a figure, by what it measures --------------------------
UNITS = {
    "yuan": r"yuan|rmb|renminbi|cny|¥|元",
    "us dollars": r"us\s?dollars?|dollars?|usd|us\$|\$",
    "euros": r"euros?|eur|€",
    "hong kong dollars": r"hong kong dollars?|hkd|hk\$",
    "square kilometres": r"square kilomet(?:re|er)s?|sq\.? ?km|km²|km2",
    "hectares": r"hectares?|ha",
    "mu": r"mu",
    "square metres": r"square met(?:re|er)s?|sq\.? ?m|m²|m2",
    "tonnes": r"tonnes?|tons?|t",
    "teu": r"teus?|twenty-foot equivalent units?",
    "kilograms": r"kilograms?|kg",
    "hours": r"hours?|hrs?|h",
    "minutes": r"minutes?|mins?",
    "days": r"(?:working |calendar |business )?days?",
    "weeks": r"weeks?",
    "months": r"months?",
    "years": r"years?",
    "percentage points": r"percentage points?",
}
SCALE = r"(?:\s*(?:million|billion|trillion|thousand|hundred|mn|bn|万|亿))?"
UNIT_AFTER = {unit: re.compile(rf"^{SCALE}\s*(?:{pattern})(?![\w$])", re.I)
              for unit, pattern in UNITS.items()}
UNIT_BEFORE = {unit: re.compile(rf"(?<![\w$])(?:{pattern})\s*$", re.I)
               for unit, pattern in UNITS.items()}
PERIOD_UNITS = {"hours", "minutes", "days", "weeks", "months", "years"}  # also rate bases

# --- rate bases: what a figure is counted per ------------------------------------------------
BASES = {
    "day": r"a day|per day|daily|each day|every day|a working day|per working day",
    "week": r"a week|per week|weekly|each week|every week",
    "month": r"a month|per month|monthly|each month|every month",
    "year": r"a year|per year|annually|annual|each year|every year|yearly|per annum|a calendar "
            r"year|per calendar year|each calendar year",
    "person": r"per person|each person|a person|per capita|per head|per individual|"
              r"per traveller|per passenger|per visitor",
    "household": r"per household|each household|a household|per family",
    "enterprise": r"per enterprise|per company|per firm|each enterprise|each company|each firm|"
                  r"per business",
    "transaction": r"per transaction|each transaction|per purchase|per order|per parcel|"
                   r"per shipment|per consignment",
    "container": r"per teu|per container|each container",
    "tonne": r"per tonne|per ton|a tonne|a ton",
}
BASIS = {basis: re.compile(rf"\b(?:{pattern})\b(?!\s+(?:earlier|ago|before|later|after|on))", re.I)
         for basis, pattern in BASES.items()}  # ("a year earlier" is no rate basis)

# --- periods: the part of a year, or the running total, a figure covers ---------------------
PERIODS = {
    "part of a year": r"(?:first|second|third|fourth|last) (?:half|quarter)|\bh[12]\b|\bq[1-4]\b|"
                      r"first (?:two|three|four|five|six|seven|eight|nine|ten|eleven|\d+) months|"
                      r"(?:january|february|march|april|may|june|july|august|september|"
                      r"october|november) ?(?:-|–|to|through) ?(?:february|march|april|may|"
                      r"june|july|august|september|october|november|december)",
    "running total": r"since|cumulative(?:ly)?|in total since|so far|to date|in the past "
                     r"(?:\w+ )?years|over the past (?:\w+ )?years",
}
PERIOD = {kind: re.compile(rf"\b(?:{pattern})\b", re.I) for kind, pattern in PERIODS.items()}

# --- negation --------------------------------------------------------------------------------
NEGATION = re.compile(r"\b(?:not|no|never|none|neither|nor|without|cannot|no longer|"
                      r"n['’]t|unable|nothing)\b|\w+n['’]t\b", re.I)
NEGATION_REACH = 4  # words after a negation that it governs

# --- direction and comparison ----------------------------------------------------------------
UP = re.compile(r"\b(?:rose|risen|rises?|rising|increas(?:ed|es|ing)|grew|grown|grows?|"
                r"growing|up by|went up|higher than|more than|greater than|above|exceed(?:ed|s|"
                r"ing)?|surpass(?:ed|es|ing)?|at least|climb(?:ed|s|ing)?|jump(?:ed|s|ing)?|"
                r"expand(?:ed|s|ing)|gain(?:ed|s)|over(?= \d)|up \d|highest|largest|biggest|"
                r"most|greatest|longest|top|leading|first)\b", re.I)
DOWN = re.compile(r"\b(?:fell|fallen|falls?|falling|decreas(?:ed|es|ing)|declin(?:ed|es|ing)|"
                  r"dropp?(?:ed|s|ing)?|went down|down by|lower than|less than|fewer than|"
                  r"below|at most|shr[au]nk|shrinks?|contract(?:ed|s|ing)|under(?= \d)|"
                  r"down \d|lowest|smallest|least|fewest|shortest|bottom|last)\b", re.I)
WORD = re.compile(r"[A-Za-z\u3400-\u9fff][\w'’-]*")
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
FIGURE_AT = re.compile(r"(?<![\w.])\d+(?:,\d{3})*(?:\.\d+)?")


def changed_meaning(sentence: str, held: Sequence[str], about: str,
                    figures: Callable[[str], list[tuple[str, str]]]) -> str | None:
    """The first meaning-changing edit of `sentence` against `held` (the source sentences it
    rests on: those that hold its figures, else the one that shares most of it), `about`
    being what its passages are about (their text and context); None if there is none.
    `figures` reads a text's figures as (value, value with its %, ordinal or scale)."""
    source = " ".join(held)
    for check in (_unit, _basis, _period, _negation, _direction):
        problem = check(sentence, source, figures)
        if problem:
            return problem
    return _moved(sentence, held, about, figures)


def units_of(text: str, figure: str) -> set[str]:
    """The units written next to each occurrence of `figure` (a plain value) in `text`."""
    found = set()
    for match in _occurrences(text, figure):
        before, after = text[:match.start()], text[match.end():]
        found |= {u for u, p in UNIT_BEFORE.items() if p.search(before[-12:])}
        found |= {u for u, p in UNIT_AFTER.items() if p.search(after[:40])}
    return found


def _occurrences(text: str, figure: str) -> list[re.Match[str]]:
    return [m for m in FIGURE_AT.finditer(text) if m.group().replace(",", "") == figure]


def _unit(sentence: str, source: str, figures) -> str | None:
    """A figure given a unit its source does not give it (where the source gives one)."""
    for value, _ in figures(sentence):
        given, stated = units_of(sentence, value), units_of(source, value)
        if given and stated and not given & stated:
            return f"changed unit: {value} {'/'.join(sorted(given))}, not " \
                   f"{'/'.join(sorted(stated))}"
    return None


def _bases(text: str) -> set[str]:
    return {basis for basis, pattern in BASIS.items() if pattern.search(text)}


def _basis(sentence: str, source: str, figures) -> str | None:
    """A rate basis its sources do not give ("a day" where they say "a year")."""
    if not figures(sentence):
        return None
    added = _bases(sentence) - _bases(source)
    return f"changed rate basis: per {'/'.join(sorted(added))}" if added else None


def _periods(text: str) -> set[str]:
    return {kind for kind, pattern in PERIOD.items() if pattern.search(text)}


def _period(sentence: str, source: str, figures) -> str | None:
    """A year's figure said of the whole year where its sources give it for a part of it (or
    since a start), or the other way round."""
    years = set(YEAR.findall(sentence))
    if not years or not figures(sentence):
        return None
    given, stated = _periods(sentence), _periods(source)
    if given - stated:
        return f"changed period: {'/'.join(sorted(given - stated))}"
    if years & set(YEAR.findall(source)) and stated - given:
        return f"changed period: leaves out {'/'.join(sorted(stated - given))}"
    return None


def _governed(text: str) -> tuple[set[str], set[str]]:
    """The word stems of `text` under a negation, and those that are not."""
    negated, plain = set(), set()
    reach = 0
    for match in re.finditer(rf"{NEGATION.pattern}|{WORD.pattern}", text, re.I):
        if NEGATION.fullmatch(match.group()):
            reach = NEGATION_REACH
            continue
        stem = match.group().lower()[:5]
        if len(stem) >= 4:
            (negated if reach else plain).add(stem)
        reach = max(0, reach - 1)
    return negated, plain


def _negation(sentence: str, source: str, figures) -> str | None:
    """A statement its sources negate, or a negation its sources do not make, about the same
    words ("is required" <-> "is not required")."""
    said_not, said = _governed(sentence)
    held_not, held = _governed(source)
    if said_not and not held_not:
        return "adds a negation its sources do not make"
    flipped = (said - said_not) & held_not - held
    if flipped:
        return f"leaves out a negation of its sources: {sorted(flipped)[0]}"
    flipped = (said_not - said) & held - held_not
    if flipped:
        return f"negates what its sources state: {sorted(flipped)[0]}"
    return None


def _direction(sentence: str, source: str, figures) -> str | None:
    """A rise, a comparison or a rank turned the other way ("rose" -> "fell")."""
    up, down = bool(UP.search(sentence)), bool(DOWN.search(sentence))
    held_up, held_down = bool(UP.search(source)), bool(DOWN.search(source))
    if down and not up and held_up and not held_down:
        return "reverses a direction or comparison (down, where its sources say up)"
    if up and not down and held_down and not held_up:
        return "reverses a direction or comparison (up, where its sources say down)"
    return None


def _places(text: str) -> set[str]:
    return {place.name for place in gazetteer().mentioned(text)}


CLAUSE = re.compile(r"\s*(?:;|,\s*(?:and|while|whereas|but)\b|\b(?:while|whereas)\b)\s*", re.I)


def _moved(sentence: str, held: Sequence[str], about: str, figures) -> str | None:
    """A figure said of a place or a year that its sources give it for another one: each
    source sentence holding the figure names other places (or years), none the one its clause
    says."""
    for clause in CLAUSE.split(sentence):
        problem = _moved_in(clause, held, about, figures)
        if problem:
            return problem
    return None


def _moved_in(clause: str, held: Sequence[str], about: str, figures) -> str | None:
    places, years = _places(clause), set(YEAR.findall(clause))
    for value, _ in figures(clause):
        if YEAR.fullmatch(value):
            continue
        holders = [text for text in held if _occurrences(text, value)]
        if not holders:
            continue
        # the places the sources give the figure for: those its sentences name, else those
        # its passages are about (an area is not its zone, nor the zone its area)
        given = set().union(*map(_places, holders)) or _places(about)
        if places and not places & given:
            return f"figure of another place: {value} is given for {'/'.join(sorted(given))}" \
                if given else f"figure of another place: {value}, its passages name no place"
        stated = [set(YEAR.findall(text)) for text in holders]
        if years and all(found and not found & years for found in stated):
            return f"figure of another year: {value} is not given for {'/'.join(sorted(years))}"
    return None
