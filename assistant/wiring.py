"""The one composition root: `Settings` in, ready-to-use objects out (all heavy parts lazy)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from assistant.access import Backoff, StaffGate
from assistant.answering.bank import SentenceBank
from assistant.answering.engine import AnswerEngine
from assistant.answering.tables import TableAnswers
from assistant.answering.terms import TermVectors
from assistant.catalogue import Catalogue
from assistant.config import Settings
from assistant.crosslingual import Glossary, bundled_glossary
from assistant.embeddings import MiniLMEmbeddings, TokenCounter
from assistant.finder import PolicyFinder
from assistant.generative import GenerativeEngine
from assistant.ingest.chunking import SentenceChunker
from assistant.ingest.pipeline import Ingestor
from assistant.ingest.sandbox import Sandbox
from assistant.injection import SteeringModel
from assistant.lexical import LexicalIndex
from assistant.library import Library
from assistant.llm import build_chat_model
from assistant.retrieval import HybridRetriever
from assistant.seams import Engine
from assistant.store import ChromaStore


class Throttled:
    """Calls a function when asked, at most once every `seconds` (thread-safe)."""

    def __init__(self, function: Callable[[], object], seconds: float) -> None:
        self._function = function
        self._seconds = seconds
        self._last = float("-inf")
        self._lock = threading.Lock()

    def now(self) -> None:
        with self._lock:
            self._function()
            self._last = time.monotonic()

    def __call__(self) -> None:
        if time.monotonic() - self._last >= self._seconds and self._lock.acquire(blocking=False):
            try:
                self._function()
                self._last = time.monotonic()
            finally:
                self._lock.release()


@dataclass
class Components:
    """Everything the CLI and the app need, built on first use from one `Settings`."""

    settings: Settings

    @cached_property
    def embeddings(self) -> MiniLMEmbeddings:
        return MiniLMEmbeddings(batch_size=self.settings.embed_batch_size)

    @cached_property
    def store(self) -> ChromaStore:
        return ChromaStore(
            self.embeddings, index_dir=self.settings.index_dir,
            url=self.settings.chroma_url, name=self.settings.collection,
        )

    @cached_property
    def lexical(self) -> LexicalIndex:
        return LexicalIndex(self.settings.index_dir / "lexical")

    @cached_property
    def ingestor(self) -> Ingestor:
        chunker = SentenceChunker(TokenCounter(), max_tokens=self.settings.chunk_tokens)
        sandbox = Sandbox(self.settings.parse_memory_mb, self.settings.parse_seconds)
        return Ingestor(self.store, self.embeddings, chunker, self.lexical, loader=sandbox,
                        release=sandbox.close, lock_path=self.settings.index_dir / "ingest.lock",
                        catalogue=self.catalogue, steering=self.settings.steering,
                        steering_model=SteeringModel.load(self.embeddings.embed_documents))

    @cached_property
    def catalogue(self) -> Catalogue:
        return Catalogue(self.settings.index_dir / "catalogue.json")

    def prepare(self) -> Components:
        """Bring the side indexes (BM25, the catalogue, and the term vectors the sentence bank
        keeps beside the index) in step with the store now, rather than at the first question
        (the engine and the finder keep them in step after that, at most every
        `refresh_seconds`); returns these components."""
        self.refresh.now()
        self.bank.ensure(self.lexical.fingerprint)
        return self

    @cached_property
    def finder(self) -> PolicyFinder:
        """Measures for an enterprise and the figures."""
        return PolicyFinder(self.catalogue, self.bank, self.embeddings, self.lexical,
                            self.settings.finder, refresh=self.refresh, glossary=self.glossary)

    @cached_property
    def glossary(self) -> Glossary:
        """Reads Chinese questions and profiles as English (the shared one: it loads jieba)."""
        return bundled_glossary()

    @cached_property
    def gate(self) -> StaffGate:
        settings = self.settings
        return StaffGate(settings.admin_password, settings.staff_session_minutes,
                         Backoff(settings.sign_in_backoff_seconds,
                                 settings.sign_in_backoff_max_seconds, settings.sign_in_clients))

    @cached_property
    def library(self) -> Library:
        return Library(self.ingestor, self.store, self.settings.docs_dir, self.settings.index_dir,
                       max_upload_bytes=int(self.settings.max_upload_mb * 1024 * 1024),
                       reserved=self.settings.ignore_names)

    @cached_property
    def bank(self) -> SentenceBank:
        """The store's chunks and sentences in memory, for dense search and answering."""
        terms = TermVectors(self.embeddings, self.settings.index_dir / "terms",
                            similarity=self.settings.answer.term_similarity)
        return SentenceBank(lambda: (self.store.iter_chunks(vectors=True),
                                     self.store.iter_sentences(vectors=True)), terms,
                            lambda *search: self.store.nearest(*search),
                            self.settings.retrieval.exact_search_limit)

    @cached_property
    def retriever(self) -> HybridRetriever:
        return HybridRetriever(store=self.bank, lexical=self.lexical, embeddings=self.embeddings,
                               settings=self.settings.retrieval)

    @cached_property
    def refresh(self) -> Throttled:
        """Side indexes brought in step with the store (which other processes or app instances
        may change) at most every `refresh_seconds`."""
        return Throttled(self.ingestor.sync_lexical, self.settings.refresh_seconds)

    @cached_property
    def engine(self) -> Engine:
        """The answer engine: the extractive one, or with `FTZ_LLM` set the generative one over
        it."""
        extractive = AnswerEngine(self.retriever, self.bank, self.embeddings, self.lexical,
                                  self.settings.answer, refresh=self.refresh,
                                  glossary=self.glossary, cache_size=self.settings.answer_cache,
                                  tables=TableAnswers(lambda: self.catalogue.facts))
        model = build_chat_model(self.settings)
        if model is None:
            return extractive
        return GenerativeEngine(extractive, model, timeout=self.settings.llm_timeout,
                                passages=self.settings.llm_passages,
                                one_at_a_time=self.settings.llm == "llamacpp")
