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
from dataclasses import dataclass, field, replace
from typing import Any

from assistant.answering.attribution import (
    NATION,
    REFERS_BACK,
    ROW,
    clause_of,
    common_zone,
    figure_periods,
    figure_places,
    of_all_zones,
    stated_periods,
)
from assistant.answering.bank import ChunkRecord, DocumentContext, Notes
from assistant.answering.names import PLACE_IN, Place, gazetteer, squash
from assistant.figures import Figure, Period, converts, is_change

NOT_FIGURES = ("year", "date", "code")
SIZE_WORDS = ("size", "area", "scope", "coverage", "approx. area", "approximate area")
INNER_PREPOSITIONS = ("of", "with", "for", "in")  # kept between two nouns of a quantity
QUANTITY_WORDS = 6  # a quantity longer than this is no short phrase: its last words are kept
FUNCTION = (r"(?:the|a|an|its|their|this|that|these|those|of|in|on|at|for|by|with|to|from|and|"
            r"or|as|per|which|who|while|when|after|before|since|during|over|under|about|some|"
            r"than|into|across|through|within|around|all|each|every|both|more|less|another|"
            r"against|among|between|toward|towards|"
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
# a running total said without its start ("a cumulative 53.9 billion dollars", "since
# approval", "Indicator: New enterprises (cumulative)") counts from its place's launch
RUNNING_TOTAL = re.compile(r"\b(?:cumulative(?:ly)?|in total|accumulated|over the past (?:decade|"
                           r"\w+ years)|since (?:its |the (?:zone|area|FTZ)['’]s )?(?:launch|"
                           r"approval|establishment|inception|founding|opening|start|"
                           r"(?:it|the (?:zone|area|FTZ)) (?:was )?(?:launched|approved|"
                           r"established|set up|opened)))\b", re.I)
# a count said as of the document's day ("So far, 485 outcomes have been copied")
SO_FAR = re.compile(r"\b(?:so far|to date|up to now|thus far)\b", re.I)
# one quantity, several phrasings: a zone's imports and exports are its foreign trade
QUANTITY_SYNONYMS = ((re.compile(r"\b(?:total\s+)?(?:value of\s+)?imports? and exports?\b|"
                                 r"\bimport and export (?:value|volume|trade)\b|\btotal trade\b",
                                 re.I), "foreign trade"),)
# a count in a unit of measure ("20 million TEUs", "370 million tonnes of cargo"): what a
# port "handled" in it is its throughput
MEASURE_UNITS = {"TEU": "container throughput", "tonnes": "cargo throughput",
                 "tons": "cargo throughput"}
THROUGHPUT_VERB = re.compile(r"\b(?:handled|handling|throughput|moved|loaded)\b", re.I)
# the words before a figure that name nothing it measures ("up", "equal to", "or",
# "a year-on-year rise of"): such a figure is a change or share of the figure before it
NO_SUBJECT = re.compile(rf"^(?:\s|,|[\d.,]+|per ?cent\b|{FUNCTION}\b|{VERB}\b|{LINK}|"
                        r"equal(?:ling|ing)? to|"
                        r"equivalent to|representing|year[- ]on[- ]year|a\b|rise|increase|growth|"
                        r"jump|gain|decline|drop|fall|share)*$", re.I)
# a phrase that says when, not what ("in the first eight months of 2022", "in 2023")
PERIOD_PHRASE = re.compile(r"^(?:the\s+)?(?:(?:first|second|third|fourth|last|past|same|next)\b|"
                           r"(?:19|20)\d\d\b|(?:january|february|march|april|may|june|july|"
                           r"august|september|october|november|december)\b)", re.I)
INDICATOR_CELL = re.compile(r"^(?:indicator|item|metric|measure|category|quantity|variable)\s*:",
                            re.I)  # the cell of a table row that says what its figures are
AREA_LABEL = re.compile(r"\b(?:area|size|scope|coverage|km|sq|land|sea)\b", re.I)
# a state said in the present tense ("the department has 22 staff", "there are 140 banks")
PRESENT_STATE = re.compile(r"\b(?:has|have|is|are|employs|hosts|houses|numbers|counts|holds|"
                           r"stands at|there are|there is)\b", re.I)
THE_PORT = re.compile(r"\b(?:the|its) port(?:['’]s)?\b", re.I)
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
    # other figures stated for the same quantity, place and period (a later document's
    # revision, or a disagreement): each {value, number, date, title, source}, oldest first
    also_stated: list[dict[str, Any]] = field(default_factory=list)

    @property
    def key(self) -> tuple:
        """What makes two statements one figure: the same number for the same quantity,
        place and period."""
        return (self.number, *self.subject)

    @property
    def subject(self) -> tuple:
        """What a figure is a figure of: its unit, place, period and quantity."""
        return (self.unit, self.place, self.period_key, squash(self.quantity), self.change)


def facts_of(chunks: Iterable[ChunkRecord], documents: dict[str, DocumentContext]) -> list[Fact]:
    """Every figure of the chunks' sentences as a record; one figure stated several times (in
    one document or several) is one record with a citation for each statement."""
    return merged(statements_of(chunks, documents))


def statements_of(chunks: Iterable[ChunkRecord], documents: dict[str, DocumentContext]
                  ) -> list[Fact]:
    """Each statement of a figure in the chunks' sentences as a record with its one citation
    (a document's statements depend only on that document: the catalogue keeps them per
    document version)."""
    statements: list[Fact] = []
    for chunk in chunks:
        document = documents.get(str(chunk.metadata.get("source", "")))
        for sentence in chunk.sentences:
            notes = sentence.notes
            local = chunk.neighbourhood(sentence.position)
            lead, previous = "", None  # the sentence's last level figure's quantity
            for figure in notes.figures:
                if figure.kind in NOT_FIGURES or figure.value is None:
                    continue
                fact = read_fact(notes, figure, local, document, lead)
                if previous and converts(notes.text, previous, figure):
                    fact.quantity = lead  # "13.5 billion yuan (about 1.96 billion dollars)"
                elif not fact.change and fact.kind in ("money", "count", "area", "duration"):
                    lead = fact.quantity
                previous = figure
                # (the chunk, to show the sentence in its passage)
                fact.citations.append({**citation(chunk.metadata, notes.text), "chunk": chunk.id})
                statements.append(fact)
    return statements


def merged(statements: Iterable[Fact]) -> list[Fact]:
    """One record per figure (new records: the statements are left as they are): statements
    of one figure become one record with each distinct citation, in the order given, and each
    record is linked with the figures other documents state for its subject."""
    facts: dict[tuple, Fact] = {}
    for statement in statements:
        known = facts.get(statement.key)
        if known is None:
            facts[statement.key] = replace(statement, citations=list(statement.citations),
                                           also_stated=[])
        elif statement.citations[0] not in known.citations:
            known.citations.append(statement.citations[0])
    records = list(facts.values())
    _link_other_statements(records)
    return records


def _link_other_statements(facts: list[Fact]) -> None:
    """Give each figure the other figures that other documents state for the same quantity,
    place and period (all three known), so that a later document's figure shows beside an
    earlier one. (Two figures of one document read as one quantity are two things the
    reading could not tell apart, "projects signed" and "projects started", not a
    revision.)"""
    by_subject: dict[tuple, list[Fact]] = {}
    for fact in facts:
        if fact.place and fact.period_key and fact.quantity and fact.number is not None:
            by_subject.setdefault(fact.subject, []).append(fact)
    for group in by_subject.values():
        if len(group) < 2:
            continue
        for fact in group:
            sources = {c.get("source") for c in fact.citations}
            others = [other for other in group if other is not fact
                      and not sources & {c.get("source") for c in other.citations}]
            fact.also_stated = sorted(
                ({"value": other.value, "number": other.number,
                  "date": other.citations[0].get("date", ""),
                  "title": other.citations[0].get("title", ""),
                  "source": other.citations[0].get("source", "")} for other in others),
                key=lambda said: str(said["date"]))


def read_fact(notes: Notes, figure: Figure, local: list[Notes],
              document: DocumentContext | None, lead: str = "") -> Fact:
    """The record of one figure of a sentence, read with its neighbourhood and document
    (`lead`: the quantity of the level figure before it in the sentence)."""
    place, level, found = place_of(notes, figure, local, document)
    period = period_of(notes, figure, local, document, found)
    change = figure.change or (figure.kind == "percent"
                               and is_change(notes.text, figure.start, figure.end))
    quantity = quantity_of(notes, figure, change, lead)
    if figure.kind == "area" and quantity in SIZE_WORDS:
        quantity = "area"  # a column "Size (sq km)" or "Scope" gives an area
    unit = figure.unit
    if figure.kind == "count" and not unit:
        # the counted noun after the figure, else the one its label or subject names
        # ("Indicator: Measures replicated nationwide; Value: 36", "Number of cases: 29")
        unit = counted_unit(notes.text[figure.end:]) or _label_unit(quantity)
    return Fact(figure.text, figure.value, unit or figure.kind, figure.kind, quantity, place,
                level, period.label if period else "", period_key(period) if period else "",
                change)


def period_of(notes: Notes, figure: Figure, local: list[Notes],
              document: DocumentContext | None, place: Place | None = None) -> Period | None:
    """The period a figure covers: a running total keeps its start ("since April 2015", or
    its place's launch when it says only "cumulative"); an area has none unless it says by
    when ("by the end of 2023"); a part of a year takes its year from the text around it."""
    start, end = clause_of(notes, figure)
    stated = stated_periods(notes)
    running = [p for p in stated if p.span == "since"
               and (start <= p.start < end or not any(start <= q.start < end for q in stated))]
    if running:
        return running[0]
    row = bool(ROW.match(notes.text))  # a table row's period cell is every cell's
    own = [p for p in stated if start <= p.start < end or row]
    label = notes.text[:notes.text.find(";")] if row else ""
    if not own and (RUNNING_TOTAL.search(notes.text[start:end]) or RUNNING_TOTAL.search(label)):
        launched = _launched(place)
        if launched:
            return launched
    periods, _ = figure_periods(notes, figure, local, document)
    if figure.kind == "area":  # "approved in 2019, it covers 60 sq km": the year is no period
        periods = [p for p in periods if p.span == "as_of"]  # of the area ("by the end of")
    said_around = any(stated_periods(n) for n in local[:-1])  # (not the heading)
    present = PRESENT_STATE.search(notes.text[start:figure.start])
    if not own and document and (SO_FAR.search(notes.text) or present and not said_around
                                 and figure.kind != "area"):
        dated = _as_of_document(document)  # "the department has 22 staff": as the document
        if dated and (dated.last < 12 or SO_FAR.search(notes.text)):  # speaks (an area's
            return dated  # size has none; a state in a document dated by year only, its year)
    if periods and not periods[0].year:  # "in the first half of the year"
        year = _year_around(notes, local, document)
        return replace(periods[0], year=year) if year else None
    return periods[0] if periods else None


def _as_of_document(document: DocumentContext) -> Period | None:
    """The day a document speaks from, as a period: its date's month ("2022-11-03"), else
    what its title or dateline says."""
    dated = re.match(r"((?:19|20)\d\d)-(\d\d)", document.date)
    if dated:
        return Period("as_of", int(dated.group(1)), 1, int(dated.group(2)))
    if document.heading.periods:
        said = document.heading.periods[0]
        return Period("as_of", said.year, 1, said.last if said.span != "year" else 12)
    return None


def _launched(place: Place | None) -> Period | None:
    """From when a place's running totals count: its own launch, else its zone's."""
    while place is not None:
        if place.launched:
            year, month = (int(part) for part in place.launched.split("-"))
            return Period("since", year, month)
        place = gazetteer().find(place.zone) if place.zone else None
    return None


def _year_around(notes: Notes, local: list[Notes], document: DocumentContext | None) -> int:
    """The year a part of a year ("the first half") belongs to: the one its sentence, the
    sentences around it or its document say."""
    for periods in ([stated_periods(notes)] + [stated_periods(n) for n in local]
                    + [document.heading.periods if document else []]):
        years = [p.year for p in periods if p.year]
        if years:
            return years[0]
    return 0


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
    own = [s for s in (*place.spellings, place.name) if s.startswith(place.name.split()[0])]
    named = next((s for s in own if re.search(r"\b(?:Area|Zone)$", s)), "")
    if not named:  # "Qinzhou Port" is the port; the zone's area is the "Qinzhou Port Area"
        port = next((s for s in own if s.endswith(" Port")), "")
        named = f"{port or place.name} Area"
    return f"{place_name(zone)} / {named}" if zone else named


def place_of(notes: Notes, figure: Figure, local: list[Notes],
             document: DocumentContext | None) -> tuple[str, str, Place | None]:
    """The place a figure is about, its level, and the zone or area it is or lies in. A
    province or a city that shares its name with a zone or area ("Liaoning province's GDP")
    is not that zone's; a figure of all the pilot zones or of the country is the nation's."""
    places = figure_places(notes, figure, local, document)
    if not places or of_all_zones(notes, figure):
        # ("Since the first zone opened in Shanghai, the 12 pilot free trade zones have
        # attracted ...": the clause of the figure speaks of all of them)
        if NATION.search(notes.text):
            return "China", "nation", None
        zone = _document_zone(document)
        if zone is not None:  # a document about one zone and several of its areas
            return place_name(zone), "zone", zone
        return "", "", None
    place = places[0]
    enclave = _enclave(notes.text, figure)
    if enclave:  # a bonded zone or park inside an area, named beside the figure
        return f"{place_name(place)} / {enclave}", "district", place
    # the mention itself says province or city ("Liaoning province's GDP"). Not
    # names.names_province: it reads the whole sentence ("7.6 percent of Guangdong's trade"
    # makes a share's base the province), where a record needs the mention of its own place
    mentions = [at for at, mentioned in notes.place_mentions if mentioned == place]
    before = [at for at in mentions if at < figure.start]
    # a mention after the figure names its place only as where it happened ("... in Fujian
    # province"), not as a share's base or a source ("of Shandong province's total",
    # "according to the Department of Commerce of Heilongjiang Province")
    located = [at for at in mentions if at > figure.start and PLACE_IN.search(notes.text[:at])]
    for at in (before[-1:] or located[:1]):  # the mention nearest before the figure
        after = notes.text[at:at + 40]
        after = after[len(after.split()[0]) if after.split() else 0:]
        if PROVINCE_AFTER.match(after) or re.search(r"\bprovince of\s*$", notes.text[:at], re.I):
            return f"{place.name} (province)", "province", place
        if CITY_AFTER.match(after) or re.search(r"\bcity of\s*$", notes.text[:at], re.I):
            return f"{place.name} (city)", "city", place
        port = PORT_AFTER.match(notes.text[at:])
        if port:  # "Nansha Port handled ...": the port, not the zone's area of that name
            return f"{port.group(1)} (port)", "port", place
    port = _port_referred(notes, figure, local, place) if not mentions else ""
    if port:
        return f"{port} (port)", "port", place
    return place_name(place), place.level, place


def _document_zone(document: DocumentContext | None) -> Place | None:
    """The one zone a document's title and zone name all lie in ("Hunan FTZ: the Changsha,
    Yueyang and Chenzhou Areas"), for a figure that names no place of its own."""
    return common_zone(document.heading.places) if document else None


def _port_referred(notes: Notes, figure: Figure, local: list[Notes], place: Place) -> str:
    """The port a sentence refers back to ("The port handled ...", "its cargo throughput"
    after a sentence about "Guoyuan Port"), when its place is a port's namesake area."""
    port = next((s for s in (place.name, *place.spellings) if s.endswith(" Port")), "")
    if not port:
        return ""
    if THE_PORT.search(notes.text[:figure.start]):
        return port
    previous = local[0] if len(local) > 1 else None
    if previous is not None and REFERS_BACK.match(notes.text):
        named = [at for at, mentioned in previous.place_mentions if mentioned == place]
        if named and PORT_AFTER.match(previous.text[named[-1]:]):
            return port
    return ""


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


def quantity_of(notes: Notes, figure: Figure, change: bool = False, lead: str = "") -> str:
    """What a figure measures, as a short noun phrase: a table cell's label, the counted noun,
    the subject of the verb that states it ("foreign trade reached ..."), or what follows it
    ("... in contracted kiln investment"); a change says so ("foreign trade growth"). A
    change or share said with no subject of its own is of `lead`, the quantity of the figure
    before it ("trade reached 5 billion yuan, up 29 percent"). Nothing, rather than a phrase
    that names nothing ("2026-01-05 16", "against")."""
    phrase = _quantity(notes, figure, change, lead)
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]{2,}", phrase) if not STOP_WORD.match(w)]
    return phrase if words else ""


