"""Generative answers: a chat model writes from the extractive engine's evidence, and only the
sentences that verification holds ever reach the user.

The extractive engine retrieves once. Whenever retrieval found passages, the model reads them —
also when the extractive engine's rules would refuse, so that a passage the rules misread still
answers — and writes, or says that the passages do not answer. Each sentence is checked as soon
as it is complete, kept with its markers renumbered to the passages actually cited, or dropped.
A backend that fails, is too slow, declines or leaves nothing verified — or a reply without the
figure the question asks for — gives the extractive answer (or its refusal) instead.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import closing, nullcontext

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage

from assistant.answering.engine import AnswerEngine
from assistant.contract import MAX_ANSWER_CHARS, Answer, Evidence, make_citation
from assistant.figures import holds_kind
from assistant.prompt import Passage, choose, messages
from assistant.verify import (
    Context,
    SentenceStream,
    check,
    declines,
    split_sentences,
    supporting,
    without_markers,
)

log = logging.getLogger(__name__)


class _Draft:
    """The verified part of a generated answer: sentences, renumbered citations and counts."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        self._passages = {p.n: p for p in passages}
        self._texts = {p.n: p.text for p in passages}
        self._about = {p.n: Context(*(str(p.chunk.metadata.get(key) or "") for key in
                                      ("title", "zone", "date", "section")))
                       for p in passages}
        self._numbers: dict[int, int] = {}  # a passage's number in the prompt -> in the answer
        self._support: dict[int, list[str]] = {}  # a passage's number -> supporting sentences
        self.sentences: list[str] = []
        self.drafted = 0
        self.dropped = 0
        self.declined = False
        self.full = False

    def add(self, sentence: str) -> str | None:
        """The sentence as the answer shows it, if it holds and fits; else None."""
        if declines(sentence):
            self.declined = True
            return None
        self.drafted += 1
        verdict = check(sentence, self._texts, self._about)
        if not verdict.holds:
            self.dropped += 1
            log.info("dropped a generated sentence (%s): %s", verdict.problem, sentence)
            return None
        fresh = iter(range(len(self._numbers) + 1, len(self._numbers) + len(verdict.cited) + 1))
        numbers = {n: self._numbers.get(n) or next(fresh) for n in verdict.cited}
        shown = f"{without_markers(sentence)} {' '.join(f'[{m}]' for m in numbers.values())}"
        if len(" ".join([*self.sentences, shown])) > MAX_ANSWER_CHARS:
            self.full = True
            return None
        self._numbers.update(numbers)
        for n in verdict.cited:
            found = self._support.setdefault(n, [])
            found.extend(s for s in supporting(sentence, self._passages[n].body) if s not in found)
        self.sentences.append(shown)
        return shown

    def answer(self, question: str) -> Answer:
        citations = []
        for n, m in sorted(self._numbers.items(), key=lambda item: item[1]):
            body = self._passages[n].body
            snippet = " ".join(sorted(self._support[n], key=body.find))
            citations.append(make_citation(m, self._passages[n].chunk, snippet))
        return Answer(question, " ".join(self.sentences), True, citations, engine="llm",
                      drafted=self.drafted, dropped=self.dropped)


class GenerativeEngine:
    """Answers written by a chat model from the extractive engine's evidence, verified
    sentence by sentence (same `answer` as `AnswerEngine`, plus `stream`)."""

    def __init__(self, extractive: AnswerEngine, model: BaseChatModel, timeout: float = 20.0,
                 passages: int = 5, one_at_a_time: bool = False) -> None:
        self._extractive = extractive
        self._model = model
        self._timeout = timeout
        self.passages = passages  # how many passages the model reads
        self._lock = threading.Lock() if one_at_a_time else None  # e.g. an in-process model

    def warm_up(self, wait: bool = False) -> None:
        """The extractive engine's warm-up; the chat model is not called."""
        self._extractive.warm_up(wait)

    def answer(self, question: str, history: Sequence[str] = (),
               question_id: str | None = None) -> Answer:
        """One answer from the model's whole reply (no streaming)."""
        *_, result = self._run(question, history, question_id, streaming=False)
        assert isinstance(result, Answer)  # a run always ends with its Answer
        return result

    def stream(self, question: str, history: Sequence[str] = (),
               question_id: str | None = None) -> Iterator[str | Answer]:
        """Each verified sentence as soon as it is complete (its markers final), then the
        whole answer, which may instead be the extractive one; nothing unverified is yielded."""
        return self._run(question, history, question_id, streaming=True)

    def _run(self, question: str, history: Sequence[str], question_id: str | None,
             streaming: bool) -> Iterator[str | Answer]:
        started = time.perf_counter()
        evidence = self._extractive.evidence(question, history, question_id)
        if not evidence.chunks or evidence.answer.table:  # nothing retrieved, or a table
            yield evidence.answer  # of the documents' figures: stands as it is
            return
        cited = [citation.passage for citation in evidence.answer.citations]
        passages = choose(evidence.chunks, cited, self.passages)
        draft = _Draft(passages)
        prompt = messages(evidence.answer.question, history, passages)
        failed = False
        try:
            with closing(self._sentences(prompt, streaming, started)) as sentences:
                for sentence in sentences:
                    shown = draft.add(sentence)
                    if shown:
                        yield shown
                    if draft.full:
                        break
        except Exception as error:  # the backend is down, too slow or broken
            log.warning("the chat model failed (%s: %s); giving the extractive answer",
                        type(error).__name__, error)
            failed = True
        result = evidence.answer if failed else self._settle(draft, evidence)
        result = dataclasses.replace(
            result, id=question_id, drafted=draft.drafted, dropped=draft.dropped,
            latency_ms=round((time.perf_counter() - started) * 1000, 1))
        yield result

    def _sentences(self, prompt: list[BaseMessage], streaming: bool, started: float
                   ) -> Iterator[str]:
        """The model's reply, sentence by sentence; streamed replies keep to the deadline."""
        with self._lock or nullcontext():
            if not streaming:
                yield from split_sentences(self._model.invoke(prompt).text)
                return
            pieces = SentenceStream()
            with closing(self._model.stream(prompt)) as chunks:
                for chunk in chunks:
                    if time.perf_counter() - started > self._timeout:
                        raise TimeoutError(f"no whole answer within {self._timeout:g} s")
                    yield from pieces.feed(chunk.text)
            yield from pieces.close()

    @staticmethod
    def _settle(draft: _Draft, evidence: Evidence) -> Answer:
        """The verified answer, or the extractive one when the draft is not a usable answer."""
        text = without_markers(" ".join(draft.sentences))
        if not draft.sentences:
            reason = "said the passages do not answer" if draft.declined else "kept no sentence"
        elif evidence.figure not in (None, "person") and not holds_kind(text, evidence.figure):
            reason = f"left out the {evidence.figure} the question asks for"
        else:
            return draft.answer(evidence.answer.question)
        log.warning("the chat model's answer %s (%s of %s sentences dropped); giving the "
                    "extractive answer", reason, draft.dropped, draft.drafted)
        return evidence.answer
