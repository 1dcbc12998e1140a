"""The sentence bank's dense search: exact over the vectors in memory for a library up to the
limit, Chroma's HNSW index above it; older editions after the newest (real embedded Chroma,
the bag-of-words fake)."""

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


def yearbook(year: int) -> str:
    return (f"---\ntitle: Beihai Harbour Yearbook {year}\n---\n# Beihai Harbour Yearbook {year}"
            f"\n\nIn {year} the harbour of Beihai handled {year - 1500} tonnes of grain.\n")


def test_older_editions_come_after_the_newest_however_many_crowd_it(
        tmp_path: Path, ingestor: Ingestor, store, fake_embeddings) -> None:
    folder = tmp_path / "yearbooks"
    folder.mkdir()
    for year in range(1990, 2025):
        (folder / f"yearbook-{year}.md").write_text(yearbook(year), encoding="utf-8")
    ingestor.ingest(sorted(folder.iterdir()))
    bank, _ = _banks(store, limit=10_000)
    vector = fake_embeddings.embed_query("In 2015 the harbour of Beihai handled grain")

    def sources(hits) -> list[str]:
        return [Path(bank.chunks[hit.metadata["chunk_id"]].metadata["source"]).name
                for hit in hits]
    assert sources(bank.search_sentences(vector, 1)) == ["yearbook-2015.md"]
    # the newest edition's best, then the older editions' best
    assert sources(bank.search_sentences(vector, 1, later=bank.superseded)) == [
        "yearbook-2024.md", "yearbook-2015.md"]
    found = sources(bank.search_sentences(vector, 5, later=bank.superseded))
    newest = found.count("yearbook-2024.md")
    assert found[:newest] == ["yearbook-2024.md"] * newest and len(found) == newest + 5
    chunks = bank.search_chunks(vector, 1, later=bank.superseded)
    assert [Path(bank.chunks[hit.id].metadata["source"]).name for hit in chunks] == [
        "yearbook-2024.md", "yearbook-2015.md"]
    # a set the bank does not keep apart (one from before a reload, holding a chunk removed
    # since) is ranked the same way
    other = bank.superseded | {"a chunk removed since"}
    assert [h.id for h in bank.search_chunks(vector, 1, later=other)] == [h.id for h in chunks]
    kept_apart, compared = (bank.search_sentences(vector, 5, later=later)
                            for later in (bank.superseded, other))
    assert [round(h.score, 5) for h in compared] == [round(h.score, 5) for h in kept_apart]
    assert compared[0].id == kept_apart[0].id  # (the others may tie)
