"""What a figure in a sentence is about: the clause that describes it, the place and the
period it belongs to.

A figure belongs to what its own clause names; failing that, to what the sentence names (a
list of places that a figure totals gives their zone), then to its neighbourhood (the
sentence before, the section) and finally to its document (title, date, dateline).
"""

from __future__ import annotations

import re

from assistant.answering.bank import DocumentContext, Notes
from assistant.answering.names import Place, gazetteer
from assistant.figures import Figure, Period

LABEL_WORDS = 6  # a clause "Foreign trade:" this short labels the clause after it
NEAR = 40  # characters before a figure within which a place is the figure's ("Tianfu, at 90")
# a table row as the loaders write it: "Area: Nanning Area; Size (sq km): 46.8" (a cell may
# run on past a semicolon: "Projects: 229; 204.7 bn yuan contracted")
ROW = re.compile(r"^[^:;]{1,60}: [^;]+(?:; [^:;]{1,60}: [^;]+)+(?:; [^:;]+)*\.?$")
# a place named as how far something spread ("copied throughout Liaoning", "across China")
# is no place the figure belongs to
# a figure of all the pilot zones or of the country: the nation's
ALL_ZONES = r"(?:all|the|china's|[0-9]{2}|twenty-\w+)\s+(?:pilot\s+)?(?:free trade zones|ftzs)\b"
NATION = re.compile(r"\b(?:" + ALL_ZONES + r"|nationwide|national(?:ly)?\b|the country(?:'s|’s)?\b|"
                    r"china(?:'s|’s)\s+(?:foreign trade|total|overall|imports|exports|gdp))", re.I)
ALL_ZONES_NAMED = re.compile(r"\b" + ALL_ZONES, re.I)
SPREAD_BEFORE = re.compile(r"\b(?:throughout|across|all over|nationwide in|beyond|elsewhere in)"
                           r"\s+(?:the\s+)?(?:whole\s+|entire\s+|rest of\s+(?:the\s+)?)?$", re.I)
# a figure said of every part of its zone together: "across the zone's three areas"
# ("of the zone's three areas, X is the largest" picks one of them)
WHOLE_ZONE = re.compile(r"\b(?:across|in|throughout|for)\s+(?:all\s+|each of\s+|both\s+)?"
                        r"(?:the\s+|its\s+)?(?:zone's\s+|FTZ's\s+)?(?:two|three|four|five|six|"
                        r"seven|[2-7])\s+(?:areas|sub-?zones|districts|parts|sections)\b|"
                        r"\bzone-?wide\b|\b(?:across|throughout|for)\s+the\s+(?:whole|entire)\s+"
                        r"zone\b|\bthe (?:zone|FTZ) as a whole\b|"
                        # "the zone's foreign trade": the zone's, not one area's
                        r"\bthe (?:pilot\s+)?(?:zone|FTZ)['’]s\b|"
                        # a table's "Indicator (whole FTZ)", "Whole SDFTZ" (an acronym's FTZ)
                        r"\b(?:whole|entire)\s+(?:pilot\s+)?(?:[a-z]{0,4}ftz|zone)\b", re.I)
# the whole a share is taken of ("22.3% of Anhui", "33 percent of the city's"): that place
# is not the one whose share it is
SHARE_OF = re.compile(r"\s*(?:percent|per cent|pct)?\s*of\s+(?:the\s+)?(?:whole\s+|total\s+)?",
                      re.I)
# a figure said of several places together ("Jinan, Qingdao and Yantai, which together
# cover 119.98 sq km"): the last of them is no place of its own
TOGETHER = re.compile(r"\b(?:together|combined|in total|in all|altogether|jointly)\b", re.I)
# what a change is measured against: "up 0.3 percent from 2021", "higher than in 2020"
CHANGE_BASE = re.compile(r"\b(?:up|down|rise|rose|risen|increase[sd]?|grew|growth|fell|fall|"
                         r"decline[sd]?|more|less|higher|lower|percent|times)\b[^.;:]{0,30}?"
                         r"\b(?:from|than|over|on|compared with|compared to|against)\s+"
                         r"(?:in\s+|that of\s+|the same period (?:of|in)\s+|the end of\s+)?$",
                         re.I)
# a sentence that continues the one before: its places are the sentence before's
REFERS_BACK = re.compile(r"^(?:it|its|they|their|this|these|those|there|here|such|the (?:area|"
                         r"zone|port|city|district|park|province|region|latter|former)\b)", re.I)

# a word within a sentence that refers back to a place named before it ("had settled there",
# "companies in the area"); "the area of the zone" names its own
REFERS_WITHIN = re.compile(r"\bthere\b(?!\s+(?:is|are|was|were|has|have|had|will)\b)|"
                           r"\b(?:in|of|inside|within) the (?:area|zone|port|district|park)\b"
                           r"(?!\s+of\b)", re.I)


