"""Figures as data: every figure the documents state, as a record people can filter and check.

A record keeps the value exactly as written and as a number (its scale applied), the
normalised unit, **the quantity it measures** as a short phrase, **the place** it is about at
its level (nation, zone, area; a province or city of the same name is told apart), **the
period** it covers, and its source. One figure stated by several documents is one record with
several sources. Reading a figure's place and period is the answer engine's own
(`answering.attribution`), so the Statistics tab and the answers agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from assistant.answering.attribution import (
    ROW,
    clause_of,
    figure_periods,
    figure_places,
    stated_periods,
)
from assistant.answering.bank import ChunkRecord, DocumentContext, Notes
from assistant.answering.names import Place, gazetteer, squash
from assistant.figures import Figure, Period, is_change

NOT_FIGURES = ("year", "date", "code")
SIZE_WORDS = ("size", "area", "scope", "coverage", "approx. area", "approximate area")
QUANTITY_WORDS = 6  # a quantity longer than this is no short phrase: its last words are kept
FUNCTION = (r"(?:the|a|an|its|their|this|that|these|those|of|in|on|at|for|by|with|to|from|and|"
            r"or|as|per|which|who|while|when|after|before|since|during|over|under|about|some|"
            r"than|into|across|through|within|around|all|each|every|both|more|less|another|"
            r"total|totalling|totaling|overall|combined|nearly|almost|only|also|further|"
            r"such|there|here|it|they|them|we|our|his|her)")
# words that end a quantity read backwards from its verb (a clause's start)
VERB = (r"(?:is|are|was|were|be|been|being|has|have|had|reach(?:ed|es|ing)?|total(?:led|ed|s|"
        r"ling|ing)?|st(?:ood|ands|and) at|hit|hits|amount(?:ed|s)? to|c(?:a|o)me to|"
        r"exceed(?:ed|s|ing)?|surpass(?:ed|es|ing)?|top(?:ped|s)?|rose|rise[sn]?|grew|grow[sn]?|"
        r"climb(?:ed|s)?|increas(?:ed|es)|jump(?:ed|s)?|fell|fall[sn]?|drop(?:ped|s)?|"
        r"decreas(?:ed|es)|declin(?:ed|es)|accounted for|accounts for|made up|makes up|"
        r"cover(?:ed|s|ing)?|span(?:s|ned|ning)?|saw|recorded|attracted|handled|registered|"
        r"hosted|settled|launched|introduced|achieved|generated|realized|realised|posted|"
        r"logged|delivered|added|gained|was up|were up|up|down)")
LINK = r"(?:by|to|at|of|:)"  # the words between a verb and its figure
MAIN_VERB = re.compile(rf"\s{VERB}(?=\s)", re.I)
LEAD_VERB = re.compile(rf"(?:^|\s)(?:{VERB}|{LINK})\s+(?:(?:about|around|nearly|almost|over|"
                       rf"more than|some|up to|at least|approximately|roughly|a total of|"
                       rf"an area of|a (?:planned|total|land|sea) area of)\s+)*$", re.I)
NOUN_AFTER = re.compile(r"^\s*(?:in|of|worth of)\s+((?:[\w'’-]+\s*){1,6})", re.I)
STOP_AFTER = re.compile(rf"\s(?:{FUNCTION}|{VERB}|{LINK}|and|but|with|,)(?=\s|$).*$", re.I)
AREA_FIGURE = re.compile(r"\b((?:planned|total|land|sea|approved|built-up|core|overall)\s+)?"
                         r"area\b", re.I)
STOP_WORD = re.compile(rf"^(?:{FUNCTION}|{VERB}|{LINK}|will|would|can|could|may|must|should|not|no|"
                       r"year|years|month|months|per|a year|yuan|percent|times|first|second|"
                       r"third|last|so|far|yet|now|then|already|alone|cumulative)$", re.I)
POST_MODIFIER = re.compile(r"^(?:\w+ly|\w+ed)$", re.I)  # "enterprises newly registered"
GENERIC_LABEL = re.compile(r"^(?:value|figure|number|total|amount|data|indicator|\d{4}(?:\s.*)?|"
                           r"h[12]\s+\d{4}|q[1-4]\s+\d{4}|result|results)$", re.I)
# a figure of all pilot zones together or of the country ("China's 22 pilot FTZs", "nationwide")
NATION = re.compile(r"\b(?:(?:all|the|china's|[0-9]{2}|twenty-\w+)\s+(?:pilot\s+)?(?:free trade "
                    r"zones|ftzs)\b|nationwide|national(?:ly)?\b|the country(?:'s|’s)?\b|"
                    r"china(?:'s|’s)\s+(?:foreign trade|total|overall|imports|exports|gdp))", re.I)
PROVINCE_AFTER = re.compile(r"^[\s'’s]*(?:province|provincial)\b", re.I)
CITY_AFTER = re.compile(r"^[\s'’s]*(?:city|municipality|municipal)\b", re.I)
SPACE = re.compile(r"\s+")
# a place inside an area: a bonded zone, a logistics centre, a park ("the Tianzhu
# Comprehensive Bonded Zone, which measures 5.466 sq km")
ENCLAVE_KIND = (r"(?i:comprehensive bonded (?:zone|area)|bonded (?:zone|logistics cent(?:er|re)|"
                r"port area)|export processing zone|industrial park|eco-?park|economic zone|"
                r"cooperation zone)")
ENCLAVE = re.compile(rf"\b((?:[A-Z][\w'’-]*\s+){{1,5}}{ENCLAVE_KIND})\b")
ENCLAVE_AFTER = re.compile(rf"^\s+((?:[A-Z][\w'’-]*\s+){{1,5}}{ENCLAVE_KIND})\b")
ENCLAVE_REACH = 80  # characters before a figure in which an enclave may name what it measures
PORT_AFTER = re.compile(r"([A-Z][\w-]*(?:\s[A-Z][\w-]*)?\sPort)\b(?!\s+(?:Area|Zone|Group)\b)")
# counted nouns that are one unit ("2,706 firms" and "2,706 enterprises" count the same)
UNIT_SYNONYMS = {"firms": "enterprises", "companies": "enterprises", "businesses": "enterprises",
                 "equivalent units": "TEU", "teus": "TEU", "teu": "TEU",
                 "enterprise": "enterprises", "firm": "enterprises", "company": "enterprises"}
TWO_WORD_HEADS = {"institutional", "corporate", "market", "equivalent", "reform", "foreign",
                  "best", "innovation"}  # "institutional innovations", "market entities"


@dataclass
class Fact:
    """One figure the documents state, as data."""

    value: str  # exactly as written ("RMB1.8 trillion")
    number: float | None  # its scale applied (1.8e12)
    unit: str  # normalised: km², %, yuan, US dollars, hours, ... or the counted noun
    kind: str  # area, percent, money, duration, count, rank, fraction
    quantity: str  # what it measures ("newly registered enterprises")
    place: str  # "Liaoning FTZ / Dalian Area", "China", "Liaoning (province)" or ""
    level: str  # nation, zone, area, province, city or "" (not stated)
    period: str  # as a reader says it ("the first half of 2024"), or ""
    period_key: str  # sortable and comparable: "2024", "2024-H1", "as of 2024-12", ...
    change: bool  # a growth or cut, not a level
    citations: list[dict[str, Any]] = field(default_factory=list)

    @property
    def key(self) -> tuple:
        """What makes two statements one figure: the same number for the same quantity,
        place and period."""
        return (self.number, self.unit, self.place, self.period_key, squash(self.quantity))


def facts_of(chunks: Iterable[ChunkRecord], documents: dict[str, DocumentContext]) -> list[Fact]:
    """Every figure of the chunks' sentences as a record; one figure stated several times (in
    one document or several) is one record with a citation for each statement."""
    merged: dict[tuple, Fact] = {}
    for chunk in chunks:
        document = documents.get(str(chunk.metadata.get("source", "")))
        for sentence in chunk.sentences:
            notes = sentence.notes
            local = chunk.neighbourhood(sentence.position)
            for figure in notes.figures:
                if figure.kind in NOT_FIGURES or figure.value is None:
                    continue
                fact = read_fact(notes, figure, local, document)
                fact.citations.append(citation(chunk.metadata, notes.text))
                known = merged.get(fact.key)
                if known is None:
                    merged[fact.key] = fact
                elif fact.citations[0] not in known.citations:
                    known.citations.append(fact.citations[0])
    return list(merged.values())


def read_fact(notes: Notes, figure: Figure, local: list[Notes],
              document: DocumentContext | None) -> Fact:
    """The record of one figure of a sentence, read with its neighbourhood and document."""
    place, level = place_of(notes, figure, local, document)
    period = period_of(notes, figure, local, document)
    change = figure.change or (figure.kind == "percent"
                               and is_change(notes.text, figure.start, figure.end))
    quantity = quantity_of(notes, figure, change)
    if figure.kind == "area" and quantity in SIZE_WORDS:
        quantity = "area"  # a column "Size (sq km)" or "Scope" gives an area
    unit = figure.unit or (counted_unit(notes.text[figure.end:])
                           if figure.kind == "count" else "")
    return Fact(figure.text, figure.value, unit or figure.kind, figure.kind, quantity, place,
                level, period.label if period else "", period_key(period) if period else "",
                change)


def period_of(notes: Notes, figure: Figure, local: list[Notes],
              document: DocumentContext | None) -> Period | None:
    """The period a figure covers: a running total keeps its start ("since April 2015"); an
    area has none unless it says by when ("by the end of 2023")."""
    start, end = clause_of(notes, figure)
    running = [p for p in stated_periods(notes) if p.span == "since"
               and (start <= p.start < end or not any(start <= q.start < end
                                                      for q in stated_periods(notes)))]
    if running:
        return running[0]
    periods, _ = figure_periods(notes, figure, local, document)
    if figure.kind == "area":  # "approved in 2019, it covers 60 sq km": the year is no period
        periods = [p for p in periods if p.span == "as_of"]  # of the area ("by the end of")
    return periods[0] if periods else None


def citation(metadata: dict[str, Any], sentence: str) -> dict[str, Any]:
    """Where a figure is stated: title, file, section or page, link, and the sentence."""
    return {"n": 1, "source": metadata.get("source", ""), "title": metadata.get("title", ""),
            "section": metadata.get("section", ""),
            "page": int(metadata.get("page") or 0) or None, "snippet": sentence,
            "url": metadata.get("url") or None, "date": metadata.get("date", "")}


def period_key(period: Period) -> str:
    """A period as a short comparable key: "2023", "2024-H1", "2024-Q3", "2025-01..2025-08",
    "2023-12", "as of 2024-12", "since 2013", "2013..2023"."""
    year, first, last = period.year, period.first, period.last
    if not year:
        return ""
    keys = {
        "half": f"{year}-H{1 if first == 1 else 2}",
        "quarter": f"{year}-Q{(first - 1) // 3 + 1}",
        "months": f"{year}-{first:02d}..{year}-{last:02d}",
        "month": f"{year}-{first:02d}", "day": f"{year}-{first:02d}",
        "as_of": f"as of {year}-{last:02d}",
        "since": f"since {year}-{first:02d}" if first > 1 else f"since {year}",
        "range": f"{year}..{period.last_year}",
    }
    return keys.get(period.span, str(year))


def place_name(place: Place) -> str:
    """A place as a path from its zone: "Liaoning FTZ", "Liaoning FTZ / Dalian Area"."""
    if place.level == "zone":
        return f"{place.name} {'FTP' if place.name == 'Hainan' else 'FTZ'}"
    zone = gazetteer().find(place.zone)
    named = next((s for s in place.spellings if s.startswith(place.name.split()[0])
                  and re.search(r"\b(?:Area|Zone|Port)$", s)), "")
    if not named:
        named = place.name if re.search(r"\b(?:Area|Zone|Port)$", place.name) \
            else f"{place.name} Area"
    return f"{place_name(zone)} / {named}" if zone else named


def place_of(notes: Notes, figure: Figure, local: list[Notes],
             document: DocumentContext | None) -> tuple[str, str]:
    """The place a figure is about and its level. A province or a city that shares its name
    with a zone or area ("Liaoning province's GDP") is not that zone's; a figure of all the
    pilot zones or of the country is the nation's."""
    places = figure_places(notes, figure, local, document)
    if not places:
        return ("China", "nation") if NATION.search(notes.text) else ("", "")
    place = places[0]
    enclave = _enclave(notes.text, figure)
    if enclave:  # a bonded zone or park inside an area, named beside the figure
        return f"{place_name(place)} / {enclave}", "district"
    # the mention itself says province or city ("Liaoning province's GDP"). Not
    # names.names_province: it reads the whole sentence ("7.6 percent of Guangdong's trade"
    # makes a share's base the province), where a record needs the mention of its own place
    mentions = [at for at, mentioned in notes.place_mentions if mentioned == place]
    before = [at for at in mentions if at < figure.start]
    for at in (before[-1:] or mentions[:1]):  # the mention nearest before the figure
        after = notes.text[at:at + 40]
        after = after[len(after.split()[0]) if after.split() else 0:]
        if PROVINCE_AFTER.match(after) or re.search(r"\bprovince of\s*$", notes.text[:at], re.I):
            return f"{place.name} (province)", "province"
        if CITY_AFTER.match(after) or re.search(r"\bcity of\s*$", notes.text[:at], re.I):
            return f"{place.name} (city)", "city"
        port = PORT_AFTER.match(notes.text[at:])
        if port:  # "Nansha Port handled ...": the port, not the zone's area of that name
            return f"{port.group(1)} (port)", "port"
    return place_name(place), place.level


