"""Candidate sentences and the evidence each holds for a question, as named features.

Every sentence of the retrieved chunks is a candidate. Its features say how similar it is,
how much of the question it covers, where the question's names are found (the sentence, its
neighbourhood, its document) and, for a figure question, whether it holds that kind of figure
and whether that figure is about the place and the period asked for and next to what the
question asks about. A contradiction (another place, another period) is a feature of its
own. Similarity and shared words count twice: as they are, and as the distance below the
question's best candidate (how much a sentence stands out does not change when a question is
reworded). `fit` turns the features into one probability.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant.answering.attribution import (
    ROW,
    figure_periods,
    figure_places,
    most_specific,
    place_verdict,
    sentence_periods,
    window_terms,
)
from assistant.answering.bank import (
    ChunkRecord,
    DocumentContext,
    Notes,
    SentenceBank,
    SentenceRecord,
)
from assistant.answering.names import (
    Name,
    Place,
    gazetteer,
    names_province,
    names_zone_itself,
    squash,
)
from assistant.answering.reading import CONFIRMS, Question, holds_role
from assistant.answering.terms import TermVectors, written_forms
from assistant.figures import FIGURE_KINDS_FOR, Figure, Period, converts, covers, digits_of

# features also weighed as how far a sentence falls below the question's best candidate: a
# reworded question is less similar to, and shares fewer words with, every sentence, but the
# sentence that answers it still stands out among the candidates
GAPPED = ("dense", "coverage", "focus", "focus_near", "open_focus")
FEATURES = (
    "dense", "coverage", "focus", "focus_near", "open_focus", "rank",
    "names_sentence", "names_local", "names_document", "names_missing", "place_absent",
    "place_conflict",
    "place_broader", "place_narrower", "figure_elsewhere",
    "period_match", "period_context", "period_conflict", "period_absent",
    "kind_match", "kind_missing", "figure_focus", "quantity_missing", "rate_mismatch",
    "part_conflict", "part_absent", "role_conflict", "long_question", "entity_missing",
    "event_missing", *(f"{name}_gap" for name in GAPPED),
)
# a sentence that gives a document's own date, which answers only for the document
DATED = re.compile(r"\b(?:is|was|are|were)\s+dated\b", re.I)
ASKS_DOCUMENT_DATE = re.compile(r"\b(?:dated|issued?|publish(?:ed)?|publication|released?|"
                                r"sign(?:ed)?|notice|circular|press release|document|letter)\b",
                                re.I)
# a question longer than this many terms (an enterprise describing itself) is less similar to
# any one sentence: its length is a feature, up to 1 at LONG_QUESTION_FULL terms more
LONG_QUESTION_TERMS, LONG_QUESTION_FULL = 12, 20
SENTENCE_CREDIT = 0.75  # what a figure measures, said elsewhere in its sentence, counts this much
# figures that belong to one place (a date or a name is an event's, wherever it happened)
PLACED_KINDS = frozenset({"area", "count", "money", "percent", "duration", "rank"})
PLACE_FEATURES = {"broader": "place_broader", "narrower": "place_narrower",
                  "elsewhere": "figure_elsewhere"}
# words that make a capitalised name the name of an organisation
ORGANISATION = re.compile(r"\b(?:Ministry|Commission|Council|Administration|Bureau|Office|"
                          r"Department|Committee|Bank|Group|Corporation|Company|Co|Ltd|"
                          r"University|Institute|Agency|Authority|Customs|Government|Association|"
                          r"Cent(?:er|re)|Congress|Federation|Exchange|Board|Court)\b")
# a pinyin given name at least this frequent in English text is taken for an English word:
# "Hong Kong" and "Ma Men" are no people, "Zhang Yi" and "Li Wei" are (Yi and Wei: 3.5-3.7)
GIVEN_NAME_ZIPF = 4.0
# a place named as one part of a whole the sentence's figure is for ("the Beibu Gulf Port as a
# whole, of which Qinzhou is a part")
ONLY_PART = re.compile(r"\bof which (?:the )?(?P<part>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3})\s+"
                       r"(?:is|was|forms|formed|makes up|made up)\s+(?:only\s+)?(?:a|one|part)\b")
# a question about what was planned or expected for a year, which an earlier document can say
FORESEEN = re.compile(r"\b(?:will|shall|target(?:s|ed)?|aim(?:s|ed)?|goals?|plan(?:s|ned)?|"
                      r"expected|projected|forecast|by (?:the end of )?(?:19|20)\d\d)\b", re.I)
PERSON = re.compile(r"\b([A-Z][a-z]{1,4})\s+([A-Z][a-z]{1,9}(?:-[a-z]+)?)\b")


@dataclass
class Candidate:
    """A sentence of a retrieved chunk, with its features and (once fitted) its probability."""

    sentence: SentenceRecord
    chunk: ChunkRecord
    rank: int
    features: dict[str, float]
    conflicts: list[str] = field(default_factory=list)  # what contradicts the question
    probability: float = 0.0
    figure: Figure | None = None  # the figure of the kind asked that fits the question best

    @property
    def text(self) -> str:
        return self.sentence.text

    @property
    def position(self) -> int:
        return self.sentence.position


@dataclass
class _Context:
    """One question's view of one sentence: the sentence, its neighbourhood and document."""

    question: Question
    notes: Notes
    local: list[Notes]  # the sentence before, its list's lead-in, its paragraph's first
    # sentence, then the section heading
    document: DocumentContext | None
    weights: dict[str, float]
    features: dict[str, float]
    conflicts: list[str]
    in_document: dict[str, bool]  # the question's names its document holds, by name
    kin: dict[str, frozenset[str]]  # each focus term's near synonyms among indexed terms
    zones_asked: list[Place]  # the zones the question names as pilot zones
    figure: Figure | None = None  # (found by _figure_features)