def _quantity(notes: Notes, figure: Figure, change: bool, lead: str) -> str:
    """The phrase `quantity_of` reads, before its check."""
    text = notes.text
    start, end = clause_of(notes, figure)
    before, after = _synonymous(text[start:figure.start]), _synonymous(text[figure.end:end])
    row = _row_label(text, figure)
    if row:
        return _synonymous(row)
    if figure.kind == "count":
        counted = _counted(text[figure.end:])
        unit = counted_unit(text[figure.end:])
        if unit in MEASURE_UNITS:  # "handled 20 million TEUs": what the port handled
            if THROUGHPUT_VERB.search(text[start:figure.end + 40]):
                return MEASURE_UNITS[unit]
            counted = ""
        if counted:
            return counted
    if figure.kind == "percent" and lead and NO_SUBJECT.match(before):
        base = re.match(r"\s*of\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:[\w-]+['’]s\s+)?"
                        r"(?:total|whole)(?=\s*(?:[,.;)]|$|\s(?:in|for|during|that|this)\b))",
                        after, re.I)
        if base:  # "... or 14.5 percent of the province's total"
            return f"share of {lead}"
        if change:  # "..., 29 percent more than a year earlier"
            return f"{lead} growth"
    label = re.search(r"([A-Za-z][\w '’-]{1,50}?)\s*(?:\([^)]*\))?\s*:\s*[^:]*$", before)
    if label and figure.kind == "area" and not AREA_LABEL.search(label.group(1)):
        label = None  # "Notes: includes the 1.8 sq km bonded zone": an area of its own
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
    if following and PERIOD_PHRASE.match(following.group(1)):
        following = None  # "... in the first eight months of 2022" says when, not what
    subject = _subject(before) if LEAD_VERB.search(before) else ""
    share = figure.kind == "percent" and after.lstrip().lower().startswith("of")
    if following and (share or figure.kind in ("money", "count") or not subject):
        phrase = re.sub(r"^(?:(?:the|its|their|a|an|this|that)\s+)?(?:(?:[\w-]+\s+){0,2}?"
                        r"[\w-]+['’]s\s+)?"
                        r"(?:(?:total|whole|overall)\s+)?", "", following.group(1),
                        flags=re.I)  # "of the zone's total foreign trade"
        phrase = STOP_AFTER.sub("", " " + phrase).strip()
        if phrase and not re.match(r"(?:19|20)\d\d", phrase):
            return _tidy(("share of " if share else "") + phrase)
    if not subject:
        subject = _subject(before)
    if subject and change:
        return f"{subject} growth"
    return subject


