"""Hybrid retrieval's fusion, with its knobs from settings (fakes: no model, no Chroma)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from pydantic import ValidationError

from assistant.config import RetrievalSettings, load_settings
from assistant.retrieval import HybridRetriever
from tests.fakes import BagOfWordsEmbeddings


def _hit(hit_id: str, **metadata: str) -> SimpleNamespace:
    return SimpleNamespace(id=hit_id, text=f"text of {hit_id}", metadata=metadata)


class RankingStore:
    """Dense search ranks chunk "by-meaning" first; records how many hits each search asked."""

    def __init__(self) -> None:
        self.asked: dict[str, int] = {}

    def search_sentences(self, vector, n, where=None, later=frozenset()):
        self.asked["sentences"] = n
        return [_hit("s-1", chunk_id="by-meaning")]

    def search_chunks(self, vector, n, where=None, later=frozenset()):
        self.asked["chunks"] = n
        return [_hit("by-meaning")]

    def get_chunks(self, ids):
        return [_hit(chunk_id) for chunk_id in ids]


class RankingLexical:
    """BM25 ranks chunk "by-words" first."""

    fingerprint = "fake"

    def search(self, query, n, later=frozenset()):
        return [("by-words", 3.0)]

    def idf(self, term):
        return 1.0


def _first(settings: RetrievalSettings, store: RankingStore | None = None) -> str:
    retriever = HybridRetriever(store=store or RankingStore(), lexical=RankingLexical(),
                                embeddings=BagOfWordsEmbeddings(), settings=settings)
    return retriever.search("invented question", [0.0])[0].id


def test_the_fusion_weights_come_from_settings() -> None:
    assert _first(RetrievalSettings(lexical_weight=2.0)) == "by-words"
    assert _first(RetrievalSettings(lexical_weight=0.5)) == "by-meaning"


def test_each_ranking_is_as_long_as_settings_say() -> None:
    store = RankingStore()
    _first(RetrievalSettings(fetch_k=7), store)
    assert store.asked == {"sentences": 14, "chunks": 7}


def test_retrieval_knobs_are_read_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("FTZ_RETRIEVAL__FETCH_K", "30")
    monkeypatch.setenv("FTZ_RETRIEVAL__LEXICAL_WEIGHT", "0.25")
    knobs = load_settings().retrieval
    assert (knobs.fetch_k, knobs.lexical_weight, knobs.k) == (30, 0.25, 6)


def test_a_collaborator_without_the_seam_s_methods_is_refused() -> None:
    class NoSearch:
        pass

    with pytest.raises(ValidationError):
        HybridRetriever(store=NoSearch(), lexical=RankingLexical(),
                        embeddings=BagOfWordsEmbeddings())


class EditionStore:
    """Every ranking holds older copies of a passage before its newest copy; asked with
    `later`, the newest copy first, then the older ones (as the bank and BM25 do). Records the
    `later` each search was given."""

    def __init__(self, copies: int) -> None:
        self.older = [f"old-{n}" for n in range(copies)]
        self.given: list[object] = []

    def ranked(self, n: int, later) -> list[SimpleNamespace]:
        self.given.append(later)
        order = ["newest", *self.older] if later else [*self.older, "newest"]
        return [_hit(chunk_id, chunk_id=chunk_id) for chunk_id in order][:n]

    def search_sentences(self, vector, n, where=None, later=frozenset()):
        return self.ranked(n, later)

    def search_chunks(self, vector, n, where=None, later=frozenset()):
        return self.ranked(n, later)

    def get_chunks(self, ids):
        return [_hit(chunk_id) for chunk_id in ids]


class EditionLexical(RankingLexical):
    def __init__(self, store: EditionStore) -> None:
        self.store = store

    def search(self, query, n, later=frozenset()):
        return [(hit.id, 1.0) for hit in self.store.ranked(n, later)]


def test_every_ranking_is_asked_to_put_older_editions_after_the_newest() -> None:
    store = EditionStore(copies=30)  # (more than fetch_k: without `later`, no newest copy)
    retriever = HybridRetriever(store=store, lexical=EditionLexical(store),
                                embeddings=BagOfWordsEmbeddings(),
                                settings=RetrievalSettings(fetch_k=10))
    assert "newest" not in [d.id for d in retriever.search("q", [0.0], k=3)]
    later = frozenset(store.older)
    store.given.clear()
    found = retriever.search("q", [0.0], k=3, later=later)
    assert [d.id for d in found] == ["newest", "old-0", "old-1"]
    assert store.given == [later] * 3  # sentences, chunks and BM25 each