def _enclave(text: str, figure: Figure) -> str:
    """The bonded zone, park or cooperation zone a figure is said of, when one is named just
    before it (with no other figure between) or right after it ("the 1.8 sq km Suifenhe
    comprehensive bonded zone")."""
    after = ENCLAVE_AFTER.match(text[figure.end:])
    window = text[max(0, figure.start - ENCLAVE_REACH):figure.start]
    named = list(ENCLAVE.finditer(window))
    if after:
        name = after.group(1)
    elif named and not re.search(r"\d", window[named[-1].end():]):
        name = named[-1].group(1)
    else:
        return ""
    return re.sub(r"^(?:The|A|An|Its|Their)\s+", "", SPACE.sub(" ", name).strip())


def quantity_of(notes: Notes, figure: Figure, change: bool = False) -> str:
    """What a figure measures, as a short noun phrase: a table cell's label, the counted noun,
    the subject of the verb that states it ("foreign trade reached ..."), or what follows it
    ("... in contracted kiln investment"); a change says so ("foreign trade growth")."""
    text = notes.text
    start, end = clause_of(notes, figure)
    before, after = text[start:figure.start], text[figure.end:end]
    row = _row_label(text, figure)
    if row:
        return row
    if figure.kind == "count":
        counted = _counted(text[figure.end:])
        if counted:
            return counted
    label = re.search(r"([A-Za-z][\w '’-]{1,50}?)\s*(?:\([^)]*\))?\s*:\s*[^:]*$", before)
    if label and not GENERIC_LABEL.match(label.group(1).strip()):
        return _tidy(label.group(1))
    changed = re.search(r"\b(cut|cuts|reduc\w+|lower\w*|shorten\w*|slash\w*|trim\w*)\s+(.+?)\s+"
                        r"by\s+(?:\w+\s+)?$", before, re.I)
    if changed:
        return f"{_tidy(changed.group(2))} cut".strip()
    if figure.kind == "area":
        area = AREA_FIGURE.search(text[max(start, figure.start - 40):figure.start])
        return (area.group(0) if area else "area").lower()
    following = NOUN_AFTER.match(after)
    subject = _subject(before) if LEAD_VERB.search(before) else ""
    if following and figure.kind in ("money", "count") or following and not subject:
        phrase = re.sub(r"^(?:(?:the|its|their|a|an|this|that)\s+)?(?:[\w-]+['’]s\s+)?", "",
                        following.group(1), flags=re.I)  # "of the province's foreign trade"
        phrase = STOP_AFTER.sub("", " " + phrase).strip()
        if phrase and not re.match(r"(?:19|20)\d\d", phrase):
            share = figure.kind == "percent" and after.lstrip().lower().startswith("of")
            return _tidy(("share of " if share else "") + phrase)
    if not subject:
        subject = _subject(before)
    if subject and change:
        return f"{subject} growth"
    return subject


