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

import itertools
import re
from collections.abc import Callable, Sequence
from functools import cache

from assistant.answering.names import gazetteer

# --- units: the word before or after a figure, by what it measures --------------------------
UNITS = {
    "yuan": r"yuan|rmb|renminbi|cny|¥|元",
    "us dollars": r"u\.?\s?s\.?\s*dollars?|dollars?|usd|us\$|\$",
    "euros": r"euros?|eur|€",
    "hong kong dollars": r"hong kong dollars?|hkd|hk\$",
    "square kilometres": r"square kilomet(?:re|er)s?|sq\.? ?km|km²|km2",
    "square miles": r"square miles?|sq\.? ?mi(?:les?)?",
    "square feet": r"square f(?:ee|oo)t|sq\.? ?ft",
    "kilometres": r"kilomet(?:re|er)s?|km",
    "miles": r"miles?",
    "megawatts": r"megawatts?|mw",
    "megawatt-hours": r"megawatt[- ]hours?|mwh",
    "gigawatts": r"gigawatts?|gw",
    "hectares": r"hectares?|ha",
    "mu": r"mu",
    "square metres": r"square met(?:re|er)s?|sq\.? ?m|m²|m2",
    "tonnes": r"(?:metric )?(?:tonnes?|tons?)|t",
    "teu": r"teus?|twenty-foot equivalent units?",
    "kilograms": r"kilograms?|kg",
    "hours": r"hours?|hrs?|h",
    "minutes": r"minutes?|mins?",
    "seconds": r"seconds?|secs?",
    "barrels": r"barrels?|bbl",
    "cubic metres": r"cubic met(?:re|er)s?|m³|m3",
    "kilowatt-hours": r"kilowatt[- ]hours?|kwh",
    "days": r"(?:working |calendar |business )?days?",
    "weeks": r"weeks?",
    "months": r"months?",
    "years": r"years?",
    "percentage points": r"percentage points?",
}
DURATIONS = {"hours", "minutes", "seconds", "days", "weeks", "months", "years"}
SCALE = r"(?:\s*(?:million|billion|trillion|thousand|hundred|mn|bn|万|亿))?"
UNIT_AFTER = {unit: re.compile(rf"^{SCALE}[\s-]*(?:{pattern})(?![\w$])", re.I)
              for unit, pattern in UNITS.items()}
UNIT_BEFORE = {unit: re.compile(rf"(?<![\w$])(?:{pattern})\s*$", re.I)
               for unit, pattern in UNITS.items()}

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
    "trip": r"per trip|each trip|a trip|per visit|each visit|per journey",
    "hectare": r"per hectare|a hectare",
    "mu": r"per mu|a mu",
    "square metre": r"per square met(?:re|er)|a square met(?:re|er)",
    "quarter": r"a quarter|per quarter|quarterly|each quarter|every quarter",
}
BASIS = {basis: re.compile(rf"\b(?:{pattern})\b(?!\s+(?:earlier|ago|before|later|after|on))", re.I)
         for basis, pattern in BASES.items()}  # ("a year earlier" is no rate basis)

# --- periods: the part of a year, or the running total, a figure covers ---------------------
PERIODS = {
    "part of a year": r"(?:first|second|third|fourth|last) (?:half|quarter)|(?:first|last) (?:two|"
                      r"three|2|3) quarters|\bh[12]\b|\bq[1-4]\b|"
                      r"first (?:two|three|four|five|six|seven|eight|nine|ten|eleven|\d+) months|"
                      r"(?:january|february|march|april|may|june|july|august|september|"
                      r"october|november) ?(?:-|–|to|through) ?(?:february|march|april|may|"
                      r"june|july|august|september|october|november|december)",
    "running total": r"since|cumulative(?:ly)?|in total since|so far|to date|(?:in|over) the "
                     r"(?:past |last )?(?:\w+ )?years|by then|by that time|in all|altogether",
    "average": r"(?:on |an )?average(?: annual)?|averaged",
}
PERIOD = {kind: re.compile(rf"\b(?:{pattern})\b", re.I) for kind, pattern in PERIODS.items()}