class Scorer:
    """Features of the candidate sentences of retrieved chunks, for one question."""

    def __init__(self, bank: SentenceBank, idf: Callable[[str], float],
                 terms: TermVectors | None = None) -> None:
        self._bank = bank
        self._idf = idf
        self._terms = terms

    def candidates(self, question: Question, vectors: Sequence[list[float]],
                   chunk_ids: list[str]) -> list[Candidate]:
        """Every sentence of the given chunks (best chunk first), with its features; its
        similarity is the highest to any of the question's vectors."""
        chunks = [self._bank.chunks[c] for c in chunk_ids if c in self._bank.chunks]
        records = [s for chunk in chunks for s in chunk.sentences]  # (ordered as `chunks`)
        similarity = np.max([self._bank.similarities(records, v) for v in vectors], axis=0)
        # rarer terms weigh more, but a common one (trade, enterprises) still counts
        weights = {t: 1.0 + min(max(self._idf(t), 0.0), 3.0)
                   for t in question.terms | question.focus}
        among = frozenset().union(*(s.notes.terms for s in records),
                                  *(chunk.header.terms for chunk in chunks))
        kin = self._terms.kin(question.focus | question.quantity, written_forms(question.text),
                              among - question.terms) if self._terms else {}
        kin = _with_acronyms(kin, question.focus | question.quantity, self._bank.term_acronyms)
        zones_asked = names_zone_itself(question.text)
        found: list[Candidate] = []
        at = 0
        held: dict[str, dict[str, bool]] = {}  # per document: which names it holds
        for rank, chunk in enumerate(chunks):
            document = self._bank.documents.get(str(chunk.metadata.get("source", "")))
            if document and document.source not in held:
                held[document.source] = {n.text: _found(n, document.keys) or (
                    n.place is not None and n.place in document.places) for n in question.names}
            in_document = held.get(document.source, {}) if document else {}
            for sentence in chunk.sentences:
                at += 1
                context = _Context(question, sentence.notes,
                                   chunk.neighbourhood(sentence.position),
                                   document, weights, dict.fromkeys(FEATURES, 0.0), [],
                                   in_document, kin, zones_asked)
                context.features["dense"] = float(similarity[at - 1])
                context.features["rank"] = 1.0 / (1 + rank)
                _features(context)
                found.append(Candidate(sentence, chunk, rank, context.features,
                                       context.conflicts, figure=context.figure))
        _gaps(found)
        return found