def _row_label(text: str, figure: Figure) -> str:
    """In a table row ("Indicator: Kiln output; 2023: 1.2 bn"), what the figure's cell says
    it is: its label, or the row's first cell when the label is a year or says nothing."""
    if not ROW.match(text) and " | " not in text:
        return ""
    cells = [c.strip() for c in re.split(r"; | \| ", text)]
    first = re.sub(r"^[^:]{1,40}:\s*", "", cells[0]).strip(" .")
    position = 0
    for cell in cells:
        position = text.find(cell, position)
        if position <= figure.start < position + len(cell) + 1:
            label = cell.split(":", 1)[0] if ":" in cell else ""
            label = re.sub(r"\([^)]*\)", "", label).strip()
            if cell is cells[0] or not label or GENERIC_LABEL.match(label):
                return _clean(first) if cell is not cells[0] else ""
            return _clean(label)
        position += len(cell)
    return ""


def _counted(after: str) -> str:
    """The noun a bare number counts: "6,920 enterprises newly registered" -> "newly
    registered enterprises", "20 of its 134 institutional innovations" -> "institutional
    innovations"."""
    after = re.sub(r"^\s*of\s+(?:(?:its|the|their|all|these)\s+)?(?:[\d,]+\s+)?", " ", after)
    after = re.sub(r"^\s*(?:new|more|other|additional|further)\s+", " ", after, flags=re.I)
    run = re.match(r"\s*((?:[A-Za-z][\w’'-]*\s+){0,4}[A-Za-z][\w’'-]*)", after)
    words: list[str] = []
    for word in run.group(1).split() if run else []:
        # ("enterprises newly registered": a participle after an adverb goes on the phrase)
        if STOP_WORD.match(word) and not (words and words[-1].endswith("ly")
                                          and POST_MODIFIER.match(word)):
            break
        words.append(word)
    split = next((i for i, w in enumerate(words) if i and POST_MODIFIER.match(w)), len(words))
    head, post = words[:split], words[split:]
    return " ".join(post + head).lower()