def clause_of(notes: Notes, figure: Figure) -> tuple[int, int]:
    """The span of the clause that holds a figure (with its label, "Size (sq km): 43.78")."""
    spans = notes.clauses
    for index, (start, end) in enumerate(spans):
        if start <= figure.start < end:
            if index and _is_label(notes.text[spans[index - 1][0]:spans[index - 1][1]]):
                start = spans[index - 1][0]
            return start, end
    return 0, len(notes.text)


def of_all_zones(notes: Notes, figure: Figure) -> bool:
    """Whether a figure's clause speaks, before it, of all the pilot zones or of the country,
    with no place named in between ("Since the first zone opened in Shanghai, the 12 pilot
    free trade zones have attracted ..."; in a table row, a cell before the figure's that
    names all the zones: "Indicator (all pilot FTZs): ...; Value: ...", though not one that
    says how far something spread: "Measures replicated nationwide: ...")."""
    if ROW.match(notes.text):
        nation = ALL_ZONES_NAMED.search(notes.text, 0, figure.start)
    else:
        nation = NATION.search(notes.text, clause_of(notes, figure)[0], figure.start)
    return bool(nation) and not any(nation.start() <= at < figure.start
                                    for at, _ in notes.place_mentions)


def _is_label(clause: str) -> bool:
    return clause.rstrip().endswith(":") and len(clause.split()) <= LABEL_WORDS


def figure_places(notes: Notes, figure: Figure, local: list[Notes],
                  document: DocumentContext | None) -> list[Place]:
    """The places a figure is about; empty when nothing says. Of an area and its zone named
    together, the area; several areas named together without a figure of their own stand
    for their zone, as a list that the figure totals."""
    start, end = clause_of(notes, figure)
    mentions = [(at, place) for at, place in notes.place_mentions
                if not SPREAD_BEFORE.search(notes.text[max(0, at - NEAR):at])
                and not (figure.kind == "percent" and figure.end <= at
                         and SHARE_OF.fullmatch(notes.text[figure.end:at]))]
    if ROW.match(notes.text):  # a table row is about what its first cell names
        first = notes.text.find(";")
        whole = _whole_zone(mentions, local, document) \
            if WHOLE_ZONE.search(notes.text[:first]) else []
        if whole:  # "Area: Whole zone (incl. Dalian Area); Size: 119.89"
            return whole
        row = _narrowest(list(dict.fromkeys(place for at, place in mentions if at < first)))
        if row:  # "Combined GDP of Hengqin, Qianhai and Nansha; 2023: ..." totals them
            return row if len(row) == 1 else _totalled(row)
        # a cell with a figure of its own keeps its place ("Trade: 154 bn (22.3% of Anhui);
        # Firms: 13,000"); a cell without one describes the row ("Scope: Qingdao Area")
        taken = [clause_of(notes, f) for f in notes.figures if f.start != figure.start]
        mentions = [(at, place) for at, place in mentions
                    if (start <= at < end) or not any(a <= at < b for a, b in taken)]
    others = [f.start for f in notes.figures if f.start != figure.start and start <= f.start < end]
    low = max([at for at in others if at < figure.start], default=start)
    high = min([at for at in others if at > figure.start], default=end)
    # between the figures before and after it: "58.19 sq km at Qinzhou Port and 15 sq km in ..."
    own = _narrowest(list(dict.fromkeys(place for at, place in mentions if low <= at < high)))
    if own:
        return own
    after = max((f.end for f in notes.figures if f.end <= figure.start
                 and f.kind not in ("year", "date")), default=0)  # the figure before
    listed = _narrowest(list(dict.fromkeys(place for at, place in mentions
                                           if after <= at < figure.start)))
    if len(listed) > 1 and TOGETHER.search(notes.text[:figure.start]):
        return _totalled(listed)  # "the combined GDP of Hengqin, Qianhai and Nansha: 526 bn"
    near = [place for at, place in mentions if figure.start - NEAR <= at < figure.start
            and not TOGETHER.search(notes.text[at:figure.start])]
    if near:  # "Tianfu New Area, at 90.32 square kilometers"
        return _narrowest(near)[-1:]
    whole = _whole_zone(mentions, local, document) if WHOLE_ZONE.search(notes.text[:end]) else []
    if whole:  # "..., and another 350 were preparing to"
        return whole
    named = _narrowest(list(dict.fromkeys(place for _, place in mentions)))
    if len(named) == 1:
        return named
    if named:  # "119.98 square kilometers in three areas: Liangjiang, Xiyong and Guoyuan"
        return _totalled(named)
    for index, context in enumerate(local):
        if index == 0 and len(local) > 1 and not (REFERS_BACK.match(notes.text)
                                                  or REFERS_WITHIN.search(notes.text)):
            continue  # the sentence before names the subject only of one that refers back
        places = _narrowest(context.places)
        if places:
            return places[:1] if len(places) == 1 else []
    # a document about one area of a zone ("Suzhou Area of the Jiangsu FTZ") is the area's;
    # one about several is no one place's
    heading = _narrowest(list(dict.fromkeys(document.heading.places))) if document else []
    return heading if len(heading) == 1 else []