def _gaps(found: list[Candidate]) -> None:
    """Each gapped feature's distance below the best value any candidate has."""
    for name in GAPPED:
        best = max((c.features[name] for c in found), default=0.0)
        for candidate in found:
            candidate.features[f"{name}_gap"] = best - candidate.features[name]


def _features(c: _Context) -> None:
    """All features of one sentence for one question."""
    question, notes, features = c.question, c.notes, c.features
    local_terms = notes.terms.union(*(n.terms for n in c.local))
    features["coverage"] = _share(question.terms, local_terms, c.weights)
    features["focus"] = _share(question.focus, notes.terms, c.weights, c.kin)
    features["focus_near"] = _share(question.focus, local_terms, c.weights, c.kin)
    features["long_question"] = min(1.0, max(0.0, len(question.terms) - LONG_QUESTION_TERMS)
                                    / LONG_QUESTION_FULL)
    if not question.kinds:
        features["open_focus"] = features["focus"]
    _name_features(c)
    if question.parts:
        _part_features(c)
    if question.kinds:
        _figure_features(c)
    elif question.periods:
        periods, own = sentence_periods(notes, c.local, c.document)
        _period_verdict(c, periods, own)


def _part_features(c: _Context) -> None:
    """Whether the sentence is about the numbered part asked for ("the sixth batch", "Part
    II"): another part of the same kind in the sentence is evidence against it; none in the
    sentence or its neighbourhood, a lack."""
    given = c.notes.parts
    near: dict[str, frozenset[int]] = {}
    for context in c.local:
        for noun, numbers in context.parts.items():
            near[noun] = near.get(noun, frozenset()) | numbers
    for noun, asked in c.question.parts:
        if noun in given and not given[noun] & asked:
            c.features["part_conflict"] = 1.0
            c.conflicts.append(f"part:{noun}")
        elif not (given.get(noun, frozenset()) | near.get(noun, frozenset())) & asked:
            c.features["part_absent"] = 1.0


def _name_features(c: _Context) -> None:
    """Where each name of the question is found: the sentence, its neighbourhood (the
    sentence before, its section), its document, or nowhere; and whether the sentence is
    about another place than the one asked about."""
    question, notes, features = c.question, c.notes, c.features
    if not question.names:
        return
    total = 0.0
    for name in question.names:
        weight = 1.5 if name.place else 0.3 if name.aside else 1.0
        total += weight
        if _found(name, notes.keys):
            features["names_sentence"] += weight
        elif any(_found(name, n.keys) and _subject_of(name, n) for n in c.local):
            features["names_local"] += weight
        elif c.in_document.get(name.text):
            features["names_document"] += weight
        else:
            features["names_missing"] += weight
            if name.place is None and not name.aside and len(name.words) >= 2 and \
                    name.text[:1].isupper():
                # a name of several words ("the Reed Kiln Bonded Zone") is rarely said
                # another way: one its document never names is likely not its subject (a
                # quoted formula in lower case, "open gate, tight fence", is said many ways)
                features["entity_missing"] = 1.0
    for key in ("names_sentence", "names_local", "names_document", "names_missing"):
        features[key] /= total
    asked = [name.place for name in question.names if name.place]
    specific = most_specific(asked)
    # a measure of a zone holds in each of its areas: a document about the zone is not absent
    # for a question without a figure that names an area of it too
    named = [n for n in question.names if n.place is not None and (n.place in specific or (
        not question.kinds and any(gazetteer().related(n.place, p) for p in specific)))]
    if c.document and named and not any(c.in_document.get(n.text) for n in named):
        features["place_absent"] = 1.0  # the document names none of the places asked about
        c.conflicts.append("absent:" + ", ".join(p.name for p in specific))
    # (a zone named only to locate the area asked about does not make its other areas fit)
    here = notes.places or [p for n in c.local for p in n.places if len(n.places) == 1]
    if asked and here and not any(place in here for place in asked) and not any(
            gazetteer().related(p, a) for p in here for a in specific):
        features["place_conflict"] = 1.0
        c.conflicts.append(f"place:{here[0].name}")