def counted_unit(after: str) -> str:
    """The unit of a count: the noun it counts, without the words that qualify it
    ("newly registered enterprises" -> "enterprises"); firms, companies and businesses are
    all "enterprises", twenty-foot equivalent units "TEU"."""
    counted = _counted(after)
    words = [w for w in counted.split() if not POST_MODIFIER.match(w)] or counted.split()
    unit = " ".join(words[-2:]) if len(words) >= 2 and words[-2] in TWO_WORD_HEADS \
        else (words[-1] if words else "")
    return UNIT_SYNONYMS.get(unit, unit)


def _subject(before: str) -> str:
    """The noun phrase a clause states a figure of: the words before its first verb (else
    before the words that lead to the figure), without the places, periods and determiners
    around them ("In 2023, the Nansha Area's foreign trade reached" -> "foreign trade"; "The
    zone's GDP grew 5.3 percent in 2024 to" -> "gdp")."""
    first = MAIN_VERB.search(before)
    if first:
        subject = _tidy(before[:first.start()])
        if subject:
            return subject
    cut = LEAD_VERB.search(before)
    return _tidy(before[:cut.start()] if cut else before)


def _tidy(phrase: str) -> str:
    """A phrase without the places, years, figures and function words at its edges, lower
    case, its last few words."""
    phrase = _without_places(phrase)
    phrase = re.sub(r"\b(?:19|20)\d\d\b|\d[\d,.]*%?|[^\w\s'’-]", " ", phrase)
    phrase = re.sub(r"\b(?:first|second|third|fourth)\s+(?:half|quarter)\b|\b(?:january|february|"
                    r"march|april|may|june|july|august|september|october|november|december)\b",
                    " ", phrase, flags=re.I)
    words = [w.strip("'’-") for w in phrase.split()]
    words = [w for w in words if w]
    # the last run of words without a function word (the noun phrase next to the verb or
    # figure); an "of" inside it stays ("share of foreign trade")
    kept: list[str] = []
    for index in range(len(words) - 1, -1, -1):
        word = words[index]
        inner_of = (word.lower() == "of" and kept and index
                    and not re.fullmatch(FUNCTION, words[index - 1], re.I))
        if (re.fullmatch(FUNCTION, word, re.I) and not inner_of) or re.fullmatch(r"s", word):
            break
        kept.insert(0, word)
    kept = kept[-QUANTITY_WORDS:]
    while kept and re.fullmatch(FUNCTION, kept[0], re.I):
        kept.pop(0)
    return _clean(" ".join(kept))


def _without_places(phrase: str) -> str:
    """A phrase with its place names (and their "Area", "FTZ", possessive) taken out."""
    for at, _ in reversed(gazetteer().positions(phrase)):
        match = re.match(r"[\w-]+(?:\s+(?:[A-Z][\w-]*|FTZ|FTP|Pilot|Free|Trade|Zone|Area|Port|"
                         r"New|Special))*(?:['’]s)?", phrase[at:])
        phrase = phrase[:at] + " " + phrase[at + (match.end() if match else 0):]
    return re.sub(r"\b(?:FTZ|FTP|pilot free trade zone|free trade zone|free trade port)(?:['’]s)?"
                  r"\b", " ", phrase, flags=re.I)


def _clean(text: str) -> str:
    return SPACE.sub(" ", text).strip(" .,;:-").lower()