# --- negation --------------------------------------------------------------------------------
# (with the verbs that negate what follows them: "fails to meet" is "does not meet")
NEGATION = re.compile(r"\b(?:not|no|never|none|neither|nor|without|cannot|no longer|"
                      r"n['’]t|unable|nothing|fail(?:s|ed|ing)? to|refus(?:e|es|ed|ing) to|"
                      r"declin(?:e|es|ed|ing) to|yet to|rather than|instead of|unlike|"
                      r"stops? short of|stopped short of)\b|\w+n['’]t\b", re.I)

# --- direction and comparison: pairs of opposite words, read around a figure ----------------
OPPOSITES = (
    ("more than", r"more than|over|above|exceed(?:ed|s|ing)?|at least|upwards of|in excess of|"
                  r"greater than|higher than",
     "less than", r"less than|fewer than|under|below|nearly|almost|close to|up to|at most|"
                  r"lower than|smaller than"),
    ("a rise", r"rose|risen|rises?|rising|increas(?:ed|es|ing)|grew|grown|grows?|growing|"
               r"up(?= by| \d)|climb(?:ed|s|ing)?|jump(?:ed|s|ing)?|expand(?:ed|s|ing)|"
               r"gain(?:ed|s)|surg(?:ed|es|ing)|soar(?:ed|s|ing)",
     "a fall", r"fell|fallen|falls?|falling|decreas(?:ed|es|ing)|declin(?:ed|es|ing)|"
               r"dropp?(?:ed|s|ing)?|down(?= by| \d)|shr[au]nk|shrinks?|contract(?:ed|s|ing)|"
               r"slump(?:ed|s)?|plung(?:ed|es)"),
)
# ... and over the whole sentence: a rank or an order turned round
RANKINGS = (
    ("the most", r"highest|largest|biggest|most|greatest|longest|top|leading",
     "the least", r"lowest|smallest|least|fewest|shortest|bottom"),
    ("the first", r"first|earliest", "the last", r"last|latest"),
)
DIRECTIONS = [(name, re.compile(rf"\b(?:{pattern})\b", re.I))
              for first, up, second, down in OPPOSITES
              for name, pattern in ((first, up), (second, down))]
RANKS = [(name, re.compile(rf"\b(?:{pattern})\b", re.I))
         for first, up, second, down in RANKINGS for name, pattern in ((first, up), (second, down))]
OPPOSITE = {first: second for first, _, second, _ in (*OPPOSITES, *RANKINGS)} | {
    second: first for first, _, second, _ in (*OPPOSITES, *RANKINGS)}
AROUND = (60, 25)  # characters before and after a figure that say its direction
# comparisons and multiples an answer could work out from figures instead of quoting them
COMPARATIVE = re.compile(r"\b(?:(?:larger|smaller|bigger|greater|faster|slower|closer|farther|"
                         r"longer|shorter|higher|lower) than|doubled|tripled|trebled|quadrupled|"
                         r"halved|twice|(?:two|three|four|five|ten|2|3|4|5|10) times)\b", re.I)
WORD = re.compile(r"[A-Za-z\u3400-\u9fff][\w'’-]*")
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
FIGURE_AT = re.compile(r"(?<![\w.])\d+(?:,\d{3})*(?:\.\d+)?")


def changed_meaning(sentence: str, held: Sequence[str], about: str, context: str,
                    figures: Callable[[str], list[tuple[str, str]]]) -> str | None:
    """The first meaning-changing edit of `sentence` against `held` (the source sentences it
    rests on: those that hold its figures, and the one that shares most of it); `about` is
    its passages' text and context, `context` the context alone (titles, zones, sections);
    None if there is none. `figures` reads a text's figures as (value, value with its %,
    ordinal or scale)."""
    source = " ".join(held)
    for check in (_unit, _basis, _period, _direction):
        problem = check(sentence, source, figures)
        if problem:
            return problem
    return _negation(sentence, source, about) or _compared(sentence, source) or \
        _moved(sentence, held, about, context, figures) or _swapped(sentence, held, figures)


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


