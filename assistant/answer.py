"""Extractive answers: the documents' own sentences, each cited, or a plain refusal.

A question costs one embedding. Candidate sentences come from the best chunks; each is scored
by its (late-chunked) vector similarity, its coverage of the question's rarer terms and its
chunk's rank. A sentence can only answer if it is about every name the question names (in the
sentence, the sentence before it, its section or its document title) and, for a figure
question, holds a figure of the right kind. No candidate, or a weak best one, means refusal.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from langchain_core.documents import Document

from assistant.errors import UserError
from assistant.lexical import analyze
from assistant.question import QuestionProfile, has_figure, is_follow_up, key_names, profile

MAX_QUESTION_CHARS = 2000
MAX_ANSWER_CHARS = 800
REFUSAL = ("The indexed documents do not answer this question. The closest passages are "
           "listed as related reading, not as an answer.")


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


@dataclass
class Answer:
    """One answer in the contract's JSON shape (`related` is shown only on refusals)."""

    question: str
    answer: str
    found: bool
    citations: list[Citation]
    latency_ms: float = 0.0
    related: list[Citation] = field(default_factory=list)
    id: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        if self.id is None:
            data.pop("id")
        return data


@dataclass
class _Candidate:
    text: str
    chunk: Document
    position: int
    score: float
    terms: frozenset[str]


def _normal(text: str) -> str:
    return re.sub(r"[^0-9a-z\u3400-\u9fff]+", "", text.lower())


class AnswerEngine:
    """Answers questions from a hybrid retriever's chunks and the store's sentence vectors."""

    def __init__(
        self, retriever: Any, store: Any, embeddings: Any, lexical: Any,
        min_score: float = 0.45, chunks: int = 6, margin: float = 0.08,
    ) -> None:
        self._retriever = retriever
        self._store = store
        self._embeddings = embeddings
        self._lexical = lexical
        self._min_score = min_score
        self._chunks = chunks
        self._margin = margin

    def answer(self, question: str, history: Sequence[str] = (),
               question_id: str | None = None) -> Answer:
        """Answer one question; `history` holds the earlier questions of the conversation."""
        started = time.perf_counter()
        question = " ".join(question.split())
        if not question:
            raise UserError("The question is empty: type a question about the free trade zones.")
        if len(question) > MAX_QUESTION_CHARS:
            raise UserError(f"The question is too long ({len(question)} characters; "
                            f"at most {MAX_QUESTION_CHARS}).")
        previous = history[-1] if history and is_follow_up(question) else None
        search_text = f"{question} {previous}" if previous else question
        wanted = profile(question, previous)
        if previous and not wanted.names:
            wanted = QuestionProfile(question, wanted.figure, key_names(previous))
        vector = self._embeddings.embed_query(search_text)
        chunks = self._retriever.search(search_text, vector, k=self._chunks)
        candidates = self._candidates(search_text, vector, chunks)
        fitting = [c for c in candidates if self._fits(c, wanted)]
        best = max(fitting, key=lambda c: c.score, default=None)
        if best is None or best.score < self._min_score:
            result = Answer(question, REFUSAL, False, [], related=self._related(candidates))
        else:
            result = self._compose(question, best, fitting)
        result.id = question_id
        result.latency_ms = round((time.perf_counter() - started) * 1000, 1)
        return result

    def _candidates(
        self, query: str, vector: list[float], chunks: list[Document]
    ) -> list[_Candidate]:
        """Every sentence of the retrieved chunks, scored against the question."""
        if not chunks:
            return []
        by_id = {doc.metadata["chunk_id"]: doc for doc in chunks}
        hits = self._store.search_sentences(
            vector, 200, where={"chunk_id": {"$in": list(by_id)}}
        )
        query_terms = set(analyze(query))
        weights = {term: max(self._lexical.idf(term), 0.1) for term in query_terms}
        total = sum(weights.values()) or 1.0
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
            ))
        return candidates

    def _fits(self, candidate: _Candidate, wanted: QuestionProfile) -> bool:
        """About every name the question names, and holding the kind of figure it asks for."""
        if wanted.figure and not has_figure(candidate.text, wanted.figure):
            return False
        if not wanted.names:
            return True
        meta = candidate.chunk.metadata
        context = _normal(" ".join((
            candidate.text, self._previous_sentence(candidate), str(meta.get("header", "")),
            str(meta.get("title", "")), str(meta.get("zone", "")),
        )))
        return all(_normal(name) in context for name in wanted.names)

    @staticmethod
    def _previous_sentence(candidate: _Candidate) -> str:
        """The text just before the sentence inside its chunk (same paragraph or list)."""
        text = candidate.chunk.page_content
        at = text.find(candidate.text)
        return text[max(0, at - 300):at] if at > 0 else ""

    def _compose(self, question: str, best: _Candidate, fitting: list[_Candidate]) -> Answer:
        """Up to three sentences: the best, then close runners-up that add question terms."""
        chosen = [best]
        covered = set(best.terms)
        for candidate in sorted(fitting, key=lambda c: c.score, reverse=True):
            if len(chosen) == 3 or candidate.score < best.score - self._margin:
                break
            if candidate is best or candidate.text in {c.text for c in chosen}:
                continue
            if candidate.terms - covered:
                chosen.append(candidate)
                covered |= candidate.terms
        citations: list[Citation] = []
        numbers: dict[str, int] = {}
        parts: list[str] = []
        for candidate in chosen:
            chunk_id = candidate.chunk.metadata["chunk_id"]
            if chunk_id not in numbers:
                numbers[chunk_id] = len(citations) + 1
                citations.append(_citation(numbers[chunk_id], candidate.chunk, candidate.text))
            else:
                cited = citations[numbers[chunk_id] - 1]
                cited.snippet = f"{cited.snippet} {candidate.text}"
            part = f"{candidate.text} [{numbers[chunk_id]}]"
            if parts and len(" ".join(parts)) + len(part) + 1 > MAX_ANSWER_CHARS:
                break
            parts.append(part)
        return Answer(question, " ".join(parts)[:MAX_ANSWER_CHARS], True, citations)

    def _related(self, candidates: list[_Candidate]) -> list[Citation]:
        """The best sentence of up to three chunks, offered as related reading on a refusal."""
        related: list[Citation] = []
        seen: set[str] = set()
        for candidate in sorted(candidates, key=lambda c: c.score, reverse=True):
            chunk_id = candidate.chunk.metadata["chunk_id"]
            if chunk_id not in seen and len(related) < 3:
                seen.add(chunk_id)
                related.append(_citation(len(related) + 1, candidate.chunk, candidate.text))
        return related


def _citation(n: int, chunk: Document, snippet: str) -> Citation:
    meta = chunk.metadata
    return Citation(
        n=n, source=str(meta.get("source", "")), title=str(meta.get("title", "")),
        section=str(meta.get("section", "")), page=int(meta["page"]) or None
        if meta.get("page") else None, snippet=snippet, url=str(meta.get("url") or "") or None,
    )