def _synonymous(text: str) -> str:
    """A text with one phrasing for each quantity that has several ("imports and exports"
    are "foreign trade")."""
    for pattern, phrase in QUANTITY_SYNONYMS:
        text = pattern.sub(phrase, text)
    return text


def _label_unit(quantity: str) -> str:
    """The counted noun a count's label or subject ends in ("number of cases" -> "cases",
    "measures replicated nationwide" -> "measures"); nothing when it names no plural."""
    noun = counted_unit(" " + re.sub(r"^(?:number|count|total)\s+of\s+", "", quantity))
    return noun if noun.endswith("s") and noun not in MEASURE_UNITS else ""


def _row_label(text: str, figure: Figure) -> str:
    """In a table row ("Indicator: Kiln output; 2023: 1.2 bn"), what the figure's cell says
    it is: its label, or the row's indicator cell (else its first) when the label is a year
    or says nothing ("Period: As of Oct 2023; Indicator: Measures replicated; Value: 36")."""
    if not ROW.match(text) and " | " not in text:
        return ""
    cells = [c.strip() for c in re.split(r"; | \| ", text)]
    describing = next((c for c in cells if INDICATOR_CELL.match(c)), cells[0])
    first = re.sub(r"^[^:]{1,40}:\s*", "", describing).strip(" .")
    position = 0
    for cell in cells:
        position = text.find(cell, position)
        if position <= figure.start < position + len(cell) + 1:
            label = cell.split(":", 1)[0] if ":" in cell else ""
            label = re.sub(r"\([^)]*\)", "", label).strip()
            if cell is describing or not label or GENERIC_LABEL.match(label):
                return _clean(first) if cell is not describing else ""
            if figure.kind == "area" and not AREA_LABEL.search(label):
                return ""  # "Notes: includes the 1.8 sq km bonded zone": an area of its own
            return _clean(label)
        position += len(cell)
    return ""


