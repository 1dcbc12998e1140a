"""Hybrid retrieval as a LangChain retriever: dense sentences, dense chunks and BM25, fused."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.config import RRF_K, RetrievalSettings
from assistant.seams import TermSearch, VectorSearch


def reciprocal_rank_fusion(
    rankings: list[list[str]], weights: list[float] | None = None, k: int = RRF_K
) -> dict[str, float]:
    """Weighted sum of 1 / (k + rank) over the rankings each id appears in."""
    fused: dict[str, float] = defaultdict(float)
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings), strict=True):
        for rank, item in enumerate(ranking, start=1):
            fused[item] += weight / (k + rank)
    return dict(fused)


class HybridRetriever(BaseRetriever):
    """Chunks ranked by fusing three lists: the chunks of the best-matching sentences, the
    best-matching chunk vectors, and BM25 over chunk text with its title and section."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: VectorSearch
    lexical: TermSearch
    embeddings: Embeddings
    settings: RetrievalSettings = RetrievalSettings()

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return self.search(query, self.embeddings.embed_query(query))

    def search(
        self, query: str, vector: list[float], k: int | None = None,
        where: dict | None = None, later: Collection[str] = frozenset(),
    ) -> list[Document]:
        """Top chunks for a query whose embedding is already known (one embedding a question).
        Chunks in `later` (an older edition's) come after the others in each ranking: each
        ranking is the best of the others, then the best of `later`, so that hundreds of
        older copies of a passage cannot crowd its newest copy out."""
        knobs = self.settings
        k = k or knobs.k
        fetch = max(knobs.fetch_k, k)
        by_sentence: list[str] = []
        for hit in self.store.search_sentences(vector, fetch * 2, where=where, later=later):
            if hit.metadata["chunk_id"] not in by_sentence:
                by_sentence.append(hit.metadata["chunk_id"])
        dense_hits = self.store.search_chunks(vector, fetch, where=where, later=later)
        by_terms = [chunk_id for chunk_id, _ in self.lexical.search(query, fetch, later=later)]
        by_chunk = [hit.id for hit in dense_hits]
        # each ranking weighed by its vote (settings: by default the two dense ones share one)
        fused = reciprocal_rank_fusion(
            [by_sentence, by_chunk, by_terms],
            [knobs.sentence_weight, knobs.chunk_weight, knobs.lexical_weight], knobs.rrf_k)
        best = sorted(fused, key=fused.__getitem__, reverse=True)[:k]
        hits = {hit.id: hit for hit in dense_hits}
        missing = [chunk_id for chunk_id in best if chunk_id not in hits]
        hits.update({hit.id: hit for hit in self.store.get_chunks(missing)})
        return [
            Document(page_content=hits[chunk_id].text, id=chunk_id,
                     metadata={**hits[chunk_id].metadata, "chunk_id": chunk_id,
                               "fusion": fused[chunk_id], "rank": rank})
            for rank, chunk_id in enumerate(best) if chunk_id in hits
        ]
