"""Ingestion against a real Chroma on tmp_path with the fake embedding: idempotent and exact."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from assistant.catalogue import Catalogue
from assistant.config import SUPPORTED_SUFFIXES
from assistant.errors import UserError
from assistant.ingest.chunking import SentenceChunker
from assistant.ingest.pipeline import Ingestor, collect_files
from assistant.lexical import fingerprint
from tests.fakes import BagOfWordsEmbeddings, count_words

SHEET = """---
title: Ningbo Zone Fact Sheet
source: https://example.org/ningbo
zone: Zhejiang FTZ / Ningbo Area
---
# Ningbo Zone Fact Sheet

## Figures
The Ningbo area cleared 4,500 ships in 2022. Its bonded storage holds 80,000 tonnes.

## Measures
- Bonded repair lets ships be repaired under bond.
"""


def _files(folder: Path, ignore=("README.md", "SOURCES.md")) -> list[Path]:
    return collect_files([folder], ignore).files


def _markdown(folder: Path) -> list[Path]:
    """The shipped Markdown sheets: enough documents where the format does not matter (PDF and
    Word files are parsed in a worker process, whose start takes seconds)."""
    return [path for path in _files(folder) if path.suffix == ".md"]


def _one_of_each_kind(folder: Path) -> list[Path]:
    """One shipped file of each format: whether a file is new is told from its bytes, so more
    files of a kind add parsing time and nothing else to check."""
    kinds: dict[str, Path] = {}
    for path in _files(folder):
        kinds.setdefault(path.suffix, path)
    return sorted(kinds.values())


def _sources(store) -> dict[str, int]:
    counts: dict[str, int] = {}
    for meta in store.chunk_metadatas():
        counts[meta["source"]] = counts.get(meta["source"], 0) + 1
    return counts


def test_collect_skips_the_sources_list_and_hidden_files(docs_copy: Path) -> None:
    (docs_copy / ".draft.md").write_text("# hidden")
    names = {p.name for p in _files(docs_copy)}
    assert "SOURCES.md" not in names
    assert ".draft.md" not in names
    shipped = {p.name for p in docs_copy.iterdir() if p.suffix in SUPPORTED_SUFFIXES}
    assert names == shipped - {"SOURCES.md", ".draft.md"}


def test_collect_names_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no such file"):
        collect_files([tmp_path / "nope.md"])


def test_second_ingest_embeds_nothing_and_adds_nothing(
    ingestor: Ingestor, store, fake_embeddings, docs_copy: Path
) -> None:
    files = _one_of_each_kind(docs_copy)
    assert {path.suffix for path in files} == {".md", ".txt", ".html", ".pdf", ".docx"}
    first = ingestor.ingest(files)
    assert {r.status for r in first} == {"added"}
    count, embedded = store.count(), fake_embeddings.embedded_texts
    second = ingestor.ingest(files)
    assert {r.status for r in second} == {"unchanged"}
    assert store.count() == count
    assert fake_embeddings.embedded_texts == embedded


def test_changed_file_replaces_exactly_its_chunks(
    ingestor: Ingestor, store, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    sheet = folder / "ningbo.md"
    sheet.write_text(SHEET)
    other = folder / "other.txt"
    other.write_text("Another zone opened in 2015 with 20 firms.")
    ingestor.ingest(_files(folder))
    other_before = set(store.document_state("other.txt").chunk_ids)
    sheet.write_text(SHEET.replace("4,500", "5,100"))
    [updated, unchanged] = ingestor.ingest(_files(folder))
    assert (updated.status, unchanged.status) == ("updated", "unchanged")
    texts = [hit.text for hit in store.iter_chunks() if hit.metadata["source"] == "ningbo.md"]
    assert any("5,100" in t for t in texts)
    assert not any("4,500" in t for t in texts)
    state = store.document_state("ningbo.md")
    assert len(state.hashes) == 1 and state.expected_chunks == len(state.chunk_ids)
    assert set(store.document_state("other.txt").chunk_ids) == other_before


def test_front_matter_becomes_metadata(ingestor: Ingestor, store, tmp_path: Path) -> None:
    (tmp_path / "ningbo.md").write_text(SHEET)
    ingestor.ingest([tmp_path / "ningbo.md"])
    meta = store.chunk_metadatas()[0]
    assert meta["title"] == "Ningbo Zone Fact Sheet"
    assert meta["url"] == "https://example.org/ningbo"
    assert meta["zone"] == "Zhejiang FTZ / Ningbo Area"
    assert meta["section"] in {"Figures", "Measures"}


def test_remove_deletes_chunks_sentences_and_lexical_entries(
    ingestor: Ingestor, store, lexical, docs_copy: Path
) -> None:
    ingestor.ingest(_markdown(docs_copy))
    removed, missing = ingestor.remove(["fujian-ftz-overview-ipim-macao.md", "nope.md"])
    assert (removed, missing) == (["fujian-ftz-overview-ipim-macao.md"], ["nope.md"])
    state = store.document_state("fujian-ftz-overview-ipim-macao.md")
    assert not state.chunk_ids and not state.sentence_ids
    assert lexical.fingerprint == fingerprint(store.chunk_ids())
    assert "fujian-ftz-overview-ipim-macao.md" not in _sources(store)


def test_bad_files_are_rejected_and_the_rest_ingests(ingestor: Ingestor, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.md").write_text(SHEET)
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.4 garbage \x00\x01 not a pdf")
    (folder / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (folder / "empty.txt").write_text("")
    results = {r.source: r for r in ingestor.ingest(_files(folder))}
    assert set(results) == {"good.md", "corrupt.pdf", "image.md", "empty.txt"}
    assert results["good.md"].status == "added"
    for bad in ("corrupt.pdf", "image.md", "empty.txt"):
        assert results[bad].status == "rejected"
        assert results[bad].reason


class _Killed(Exception):
    pass


def test_an_ingest_killed_halfway_is_repaired_without_duplicates(
    ingestor: Ingestor, store, lexical, fake_embeddings, docs_copy: Path, monkeypatch
) -> None:
    files = _markdown(docs_copy)
    real_upsert = store.upsert_chunks
    calls = {"n": 0}

    def dying_upsert(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            real_upsert(*[a[: len(a) // 2] for a in args])  # half the batch lands, then the kill
            raise _Killed
        real_upsert(*args, **kwargs)

    monkeypatch.setattr(store, "upsert_chunks", dying_upsert)
    with pytest.raises(_Killed):
        ingestor.ingest(files)
    monkeypatch.setattr(store, "upsert_chunks", real_upsert)
    results = ingestor.ingest(files)
    statuses = {r.status for r in results}
    assert "repaired" in statuses or "added" in statuses
    for path in files:
        state = store.document_state(path.name)
        assert len(state.hashes) == 1
        assert state.is_complete(next(iter(state.hashes)))
    ids = store.chunk_ids()
    assert len(ids) == len(set(ids))
    assert lexical.fingerprint == fingerprint(ids)
    assert {r.status for r in ingestor.ingest(files)} == {"unchanged"}


def test_damaged_lexical_index_is_rebuilt(ingestor: Ingestor, store, settings, docs_copy) -> None:
    ingestor.ingest(_markdown(docs_copy))
    (settings.index_dir / "lexical" / "ids.json").write_text("{ half-writ")
    from assistant.lexical import LexicalIndex

    fresh = LexicalIndex(settings.index_dir / "lexical")
    assert fresh.load() is False
    again = Ingestor(store, ingestor._embedder, ingestor._chunker, fresh)
    assert again.sync_lexical() is True
    assert fresh.fingerprint == fingerprint(store.chunk_ids())
    assert fresh.search("Bonded Blending ore", 3)


class PausingEmbeddings(BagOfWordsEmbeddings):
    """Embeds as the fake does, but waits for `go` once it has been asked (a writer paused
    halfway)."""

    def __init__(self) -> None:
        super().__init__()
        self.asked, self.go = threading.Event(), threading.Event()

    def embed_with_spans(self, texts, spans):
        self.asked.set()
        assert self.go.wait(30)
        return super().embed_with_spans(texts, spans)


def test_a_side_index_sync_asked_while_a_writer_is_at_work_waits_for_the_writer_s(
        store, lexical, tmp_path: Path) -> None:
    # class: a sync (asked by a question) read the store halfway through an upload, finished
    # last, and kept BM25 and the catalogue without the new document
    embeddings = PausingEmbeddings()
    catalogue = Catalogue(tmp_path / "catalogue.json")
    ingestor = Ingestor(store, embeddings, SentenceChunker(count_words, 120), lexical,
                        lock_path=tmp_path / "ingest.lock", catalogue=catalogue)
    (tmp_path / "wenzhou.md").write_text("# Wenzhou\n\nThe Wenzhou area covers 37.21 square "
                                         "kilometres.\n")
    writer = threading.Thread(target=ingestor.ingest, args=([tmp_path / "wenzhou.md"],))
    writer.start()
    assert embeddings.asked.wait(30)
    assert ingestor.sync_lexical(force=True) is False  # (from another thread: skipped)
    embeddings.go.set()
    writer.join(30)
    assert [chunk for chunk, _ in lexical.search("Wenzhou area", 5)] == list(store.chunk_ids())
    assert any(fact.value.startswith("37.21") for fact in catalogue.facts)
    assert ingestor.sync_lexical() is False  # (in step: nothing to rebuild)