RUNNING_SINCE = re.compile(r"\bsince\s+(?:(?:the\s+)?(?:end|start|beginning)\s+of\s+)?"
                           r"(?:[A-Z][a-z]+\s+)?((?:19|20)\d\d)\b", re.I)
ALONE = re.compile(r"\balone\b|\bduring (?:19|20)\d\d\b|\bin the year\b", re.I)
IN_YEAR = re.compile(r"\b(?:in|during|for)\s+(?:[A-Z][a-z]+\s+)?((?:19|20)\d\d)\b", re.I)


def _period(sentence: str, source: str, figures) -> str | None:
    """A figure of a part of a year said of a year, or the reverse; or a running total since a
    year said of that year alone ("since 2015" -> "in 2015")."""
    if not _has_measure(sentence, figures):
        return None
    given, stated = _periods(sentence), _periods(source)
    if given - stated:
        return f"changed period: {'/'.join(sorted(given - stated))}"
    near = " ".join(_clause_of(source, m) for value, _ in figures(sentence)
                    if not YEAR.fullmatch(value) for m in _occurrences(source, value))
    for kind in ("part of a year", "average"):  # (said of the figure itself)
        if kind in _periods(near) - given:
            return f"changed period: leaves out the {kind}"
    if "running total" in stated - given and ALONE.search(sentence):
        return "changed period: a running total said of one period"
    since = set(RUNNING_SINCE.findall(source)) & set(IN_YEAR.findall(sentence))
    if since and not RUNNING_SINCE.search(sentence):
        return f"changed period: since {min(since)}, not in it"
    return None


def _clause_of(text: str, match: re.Match[str]) -> str:
    """The clause (between ";", ", and", "while" ...) that holds a figure."""
    start, end = _span(CLAUSE, text, match.start(), match.end())
    return text[start:end]


def _has_measure(text: str, figures) -> bool:
    """Whether `text` holds a figure other than a year."""
    return any(not YEAR.fullmatch(value) for value, _ in figures(text))


def _governed(text: str) -> tuple[set[str], set[str], int]:
    """The words a negation governs in `text` (the first word of four letters or more after
    it), the words no negation governs, and how many negations there are."""
    negated, plain = set(), set()
    waiting, count = False, 0
    for match in re.finditer(rf"{NEGATION.pattern}|{WORD.pattern}", text, re.I):
        if NEGATION.fullmatch(match.group()):
            waiting, count = True, count + 1
            continue
        word = re.sub(r"['’]s$", "", match.group().lower())
        if len(word) < 4:
            continue
        (negated if waiting else plain).add(word)
        waiting = False
    return negated, plain, count


def _negation(sentence: str, source: str, about: str) -> str | None:
    """A negation its sources do not make (more negations than its source sentences, of words
    its passages never negate), or a statement its sources negate ("is required" where they
    say "is not required")."""
    said_not, said, said_count = _governed(sentence)
    held_not, held, held_count = _governed(source)
    if said_count > held_count and not said_not <= _governed(about)[0]:
        return "adds a negation its sources do not make"
    flipped = (said - said_not) & held_not - held
    if flipped:
        return f"leaves out a negation of its sources: {sorted(flipped)[0]}"
    return None


def _compared(sentence: str, source: str) -> str | None:
    """A comparison or multiple its sources do not state ("larger than", "doubled"): one
    worked out from their figures, which an answer must not do (and often gets wrong)."""
    stated = {m.group().lower() for m in COMPARATIVE.finditer(source)}
    for match in COMPARATIVE.finditer(sentence):
        if match.group().lower() not in stated:
            return f"a comparison its passages do not state: {match.group()}"
    return None


def _directions(text: str, kinds=DIRECTIONS) -> set[str]:
    return {name for name, pattern in kinds if pattern.search(text)}


def _span(breaks: re.Pattern[str], text: str, start: int, end: int) -> tuple[int, int]:
    """Where the part of `text` holding `start:end` begins and ends, between two `breaks`."""
    begins = max([0, *(b.end() for b in breaks.finditer(text, 0, start))])
    ends = [b.start() for b in breaks.finditer(text, end)]
    return begins, ends[0] if ends else len(text)


