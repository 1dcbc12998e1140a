"""The only module that talks to Chroma: an embedded folder or a server, two collections.

`<name>_chunks` holds passages (document text + provenance metadata + chunk vector);
`<name>_sentences` holds each chunk's sentences with their late-chunked vectors. Every record
carries `source` and `doc_hash`, so a document's version in the store can be checked and
replaced exactly.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
from chromadb import Documents, EmbeddingFunction
from chromadb import Embeddings as ChromaVectors
from langchain_core.embeddings import Embeddings

from assistant.errors import REBUILD_COMMAND, StoreDamaged, StoreUnavailable

log = logging.getLogger(__name__)
PAGE_SIZE = 5000  # records per Chroma `get` when every record of a kind is read (well under
# SQLite's limit; fewer pages: Chroma reads each page's offset again)

# what SQLite and Chroma say of a damaged database or vector index (as opposed to a server
# that does not answer)
DAMAGE_SIGNS = ("not a database", "malformed", "disk image", "hnsw", "corrupt",
                "no such table", "panic")


class LangChainEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma's embedding-function interface over our LangChain embeddings (never Chroma's own)."""

    def __init__(self, embeddings: Embeddings) -> None:
        self._embeddings = embeddings

    def __call__(self, input: Documents) -> ChromaVectors:  # noqa: A002 (Chroma's name)
        import numpy as np

        return [np.asarray(v, dtype=np.float32) for v in self._embeddings.embed_documents(input)]

    @staticmethod
    def name() -> str:
        return "ftz-assistant-minilm"

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> LangChainEmbeddingFunction:
        """Rebuilt from a stored collection: the bundled model (loaded only if used)."""
        from assistant.embeddings import MiniLMEmbeddings

        return LangChainEmbeddingFunction(MiniLMEmbeddings())


@dataclass(frozen=True)
class Hit:
    """One search result: record id, cosine similarity, text and metadata (and the record's
    vector, when asked for)."""

    id: str
    score: float
    text: str
    metadata: dict[str, Any]
    vector: Any = None


@dataclass(frozen=True)
class DocumentState:
    """What the store holds of one source: versions present and whether the latest is whole."""

    hashes: frozenset[str]
    chunk_ids: frozenset[str]
    sentence_ids: frozenset[str]
    expected_chunks: int
    expected_sentences: int

    def is_complete(self, doc_hash: str) -> bool:
        return (
            self.hashes == {doc_hash}
            and len(self.chunk_ids) == self.expected_chunks
            and len(self.sentence_ids) == self.expected_sentences
        )


