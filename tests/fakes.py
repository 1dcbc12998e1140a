"""Fakes for unit tests: a deterministic bag-of-words embedding (no model load), a word
counter, and an extractive engine over a store or over a small corpus indexed with them (kept
out of conftest.py, which every test process, pytest-xdist's controller among them, imports
before it starts: these pull in Chroma and LangChain)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.answering.bank import SentenceBank
from assistant.answering.engine import AnswerEngine
from assistant.config import AnswerSettings
from assistant.embeddings import ChunkVectors
from assistant.ingest.chunking import SentenceChunker
from assistant.ingest.pipeline import Ingestor
from assistant.lexical import LexicalIndex
from assistant.retrieval import HybridRetriever
from assistant.store import ChromaStore

DIMENSIONS = 256


class BagOfWordsEmbeddings(Embeddings):
    """Hashed bag of lower-cased words: shared words mean near vectors; counts its calls."""

    def __init__(self) -> None:
        self.embedded_texts = 0

    def _vector(self, text: str) -> list[float]:
        vector = np.zeros(DIMENSIONS, dtype=np.float32)
        for word in re.findall(r"\w+", text.lower()):
            digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
            vector[int.from_bytes(digest, "little") % DIMENSIONS] += 1.0
        norm = np.linalg.norm(vector)
        if norm == 0:
            vector[0] = 1.0
            norm = 1.0
        return (vector / norm).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded_texts += len(texts)
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)

    def embed_with_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> list[ChunkVectors]:
        self.embedded_texts += len(texts)
        return [
            ChunkVectors(self._vector(t), [self._vector(t[a:b]) for a, b in s])
            for t, s in zip(texts, spans, strict=True)
        ]


def count_words(text: str) -> int:
    """Token counter stand-in: words plus the two special tokens."""
    return len(text.split()) + 2


def extractive_engine(store: ChromaStore, lexical: LexicalIndex, embeddings: Embeddings,
                      cache_size: int = 512, **answer: object) -> AnswerEngine:
    """The extractive engine over a store, its lexical index and an embedding (a fake one in
    unit tests: its similarities are not the model's, so the answer threshold is low unless
    given; contradictions still rule sentences out)."""
    bank = SentenceBank(lambda: (store.iter_chunks(vectors=True),
                                 store.iter_sentences(vectors=True)))
    retriever = HybridRetriever(store=bank, lexical=lexical, embeddings=embeddings)
    settings = AnswerSettings(**({"threshold": 0.2} | answer))
    return AnswerEngine(retriever, bank, embeddings, lexical, settings, cache_size=cache_size)


def index_corpus(base: Path, documents: dict[str, str]) -> SimpleNamespace:
    """`documents` (name -> text) written to `base`/corpus and ingested into a Chroma in
    `base`/index with the fake embedding: the ingest's results, the store, lexical index,
    embedding and an extractive engine over them (indexed once, for a module whose tests only
    ask)."""
    folder, index = base / "corpus", base / "index"
    folder.mkdir(parents=True)
    for name, text in documents.items():
        (folder / name).write_text(text, encoding="utf-8")
    embeddings = BagOfWordsEmbeddings()
    store = ChromaStore(embeddings, index_dir=index)
    lexical = LexicalIndex(index / "lexical")
    ingestor = Ingestor(store, embeddings, SentenceChunker(count_words, 120), lexical)
    results = ingestor.ingest(sorted(folder.iterdir()))
    return SimpleNamespace(results=results, store=store, lexical=lexical, embeddings=embeddings,
                           engine=extractive_engine(store, lexical, embeddings))
