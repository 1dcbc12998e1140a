"""The seams between components: what each collaborator is asked for, as protocols, so that a
fake (in the tests) or another backend can stand in without the caller knowing.

The embedder seam is LangChain's `Embeddings` (`embed_query`, `embed_documents`) plus
`SpanEmbedder` below for ingestion; the other three are here.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from langchain_core.documents import Document

    from assistant.contract import Answer
    from assistant.embeddings import ChunkVectors
    from assistant.store import Hit


class SpanEmbedder(Protocol):
    """Embeds chunks together with spans inside them (late chunking): ingestion's embedder."""

    def embed_with_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> list[ChunkVectors]: ...


@runtime_checkable
class VectorSearch(Protocol):
    """The read side of the store that retrieval uses: nearest sentences and chunks to a
    vector (optionally filtered by metadata), and chunks by id. With `later`, the k nearest
    outside those chunks, then the k nearest of them."""

    def search_sentences(self, vector: list[float], k: int, where: dict | None = None,
                         later: Collection[str] = frozenset()) -> list[Hit]: ...

    def search_chunks(self, vector: list[float], k: int, where: dict | None = None,
                      later: Collection[str] = frozenset()) -> list[Hit]: ...

    def get_chunks(self, ids: Sequence[str]) -> list[Hit]: ...


@runtime_checkable
class TermSearch(Protocol):
    """Keyword search over chunks: (chunk id, score) pairs, best first, and each term's
    inverse document frequency; `fingerprint` names the store state it was built from."""

    @property
    def fingerprint(self) -> str: ...

    def search(self, query: str, k: int, later: Collection[str] = frozenset()
               ) -> list[tuple[str, float]]: ...

    def idf(self, term: str) -> float: ...


class ChunkRetriever(Protocol):
    """Ranks chunks for a question whose embedding is already known (one embedding a
    question), as LangChain documents with their metadata; chunks in `later` rank after the
    others."""

    def search(self, query: str, vector: list[float], k: int | None = None,
               where: dict | None = None, later: Collection[str] = frozenset()
               ) -> list[Document]: ...


class Engine(Protocol):
    """Answers questions: `answer` gives the whole answer; `stream` yields each sentence as
    soon as it may be shown (none, for an engine that answers in one piece), then the Answer."""

    def warm_up(self, wait: bool = False) -> None: ...

    def answer(self, question: str, history: Sequence[str] = (),
               question_id: str | None = None) -> Answer: ...

    def stream(self, question: str, history: Sequence[str] = (),
               question_id: str | None = None) -> Iterator[str | Answer]: ...