class ChromaStore:
    """Chunks and sentences in Chroma, embedded (`index_dir`) or on a server (`url`)."""

    def __init__(
        self, embeddings: Embeddings, index_dir: Path | None = None, url: str | None = None,
        name: str = "ftz",
    ) -> None:
        self._embeddings = embeddings
        self._index_dir = index_dir
        self._url = url
        self._name = name
        self._client: Any = None
        self._chunks: Any = None
        self._sentences: Any = None

    @property
    def location(self) -> str:
        return self._url or str(self._index_dir)

    def _connect(self) -> None:
        if self._chunks is not None:
            return
        import chromadb

        quiet = chromadb.Settings(anonymized_telemetry=False)
        try:
            if self._url:
                parsed = urlparse(self._url)
                if not parsed.hostname:
                    raise StoreUnavailable(f"FTZ_CHROMA_URL is not a URL: {self._url!r}")
                client = chromadb.HttpClient(
                    host=parsed.hostname, port=parsed.port or 8000,
                    ssl=parsed.scheme == "https", settings=quiet,
                )
            else:
                if self._index_dir is None:
                    raise StoreUnavailable("no index folder configured")
                self._index_dir.mkdir(parents=True, exist_ok=True)
                client = chromadb.PersistentClient(
                    path=str(self._index_dir / "chroma"), settings=quiet
                )
            function = LangChainEmbeddingFunction(self._embeddings)
            config = {"hnsw": {"space": "cosine"}}
            self._chunks = client.get_or_create_collection(
                f"{self._name}_chunks", embedding_function=function, configuration=config
            )
            self._sentences = client.get_or_create_collection(
                f"{self._name}_sentences", embedding_function=function, configuration=config
            )
            self._client = client
        except StoreUnavailable:
            raise
        except BaseException as error:  # (Chroma's Rust core panics with a BaseException)
            if not isinstance(error, Exception) and not _is_panic(error):
                raise
            self._raise_if_damaged(error)
            raise StoreUnavailable(  # chromadb raises many types for a missing server
                f"cannot open the Chroma index at {self.location}: {_short(error)}"
            ) from error

    def _call(self, method: str, collection: str, **kwargs: Any) -> Any:
        """Run one collection method, turning connection failures into StoreUnavailable."""
        self._connect()
        target = self._chunks if collection == "chunks" else self._sentences
        try:
            return getattr(target, method)(**kwargs)
        except BaseException as error:
            if not isinstance(error, Exception) and not _is_panic(error):
                raise
            # (the HTTP client's own failures: refused, reset, timed out, cut off mid-answer)
            if self._url and isinstance(error, httpx.TransportError):
                self._chunks = self._sentences = None
                raise StoreUnavailable(
                    f"the Chroma server at {self._url} is not reachable: {_short(error)}"
                ) from error
            self._raise_if_damaged(error)
            raise

    def _raise_if_damaged(self, error: BaseException) -> None:
        """StoreDamaged for an embedded database that SQLite or Chroma call damaged."""
        text = f"{type(error).__name__} {error}".lower()
        if self._url is None and any(sign in text for sign in DAMAGE_SIGNS):
            self._chunks = self._sentences = None
            raise StoreDamaged(
                f"the Chroma index at {self.location} is damaged ({_short(error)}): rebuild "
                f"it from the documents with `{REBUILD_COMMAND}`") from error

    def reset(self) -> None:
        """Throw away every record (a damaged embedded database is deleted unopened; a
        server's collections are dropped); the next use starts an empty store."""
        if self._url is None:
            if self._index_dir is not None:
                shutil.rmtree(self._index_dir / "chroma", ignore_errors=True)
            self._client = self._chunks = self._sentences = None
            return
        self._connect()
        for suffix in ("chunks", "sentences"):
            self._client.delete_collection(f"{self._name}_{suffix}")
        self._client = self._chunks = self._sentences = None

    def count(self) -> int:
        return int(self._call("count", "chunks"))

    def document_state(self, source: str) -> DocumentState:
        pages = list(self._pages("chunks", ["metadatas"], {"source": source}))
        sentences = self._call("get", "sentences", where={"source": source}, include=[])
        metas = [meta for page in pages for meta in page["metadatas"]]
        return DocumentState(
            hashes=frozenset(str(m.get("doc_hash")) for m in metas),
            chunk_ids=frozenset(chunk_id for page in pages for chunk_id in page["ids"]),
            sentence_ids=frozenset(sentences["ids"]),
            expected_chunks=int(metas[0].get("n_chunks", 0)) if metas else 0,
            expected_sentences=int(metas[0].get("n_sentences", 0)) if metas else 0,
        )

    def upsert_sentences(
        self, ids: list[str], texts: list[str], vectors: list[list[float]], metas: list[dict]
    ) -> None:
        self._upsert("sentences", ids, texts, vectors, metas)

    def upsert_chunks(
        self, ids: list[str], texts: list[str], vectors: list[list[float]], metas: list[dict]
    ) -> None:
        self._upsert("chunks", ids, texts, vectors, metas)

    def _upsert(self, collection: str, ids: list[str], texts: list[str],
                vectors: list[list[float]], metas: list[dict]) -> None:
        """Records added or replaced in batches the server takes."""
        for batch in self._batches(len(ids)):
            self._call("upsert", collection, ids=ids[batch], documents=texts[batch],
                       embeddings=vectors[batch], metadatas=metas[batch])

    def delete_source(self, source: str, keep_hash: str | None = None) -> None:
        """Delete a source's records, or only those of versions other than `keep_hash`."""
        where: dict[str, Any] = {"source": source}
        if keep_hash is not None:
            where = {"$and": [{"source": source}, {"doc_hash": {"$ne": keep_hash}}]}
        # Chunks first: a chunk never points at sentences that are already gone.
        self._call("delete", "chunks", where=where)
        self._call("delete", "sentences", where=where)

    def delete_version(self, source: str, doc_hash: str) -> None:
        """Delete one version of a source (used to take back a failed write)."""
        where = _version(source, doc_hash)
        self._call("delete", "chunks", where=where)
        self._call("delete", "sentences", where=where)

    def chunk_metadatas(self) -> list[dict[str, Any]]:
        return [dict(meta) for page in self._pages("chunks", ["metadatas"])
                for meta in page["metadatas"]]

    def chunk_ids(self) -> list[str]:
        return list(self._call("get", "chunks", include=[])["ids"])

    def chunk_versions(self) -> list[tuple[str, str, str]]:
        """(id, source, doc_hash) of every chunk, in the store's order."""
        return [(chunk_id, str(meta.get("source", "")), str(meta.get("doc_hash", "")))
                for page in self._pages("chunks", ["metadatas"])
                for chunk_id, meta in zip(page["ids"], page["metadatas"], strict=True)]

    def version_records(self, source: str, doc_hash: str) -> tuple[list[Hit], list[Hit]]:
        """The chunks and the sentences of one version of a document, in the store's order."""
        where = _version(source, doc_hash)
        chunks, sentences = ([hit for page in self._pages(collection, ["documents", "metadatas"],
                                                           where) for hit in _hits(page)]
                             for collection in ("chunks", "sentences"))
        return chunks, sentences

    def iter_chunks(self, vectors: bool = False) -> Iterator[Hit]:
        """Every chunk with its text and metadata (and vector), page by page."""
        return self._iterate("chunks", vectors)

    def iter_sentences(self, vectors: bool = False) -> Iterator[Hit]:
        """Every sentence with its text and metadata (and vector), page by page."""
        return self._iterate("sentences", vectors)

    def sentence_vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        """Stored vectors of the given sentences."""
        if not ids:
            return {}
        found = self._call("get", "sentences", ids=list(ids), include=["embeddings"])
        return {i: list(v) for i, v in zip(found["ids"], found["embeddings"], strict=True)}

    def _iterate(self, collection: str, vectors: bool = False) -> Iterator[Hit]:
        include = ["documents", "metadatas"] + (["embeddings"] if vectors else [])
        for page in self._pages(collection, include):
            found = page["embeddings"] if vectors else [None] * len(page["ids"])
            for record_id, text, meta, vector in zip(
                page["ids"], page["documents"], page["metadatas"], found, strict=True
            ):
                yield Hit(record_id, 0.0, text, dict(meta), vector)

    def _pages(self, collection: str, include: list[str], where: dict[str, Any] | None = None
               ) -> Iterator[dict[str, Any]]:
        """The results of a Chroma `get`, `PAGE_SIZE` records at a time: one `get` of metadata
        past about 32,000 records fails in SQLite ("too many SQL variables")."""
        offset = 0
        while True:
            page = self._call("get", collection, include=include, where=where,
                              limit=PAGE_SIZE, offset=offset)
            yield page
            if len(page["ids"]) < PAGE_SIZE:
                return
            offset += PAGE_SIZE

    def get_chunks(self, ids: Sequence[str]) -> list[Hit]:
        if not ids:
            return []
        found = self._call("get", "chunks", ids=list(ids), include=["documents", "metadatas"])
        by_id = {hit.id: hit for hit in _hits(found)}
        return [by_id[i] for i in ids if i in by_id]

    def nearest(self, collection: str, vector: list[float], k: int) -> list[tuple[str, float]]:
        """The ids of the `k` records of a collection ("chunks" or "sentences") nearest
        `vector` by Chroma's HNSW index, with their cosine similarity (no texts: for a caller
        that holds them)."""
        result = self._call("query", collection, query_embeddings=[vector], n_results=k,
                            include=["distances"])
        return [(i, 1.0 - float(d))
                for i, d in zip(result["ids"][0], result["distances"][0], strict=True)]

    def _batches(self, total: int) -> Iterator[slice]:
        self._connect()
        size = min(1000, int(self._client.get_max_batch_size()))
        for start in range(0, total, size):
            yield slice(start, start + size)


def _hits(found: dict[str, Any]) -> list[Hit]:
    """The records of a Chroma `get` (with documents and metadatas) as hits."""
    return [Hit(record_id, 0.0, text, dict(meta)) for record_id, text, meta
            in zip(found["ids"], found["documents"], found["metadatas"], strict=True)]


def _version(source: str, doc_hash: str) -> dict[str, Any]:
    """The filter for the records of one version of a document."""
    return {"$and": [{"source": source}, {"doc_hash": doc_hash}]}


def _is_panic(error: BaseException) -> bool:
    """Whether `error` is a panic of Chroma's Rust core (raised as a BaseException)."""
    return type(error).__name__ == "PanicException"


def _short(error: BaseException) -> str:
    message = str(error).strip().splitlines()
    return message[0][:200] if message else type(error).__name__
