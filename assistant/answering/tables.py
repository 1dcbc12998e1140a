"""Comparison, ranking and listing questions, answered from the figure records as a small table
plus one sentence, every figure cell cited (the contract's optional `table`).

Three kinds of question, each read narrowly so that any other question goes to the sentence
answers: which area of a zone is the largest or smallest; the areas of a zone with their sizes;
how one quantity of one place changed between two years. The figures are the documents' own,
as written; nothing is computed but their order. When the records cannot fill the table (fewer
than two areas with a size, or one of the two years missing), there is no table answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from assistant.answering.names import Place, gazetteer
from assistant.contract import Answer, Citation
from assistant.facts import Fact, place_name
from assistant.lexical import analyze

# "Which area of the Fujian FTZ is the largest?", "... has the smallest area?"
ASKS_RANK = re.compile(r"\bwhich\b[^?]*\b(?:area|part|sub-?zone)s?\b[^?]*\b(?P<which>largest|"
                       r"biggest|smallest)\b", re.I)
# "List the areas of the Liaoning FTZ with their sizes", "What are the areas of X and how big
# are they?"
ASKS_LIST = re.compile(r"\b(?:list|what are|name|give|show)\b[^?]*\bareas\b[^?]*\b(?:sizes?|"
                       r"how (?:big|large)|square|km)", re.I)
# "How did the FTZs' share of foreign trade change from 2023 to 2024?"
ASKS_CHANGE = re.compile(r"\bhow (?:did|has|have|does|do) (?P<what>.+?) (?:change|changed|"
                         r"develop|developed|grow|grew|evolve|evolved)\b[^?]*?\b(?P<a>(?:19|20)"
                         r"\d\d)\b[^?]*?\b(?P<b>(?:19|20)\d\d)\b", re.I)
# a ranking by something other than size ("the largest foreign trade") is no size ranking
OTHER_MEASURE = re.compile(r"\b(?:trade|invest\w*|enterprises|firms|companies|exports?|"
                           r"imports?|gdp|output|revenue|population|throughput|growth)\b", re.I)
# the pilot zones together ("the FTZs' share", "China's pilot zones")
ALL_ZONES = re.compile(r"\b(?:the\s+)?(?:pilot\s+)?(?:FTZs|free trade zones)['’]?|\bchina['’]s\b"
                       r"|\bnational(?:ly)?\b|\bnationwide\b", re.I)
SIZE_QUANTITIES = ("area", "planned area", "total area", "land area", "approved area")
QUANTITY_AGREEMENT = 0.5  # Dice overlap of terms at which a record measures what was asked


@dataclass
class TableAnswers:
    """Table answers over the figure records that `facts` returns."""

    facts: Callable[[], Iterable[Fact]]

    def answer(self, question: str) -> Answer | None:
        """The table answer to a comparison, ranking or listing question, or None."""
        change = ASKS_CHANGE.search(question)
        if change:
            return self._change(question, change)
        rank = ASKS_RANK.search(question)
        if rank and not OTHER_MEASURE.search(question):
            return self._areas(question, rank.group("which").lower())
        if ASKS_LIST.search(question):
            return self._areas(question, None)
        return None

    def _areas(self, question: str, which: str | None) -> Answer | None:
        zone = _zone_asked(question)
        if zone is None:
            return None
        prefix = place_name(zone) + " / "
        sizes: dict[str, Fact] = {}
        for fact in self.facts():
            if (fact.place.startswith(prefix) and fact.level == "area" and fact.unit == "km²"
                    and not fact.change and fact.number is not None
                    and fact.quantity in SIZE_QUANTITIES):
                known = sizes.get(fact.place)
                if known is None or len(fact.citations) > len(known.citations):
                    sizes[fact.place] = fact
        if len(sizes) < 2:
            return None
        ordered = sorted(sizes.values(), key=lambda f: f.number or 0.0,
                         reverse=which != "smallest")
        table = _Table(["Area", "Size"])
        for fact in ordered:
            table.add([fact.place.split(" / ")[-1]], fact)
        area = ordered[0].place.split(" / ")[-1]
        if which:
            text = (f"Of the {len(ordered)} areas of the {place_name(zone)} whose size the "
                    f"documents give, the {which} is the {area}: {with_unit(ordered[0])} "
                    f"[{table.cited(ordered[0])}].")
        else:
            text = (f"The documents give the sizes of {len(ordered)} areas of the "
                    f"{place_name(zone)}, largest first.")
        return table.answer(question, text)

    def _change(self, question: str, asked: re.Match[str]) -> Answer | None:
        years = asked.group("a"), asked.group("b")
        what = asked.group("what")
        places = gazetteer().mentioned(what)
        place = place_name(places[-1]) if places else ("China" if ALL_ZONES.search(what)
                                                         else None)
        if place is None:
            return None
        quantity = _quantity_words(what)
        found: dict[str, Fact] = {}
        for fact in self.facts():
            if (fact.place == place and fact.period_key in years and not fact.change
                    and fact.number is not None
                    and _agreement(quantity, set(analyze(fact.quantity))) >= QUANTITY_AGREEMENT):
                known = found.get(fact.period_key)
                if known is None or len(fact.citations) > len(known.citations):
                    found[fact.period_key] = fact
        if len(found) < 2 or len({f.unit for f in found.values()}) > 1:
            return None
        first, last = found[years[0]], found[years[1]]
        table = _Table(["Period", first.quantity.capitalize() or "Value"])
        for year, fact in ((years[0], first), (years[1], last)):
            table.add([year], fact)
        text = (f"The documents give {first.quantity or 'the figure'} of {place} as "
                f"{with_unit(first)} for {years[0]} [{table.cited(first)}] and "
                f"{with_unit(last)} for {years[1]} [{table.cited(last)}].")
        return table.answer(question, text)


class _Table:
    """Rows of cells, each figure cell citing where its record is stated first."""

    def __init__(self, columns: list[str]) -> None:
        self.columns = columns
        self.rows: list[list[dict]] = []
        self.citations: list[Citation] = []
        self._numbers: dict[tuple[str, str], int] = {}

    def cited(self, fact: Fact) -> int:
        """The citation number of a record's first statement (added when new)."""
        source = fact.citations[0]
        key = (str(source.get("source", "")), str(source.get("snippet", "")))
        if key not in self._numbers:
            self._numbers[key] = len(self.citations) + 1
            self.citations.append(Citation(
                n=self._numbers[key], source=key[0], title=str(source.get("title", "")),
                section=str(source.get("section", "")), page=source.get("page"),
                snippet=key[1], url=source.get("url"), date=str(source.get("date", "")),
                passage=key[1]))
        return self._numbers[key]

    def add(self, labels: list[str], fact: Fact) -> None:
        self.rows.append([{"text": label} for label in labels]
                         + [{"text": with_unit(fact), "n": self.cited(fact)}])

    def answer(self, question: str, text: str) -> Answer:
        return Answer(question, text, True, self.citations,
                      table={"columns": self.columns, "rows": self.rows})


def with_unit(fact: Fact) -> str:
    """A record's value as written, with its unit when the value is a bare number whose unit
    its table's column gives ("43.78" under "Size (sq km)": "43.78 km²")."""
    bare = re.fullmatch(r"[\d.,\s]+", fact.value) and fact.kind != "count"
    return f"{fact.value} {fact.unit}" if bare and fact.unit else fact.value


def _zone_asked(question: str) -> Place | None:
    """The one zone a question names (an area named names its zone)."""
    places = gazetteer().mentioned(question)
    zones = {p if p.level == "zone" else gazetteer().find(p.zone) for p in places}
    zones.discard(None)
    return zones.pop() if len(zones) == 1 else None


def _quantity_words(what: str) -> set[str]:
    """The terms of what a change question asks about, without its place and zone words."""
    stripped = re.sub(ALL_ZONES, " ", what)
    for _, place in gazetteer().positions(stripped):
        stripped = re.sub(rf"\b{re.escape(place.name)}\b", " ", stripped, flags=re.I)
    return set(analyze(stripped)) - {"ftz", "zone", "area", "pilot"}


def _agreement(asked: set[str], given: set[str]) -> float:
    return 2 * len(asked & given) / (len(asked) + len(given)) if asked and given else 0.0
