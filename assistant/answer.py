"""Extractive answers: the documents' own sentences, each cited, or a plain refusal.

A question costs one embedding. Candidate sentences come from the best chunks; each is scored
by its (late-chunked) vector similarity, its coverage of the question's rarer terms and its
chunk's rank. A sentence can only answer if it is about every name the question names (in the
sentence, the sentence before it, its section or its document title) and, for a figure
question, holds a figure of the right kind. No candidate, or a weak best one, means refusal.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from cachetools import LRUCache
from langchain_core.documents import Document

from assistant.crosslingual import Glossary, is_chinese
from assistant.errors import UserError
from assistant.lexical import analyze
from assistant.question import (
    QuestionProfile,
    Reading,
    has_figure,
    is_follow_up,
    profile,
    read_english,
)

MAX_QUESTION_CHARS = 2000
MAX_ANSWER_CHARS = 800
REFUSAL = ("The indexed documents do not answer this question. The closest passages are "
           "listed as related reading, not as an answer.")
REFUSAL_ZH = "已收录的文件没有回答这个问题。下面列出最接近的段落，仅供参考，不是答案。"
LEAD_IN_ZH = "根据英文原文："  # the answer that follows is quoted from the English documents


@dataclass
class Citation:
    """Where an answer sentence comes from (the contract's citation object)."""

    n: int
    source: str
    title: str
    section: str
    page: int | None
    snippet: str
    url: str | None
    zone: str = ""
    date: str = ""
    passage: str = ""  # the whole chunk the snippet comes from


@dataclass
class Answer:
    """One answer in the contract's JSON shape (`related` is shown only on refusals)."""

    question: str
    answer: str
    found: bool
    citations: list[Citation]
    latency_ms: float = 0.0
    related: list[Citation] = field(default_factory=list)
    score: float | None = None  # the best fitting evidence sentence's score, if any
    id: str | None = None
    engine: str = "extractive"  # "llm" when a chat model wrote the (verified) answer
    drafted: int = 0  # sentences a chat model wrote for this answer
    dropped: int = 0  # of those, the ones verification rejected

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        if self.id is None:
            data.pop("id")
        return data


@dataclass
class Evidence:
    """An extractive answer with what it was chosen from: the retrieved chunks (best first)
    and the kind of figure the question asks for, if any."""

    answer: Answer
    chunks: list[Document]
    figure: str | None


@dataclass
class _Candidate:
    text: str
    chunk: Document
    position: int
    score: float
    terms: frozenset[str]
    neighbours: dict[int, str]  # every sentence of the chunk, by position
    items: frozenset[int]  # positions of the sentences that start a list item or table row


LEAD_IN = re.compile(r"(?::|[^\W\d])\s*$")  # "...as follows:" or an unfinished "...to build"
CONTINUES = re.compile(r"^(?:[a-z(]|(?:These|This|It|Its|They|Their|Such|He|His|She|Her)\b)")
SUBJECT_START = re.compile(r"^(?:these|this|it|its|they|their|such|he|his|she|her)\b", re.I)
UNIT_CHARS = 500


def _normal(text: str) -> str:
    return re.sub(r"[^0-9a-z\u3400-\u9fff]+", "", text.lower())


class AnswerEngine:
    """Answers questions from a hybrid retriever's chunks and the store's sentence vectors."""

    def __init__(
        self, retriever: Any, store: Any, embeddings: Any, lexical: Any,
        min_score: float = 0.6, chunks: int = 8, margin: float = 0.08,
        refresh: Callable[[], object] | None = None, glossary: Glossary | None = None,
        cache_size: int = 512,
    ) -> None:
        self._retriever = retriever
        self._store = store
        self._embeddings = embeddings
        self._lexical = lexical
        self._min_score = min_score
        self._chunks = chunks
        self._margin = margin
        self._refresh = refresh  # keeps side indexes in step with a store others write to
        self._glossary = glossary or Glossary()  # reads Chinese questions as English
        self._cache: LRUCache[tuple, Evidence] = LRUCache(maxsize=cache_size)
        self._cache_lock = threading.Lock()

    def warm_up(self) -> None:
        """Load what answering needs (the model, the indexes) with one question, and the
        Chinese reading's dictionaries in the background."""
        self._evidence("warm-up question about the free trade zones", ())
        threading.Thread(target=self._glossary.read, args=("自贸试验区的面积是多少？",),
                         daemon=True).start()

    def answer(self, question: str, history: Sequence[str] = (),
               question_id: str | None = None) -> Answer:
        """Answer one question; `history` holds the earlier questions of the conversation."""
        return self.evidence(question, history, question_id).answer

    def evidence(self, question: str, history: Sequence[str] = (),
                 question_id: str | None = None) -> Evidence:
        """The answer together with the chunks it was chosen from (one retrieval). A question
        asked again, after the same last turn and with the index unchanged, is answered from
        the cache."""
        started = time.perf_counter()
        question = " ".join(question.split())
        if not question:
            raise UserError("The question is empty: type a question about the free trade zones.")
        if len(question) > MAX_QUESTION_CHARS:
            raise UserError(f"The question is too long ({len(question)} characters; "
                            f"at most {MAX_QUESTION_CHARS}).")
        if self._refresh:
            self._refresh()
        key = (question, history[-1] if history else None, self._lexical.fingerprint)
        with self._cache_lock:
            cached = self._cache.get(key)
        if cached is None:
            cached = self._evidence(question, history)
            if self._cache.maxsize:
                with self._cache_lock:
                    self._cache[key] = cached
        result = replace(cached.answer, id=question_id, latency_ms=round(
            (time.perf_counter() - started) * 1000, 1))
        return Evidence(result, cached.chunks, cached.figure)

    def _evidence(self, question: str, history: Sequence[str]) -> Evidence:
        chinese = is_chinese(question)
        reading = self._read(question)
        previous = self._read(history[-1]) if history and is_follow_up(reading.text) else None
        search_text = f"{reading.text} {previous.text}" if previous else reading.text
        wanted = profile(reading, previous)
        vector = self._embeddings.embed_query(search_text)
        chunks = self._retriever.search(search_text, vector, k=self._chunks)
        candidates = self._candidates(search_text, vector, chunks)
        fitting = [c for c in candidates if self._fits(c, wanted)]
        best = max(fitting, key=lambda c: c.score, default=None)
        if best is None or best.score < self._min_score:
            result = Answer(question, REFUSAL_ZH if chinese else REFUSAL, False, [],
                            related=self._related(candidates))
        else:
            named = [c for c in candidates if self._fits(c, wanted, figure=False)]
            result = self._compose(question, best, named, lead_in=LEAD_IN_ZH if chinese else "")
        result.score = round(best.score, 4) if best else None
        return Evidence(result, chunks, wanted.figure)

    def _read(self, question: str) -> Reading:
        """The question as English search text and names (Chinese through the glossary)."""
        return self._glossary.read(question) if is_chinese(question) else read_english(question)

    def _candidates(
        self, query: str, vector: list[float], chunks: list[Document]
    ) -> list[_Candidate]:
        """Every sentence of the retrieved chunks, scored against the question."""
        if not chunks:
            return []
        by_id = {doc.metadata["chunk_id"]: doc for doc in chunks}
        # every sentence of these chunks, scored exactly (a filtered vector search can miss
        # some when the index holds many identical vectors)
        hits = self._store.sentences_of(list(by_id), vector)
        query_terms = set(analyze(query))
        weights = {term: max(self._lexical.idf(term), 0.1) for term in query_terms}
        total = sum(weights.values()) or 1.0
        neighbours: dict[str, dict[int, str]] = {chunk_id: {} for chunk_id in by_id}
        items: dict[str, set[int]] = {chunk_id: set() for chunk_id in by_id}
        for hit in hits:
            chunk_id, position = hit.metadata["chunk_id"], int(hit.metadata["position"])
            neighbours[chunk_id][position] = hit.text
            if _starts_item(by_id[chunk_id].page_content, int(hit.metadata["start"])):
                items[chunk_id].add(position)
        candidates = []
        for hit in hits:
            chunk = by_id[hit.metadata["chunk_id"]]
            context = f"{hit.text} {chunk.metadata.get('header', '')}"
            terms = frozenset(query_terms.intersection(analyze(context)))
            coverage = sum(weights[t] for t in terms) / total
            prior = 1.0 / (1 + chunk.metadata["rank"])
            candidates.append(_Candidate(
                hit.text, chunk, int(hit.metadata["position"]),
                hit.score + 0.35 * coverage + 0.05 * prior, terms,
                neighbours[hit.metadata["chunk_id"]], frozenset(items[hit.metadata["chunk_id"]]),
            ))
        return candidates

    @staticmethod
    def _fits(candidate: _Candidate, wanted: QuestionProfile, figure: bool = True) -> bool:
        """About every name the question names (in the sentence, the one before it if it refers
        back, its section, or its document's title, zone and publisher) and, if asked, holding
        the figure the question wants."""
        alternatives = [name.split("|") for name in wanted.names]
        if figure and wanted.figure and not has_figure(
                candidate.text, wanted.figure, tuple(a for names in alternatives for a in names)):
            return False
        if not wanted.names:
            return True
        meta = candidate.chunk.metadata
        zone = re.sub(r"\(.*?\)", "", str(meta.get("zone", "")))  # drop "(also ...)" asides
        context = _normal(" ".join((
            candidate.text,
            candidate.neighbours.get(candidate.position - 1, "")
            if SUBJECT_START.match(candidate.text) else "",
            str(meta.get("header", "")), str(meta.get("title", "")), zone,
            str(meta.get("publisher") or ""),
        )))
        return all(any(_normal(name) in context for name in names) for names in alternatives)

    def _compose(self, question: str, best: _Candidate, others: list[_Candidate],
                 lead_in: str = "") -> Answer:
        """`lead_in`, then up to three passages: the best, then close runners-up that add
        question terms; a runner-up next to a chosen passage of the same chunk joins that
        passage."""
        units: list[tuple[_Candidate, set[int]]] = [(best, set(_positions(best)))]
        covered = set(best.terms)
        for candidate in sorted(others, key=lambda c: c.score, reverse=True):
            if len(units) == 3 or candidate.score < best.score - self._margin:
                break
            if not candidate.terms - covered:
                continue
            covered |= candidate.terms
            positions = set(_positions(candidate))
            for unit, taken in units:
                same = unit.chunk.metadata["chunk_id"] == candidate.chunk.metadata["chunk_id"]
                if same and any(abs(p - q) <= 1 for p in positions for q in taken):
                    taken |= positions
                    break
            else:
                units.append((candidate, positions))
        citations: list[Citation] = []
        numbers: dict[str, int] = {}
        parts: list[str] = []
        for candidate, taken in units:
            chunk_id = candidate.chunk.metadata["chunk_id"]
            marker = f" [{numbers.get(chunk_id, len(citations) + 1)}]"
            used = len(lead_in) + len(" ".join(parts)) + (1 if parts else 0)
            budget = MAX_ANSWER_CHARS - used - len(marker)
            if parts and budget < 80:
                break
            text = _fit(candidate, sorted(taken), budget)
            whole = " ".join(candidate.neighbours[p] for p in sorted(taken))
            if chunk_id in numbers:
                cited = citations[numbers[chunk_id] - 1]
                cited.snippet = f"{cited.snippet} {whole}"
            else:
                numbers[chunk_id] = len(citations) + 1
                citations.append(make_citation(numbers[chunk_id], candidate.chunk, whole))
            parts.append(text + marker)
        return Answer(question, lead_in + " ".join(parts), True, citations)

    def _related(self, candidates: list[_Candidate]) -> list[Citation]:
        """The best sentence of up to three chunks, offered as related reading on a refusal."""
        related: list[Citation] = []
        seen: set[str] = set()
        for candidate in sorted(candidates, key=lambda c: c.score, reverse=True):
            chunk_id = candidate.chunk.metadata["chunk_id"]
            if chunk_id not in seen and len(related) < 3:
                seen.add(chunk_id)
                related.append(make_citation(len(related) + 1, candidate.chunk, candidate.text))
        return related


def _starts_item(chunk_text: str, start: int) -> bool:
    """Whether the sentence at `start` opens a list item or a table row of its chunk."""
    line_start = chunk_text.rfind("\n", 0, start) + 1
    line_end = chunk_text.find("\n", start)
    prefix = chunk_text[line_start:start].strip()
    line = chunk_text[line_start:line_end if line_end >= 0 else len(chunk_text)]
    if line_start == 0:
        return False
    return (prefix in ("-", "*", "+", "•", "|") or bool(re.fullmatch(r"\d{1,3}[.)]", prefix))
            or (not prefix and " | " in line))


def _leads_in(sentence: str) -> bool:
    """A sentence that introduces what follows (a list or table), not a table row itself."""
    return bool(LEAD_IN.search(sentence)) and " | " not in sentence


def _positions(candidate: _Candidate) -> tuple[int, ...]:
    """The sentences an answer quotes for a candidate, in order: a list item (or table row)
    with its lead-in; a sentence that refers back with the one before; a lead-in with its
    items; and a following "He also called for:" that continues the subject, with its items."""
    sentences, items, here = candidate.neighbours, candidate.items, candidate.position
    chosen = [here]
    if SUBJECT_START.match(candidate.text) and here - 1 in sentences:
        chosen = [here - 1, here]
    elif here in items or CONTINUES.match(candidate.text):
        lead = here - 1
        while lead in sentences and lead > here - 8 and not _leads_in(sentences[lead]):
            if lead not in items and not CONTINUES.match(sentences[lead]):
                break
            lead -= 1
        if lead in sentences and _leads_in(sentences[lead]):
            chosen = [lead, here]
    after = chosen[-1] + 1
    if not _leads_in(sentences[chosen[-1]]) and after in sentences \
            and SUBJECT_START.match(sentences[after]) and _leads_in(sentences[after]):
        chosen.append(after)
    length = sum(len(sentences[p]) for p in chosen)
    if _leads_in(sentences[chosen[-1]]):
        following = chosen[-1] + 1
        while following in items and length + len(sentences[following]) < UNIT_CHARS:
            chosen.append(following)
            length += len(sentences[following])
            following += 1
    return tuple(chosen)


def _fit(candidate: _Candidate, positions: list[int], budget: int) -> str:
    """The unit's text within `budget` characters: the sentences furthest from the candidate
    dropped first, then an over-long sentence cut at a space (the snippet keeps it whole)."""
    sentences, kept = candidate.neighbours, list(positions)

    def text() -> str:
        return " ".join(sentences[p] for p in kept)

    while len(kept) > 1 and len(text()) > budget:
        kept.remove(max(kept, key=lambda p: abs(p - candidate.position)))
    joined = text()
    if len(joined) > budget:
        joined = joined[: joined.rfind(" ", 0, budget - 1)] + " …"
    return joined


def make_citation(n: int, chunk: Document, snippet: str) -> Citation:
    meta = chunk.metadata
    return Citation(
        n=n, source=str(meta.get("source", "")), title=str(meta.get("title", "")),
        section=str(meta.get("section", "")), page=int(meta["page"]) or None
        if meta.get("page") else None, snippet=snippet, url=str(meta.get("url") or "") or None,
        zone=str(meta.get("zone", "")), date=str(meta.get("date", "")),
        passage=chunk.page_content,
    )