def _figure_features(c: _Context) -> None:
    """Whether the sentence holds the kind of figure asked for; if so, of its figures the one
    that best fits: about the place and period asked for, amid what the question asks."""
    question, notes, features = c.question, c.notes, c.features
    matching: list[Figure] = []
    held = False
    for kind in question.kinds:
        if kind == "person":
            held = held or has_person(notes.text, question)
            if held and question.role and not holds_role(notes.text, question.role):
                features["role_conflict"] = 1.0  # a deputy chief, asked for the mayor
                c.conflicts.append("role:" + question.role[0])
            offices = [n for n in question.names if n.place is None and ORGANISATION.search(n.text)]
            if held and offices and not any(_found(n, notes.keys) for n in offices):
                features["entity_missing"] = 1.0  # a person of another office than the one asked
            asked = most_specific([name.place for name in question.names if name.place])
            if held and place_verdict(asked, notes.places) == "broader":
                features["place_broader"] = 1.0  # an official of the zone, asked for an area's
                c.conflicts.append(f"place:{_place_label(notes, asked, 'broader')}")
        elif kind in ("entity", "organisation"):
            known = {alt for name in question.names for alt in name.alternatives}
            held = held or any(squash(n) not in known and (
                kind == "entity" or ORGANISATION.search(n)) for n in notes.names)
        elif kind in ("date", "year") and DATED.search(notes.text) and \
                not ASKS_DOCUMENT_DATE.search(question.text):
            continue  # "The notice is dated ...": the document's date, not the event's
        else:
            found = [f for f in notes.figures if f.kind in FIGURE_KINDS_FOR[kind]
                     and not (f.kind in PLACED_KINDS and _echoes(f, question))]
            if kind == "percent" and question.rate and found:
                rated = [f for f in found if f.change == (question.rate == "change")]
                if not rated:  # a growth rate when a share is asked, or the other way
                    features["rate_mismatch"] = 1.0
                    c.conflicts.append(f"rate:{question.rate}")
                found = rated or found
            matching += found
            held = held or bool(found) or (kind in ("date", "year") and bool(notes.periods))
    if not held:
        features["kind_missing"] = 1.0
        c.conflicts.append(f"kind:{question.kinds[0]}")
        return
    features["kind_match"] = 1.0
    if not matching:  # a person, a name, or a date given as a period
        features["figure_focus"] = features["focus"]
        _event_verdict(c)
        if question.periods:
            _period_verdict(c, *sentence_periods(notes, c.local, c.document))
        return
    asked = most_specific([name.place for name in question.names if name.place])
    # a bracketed conversion is the figure before it again, not a rival to it
    again = {f.start for before, f in zip(notes.figures, notes.figures[1:], strict=False)
             if converts(notes.text, before, f)}
    matching = [f for f in matching if f.start not in again] or matching
    rivalled = False
    best: tuple[tuple[int, int, float, float], str, list[Period], bool, bool, Figure] | None = None
    for figure in matching:
        found = figure_places(notes, figure, c.local, c.document) \
            if asked and figure.kind in PLACED_KINDS else []
        place = place_verdict(asked, found)
        if place == "match" and any(p in c.zones_asked and names_province(
                notes.text, p, figure.start) for p in found):
            place = "broader"  # the province's figure, asked for its pilot zone
        elif place == "narrower" and question.which_part:
            place = "match"  # one area's figure, asked which area of the zone
        if place in ("", "match") and figure.kind in PLACED_KINDS and _only_part(notes, asked):
            place = "broader"  # "the port as a whole, of which Qinzhou is a part, handled ..."
        enclosing = bool(question.enclave and asked) and figure.kind in PLACED_KINDS and \
            place in ("", "match") and not _says_enclave(question.enclave, c)
        if enclosing:
            place = "broader"  # the area's own figure, asked for a bonded zone inside it
        periods, own = figure_periods(notes, figure, c.local, c.document)
        period_ok = not question.periods or _covered(question, periods)
        window = window_terms(notes, figure)
        # what the figure measures, said with it or (not in a table row, whose other cells
        # label other figures) elsewhere in its sentence
        measured = 1.0
        if question.quantity:  # (a word inside an institution's name measures nothing)
            elsewhere = 0.0 if ROW.match(notes.text) else SENTENCE_CREDIT * _share(
                question.quantity, notes.terms - notes.named_terms, {}, c.kin)
            measured = max(_share(question.quantity, window - notes.named_terms, {}, c.kin),
                           elsewhere)
        focus = _share(question.focus, window, c.weights, c.kin) if question.focus else 1.0
        key = (int(place in ("", "match")), int(period_ok), measured, focus)
        if best is not None and key == best[0]:
            rivalled = True
        if best is None or key > best[0]:
            best, rivalled = (key, place, periods, own, enclosing, figure), False
    assert best is not None
    (placed, timed, measured, focus), place, periods, own, enclosing, figure = best
    # a figure with a doubt, or with a rival that fits as well ("from 3.82 million to 7.02
    # million"), is no headline
    if placed and timed and measured >= 1.0 and not rivalled:
        c.figure = figure
    features["figure_focus"] = focus
    _event_verdict(c)
    if measured < 1.0:  # the figure measures something else than what is asked about
        features["quantity_missing"] = 1.0 - measured
        c.conflicts.append("quantity:" + " ".join(sorted(question.quantity)))
    if place in PLACE_FEATURES:
        features[PLACE_FEATURES[place]] = 1.0
        c.conflicts.append(f"enclave:{asked[0].name}|{question.enclave}" if enclosing
                           else f"place:{_place_label(notes, asked, place)}")
    if question.periods:
        _period_verdict(c, periods, own)


