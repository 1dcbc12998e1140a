"""Words of nearly the same meaning, from word vectors (a fake embedding with set vectors)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.answering.terms import TermVectors, written_forms

DIRECTIONS = {"enterprises": [1.0, 0.1, 0.0], "firms": [0.95, 0.2, 0.0],
              "exports": [0.0, 1.0, 0.2], "imports": [0.0, 0.6, 1.0], "grew": [0.1, 0.1, 0.1]}


class WordVectors(Embeddings):
    """Set vectors for a few words; counts the words it embeds."""

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def _vector(self, word: str) -> list[float]:
        vector = np.asarray(DIRECTIONS.get(word, [0.3, 0.3, 0.3]), dtype=np.float32)
        return (vector / np.linalg.norm(vector)).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded += texts
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def test_a_word_finds_its_near_synonym_among_the_indexed_terms(tmp_path: Path) -> None:
    terms = TermVectors(WordVectors(), tmp_path / "terms", similarity=0.9)
    terms.prepare(["Enterprises grew; exports and imports grew."])
    written = written_forms("How many firms export?")
    terms.learn(terms.unknown(["firm"], written), [WordVectors()._vector("firms")])
    kin = terms.kin(["firm", "export"], written, among=["enterpris", "export", "import", "grew"])
    assert kin == {"firm": {"enterpris"}, "export": frozenset()}  # imports are no exports


def test_an_acronym_of_a_measure_is_kin_to_the_word_it_stands_for(tmp_path: Path) -> None:
    terms = TermVectors(WordVectors(), tmp_path / "terms", similarity=0.9)
    terms.prepare(["Foreign investment actually used grew."])
    kin = terms.kin(["fdi", "paid", "capit"], written_forms("paid-in FDI capital"),
                    among=["invest", "actual"])
    assert "invest" in kin["fdi"] and "actual" in kin["paid"] and "invest" in kin["capit"]


def test_what_a_maker_turns_out_and_a_port_moves_are_one_measure_each(tmp_path: Path) -> None:
    terms = TermVectors(WordVectors(), tmp_path / "terms", similarity=0.99)
    terms.prepare(["The kiln plant produced tiles and the port handled cargo."])
    kin = terms.kin(["output", "throughput"], written_forms("kiln output and throughput"),
                    among=["produc", "handl", "cargo"])
    assert "produc" in kin["output"] and "handl" in kin["throughput"]
    assert "cargo" not in kin["throughput"]


def test_vectors_are_kept_beside_the_index_and_only_new_terms_embedded(tmp_path: Path) -> None:
    first = WordVectors()
    TermVectors(first, tmp_path / "terms").prepare(["Enterprises grew."])
    assert sorted(first.embedded) == ["enterprises", "grew"]
    again = WordVectors()
    TermVectors(again, tmp_path / "terms").prepare(["Enterprises grew; exports grew."])
    assert again.embedded == ["exports"]
    (tmp_path / "terms" / "vectors.npy").write_bytes(b"damaged")
    rebuilt = WordVectors()
    TermVectors(rebuilt, tmp_path / "terms").prepare(["Enterprises grew."])
    assert sorted(rebuilt.embedded) == ["enterprises", "grew"]


def test_an_irregular_verbs_other_forms_are_its_kin(tmp_path: Path) -> None:
    # (no two vectors are this close: only the verb's forms are kin)
    terms = TermVectors(WordVectors(), tmp_path / "terms", similarity=1.01)
    terms.prepare(["The kiln park began work and output rose."])
    written = written_forms("When did the kiln park begin work, and did output rise?")
    kin = terms.kin(["begin", "rise", "kiln"], written, among=["began", "rose", "park"])
    assert "began" in kin["begin"] and "rose" in kin["rise"] and not kin["kiln"]
