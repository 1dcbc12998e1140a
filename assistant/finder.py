"""The policy finder: which measures of the documents fit an enterprise that describes itself.

Every indexed sentence competes, not only those the catalogue recognised as measures: a
sentence scores by its meaning's closeness to the profile, its chunk's BM25 score, the
profile's words it shares (rarer words weigh more), whether it is about the place the profile
names (another zone's measure is pushed down) and whether it describes a measure. The best
sentence of each chunk becomes a card named as the documents name the measure (its quoted or
cued name, else its section heading), with the reasons in plain words; another sentence of
the same chunk adds a card only when it names a measure of its own. A Chinese profile is
read as English through the glossary.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.answering.attribution import REFERS_BACK
from assistant.answering.bank import ChunkRecord, SentenceBank, SentenceRecord
from assistant.answering.names import Place, gazetteer, squash
from assistant.catalogue import Catalogue, measure_name, sectors_of, since_of, who_for
from assistant.config import FinderSettings
from assistant.contract import checked_text
from assistant.crosslingual import Glossary, bundled_glossary, is_chinese
from assistant.facts import NOT_FIGURES, Fact, citation, place_name
from assistant.lexical import analyze
from assistant.seams import TermSearch

MAX_PROFILE_CHARS = 2000
NAME_WORDS = 12  # a name longer than this is a sentence, not a name
# a name that is a fragment: a possessive's tail, a label of a table, a lone generic word
FRAGMENT = re.compile(r"^(?:['’]s\b|\w+['’]s\b|(?:as of|area|period|date|value|indicator|note|"
                      r"notes|source|other|total|figure|year|mainly|chiefly|least|most|at|"
                      r"over|about|nearly)\b)", re.I)  # (a possessive's tail or head, a label)
DANGLING = re.compile(r"\b(?:of|for|to|the|a|an|and|in|on|with|by|its|their|at)$", re.I)
PROPER = {"china", "chinese", "asean", "africa", "african", "europe", "european"}
WORD = re.compile(r"[A-Za-z][\w'’-]*")
# words that make a phrase a piece of a clause rather than a name ("areas would carry out",
# "It sets out", "had implemented measures", "listed priorities include")
CLAUSE_WORD = re.compile(r"\b(?:would|will|had|has|have|is|are|was|were|include[sd]?|sets?|"
                         r"it|they|its|their|this|these|which|that|said|says|apply|applies)\b|"
                         r"^\w+['’]s\s+\w+$", re.I)
# a name that starts with what to do is a piece of an instruction ("push reform", "offer
# services", "speed up reform", "strengthen Qianhai's pilot")
VERB_FIRST = re.compile(r"^(?:push|speed|offer|strengthen|deepen(?:ed)?|promote[sd]?|build|"
                        r"improve|expand|explore|support|carry|put|turn|make|accelerate|"
                        r"advance|encourage|further|boost|step)\b", re.I)
# a section heading that is the document's furniture, not a measure ("Data notes")
FURNITURE = re.compile(r"^(?:(?:data|source|editor['’]?s?|background)\s+)?notes?$|^(?:main\s+)?"
                       r"presenters?$|^news service$|^contacts?$|^sources?$|^references?$|"
                       r"^disclaimer$|^(?:see )?also$", re.I)


class PolicyFinder:
    """Ranks the documents' measures against an enterprise's own description of itself."""

    def __init__(self, catalogue: Catalogue, bank: SentenceBank, embeddings: Embeddings,
                 lexical: TermSearch,
                 settings: FinderSettings | None = None,
                 refresh: Callable[[], object] | None = None,
                 glossary: Glossary | None = None) -> None:
        self._catalogue = catalogue
        self._bank = bank
        self._embeddings = embeddings
        self._lexical = lexical
        self._settings = settings or FinderSettings()
        self._refresh = refresh
        self._glossary = glossary or bundled_glossary()
        # the catalogue's facts as records, for the list of facts they were made from (each
        # page load and filter asks for all of them; the list is replaced when it changes)
        self._records: tuple[list[Fact], list[dict[str, Any]]] = ([], [])

    @property
    def glossary(self) -> Glossary:
        """How Chinese text is read (profiles here; the Statistics filter too)."""
        return self._glossary

    def find(self, profile: str, zone: str | None = None, sector: str | None = None,
             k: int = 10) -> list[dict[str, Any]]:
        """Applicable measures, best first; empty when nothing fits well enough."""
        profile = checked_text(profile, "The description", MAX_PROFILE_CHARS,
                               "Describe the enterprise first (what it does, where, what it "
                               "trades).")
        self._current()
        if not self._bank.sentences:
            return []
        if is_chinese(profile):
            # the words in common count every sense of each word; closeness in meaning reads
            # each word's first sense, which reads more like a sentence
            reading = self._glossary.read(profile)
            scored = self._scored(reading.text, reading.plain or reading.text)
        else:
            scored = self._scored(profile, profile)
        by_id = {sentence.id: (score, reasons) for score, sentence, reasons in scored}
        cards: dict[str, dict[str, Any]] = {}
        shown: set[str] = set()  # chunks with a card already
        used: set[str] = set()  # sentences on a card already
        for score, sentence, reasons in scored:
            chunk = self._bank.chunks[sentence.chunk_id]
            if score < self._settings.min_score or sentence.id in used:
                continue
            if sentence.chunk_id in shown and not reasons["measure"]:
                continue  # a chunk's other sentences add a card only when they name a measure
            if reasons["dense"] < self._settings.min_dense:
                continue  # a word in common ("we run ...") but nothing alike in meaning
            passage = self._passage(sentence, chunk, score, by_id)
            card = self._card(passage, chunk, score, reasons)
            if zone and zone.lower() not in card["zone"].lower():
                continue
            if sector and sector not in card["sectors"]:
                continue
            if any(_same_measure(card, other) for other in cards.values()):
                continue  # the same measure told again elsewhere
            cards[sentence.id] = card
            shown.add(sentence.chunk_id)
            used.update(s.id for s in passage)
            if len(cards) >= k:
                break
        return list(cards.values())

    def _current(self) -> None:
        if self._refresh:
            self._refresh()
        self._bank.ensure(self._lexical.fingerprint)

    def _scored(self, english: str, meaning: str) -> list[tuple[float, SentenceRecord,
                                                               dict[str, Any]]]:
        """Shortlisted sentences with their scores and what they share with the profile
        (`english`; `meaning` is embedded), best first."""
        weights = self._settings
        sentences = self._bank.sentences
        vector = self._embeddings.embed_query(meaning)
        dense = self._bank.similarities(sentences, vector)
        bm25 = dict(self._lexical.search(english, self._settings.lexical_chunks))
        top_bm25 = max(bm25.values(), default=0.0) or 1.0
        shortlist = set(np.argsort(-dense)[:self._settings.shortlist].tolist())
        shortlist |= {i for i, s in enumerate(sentences) if s.chunk_id in bm25}
        terms = set(analyze(english))
        idf = {t: max(self._lexical.idf(t), 0.1) for t in terms}
        total = sum(idf.values()) or 1.0
        places = gazetteer().mentioned(english)
        wanted_sectors = set(sectors_of(english))
        measures = {m.sentence_id for m in self._catalogue.measures}
        scored = []
        for index in shortlist:
            sentence = sentences[index]
            chunk = self._bank.chunks[sentence.chunk_id]
            context = sentence.notes.terms | chunk.header.terms
            shared = terms & context
            where = _places_of(sentence, chunk, self._bank)
            fit = _place_fit(places, where)
            is_measure = sentence.id in measures  # (the catalogue read every sentence once)
            share = sum(idf[t] for t in shared) / total
            score = (float(dense[index])
                     + weights.lexical * bm25.get(sentence.chunk_id, 0.0) / top_bm25
                     + weights.shared_terms * share
                     + weights.place * fit
                     + (weights.measure if is_measure else 0.0))
            sectors = sorted(wanted_sectors & set(sectors_of(
                f"{sentence.text} {chunk.metadata.get('section', '')}")))
            scored.append((score, sentence, {"shared": shared, "share": share,
                                             "measure": is_measure, "where": where,
                                             "sectors": sectors, "dense": float(dense[index]),
                                             "places": where if fit > 0 else []}))
        scored.sort(key=lambda item: item[0], reverse=True)
        return scored

    def _passage(self, sentence: SentenceRecord, chunk: ChunkRecord, score: float,
                 by_id: dict[str, tuple[float, dict[str, Any]]]) -> list[SentenceRecord]:
        """The sentences a card quotes, in document order: the best one; the one before it
        when it refers back to it ("It runs under ..."); and the neighbour that fits the
        profile almost as well, if one does (a measure told in two sentences)."""
        positions = chunk.by_position
        passage = [sentence]
        before = positions.get(sentence.position - 1)
        if before is not None and REFERS_BACK.match(sentence.text):
            passage.append(before)
        floor = max(self._settings.min_score, score - self._settings.companion_margin)
        neighbours = [n for n in (before, positions.get(sentence.position + 1))
                      if n is not None and n not in passage and n.id in by_id
                      and by_id[n.id][0] >= floor
                      and by_id[n.id][1]["dense"] >= self._settings.min_dense]
        if neighbours:
            passage.append(max(neighbours, key=lambda n: by_id[n.id][0]))
        return sorted(passage, key=lambda s: s.position)

    def _card(self, passage: list[SentenceRecord], chunk: ChunkRecord, score: float,
              reasons: dict[str, Any]) -> dict[str, Any]:
        metadata = chunk.metadata
        name = self._name(passage, chunk)
        summary = " ".join(s.text for s in passage)
        zone = re.sub(r"\s*\(.*?\)", "", str(metadata.get("zone") or "")).strip()
        where = reasons["where"]  # (a document without a zone of its own: its places')
        context = f"{summary} {metadata.get('section', '')} {metadata.get('title', '')}"
        serves = who_for(summary)
        return {
            "measure": name, "summary": summary,
            "zone": zone or (place_name(where[0]) if where else ""),
            "for": serves, "since": since_of(passage),
            "why": _why(reasons, summary, serves), "sectors": sectors_of(context),
            "figures": [f.text for s in passage for f in s.notes.figures
                        if f.kind not in NOT_FIGURES],
            "score": round(score, 3), "citations": [citation(metadata, summary)],
        }

    def _name(self, passage: list[SentenceRecord], chunk: ChunkRecord) -> str:
        """The measure's name as the documents give it: quoted or cued in a sentence of the
        card, else the section heading, else the document title."""
        for sentence in passage:
            named = measure_name(sentence.text)
            if named and clean_name(named):
                return display_name(named)
        section = str(chunk.metadata.get("section") or "").split(" > ")[-1].strip()
        section = re.sub(r"^(?:table\s+)?\d+(?:\.\d+)*\.?\s+", "", section, flags=re.I)
        if section and clean_name(section) and not FURNITURE.match(section):
            return display_name(section)
        return display_name(str(chunk.metadata.get("title") or chunk.metadata.get("source")
                                or ""))

    def facts(self, zone: str | None = None) -> list[dict[str, Any]]:
        """Every figure in the documents as a record (optionally of one place and the places
        within it: "Liaoning" takes in "Liaoning FTZ / Dalian Area"), in document order. The
        records are made once per state of the catalogue and shared: read, never change them."""
        if self._refresh:
            self._refresh()
        facts, records = self._records
        if facts is not self._catalogue.facts:
            facts = self._catalogue.facts
            records = [_as_json(f) for f in facts]
            self._records = (facts, records)
        return [record for fact, record in zip(facts, records, strict=True)
                if not zone or zone.lower() in fact.place.lower()]

    def passage(self, chunk_id: str) -> dict[str, Any] | None:
        """The passage (chunk) a figure or measure is stated in, with where it comes from;
        None when the library no longer holds it."""
        self._current()
        chunk = self._bank.chunks.get(chunk_id)
        if chunk is None:
            return None
        return {"text": chunk.text, **citation(chunk.metadata, "")}

    def zones(self) -> list[str]:
        """The zones the indexed documents are about."""
        self._current()
        return sorted({re.sub(r"\s*\(.*?\)", "", str(c.metadata.get("zone") or "")).strip()
                       for c in self._bank.chunks.values()} - {""})


def _as_json(fact: Fact) -> dict[str, Any]:
    """A record in the contract's `facts --json` shape (value, unit, what, zone, date,
    citations), extended with every field of the record."""
    return {**asdict(fact), "what": fact.quantity, "zone": fact.place,
            "date": fact.period or next((c.get("date") for c in fact.citations), "")}


def _same_measure(card: dict[str, Any], other: dict[str, Any]) -> bool:
    """Two cards of one measure: the same sentence, or the same name said in both sentences
    (two measures under one section heading, named by it, stay apart)."""
    name = card["measure"].lower()
    return card["summary"] == other["summary"] or (
        name == other["measure"].lower() and name in card["summary"].lower()
        and name in other["summary"].lower())


def clean_name(name: str) -> bool:
    """Whether a name reads as one: two to a dozen words, no fragment of a clause (a verb, a
    pronoun, a gerund first), not cut off."""
    name = name.strip().rstrip(",;:")
    words = name.split()
    return (2 <= len(words) <= NAME_WORDS and not FRAGMENT.match(name.strip("\"“ "))
            and not VERB_FIRST.match(name)
            and not DANGLING.search(name) and not re.search(r"\d{4}\s*$", name)
            and not CLAUSE_WORD.search(name) and not re.match(r"[a-z]+ing\b", name)
            # a figure inside ("at least 40 reforms" cut short); a year may be ("(2025)")
            and not re.search(r"\b(?!(?:19|20)\d\d\b)\d[\d,.]*\b", name))


def display_name(name: str) -> str:
    """A name as a card shows it: its first letter a capital, without trailing
    punctuation; a heading in capitals in sentence case, its place names capitalised."""
    name = name.strip().rstrip(",;:")
    if name.isupper():
        places = {key for place in gazetteer().places for key in place.keys}
        words = name.lower().split()
        name = " ".join(w.capitalize() if i == 0 or squash(w) in places or w in PROPER
                        else w for i, w in enumerate(words))
    return name[:1].upper() + name[1:]


def _places_of(sentence: SentenceRecord, chunk: ChunkRecord, bank: SentenceBank) -> list[Place]:
    """The places a sentence is about: its own, else its section's and document's heading."""
    if sentence.notes.places:
        return sentence.notes.places
    document = bank.documents.get(str(chunk.metadata.get("source", "")))
    return chunk.header.places or (document.heading.places if document else [])


def _place_fit(asked: list[Place], found: list[Place]) -> float:
    """+1 when the sentence is about a place the profile names (or its zone or an area of
    it), -1 when it is about other places only, 0 when either says none."""
    if not asked or not found:
        return 0.0
    places = gazetteer()
    return 1.0 if any(places.related(a, f) for a in asked for f in found) else -1.0


def _why(reasons: dict[str, Any], text: str, serves: str = "") -> str:
    """Why a measure fits, in plain words: whom it serves when that is like the profile, the
    activity, the place, the words in common as the document writes them."""
    parts = []
    if serves and set(analyze(serves)) & reasons["shared"]:
        parts.append(f"it serves {serves}")
    if reasons["sectors"]:
        parts.append("your activity: " + ", ".join(reasons["sectors"]))
    if reasons["places"]:
        parts.append("your place: " + ", ".join(dict.fromkeys(p.name for p in reasons["places"])))
    shared = reasons["shared"]
    words = [w for w in dict.fromkeys(WORD.findall(text))
             if set(analyze(w)) & shared and len(w) > 2]
    if words:
        parts.append("in common: " + ", ".join(words[:6]))
    return "; ".join(parts) or "close in meaning to your description"