def _whole_zone(mentions: list[tuple[int, Place]], local: list[Notes],
                document: DocumentContext | None) -> list[Place]:
    """The zone of a figure said of the whole zone: the one the sentence, its neighbourhood
    or its document names first."""
    zone = _zone_of([p for _, p in mentions] + [p for context in local for p in context.places]
                    + (document.heading.places if document else []))
    return [zone] if zone else []


def _zone_of(places: list[Place]) -> Place | None:
    """The zone the first of some places is or lies in."""
    for place in places:
        zone = place if place.level == "zone" else gazetteer().find(place.zone)
        if zone:
            return zone
    return None


def _totalled(named: list[Place]) -> list[Place]:
    """Several places named together, that a figure totals: their zone first, then them
    (nothing, if they lie in different zones)."""
    found = common_zone(named)
    return [found, *named] if found else []


def common_zone(places: list[Place]) -> Place | None:
    """The one zone all the places are or lie in; None if they lie in several, or none."""
    zones = {place.zone or place.name for place in places}
    return gazetteer().find(zones.pop()) if len(zones) == 1 else None


def _narrowest(places: list[Place]) -> list[Place]:
    """Places without the zones of the areas among them."""
    zones = {place.zone for place in places if place.level == "area"}
    return [place for place in places if place.name not in zones]


def stated_periods(notes: Notes) -> list[Period]:
    """The periods a text says its figures are for, without a change's base ("up 0.3 percent
    from 2021": the figure is not 2021's)."""
    return [p for p in notes.periods if p.span == "range"
            or not CHANGE_BASE.search(notes.text[max(0, p.start - 60):p.start])]


def figure_periods(notes: Notes, figure: Figure, local: list[Notes],
                   document: DocumentContext | None) -> tuple[list[Period], bool]:
    """The periods a figure covers, and whether the sentence itself (or the one before it, or
    the lead-in of its list) says them, rather than its section or document. A running total
    "since 2017" stands as of its document's date."""
    start, end = clause_of(notes, figure)
    stated = stated_periods(notes)
    periods = [p for p in stated if start <= p.start < end]
    if not periods:
        before = [p for p in stated if p.end <= figure.start]
        periods = before[-1:] or stated[:1]
    own = bool(periods)
    governing = [stated_periods(context) for context in local[:-1]]
    governing = [found for found in governing if found]
    if not periods and governing:  # the sentence before says it, or the list's lead-in
        periods, own = governing[0][-1:], True
    if not periods:
        periods = [p for context in local for p in stated_periods(context)][:1]
    if not periods and document:
        periods = document.heading.periods[:1]
    if periods and all(p.span == "since" for p in periods) and document \
            and document.heading.periods:
        dated = document.heading.periods[0]
        periods = [Period("as_of", dated.year, 1, dated.last if dated.span != "year" else 12)]
    return periods, own


def sentence_periods(notes: Notes, local: list[Notes],
                     document: DocumentContext | None) -> tuple[list[Period], bool]:
    """The periods a sentence without a figure of its own is about, and whether it says
    them itself."""
    if notes.periods:
        return notes.periods, True
    context = [p for n in local for p in n.periods] or (
        document.heading.periods if document else [])
    return context[:1], False


def place_verdict(asked: list[Place], found: list[Place]) -> str:
    """How the places a figure is about answer the places asked about: "match",
    "broader" (the whole zone's, asked for one area), "narrower" (one area's, asked for
    the zone), "elsewhere" (another place's), or "" when nothing says."""
    if not found:
        return ""
    listed = found[1:] if len(found) > 1 and found[0].level == "zone" else []
    if listed and set(asked) == set(listed):
        return "match"  # the areas asked about are exactly those a figure totals
    if any(place in asked for place in (found[:1] if listed else found)):
        return "match"
    if any(a.level == "area" and any(p.name == a.zone for p in found) for a in asked):
        return "broader"
    if any(a.level == "zone" and any(p.zone == a.name for p in found) for a in asked):
        return "narrower"
    return "elsewhere"


def most_specific(places: list[Place]) -> list[Place]:
    """The places asked about, without a zone named only to locate one of its areas ("the
    Nanjing Area of the Jiangsu FTZ" asks about Nanjing)."""
    areas = {place.zone for place in places if place.level == "area"}
    return [place for place in places if place.name not in areas]


def window_terms(notes: Notes, figure: Figure) -> frozenset[str]:
    """The terms of the clause that describes a figure (in a table row, with the row's first
    cell: "Indicator: Corporate entities; ...; Value: 25,000")."""
    start, end = clause_of(notes, figure)
    terms = notes.span_terms(start, end)
    if ROW.match(notes.text):
        terms = terms | notes.span_terms(0, notes.text.find(";"))
    elif start > 0:  # "..., and the total exceeded 90,000": its first clause says of what
        terms = terms | notes.span_terms(*notes.clauses[0])
    return terms
