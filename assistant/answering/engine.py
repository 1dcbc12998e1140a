"""Extractive answers: the documents' own sentences, each cited, or a refusal with its reason.

A question costs one embedding. The hybrid retriever ranks chunks; every sentence of the best
chunks is scored (`scoring`), its fit to the question weighed (`fit`); the best fitting
sentence, if its probability reaches the threshold, is quoted with close runners-up
(`compose`). Answers are cached by question, previous turn and index fingerprint.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import replace

from cachetools import LRUCache
from langchain_core.embeddings import Embeddings

from assistant.answering.bank import SentenceBank
from assistant.answering.compose import (
    REFUSAL,
    REFUSAL_ZH,
    as_document,
    compose,
    related,
)
from assistant.answering.fit import contradicts, probability, refusal_reason
from assistant.answering.names import asked_part
from assistant.answering.parts import question_parts
from assistant.answering.reading import Question, Reading, is_follow_up, read, read_english
from assistant.answering.scoring import Candidate, Scorer
from assistant.answering.tables import TableAnswers
from assistant.answering.terms import written_forms
from assistant.config import AnswerSettings
from assistant.contract import Answer, Evidence, checked_question
from assistant.crosslingual import Glossary, bundled_glossary, is_chinese
from assistant.figures import DIGITS
from assistant.seams import ChunkRetriever, TermSearch


class AnswerEngine:
    """Answers questions from a hybrid retriever's chunks and the in-memory sentence bank."""

    def __init__(self, retriever: ChunkRetriever, bank: SentenceBank, embeddings: Embeddings,
                 lexical: TermSearch,
                 settings: AnswerSettings | None = None,
                 refresh: Callable[[], object] | None = None, glossary: Glossary | None = None,
                 cache_size: int = 512, tables: TableAnswers | None = None) -> None:
        self._retriever = retriever
        self._bank = bank
        self._embeddings = embeddings
        self._lexical = lexical
        self._settings = settings or AnswerSettings()
        self._refresh = refresh  # keeps side indexes in step with a store others write to
        self._glossary = glossary or bundled_glossary()  # reads Chinese questions as English
        self._tables = tables  # comparison, ranking and listing questions, from the figures
        self._scorer = Scorer(bank, lambda term: lexical.idf(term), bank.terms)
        self._cache: LRUCache[tuple, Evidence] = LRUCache(maxsize=cache_size)
        self._cache_lock = threading.Lock()

    def warm_up(self, wait: bool = False) -> None:
        """Load what answering needs (the model, the indexes) with one question, and the
        Chinese reading's dictionaries in the background (or, with `wait`, before
        returning: a benchmark must not time questions against that loading)."""
        self._evidence("warm-up question about the free trade zones", ())
        loading = threading.Thread(target=self._glossary.read, args=("自贸试验区的面积是多少？",),
                                   daemon=True)
        loading.start()
        if wait:
            loading.join()

    def answer(self, question: str, history: Sequence[str] = (),
               question_id: str | None = None) -> Answer:
        """Answer one question; `history` holds the earlier questions of the conversation."""
        return self.evidence(question, history, question_id).answer

    def stream(self, question: str, history: Sequence[str] = (),
               question_id: str | None = None) -> Iterator[Answer]:
        """The answer in one piece (an extractive answer has no sentence to show earlier)."""
        yield self.answer(question, history, question_id)

    def evidence(self, question: str, history: Sequence[str] = (),
                 question_id: str | None = None) -> Evidence:
        """The answer together with the chunks it was chosen from (one retrieval). A question
        asked again, after the same last turn and with the index unchanged, is answered from
        the cache."""
        started = time.perf_counter()
        question = checked_question(question)
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

    def candidates(self, question: str, history: Sequence[str] = ()
                   ) -> tuple[Question, list[Candidate]]:
        """The question as read and every candidate sentence with its features and
        probability, best first (what `evidence` decides on; calibration reads it too)."""
        self._bank.ensure(self._lexical.fingerprint)
        reading = self._read(question)
        previous = self._read(history[-1]) if history and is_follow_up(reading.text) else None
        wanted = read(reading, previous, self._bank.acronyms)
        search_text = f"{reading.text} {previous.text}" if previous else reading.text
        vectors = self._embed(search_text, wanted)
        # the newest edition of a report is read first: older editions rank after it, and an
        # older edition's sentence that a newer document restates (uncontradicted) is not a
        # candidate (what only an older edition says still is)
        later = self._bank.superseded
        chunks = self._retriever.search(search_text, vectors[0], k=self._settings.chunks,
                                        later=later)
        found = self._scorer.candidates(wanted, vectors, [c.metadata["chunk_id"] for c in chunks])
        if later:
            found = newest_statements(
                found, later, lambda c: not contradicts(c, self._settings.contradictions))
        for candidate in found:
            candidate.probability = probability(candidate.features, self._settings.weights)
        found.sort(key=lambda c: c.probability, reverse=True)
        return wanted, found

    def _evidence(self, question: str, history: Sequence[str]) -> Evidence:
        chinese = is_chinese(question)
        tabled = self._tables.answer(question) if self._tables and not chinese else None
        if tabled is not None:
            return Evidence(tabled, [], None)
        wanted, found = self.candidates(question, history)
        eligible = [c for c in found if not contradicts(c, self._settings.contradictions)]
        best = eligible[0] if eligible else None
        answers = self._part_answers(question, history)
        if not self._answers(best) and answers and all(answers):
            best, eligible = answers[0], []  # each part answered, though not the whole
        if not self._answers(best):
            nearest = found[0] if found else None
            result = Answer(question, REFUSAL_ZH if chinese else REFUSAL, False, [],
                            related=related(found),
                            reason=refusal_reason(wanted, nearest, chinese))
        else:
            parts = [c for c in answers if c is not None]
            result = compose(question, best, eligible[1:], self._settings.margin, chinese,
                             parts)
        result.score = round(best.probability, 4) if best else None
        chunks = list(dict.fromkeys(c.chunk.id for c in found))
        documents = [as_document(self._bank.chunks[c]) for c in chunks]
        return Evidence(result, documents, wanted.kind)

    def _answers(self, candidate: Candidate | None) -> bool:
        """Whether a candidate is good enough to answer with."""
        return candidate is not None and candidate.probability >= self._settings.threshold

    def _part_answers(self, question: str, history: Sequence[str]
                      ) -> list[Candidate | None]:
        """For a question that asks two things, the best answer to each part on its own (None
        for a part nothing answers); no parts for a question that asks one thing."""
        parts = question_parts(question)
        if len(parts) < 2:
            return []
        answers: list[Candidate | None] = []
        for part in parts:
            _, found = self.candidates(part, history)
            eligible = [c for c in found if not contradicts(c, self._settings.contradictions)]
            answers.append(eligible[0] if eligible and self._answers(eligible[0]) else None)
        return answers

    def _embed(self, search_text: str, wanted: Question) -> list[list[float]]:
        """The question's vector, then that of the part that asks when an enterprise first
        describes itself (a long self-description dilutes the similarity); words of its focus
        that the term vectors lack are embedded in the same call to the model."""
        terms = self._bank.terms
        words = terms.unknown(wanted.focus | wanted.quantity, written_forms(wanted.text)) \
            if terms else []
        asked = asked_part(search_text)
        texts = [search_text, *([asked] if asked else [])]
        if not words and len(texts) == 1:
            return [self._embeddings.embed_query(search_text)]
        vectors = self._embeddings.embed_documents([*texts, *words])
        if words:
            terms.learn(words, vectors[len(texts):])
        return vectors[:len(texts)]

    def _read(self, question: str) -> Reading:
        """The question as English search text and names (Chinese through the glossary)."""
        return self._glossary.read(question) if is_chinese(question) else read_english(question)


def newest_statements(found: list[Candidate], later: Collection[str],
                      standing: Callable[[Candidate], bool]) -> list[Candidate]:
    """The candidates without an older edition's sentences (chunks in `later`) that a newer
    document restates with a `standing` sentence (one the question does not contradict): the
    same words, other figures; the newer figures stand."""
    current = {_without_figures(c.text) for c in found
               if c.chunk.id not in later and standing(c)}
    return [c for c in found if c.chunk.id not in later
            or _without_figures(c.text) not in current]


FIGURE_DIGITS = re.compile(DIGITS)  # a number as the figures module reads one


def _without_figures(text: str) -> str:
    """A sentence's words with each number as '#' ("in 2019, 1,200 firms" -> "in #, # firms")."""
    return " ".join(FIGURE_DIGITS.sub("#", text).split())
