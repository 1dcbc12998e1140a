"""Fakes for unit tests: a deterministic bag-of-words embedding (no model load), a word
counter, an extractive engine over a store or over a small corpus indexed with them, and the
app built over a fake library and finder (kept
out of conftest.py, which every test process, pytest-xdist's controller among them, imports
before it starts: these pull in Chroma and LangChain)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.answering.bank import SentenceBank
from assistant.answering.engine import AnswerEngine
from assistant.config import AnswerSettings
from assistant.embeddings import ChunkVectors
from assistant.ingest.chunking import SentenceChunker
from assistant.ingest.pipeline import FileResult, Ingestor
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


STAFF_NAME = "Zhang Staffname"  # who the fake change log says made its one change


class FakeLibrary:
    """One document, a change log naming `STAFF_NAME`, and the uploads it was handed (or
    `error` from every listing)."""

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.uploaded: list[list[tuple[str, Path]]] = []

    def documents(self) -> list[dict[str, Any]]:
        if self.error:
            raise self.error
        return [{"title": "Reed", "source": "reed.md", "zone": "Reed FTZ", "date": "2024",
                 "chunks": 1, "ingested_at": "2025-01-01T00:00:00", "size_bytes": 100}]

    def history(self) -> list[dict[str, Any]]:
        return [{"when": "2025-01-01T00:00:00", "who": STAFF_NAME, "action": "upload",
                 "source": "reed.md", "status": "added", "chunks": 1}]

    def upload(self, pairs: list[tuple[str, Path]], who: str, progress=None) -> list:
        self.uploaded.append(pairs)
        return [FileResult(name, "added", 1) for name, _ in pairs]


class FakeFinder:
    """The figures it is given (none by default; or `error`), no zone, no measure's passage
    and no Chinese term."""

    glossary = SimpleNamespace(terms=lambda text: [])

    def __init__(self, facts: Sequence[dict[str, Any]] = (),
                 error: Exception | None = None) -> None:
        self._facts = list(facts)
        self.error = error

    def zones(self) -> list[str]:
        return []

    def facts(self, zone: str | None = None) -> list[dict[str, Any]]:
        if self.error:
            raise self.error
        return self._facts

    def passage(self, chunk_id: str) -> None:
        return None


def fake_app(engine: Any = None, finder: Any = None) -> Any:
    """The app's Blocks over an engine (by default one never asked), `FakeLibrary`, a staff
    gate without a password and a finder (by default `FakeFinder`)."""
    from assistant.access import StaffGate
    from assistant.ui.app import build_app

    return build_app(engine or SimpleNamespace(), FakeLibrary(), StaffGate(""),
                     finder or FakeFinder(), 60)