def _around(text: str, match: re.Match[str]) -> str:
    """The words around a figure that say its direction: within its part of the sentence (up
    to a comma, "and", "while" ...) and `AROUND` characters."""
    before, after = AROUND
    start, end = _span(SEGMENT_BREAK, text, match.start(), match.end())
    return text[max(start, match.start() - before):min(end, match.end() + after)]


def _direction(sentence: str, source: str, figures) -> str | None:
    """A rise, a comparison or a rank turned the other way ("rose" -> "fell", "nearly half"
    -> "more than half"): read around each figure, or over the sentence if it has none."""
    pairs = []
    outside = sentence
    for value, _ in figures(sentence):
        held = [_around(source, m) for m in _occurrences(source, value)]
        pairs += [(_around(sentence, m), " ".join(held)) for m in _occurrences(sentence, value)
                  if held]
        for m in _occurrences(sentence, value):
            window = _around(sentence, m)
            outside = outside.replace(window, " " * len(window))
    if pairs and outside.strip():  # (what the sentence says away from its figures)
        pairs.append((outside, source))
    readings = [(_directions(said), _directions(stated)) for said, stated in
                pairs or [(sentence, source)]]
    readings.append((_directions(sentence, RANKS), _directions(source, RANKS)))
    for given, held in readings:
        for name in given - held:
            if OPPOSITE[name] in held:
                return f"reverses a direction or comparison ({name}, where its sources say " \
                       f"{OPPOSITE[name]})"
    return None


BACK_REFERENCE = re.compile(r"\b(?:the|this|its) (?:pilot )?(?:zone|area|ftz|free trade "
                            r"(?:zone|area)|special area|new area)\b(?! of)", re.I)
CLAUSE = re.compile(r"\s*(?:;|,\s*(?:and|while|whereas|but)\b|\b(?:while|whereas)\b)\s*", re.I)
# a place named right after a figure says where it is ("58.19 sq km in Nanning")
PLACE_NEAR = 40  # characters after a figure within which a place may be its subject
PLACE_AFTER = re.compile(r"^(?:\s*[^\s\d,;.]+){0,3}?\s+(?:in|at|for)\s+(?:the\s+)?$", re.I)


@cache
def _zones() -> dict[str, str]:
    return {place.name: place.zone for place in gazetteer().places}


def zone_of(place: str) -> str:
    """The zone of an area, by name ("" for a zone or an unknown place)."""
    return _zones().get(place, "")


def _places(text: str) -> set[str]:
    return {place.name for place in gazetteer().mentioned(text)}


