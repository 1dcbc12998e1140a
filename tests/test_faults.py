"""Faults a user can cause, with the real model, a real Chroma and real processes: an ingest
killed halfway and damaged side files (a huge one-line document: tests/test_huge_documents.py)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from assistant.catalogue import Catalogue
from assistant.ingest.pipeline import document_hash
from assistant.lexical import LexicalIndex, fingerprint
from tests import launcher
from tests.conftest import DOCS, copy_index

pytestmark = [pytest.mark.integration, pytest.mark.slow]

COPIES = 2  # extra copies of the shipped documents, under new names
XIAMEN = "How large is the Xiamen area of the Fujian FTZ?"

# Run in its own process (never two Chroma clients on one folder in one process): what the
# store holds, and the fingerprints the side files were built from.
SNAPSHOT = """
import json, sys
from pathlib import Path
from langchain_core.embeddings import Embeddings
from assistant.catalogue import Catalogue
from assistant.lexical import LexicalIndex
from assistant.store import ChromaStore

class NoEmbeddings(Embeddings):
    def embed_documents(self, texts):
        raise AssertionError("nothing is embedded by a snapshot")
    def embed_query(self, text):
        raise AssertionError("nothing is embedded by a snapshot")

index = Path(sys.argv[1])
store = ChromaStore(NoEmbeddings(), index_dir=index)
lexical, catalogue = LexicalIndex(index / "lexical"), Catalogue(index / "catalogue.json")
keys = ("source", "doc_hash", "n_chunks", "n_sentences", "page", "start", "chunk_id")
print(json.dumps({
    "chunks": [{"id": h.id, **{k: h.metadata.get(k) for k in keys}}
               for h in store.iter_chunks()],
    "sentences": [{"id": h.id, **{k: h.metadata.get(k) for k in keys}}
                  for h in store.iter_sentences()],
    "lexical": lexical.fingerprint if lexical.load() else None,
    "catalogue": catalogue.fingerprint if catalogue.load() else None,
}))
"""


def _env(index: Path) -> dict[str, str]:
    return {**os.environ, "FTZ_INDEX_DIR": str(index), "HF_HUB_OFFLINE": "1"}


def call(index: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """`python -m assistant --index-dir INDEX ARGS...` in its own process."""
    return launcher.run(["--index-dir", str(index), *args], env=_env(index), timeout=timeout)


def run(index: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    done = call(index, *args, timeout=timeout)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def snapshot(index: Path) -> dict:
    done = launcher.run([str(index)], env=_env(index), timeout=120, code=SNAPSHOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def summary(stdout: str) -> dict[str, int]:
    """`3 added, 48 unchanged; 231 chunks in the index` -> {"added": 3, "unchanged": 48}."""
    counts = stdout.strip().splitlines()[-1].split(";")[0]
    return {status: int(n) for n, status in (part.split() for part in counts.split(", "))}


def markdown_docs() -> list[Path]:
    return sorted(p for p in DOCS.glob("*.md") if p.name != "SOURCES.md")


def complete_sources(state: dict) -> set[str]:
    """Sources held as exactly one whole version (all chunks and sentences of it)."""
    chunks: dict[str, list[dict]] = defaultdict(list)
    sentences: Counter[str] = Counter()
    for chunk in state["chunks"]:
        chunks[chunk["source"]].append(chunk)
    for sentence in state["sentences"]:
        sentences[sentence["source"]] += 1
    return {
        source for source, held in chunks.items()
        if len({c["doc_hash"] for c in held}) == 1
        and len(held) == held[0]["n_chunks"] and sentences[source] == held[0]["n_sentences"]
    }


def kill_while_writing(seed: Path, index: Path, docs: Path, delay: float) -> dict:
    """Copy the seed index, start an ingest of `docs` into it and SIGKILL it once the Chroma
    database starts to grow (plus `delay` seconds); returns what the store holds after."""
    shutil.rmtree(index, ignore_errors=True)
    shutil.copytree(seed, index)
    database = index / "chroma" / "chroma.sqlite3"
    baseline = database.stat().st_size
    process = launcher.start(["--index-dir", str(index), "ingest", str(docs)],
                             output=index.parent / "killed-ingest.log", env=_env(index))
    try:
        deadline = time.monotonic() + 300
        while process.poll() is None and time.monotonic() < deadline:
            if database.stat().st_size > baseline + 64 * 1024:  # records are being written
                time.sleep(delay)
                break
            time.sleep(0.002)
        assert time.monotonic() < deadline, "the ingest never started writing"
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
    return snapshot(index)


def test_an_ingest_killed_while_writing_is_repaired_by_the_next(
    tmp_path: Path, shipped_index: Path,
) -> None:
    # the shipped index is the clean state; the ingest to kill adds copies of the Markdown
    # documents under new names
    originals = sorted(p for p in DOCS.iterdir() if p.name != "SOURCES.md")
    docs = tmp_path / "docs"
    docs.mkdir()
    for path in originals:
        shutil.copy(path, docs / path.name)
    for path in markdown_docs():
        for copy in range(COPIES):
            shutil.copy(path, docs / f"copy{copy}-{path.name}")
    seed = shipped_index
    clean = snapshot(seed)
    expected_chunks = Counter(chunk["source"] for chunk in clean["chunks"])
    assert set(expected_chunks) == {p.name for p in originals}
    added = {p.name for p in docs.iterdir()} - set(expected_chunks)

    # The database file grows while a write transaction is open, so a kill right then is rolled
    # back: wait a little longer after the first growth, less if the write had already finished.
    index = tmp_path / "index"
    delay, outcomes = 0.05, []
    for _ in range(6):
        killed = kill_while_writing(seed, index, docs, delay)
        written = {s["source"] for s in killed["sentences"]} & added
        complete = complete_sources(killed) & added
        outcomes.append(f"+{delay:.3f} s: {len(written)} of {len(added)} new sources with "
                        f"sentences, {len(complete)} complete")
        if written and complete != added:
            break
        delay = delay * 2 if not written else delay / 2
    else:
        pytest.fail("no SIGKILL landed while the ingest was writing: " + "; ".join(outcomes))
    print("kills: " + "; ".join(outcomes))

    repair = run(index, "ingest", str(docs))
    assert repair.returncode == 0, repair.stderr
    statuses = summary(repair.stdout)
    assert statuses.pop("unchanged") == len(originals), repair.stdout
    assert set(statuses) <= {"added", "repaired"}, repair.stdout
    assert sum(statuses.values()) == len(added), repair.stdout
    total = sum(expected_chunks.values()) + COPIES * sum(
        expected_chunks[path.name] for path in markdown_docs())
    assert repair.stdout.strip().endswith(f"{total} chunks in the index")

    state = snapshot(index)
    names = {p.name for p in docs.iterdir()}
    assert complete_sources(state) == names
    by_source: dict[str, list[dict]] = defaultdict(list)
    for chunk in state["chunks"]:
        by_source[chunk["source"]].append(chunk)
    for source, held in by_source.items():
        original = source.split("-", 1)[1] if source.startswith("copy") else source
        assert len(held) == expected_chunks[original], source
        assert {c["doc_hash"] for c in held} == {document_hash((docs / source).read_bytes())}
        places = [(c["page"], c["start"]) for c in held]
        assert len(places) == len(set(places)), f"{source} holds a passage twice"
    chunk_ids = [c["id"] for c in state["chunks"]]
    sentence_ids = [s["id"] for s in state["sentences"]]
    assert len(chunk_ids) == len(set(chunk_ids)) == total
    assert len(sentence_ids) == len(set(sentence_ids))
    orphans = [s["id"] for s in state["sentences"] if s["chunk_id"] not in set(chunk_ids)]
    assert orphans == []
    assert state["lexical"] == fingerprint(chunk_ids)
    assert state["catalogue"] == fingerprint(chunk_ids)

    third = run(index, "ingest", str(docs))
    assert third.returncode == 0, third.stderr
    assert summary(third.stdout) == {"unchanged": len(names)}, third.stdout


def test_damaged_side_files_are_detected_and_rebuilt(tmp_path: Path, shipped_index: Path) -> None:
    index = copy_index(shipped_index, tmp_path / "index")
    ids_file, catalogue_file = index / "lexical" / "ids.json", index / "catalogue.json"
    whole = ids_file.read_bytes()
    ids_file.write_bytes(whole[: len(whole) // 2])  # a half-written file
    catalogue_file.write_bytes(b"\x00garbage{{{ not json")

    done = run(index, "-v", "ask", XIAMEN)
    assert done.returncode == 0, done.stderr
    assert "43.78" in done.stdout
    warnings = [line for line in done.stderr.splitlines() if line.startswith("WARNING")]
    assert any("lexical index" in line and "damaged" in line and "rebuilt" in line
               for line in warnings), done.stderr
    assert any("catalogue" in line and "damaged" in line and "rebuilt" in line
               for line in warnings), done.stderr

    lexical, catalogue = LexicalIndex(index / "lexical"), Catalogue(catalogue_file)
    assert lexical.load() and catalogue.load()
    chunk_ids = [c["id"] for c in snapshot(index)["chunks"]]
    assert lexical.fingerprint == catalogue.fingerprint == fingerprint(chunk_ids)
    assert catalogue.facts  # rebuilt from the store, not left empty