def _event_verdict(c: _Context) -> None:
    """For a date or year asked about, how much of what happened then (the question's focus
    terms) its sentence leaves unsaid: "the tile futures" listed, when the date is the kiln
    futures' listing."""
    if c.question.kinds[0] in ("date", "year") and c.question.focus:
        c.features["event_missing"] = 1.0 - c.features["figure_focus"]


def _period_verdict(c: _Context, periods: list[Period], own: bool) -> None:
    """Whether the periods the evidence is about cover the periods asked about. A part of a
    year the text before names ("the same period of 2023") is another period than a year
    asked about as a whole; a document dated before the period asked about cannot say it."""
    features = c.features
    if _covered(c.question, periods):
        features["period_match" if own else "period_context"] = 1.0
    elif periods and own and any(p.span != "part" or c.question.flow for p in periods):
        features["period_conflict"] = 1.0
        c.conflicts.append(f"period:{periods[0].label}")
    elif not own and c.document and _dated_before(c.document, c.question):
        features["period_conflict"] = 1.0
        c.conflicts.append(f"period:{c.document.heading.periods[0].label}")
    else:
        features["period_absent"] = 1.0
        if periods:
            c.conflicts.append(f"period:{periods[0].label}")


def _only_part(notes: Notes, asked: list[Place]) -> bool:
    """Whether a sentence says a place asked about is only part of what its figure is for."""
    return any(gazetteer().find(m.group("part")) in asked for m in ONLY_PART.finditer(notes.text))


def _says_enclave(enclave: str, c: _Context) -> bool:
    """Whether a sentence or its neighbourhood names the kind of enclave asked about."""
    return any(enclave in n.text.lower() for n in (c.notes, *c.local))