def _place_mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, place) of each mention of a place in `text`, in order."""
    found = []
    for place in gazetteer().mentioned(text):
        for spelling in {place.name, *place.spellings}:
            for match in re.finditer(rf"\b{re.escape(spelling)}\b", text, re.I):
                found.append((match.start(), match.end(), place.name))
    return sorted(found)


def _bound_places(text: str, figure: re.Match[str]) -> set[str]:
    """The places a figure is given for: one named right after it ("... in Nanning"), else
    those of its part of the sentence (up to a comma, "and" ...), else those named before it
    in its clause."""
    mentions = _place_mentions(text)
    for start, _, place in mentions:
        if start >= figure.end() and PLACE_AFTER.match(text[figure.end():start]):
            return {place}
    start, end = _span(SEGMENT_BREAK, text, figure.start(), figure.end())
    own = {place for at, _, place in mentions if start <= at < end}
    if own:
        return own
    clause, _ = _span(CLAUSE, text, figure.start(), figure.end())
    before = {place for at, _, place in mentions if clause <= at < figure.start()}
    if before:
        return before
    # else one named just after it ("At 58 sq km, the Nanning Area is ...")
    return {place for at, _, place in mentions[:1]
            if figure.end() <= at < figure.end() + PLACE_NEAR} if mentions else set()


def _gives_for(said: set[str], stated: set[str]) -> bool:
    """Whether a figure the sources give for the places `stated` may be said of `said`: one is
    the same place, or the zone of a stated area (a zone's figure said of one of its areas
    is not)."""
    return any(a == b or zone_of(b) == a for a in said for b in stated)


def _moved(sentence: str, held: Sequence[str], about: str, context: str,
           figures) -> str | None:
    """A figure said of a place or a year that its sources give it for another one (each
    source sentence holding the figure names other places or years, or gives it for another
    place of those it names); without a figure, a statement about a place that neither its
    source sentences nor its passages' context name."""
    if not _has_measure(sentence, figures):
        # a place its source sentences do not name, but its passages do (elsewhere): the
        # statement moved from one place to another (a place only their context names, as
        # what they are about, is no move)
        given = set().union(*map(_places, held)) or _places(context)
        given |= {place.zone for place in gazetteer().places if place.name in given}
        given |= _places(context) - _places(about.replace(context, " "))
        other = _places(sentence) - given
        return f"said of another place: {'/'.join(sorted(other))}" if other else None
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
        if any(BACK_REFERENCE.search(text) for text in holders):  # "the zone": the one its
            given |= _places(about)  # passages are about
        # a sentence naming several areas of a zone speaks of the zone; one naming a zone, as
        # where an area lies, speaks of the area its passages are about
        zones = [zone_of(place) for place in given]
        given |= {zone for zone in zones if zones.count(zone) >= 2}
        given |= {place for place in _places(about) if zone_of(place) in given}
        if places and not places & given:
            return f"figure of another place: {value} is given for {'/'.join(sorted(given))}" \
                if given else f"figure of another place: {value}, its passages name no place"
        if units_of(clause, value) & DURATIONS:  # ("in four years": no place's quantity)
            continue
        said = [_bound_places(clause, m) for m in _occurrences(clause, value)]
        stated = [_bound_places(text, m) for text in holders for m in _occurrences(text, value)]
        if said and all(said) and stated and all(stated) and not any(
                _gives_for(a, b) for a in said for b in stated):
            return f"figure of another place: {value} is given for " \
                   f"{'/'.join(sorted(set().union(*stated)))}"
        stated_years = [set(YEAR.findall(text)) for text in holders]
        if years and all(found and not found & years for found in stated_years):
            return f"figure of another year: {value} is not given for {'/'.join(sorted(years))}"
    return None


SEGMENT_BREAK = re.compile(r",(?!\d{3})|;|\b(?:and|while|whereas|but)\b", re.I)


def _segments(text: str) -> list[tuple[str, set[str]]]:
    """Each figure of `text` (plain value) with the words of its part of the sentence (up to
    a comma, "and", "while" ...): what the text says it measures."""
    segments = []
    for part in SEGMENT_BREAK.split(text):
        words = {w.lower()[:5] for w in re.findall(r"[A-Za-z]{4,}", part)} - QUANTITY_NOISE
        segments += [(m.group().replace(",", ""), words) for m in FIGURE_AT.finditer(part)]
    return segments


QUANTITY_NOISE = {"perce", "cent", "billi", "milli", "thous", "about", "nearl", "more", "than",
                  "while", "which", "with", "from", "that", "year", "years"}
SWAP_MARGIN = 2  # words by which another figure's description must fit better


def _swapped(sentence: str, held: Sequence[str], figures) -> str | None:
    """Two figures of one source sentence swapped: each described in the words its source
    gives the other ("30% of new firms and 20% of foreign firms" where the source says 20% of
    new firms and 30% of foreign ones)."""
    said = {value: words for value, words in _segments(sentence) if not YEAR.fullmatch(value)}
    for text in held:
        stated = {value: words for value, words in _segments(text)
                  if value in said and not YEAR.fullmatch(value)}
        for first, second in itertools.combinations(stated, 2):
            crossed = len(said[first] & stated[second]) + len(said[second] & stated[first])
            straight = len(said[first] & stated[first]) + len(said[second] & stated[second])
            if crossed >= straight + SWAP_MARGIN:
                return f"figures of two quantities swapped: {first} and {second}"
    return None

