"""The bundled model: offline load, and late chunking consistent with plain encoding."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.embeddings import MiniLMEmbeddings, TokenCounter

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def embeddings() -> MiniLMEmbeddings:
    return MiniLMEmbeddings()


def test_model_loads_lazily_and_offline(embeddings: MiniLMEmbeddings) -> None:
    assert not embeddings.loaded
    vector = embeddings.embed_query("bonded blending of iron ore")
    assert embeddings.loaded
    assert len(vector) == 384
    assert abs(np.linalg.norm(vector) - 1.0) < 1e-4


def test_late_chunking_matches_the_model_and_ranks_sentences(
    embeddings: MiniLMEmbeddings,
) -> None:
    text = ("Dalian introduced bonded blending of iron ore. "
            "Hainan raised the duty-free shopping quota to 100,000 yuan.")
    spans = [(0, 46), (47, len(text))]
    [result] = embeddings.embed_with_spans([text], [spans])
    plain = embeddings.embed_documents([text])[0]
    assert np.dot(result.chunk, plain) > 0.999
    query = embeddings.embed_query("How much can shoppers spend duty-free in Hainan?")
    scores = [float(np.dot(query, span)) for span in result.spans]
    assert scores[1] > scores[0]


def test_token_counter_matches_the_model_tokenizer(embeddings: MiniLMEmbeddings) -> None:
    text = "Sinceits establishment the zone has 119.89 km²."
    expected = len(embeddings.model.tokenizer(text)["input_ids"])
    assert TokenCounter()(text) == expected