def _dated_before(document: DocumentContext, question: Question) -> bool:
    """Whether a document's title or date puts it before every year a question asks about
    what happened (a document can foresee a later year, not report it)."""
    dated = [p.last_year or p.year for p in document.heading.periods]
    return bool(dated and question.periods) and not FORESEEN.search(question.text) and all(
        a.year > max(dated) for a in question.periods)


def _place_label(notes: Notes, asked: list, verdict: str) -> str:
    """The place the evidence gives instead, for a refusal's reason."""
    if verdict == "broader":
        return f"{asked[0].zone} as a whole" if asked and asked[0].zone else "the whole zone"
    named = [p.name for p in notes.places if p not in asked]
    return named[0] if named else "another place"


def _echoes(figure: Figure, question: Question) -> bool:
    """Whether a figure is one the question itself states ("Of the 6,920 firms, how many were
    foreign-funded?"): it is what the question starts from, not its answer. A question that
    asks to confirm a figure ("Is the area 28 km²?") is answered by it."""
    digits = digits_of(figure.text)
    return bool(digits) and not CONFIRMS.match(question.text) and \
        digits <= digits_of(question.text)


def has_person(text: str, question: Question) -> bool:
    """Whether a text names a person (a Chinese name in pinyin: a one-syllable surname and a
    given name that is no English word), other than the names of the question."""
    from wordfreq import zipf_frequency

    from assistant.ingest.repair import PINYIN_SYLLABLES, is_pinyin

    known = {alt for name in question.names for alt in name.alternatives}
    for match in PERSON.finditer(text):
        surname, given = match.group(1).lower(), match.group(2).lower()
        if {surname, given.replace("-", "")} & known or surname not in PINYIN_SYLLABLES:
            continue
        if is_pinyin(given.replace("-", "")) and zipf_frequency(given, "en") < GIVEN_NAME_ZIPF:
            return True
    return False


def _subject_of(name: Name, context: Notes) -> bool:
    """Whether a place named in the context can be what the sentence is about: not one of
    several places listed together ("located in Dalian, Shenyang and Yingkou")."""
    if name.place is None:
        return True
    level = [p for p in context.places if p.level == name.place.level]
    return len(level) <= 1


def _with_acronyms(kin: dict[str, frozenset[str]], wanted: frozenset[str],
                   acronyms: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    """Near synonyms with the measures' acronyms the documents define: "new energy vehicles"
    asked, "NEVs" written (and the other way round)."""
    kin = dict(kin)
    for short, words in acronyms.items():
        if words and words <= wanted:
            for term in words:
                kin[term] = kin.get(term, frozenset()) | {short}
        if short in wanted:
            kin[short] = kin.get(short, frozenset()) | words
    return kin


def _share(wanted: frozenset[str], present: frozenset[str], weights: dict[str, float],
           kin: dict[str, frozenset[str]] | None = None) -> float:
    """The weighted share of `wanted` terms that are `present`, themselves or (with `kin`)
    as a word of nearly the same meaning."""
    if not wanted:
        return 0.0
    total = sum(weights.get(t, 1.0) for t in wanted)
    return sum(weights.get(t, 1.0) for t in wanted
               if t in present or (kin and not kin.get(t, frozenset()).isdisjoint(present))
               ) / total


def _found(name: Name, keys: frozenset[str]) -> bool:
    """Whether a text (by its word keys) names the name: any way of writing it, or, for a
    name of three words or more, two thirds of its words."""
    if any(alternative in keys for alternative in name.alternatives):
        return True
    words = name.words
    return len(words) >= 3 and sum(w in keys for w in words) >= 2 * len(words) / 3


def _covered(question: Question, given: list[Period]) -> bool:
    """Whether the periods given cover one the question asks about (a running total at the
    end of a year, or to a day of it, does not cover the year asked about as a stretch: "in
    2022 alone")."""
    if question.flow:  # (nor does a date or a month in it: "to the end of May 2021")
        given = [g for g in given if g.span not in ("as_of", "since", "day", "month")]
    return any(covers(a, g) for a in question.periods for g in given)
