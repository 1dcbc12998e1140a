"""The sentence bank's dense search: exact over the vectors in memory for a library up to the
limit, Chroma's HNSW index above it (real embedded Chroma, the bag-of-words fake)."""

from __future__ import annotations

from pathlib import Path

from assistant.answering.bank import SentenceBank
from assistant.ingest.pipeline import Ingestor

PORTS = {
    f"port-{n}.md": f"# Port {n}\n\nThe harbour of port {n} handles {word} cargo every week.\n"
                    f"Its quay is {n * 10} metres long.\n"
    for n, word in enumerate(("grain", "timber", "coal", "steel", "cotton", "copper"), start=1)
}


def _banks(store, limit: int) -> tuple[SentenceBank, list[tuple[str, list[float], int]]]:
    """A bank that searches approximately above `limit` rows, and the searches it sent."""
    sent: list[tuple[str, list[float], int]] = []

    def nearest(collection: str, vector: list[float], k: int) -> list[tuple[str, float]]:
        sent.append((collection, vector, k))
        return store.nearest(collection, vector, k)
    bank = SentenceBank(lambda: (store.iter_chunks(vectors=True),
                                 store.iter_sentences(vectors=True)), None, nearest, limit)
    bank.ensure("")
    return bank, sent


def test_above_the_limit_chroma_s_index_finds_what_comparing_every_row_finds(
        tmp_path: Path, ingestor: Ingestor, store, fake_embeddings) -> None:
    folder = tmp_path / "ports"
    folder.mkdir()
    for name, text in PORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    ingestor.ingest(sorted(folder.iterdir()))
    vector = fake_embeddings.embed_query("Which harbour handles timber cargo?")

    exact, untouched = _banks(store, limit=10_000)
    approximate, sent = _banks(store, limit=0)
    by_rows = exact.search_sentences(vector, 3)
    by_index = approximate.search_sentences(vector, 3)
    assert untouched == [] and [c for c, _, _ in sent] == ["sentences"]
    assert by_index[0].id == by_rows[0].id  # (the others tie: other ports, the same words)
    assert [round(h.score, 4) for h in by_index] == [round(h.score, 4) for h in by_rows]
    assert by_index[0].text == "The harbour of port 2 handles timber cargo every week."
    assert by_index[0].metadata["chunk_id"] == by_rows[0].metadata["chunk_id"]
    assert approximate.search_chunks(vector, 1)[0].id == exact.search_chunks(vector, 1)[0].id


def test_an_id_the_snapshot_lacks_is_left_out() -> None:
    bank = SentenceBank(lambda: ([], []), None,
                        lambda collection, vector, k: [("written-after-the-snapshot", 0.9)], 0)
    bank.ensure("")
    assert bank.search_sentences([1.0], 5) == [] and bank.search_chunks([1.0], 5) == []
