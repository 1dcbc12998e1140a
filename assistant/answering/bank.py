"""The indexed sentences and chunks in memory, with what answering reads off each sentence.

A snapshot of the store (Chroma stays the record): vectors as matrices for dense search, each
chunk's sentences in order, each document's context (title, zone, date, the names it
mentions) and, computed once per sentence on first use, its terms, figures, periods, places and
name keys. The snapshot is rebuilt when the store's fingerprint changes.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from assistant.answering.names import (
    GENERIC,
    Place,
    acronym_pairs,
    gazetteer,
    name_phrases,
    term_acronyms,
    word_keys,
)
from assistant.answering.terms import TermVectors
from assistant.figures import YEAR, Figure, Period, figures_in, parts_in, periods_in
from assistant.lexical import analyze, fingerprint
from assistant.store import Hit

log = logging.getLogger(__name__)
# (collection, query vector, k) -> the ids of the k nearest records, with cosine similarity
Nearest = Callable[[str, list[float], int], list[tuple[str, float]]]
# a sentence that introduces a list: "...as follows:" or an unfinished "...to build"
LEAD_IN = re.compile(r"(?::|[^\W\d])\s*$")
# a sentence that goes on from the one before (a list item in lower case, "These ...")
CONTINUES = re.compile(r"^(?:[a-z(]|(?:These|This|It|Its|They|Their|Such|He|His|She|Her)\b)")
# a list item that introduces items of its own: it ends in a colon or breaks off
BREAKS_OFF = re.compile(r"(?::|\b(?:to|into|as|for|of|in|on|with|by|and|or|the|a|an|be|become|"
                        r"build|develop|include|including|are|is|such as))\s*$", re.I)
LEAD_IN_REACH = 8  # a list item looks this many sentences back for its lead-in
CLAUSE_BREAK = re.compile(r"[;:]|,(?!\d)")
# the name of an event or an institution ("the China-Africa Economic and Trade Expo"): the
# words inside it name it, they do not say what a figure beside it measures
INSTITUTION_NAME = re.compile(
    r"\b(?:[A-Z][\w'’-]*\s+(?:(?:of|and|for|the|on|in|&)\s+)*){1,8}(?:Expo|Fair|Forum|"
    r"Exhibition|Conference|Summit|Festival|Week|Award|Fund|Exchange|Association|Council|"
    r"Bureau|Commission|Ministry|Department|Office|Group|Company|Corporation|Bank|Cent(?:er|re)|"
    r"Institute|University|Committee|Administration|Federation|Alliance|Platform)s?\b")


@dataclass
class Notes:
    """What answering reads off one text, computed once."""

    text: str

    @cached_property
    def terms(self) -> frozenset[str]:
        return frozenset(analyze(self.text))

    @cached_property
    def keys(self) -> frozenset[str]:
        return word_keys(self.text)

    @cached_property
    def named_terms(self) -> frozenset[str]:
        """Terms said only inside the name of an event or institution."""
        inside = " ".join(m.group(0) for m in INSTITUTION_NAME.finditer(self.text))
        if not inside:
            return frozenset()
        outside = INSTITUTION_NAME.sub(" ", self.text)
        return frozenset(analyze(inside)) - frozenset(analyze(outside))

    @cached_property
    def figures(self) -> list[Figure]:
        return figures_in(self.text)

    @cached_property
    def periods(self) -> list[Period]:
        return periods_in(self.text)

    @cached_property
    def places(self) -> list[Place]:
        return gazetteer().mentioned(self.text, self.keys)

    @cached_property
    def names(self) -> list[str]:
        return name_phrases(self.text)

    @cached_property
    def parts(self) -> dict[str, frozenset[int]]:
        """The numbered parts it names ("the sixth batch" -> {"batch": {6}})."""
        return parts_in(self.text)

    @cached_property
    def place_mentions(self) -> list[tuple[int, Place]]:
        """Where each place is named (character offset), in order."""
        return gazetteer().positions(self.text)

    @cached_property
    def clauses(self) -> list[tuple[int, int]]:
        """Spans of the text between commas, semicolons and colons (not those in numbers)."""
        cuts = [0] + [m.end() for m in CLAUSE_BREAK.finditer(self.text)] + [len(self.text)]
        return list(zip(cuts, cuts[1:], strict=False))

    def span_terms(self, start: int, end: int) -> frozenset[str]:
        """The terms of a part of the text (a figure's clause), computed once."""
        if (start, end) not in self._windows:
            self._windows[(start, end)] = frozenset(analyze(self.text[start:end]))
        return self._windows[(start, end)]

    @cached_property
    def _windows(self) -> dict[tuple[int, int], frozenset[str]]:
        return {}


@dataclass
class SentenceRecord:
    """One indexed sentence: where it sits, its vector row, and its notes."""

    id: str
    chunk_id: str
    position: int
    start: int
    row: int
    notes: Notes

    @property
    def text(self) -> str:
        return self.notes.text


@dataclass
class DocumentContext:
    """What a document as a whole says it is about: title, zone, date, and (read from its
    chunks when first asked: a large library's documents are mostly never asked about) every
    name key and place its text mentions."""

    source: str
    title: str
    zone: str
    date: str
    dateline: str
    heading: Notes  # title, zone, date and dateline as one text
    parts: list[ChunkRecord] = field(repr=False)  # its chunks
    series: str = ""  # the title without its numbers: what editions of one report share
    year: int | None = None  # the latest year it names: how recent an edition it is

    @cached_property
    def keys(self) -> frozenset[str]:
        return word_keys(self._text) | self.heading.keys | frozenset().union(
            *(part.header.keys for part in self.parts))

    @cached_property
    def places(self) -> list[Place]:
        return gazetteer().mentioned(f"{self.heading.text} {self._text}")

    @property
    def _text(self) -> str:
        return " ".join(part.text for part in self.parts)


@dataclass
class ChunkRecord:
    """One indexed chunk: its text, metadata, vector row and sentences in order."""

    id: str
    text: str
    metadata: dict[str, Any]
    row: int
    sentences: list[SentenceRecord] = field(default_factory=list)

    @cached_property
    def header(self) -> Notes:
        return Notes(str(self.metadata.get("header", "")))

    @cached_property
    def items(self) -> frozenset[int]:
        """Positions of the sentences that open a list item or a table row."""
        return frozenset(s.position for s in self.sentences if self._starts_item(s.start))

    @cached_property
    def by_position(self) -> dict[int, SentenceRecord]:
        """Every sentence of the chunk, by position."""
        return {s.position: s for s in self.sentences}

    @cached_property
    def texts(self) -> dict[int, str]:
        """Every sentence's text, by position."""
        return {s.position: s.text for s in self.sentences}

    def opener(self, position: int) -> int | None:
        """The position of the first sentence of the paragraph (or line) that holds the one at
        `position`, if that is an earlier one: it may name the subject or the period that
        later sentences leave unsaid ("By its fourth anniversary in 2023, the area ... More
        than 58,000 firms had registered")."""
        sentence = self.by_position.get(position)
        if sentence is None:
            return None
        line_start = self.text.rfind("\n", 0, sentence.start) + 1
        if not line_start and not self.metadata.get("opens_paragraph"):
            return None  # the chunk begins inside a paragraph, whose opener it lacks
        # (sentences are in order, and the one at `position` itself qualifies)
        first = next(s for s in self.sentences if s.start >= line_start)
        return first.position if first.position < position else None

    def lead_in(self, position: int) -> int | None:
        """The position of the sentence that introduces the list (or table) whose item, or
        continuation, is at `position` ("Other 2020 figures:"), if there is one."""
        sentences = self.texts

        def introduces(at: int) -> bool:  # (an item without a full stop is no lead-in, one
            text = sentences[at]  # that breaks off is: "Xiamen: to develop into")
            return leads_in(text) and (at not in self.items or bool(BREAKS_OFF.search(text)))

        if position not in self.items and not CONTINUES.match(sentences[position]):
            return None
        lead = position - 1
        while lead in sentences and lead > position - LEAD_IN_REACH and not introduces(lead):
            if lead not in self.items and not CONTINUES.match(sentences[lead]):
                return None
            lead -= 1
        return lead if lead in sentences and introduces(lead) else None

    def neighbourhood(self, position: int) -> list[Notes]:
        """What may say a sentence's subject or period when it leaves them unsaid: the
        sentence before, its list's lead-in, its paragraph's first sentence, then the section
        heading (each once)."""
        before = self.by_position.get(position - 1)
        lead = self.lead_in(position)
        opener = self.opener(position)
        said = [before.position] if before else []
        notes = [before.notes] if before else []
        for other in (lead, opener):
            if other is not None and other not in said:
                said.append(other)
                notes.append(self.by_position[other].notes)
        return notes + [self.header]

    def _starts_item(self, start: int) -> bool:
        line_start = self.text.rfind("\n", 0, start) + 1
        line_end = self.text.find("\n", start)
        prefix = self.text[line_start:start].strip()
        line = self.text[line_start:line_end if line_end >= 0 else len(self.text)]
        if line_start == 0:
            return False
        return (prefix in ("-", "*", "+", "•", "|") or bool(re.fullmatch(r"\d{1,3}[.)]", prefix))
                or (not prefix and (" | " in line or "; " in line and ": " in line)))


def leads_in(sentence: str) -> bool:
    """A sentence that introduces what follows (a list or table), not a table row itself."""
    return bool(LEAD_IN.search(sentence)) and " | " not in sentence


class SentenceBank:
    """All chunks and sentences of the store in memory, searched by vector."""

    def __init__(self, load: Callable[[], tuple[Iterable[Hit], Iterable[Hit]]],
                 terms: TermVectors | None = None, nearest: Nearest | None = None,
                 exact_limit: int = 0) -> None:
        self._load = load  # () -> (chunks with vectors, sentences with vectors)
        self.terms = terms  # word vectors of the indexed terms, brought up to date on load
        # above `exact_limit` rows, a collection ("chunks", "sentences") is searched by the
        # store's approximate index (`nearest`) instead of comparing the query with every row
        self._nearest = nearest
        self._exact_limit = exact_limit
        self._sentence_rows: dict[str, int] = {}
        self._chunk_rows: dict[str, int] = {}
        # how many rows of each collection are the newest editions' (they come first)
        self._newest_rows = {"chunks": 0, "sentences": 0}
        self._lock = threading.Lock()
        self.fingerprint = ""
        self.chunks: dict[str, ChunkRecord] = {}
        self.sentences: list[SentenceRecord] = []
        self.documents: dict[str, DocumentContext] = {}
        # chunks of a document that a newer edition of the same report supersedes
        self.superseded: frozenset[str] = frozenset()
        self.acronyms: dict[str, set[str]] = {}
        # a measure's acronym (its analysed terms, "nev", "teus") -> the terms it stands for
        self.term_acronyms: dict[str, frozenset[str]] = {}
        self._chunk_ids: list[str] = []
        self._chunk_matrix = np.zeros((0, 1), dtype=np.float32)
        self._sentence_matrix = np.zeros((0, 1), dtype=np.float32)

    def ensure(self, wanted: str) -> None:
        """Reload from the store unless the snapshot already has the fingerprint `wanted`."""
        if wanted and wanted == self.fingerprint:
            return
        with self._lock:
            if wanted and wanted == self.fingerprint:
                return
            self._reload()

    def _reload(self) -> None:
        _one_blas_thread()
        chunk_hits, sentence_hits = self._load()
        chunk_hits, sentence_hits = list(chunk_hits), list(sentence_hits)
        chunks, sentences = assemble(chunk_hits, sentence_hits)
        self.documents = documents_of(chunks.values())
        older = older_editions(self.documents.values())
        superseded = frozenset(chunk.id for chunk in chunks.values()
                               if chunk.metadata.get("source", "") in older)
        # rows in two runs, the newest editions' first: each run is searched on its own
        chunks = dict(sorted(chunks.items(), key=lambda item: item[0] in superseded))
        sentences.sort(key=lambda record: record.chunk_id in superseded)
        for row, chunk in enumerate(chunks.values()):
            chunk.row = row
        for row, record in enumerate(sentences):
            record.row = row
        self.acronyms = {}
        self.term_acronyms = {}
        for chunk in chunks.values():
            for short, full in acronym_pairs(chunk.text).items():
                self.acronyms.setdefault(short, set()).update(full)
            for short, words in term_acronyms(chunk.text).items():
                meaning = frozenset(analyze(" ".join(  # ("new" says nothing of what)
                    w for w in words.split() if w not in GENERIC)))
                for form in analyze(f"{short} {short}s"):  # "TEU" and "TEUs"
                    self.term_acronyms[form] = meaning
        if self.terms is not None:
            self.terms.prepare([*(s.text for s in sentences),
                                *(c.metadata.get("header", "") for c in chunks.values())])
        self.chunks, self.sentences, self.superseded = chunks, sentences, superseded
        self._chunk_ids = list(chunks)
        self._sentence_rows = {record.id: record.row for record in sentences}
        self._chunk_rows = {chunk_id: chunk.row for chunk_id, chunk in chunks.items()}
        chunk_vector = {hit.id: hit.vector for hit in chunk_hits}
        sentence_vector = {hit.id: hit.vector for hit in sentence_hits}
        self._chunk_matrix = _matrix([chunk_vector[chunk_id] for chunk_id in chunks])
        self._sentence_matrix = _matrix([sentence_vector[record.id] for record in sentences])
        self._newest_rows = {"chunks": len(chunks) - len(superseded),
                             "sentences": sum(r.chunk_id not in superseded for r in sentences)}
        self.fingerprint = fingerprint(chunks)
        log.info("sentence bank loaded: %d chunks, %d sentences", len(chunks), len(sentences))

    # the store's search interface, answered from memory (for the hybrid retriever)

    def search_sentences(self, vector: list[float], k: int, where: dict | None = None,
                         later: Collection[str] = frozenset()) -> list[Hit]:
        rows = self._ranked("sentences", self._sentence_matrix, vector, k, later)
        return [Hit(self.sentences[row].id, score, self.sentences[row].text,
                    {"chunk_id": self.sentences[row].chunk_id}) for row, score in rows]

    def search_chunks(self, vector: list[float], k: int, where: dict | None = None,
                      later: Collection[str] = frozenset()) -> list[Hit]:
        rows = self._ranked("chunks", self._chunk_matrix, vector, k, later)
        return [self._chunk_hit(self._chunk_ids[row], score) for row, score in rows]

    def _ranked(self, collection: str, matrix: np.ndarray, vector: list[float], k: int,
                later: Collection[str]) -> list[tuple[int, float]]:
        """The rows nearest `vector`, best first; with `later`, the best k of the rows outside
        it, then the best k of those in it (so that hundreds of older copies of a passage cannot
        crowd out its newest copy). The older editions' rows (`superseded`) are kept apart, so
        searching with them costs no more; any other set (one from before a reload) is
        compared with every row."""
        if not later:
            return self._nearest_rows(collection, matrix, vector, k, 0, len(matrix))
        if later is not self.superseded and later != self.superseded:
            ids = self._chunk_ids if collection == "chunks" else [
                record.chunk_id for record in self.sentences]
            inside = np.fromiter((i in later for i in ids), dtype=bool, count=len(ids))
            return [*_top(matrix, vector, k, np.nonzero(~inside)[0]),
                    *_top(matrix, vector, k, np.nonzero(inside)[0])]
        split = self._newest_rows[collection]
        return [*self._nearest_rows(collection, matrix, vector, k, 0, split),
                *self._nearest_rows(collection, matrix, vector, k, split, len(matrix))]

    def _nearest_rows(self, collection: str, matrix: np.ndarray, vector: list[float], k: int,
                      start: int, stop: int) -> list[tuple[int, float]]:
        """The k rows in [start, stop) nearest `vector`: compared with every row up to
        `exact_limit` rows, else found by the store's approximate index (which searches the
        whole collection: it is asked for as many more as lie outside the range, up to k)."""
        if self._nearest is None or stop - start <= self._exact_limit:
            return [(start + row, score) for row, score in _top(matrix[start:stop], vector, k)]
        outside = min(len(matrix) - (stop - start), k)
        row_of = self._sentence_rows if collection == "sentences" else self._chunk_rows
        rows = [(row_of[i], score) for i, score in self._nearest(collection, vector, k + outside)
                if i in row_of]
        return [(row, score) for row, score in rows if start <= row < stop][:k]

    def get_chunks(self, ids: Iterable[str]) -> list[Hit]:
        return [self._chunk_hit(chunk_id, 0.0) for chunk_id in ids if chunk_id in self.chunks]

    def _chunk_hit(self, chunk_id: str, score: float) -> Hit:
        chunk = self.chunks[chunk_id]
        return Hit(chunk_id, score, chunk.text, chunk.metadata)

    def similarities(self, records: list[SentenceRecord], vector: list[float]) -> np.ndarray:
        """Cosine similarity of each sentence to a (normalised) query vector."""
        if not records:
            return np.zeros(0, dtype=np.float32)
        rows = np.fromiter((r.row for r in records), dtype=np.int64, count=len(records))
        return self._sentence_matrix[rows] @ np.asarray(vector, dtype=np.float32)


def _one_blas_thread() -> None:
    """Matrix products here are small: one BLAS thread, so that numpy's thread pool does not
    fight the embedding model's for the cores (that doubled the model's time per question)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def _matrix(vectors: list[Any]) -> np.ndarray:
    if not vectors:
        return np.zeros((0, 1), dtype=np.float32)
    return np.asarray(vectors, dtype=np.float32)


def _top(matrix: np.ndarray, vector: list[float], k: int,
         rows: np.ndarray | None = None) -> list[tuple[int, float]]:
    """The k rows (of `rows`, when given) most similar to `vector` (rows and query are unit
    vectors), best first."""
    among = matrix if rows is None else matrix[rows]
    if not len(among) or k <= 0:
        return []
    scores = among @ np.asarray(vector, dtype=np.float32)
    k = min(k, len(scores))
    best = np.argpartition(-scores, k - 1)[:k]
    best = best[np.argsort(-scores[best])]
    return [(int(row if rows is None else rows[row]), float(scores[row])) for row in best]


def assemble(chunk_hits: Iterable[Hit], sentence_hits: Iterable[Hit]
             ) -> tuple[dict[str, ChunkRecord], list[SentenceRecord]]:
    """Chunk records with their sentences in order, and every sentence (rows numbered in the
    order given); a sentence whose chunk is not (yet, or any more) written is left out."""
    chunks = {hit.id: ChunkRecord(hit.id, hit.text, hit.metadata, row)
              for row, hit in enumerate(chunk_hits)}
    sentences: list[SentenceRecord] = []
    for hit in sentence_hits:
        chunk = chunks.get(str(hit.metadata.get("chunk_id")))
        if chunk is None:
            continue
        record = SentenceRecord(hit.id, chunk.id, int(hit.metadata.get("position", 0)),
                                int(hit.metadata.get("start", 0)), len(sentences),
                                Notes(hit.text))
        sentences.append(record)
        chunk.sentences.append(record)
    for chunk in chunks.values():
        chunk.sentences.sort(key=lambda s: s.position)
    return chunks, sentences


def documents_of(chunks: Iterable[ChunkRecord]) -> dict[str, DocumentContext]:
    """Each document's context, from its chunks' metadata and text."""
    by_source: dict[str, list[ChunkRecord]] = {}
    for chunk in chunks:
        by_source.setdefault(str(chunk.metadata.get("source", "")), []).append(chunk)
    documents = {}
    for source, parts in by_source.items():
        meta = parts[0].metadata
        title, zone = str(meta.get("title", "")), str(meta.get("zone", ""))
        date, dateline = str(meta.get("date", "")), str(meta.get("dateline", ""))
        heading = Notes(" ".join(part for part in (title, zone, date, dateline) if part))
        years = [int(year) for text in (heading.text, *(part.text for part in parts))
                 for year in YEAR.findall(text)]
        documents[source] = DocumentContext(source, title, zone, date, dateline, heading,
                                            parts, series_of(title), max(years, default=None))
    return documents


def series_of(title: str) -> str:
    """The report a title names, whatever its edition: its words without numbers, lower-cased
    ("Dalian Area at Five Years (2022)" and "... (2019)" are one series)."""
    return " ".join(re.findall(r"[^\W\d_]+", title.lower()))


def older_editions(documents: Iterable[DocumentContext]) -> frozenset[str]:
    """The sources of documents that a newer edition of the same series supersedes: one with
    the same title but for its numbers, naming a later year. A library of yearly reports
    holds earlier editions whose figures the latest restates for its own period."""
    latest: dict[str, int] = {}
    for document in documents:
        if document.series and document.year is not None:
            latest[document.series] = max(latest.get(document.series, 0), document.year)
    return frozenset(document.source for document in documents
                     if document.series and document.year is not None
                     and document.year < latest[document.series])