def _counted(after: str) -> str:
    """The noun a bare number counts: "6,920 enterprises newly registered" -> "newly
    registered enterprises", "20 of its 134 institutional innovations" -> "institutional
    innovations"."""
    after = re.sub(r"^\s*of\s+(?:(?:its|the|their|all|these)\s+)?(?:[\d,]+\s+)?", " ", after)
    after = re.sub(r"^\s*(?:more|other|additional|further)\s+", " ", after, flags=re.I)
    run = re.match(r"\s*((?:[A-Za-z][\w’'-]*\s+){0,4}[A-Za-z][\w’'-]*)", after)
    words: list[str] = []
    for word in run.group(1).split() if run else []:
        # ("enterprises newly registered": a participle after an adverb goes on the phrase)
        if STOP_WORD.match(word) and not (words and words[-1].endswith("ly")
                                          and POST_MODIFIER.match(word)):
            break
        words.append(word)
    # ("enterprises newly registered" is split there; "newly established enterprises" is not)
    split = next((i for i, w in enumerate(words)
                  if i and POST_MODIFIER.match(w) and not POST_MODIFIER.match(words[i - 1])),
                 len(words))
    head, post = words[:split], words[split:]
    if head and head[-1].lower() in UNIT_SYNONYMS:  # "new firms" counts "new enterprises"
        head[-1] = UNIT_SYNONYMS[head[-1].lower()]
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
    phrase = re.sub(r"\b(?:first|second|third|fourth|last)\s+(?:\w+\s+)?(?:half|quarters?|"
                    r"months)\b|\b(?:january|february|"
                    r"march|april|may|june|july|august|september|october|november|december)\b",
                    " ", phrase, flags=re.I)
    words = [w.strip("'’-") for w in phrase.split()]
    words = [w for w in words if w]
    while words and re.fullmatch(FUNCTION, words[-1], re.I):  # "GDP in [2024]"
        words.pop()
    # the last run of words without a function word (the noun phrase next to the verb or
    # figure); a preposition between two nouns stays ("share of foreign trade", "trade
    # with Africa", "investment in major projects")
    kept: list[str] = []
    for index in range(len(words) - 1, -1, -1):
        word = words[index]
        inner = (word.lower() in INNER_PREPOSITIONS and kept and index
                 and not re.fullmatch(FUNCTION, words[index - 1], re.I))
        if (re.fullmatch(FUNCTION, word, re.I) and not inner) or re.fullmatch(r"s", word):
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
