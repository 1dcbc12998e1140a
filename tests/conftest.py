"""Shared fakes: a deterministic bag-of-words embedding (no model load) and ready components."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from filelock import FileLock
from langchain_core.embeddings import Embeddings

from assistant.answering.bank import SentenceBank
from assistant.answering.engine import AnswerEngine
from assistant.config import AnswerSettings, load_settings
from assistant.embeddings import ChunkVectors
from assistant.ingest.chunking import SentenceChunker
from assistant.ingest.pipeline import Ingestor
from assistant.lexical import LexicalIndex
from assistant.retrieval import HybridRetriever
from assistant.store import ChromaStore
from tests import launcher

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
EVAL = ROOT / "benchmarks" / "data"  # the dev sets (copies of ../shared/eval) and ours
DIMENSIONS = 256
pytest_plugins = ("tests.browsing",)  # Chromium and the shared read-only app


class BagOfWordsEmbeddings(Embeddings):
    """Hashed bag of lower-cased words: shared words mean near vectors; counts its calls."""

    def __init__(self) -> None:
        self.embedded_texts = 0

    def _vector(self, text: str) -> list[float]:
        vector = np.zeros(DIMENSIONS, dtype=np.float32)
        for word in re.findall(r"\w+", text.lower()):
            digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
            vector[int.from_bytes(digest, "little") % DIMENSIONS] += 1.0
        norm = np.linalg.norm(vector)
        if norm == 0:
            vector[0] = 1.0
            norm = 1.0
        return (vector / norm).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded_texts += len(texts)
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)

    def embed_with_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> list[ChunkVectors]:
        self.embedded_texts += len(texts)
        return [
            ChunkVectors(self._vector(t), [self._vector(t[a:b]) for a, b in s])
            for t, s in zip(texts, spans, strict=True)
        ]


def count_words(text: str) -> int:
    """Token counter stand-in: words plus the two special tokens."""
    return len(text.split()) + 2


def extractive_engine(store: ChromaStore, lexical: LexicalIndex, embeddings: Embeddings,
                      cache_size: int = 512, **answer: object) -> AnswerEngine:
    """The extractive engine over a store, its lexical index and an embedding (a fake one in
    unit tests: its similarities are not the model's, so the answer threshold is low unless
    given; contradictions still rule sentences out)."""
    bank = SentenceBank(lambda: (store.iter_chunks(vectors=True),
                                 store.iter_sentences(vectors=True)))
    retriever = HybridRetriever(store=bank, lexical=lexical, embeddings=embeddings)
    settings = AnswerSettings(**({"threshold": 0.2} | answer))
    return AnswerEngine(retriever, bank, embeddings, lexical, settings, cache_size=cache_size)


def index_corpus(base: Path, documents: dict[str, str]) -> SimpleNamespace:
    """`documents` (name -> text) written to `base`/corpus and ingested into a Chroma in
    `base`/index with the fake embedding: the ingest's results, the store, lexical index,
    embedding and an extractive engine over them (indexed once, for a module whose tests only
    ask)."""
    folder, index = base / "corpus", base / "index"
    folder.mkdir(parents=True)
    for name, text in documents.items():
        (folder / name).write_text(text, encoding="utf-8")
    embeddings = BagOfWordsEmbeddings()
    store = ChromaStore(embeddings, index_dir=index)
    lexical = LexicalIndex(index / "lexical")
    ingestor = Ingestor(store, embeddings, SentenceChunker(count_words, 120), lexical)
    results = ingestor.ingest(sorted(folder.iterdir()))
    return SimpleNamespace(results=results, store=store, lexical=lexical, embeddings=embeddings,
                           engine=extractive_engine(store, lexical, embeddings))


@pytest.fixture
def fake_embeddings() -> BagOfWordsEmbeddings:
    return BagOfWordsEmbeddings()


@pytest.fixture
def docs_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped documents."""
    target = tmp_path / "docs"
    shutil.copytree(DOCS, target, dirs_exist_ok=True)
    return target


@pytest.fixture
def settings(tmp_path: Path):
    """Settings over tmp_path: the index in `index`, the docs folder `docs` (empty unless the
    test also asks for `docs_copy`, which fills it)."""
    return load_settings(docs_dir=tmp_path / "docs", index_dir=tmp_path / "index")


@pytest.fixture
def store(settings, fake_embeddings) -> ChromaStore:
    """A real embedded Chroma in a temporary folder, with the fake embedding."""
    return ChromaStore(fake_embeddings, index_dir=settings.index_dir)


@pytest.fixture
def lexical(settings) -> LexicalIndex:
    return LexicalIndex(settings.index_dir / "lexical")


@pytest.fixture
def ingestor(store, fake_embeddings, lexical) -> Ingestor:
    return Ingestor(store, fake_embeddings, SentenceChunker(count_words, 120), lexical)


SHIPPED = sum(1 for p in DOCS.iterdir() if p.suffix in (".md", ".txt", ".html", ".pdf", ".docx")
              and p.name != "SOURCES.md")  # the documents an ingest of docs/ indexes


def _docs_fingerprint() -> list[tuple[str, bytes]]:
    return sorted((p.name, p.read_bytes()) for p in DOCS.iterdir() if p.is_file())


@pytest.fixture(scope="session", autouse=True)
def shipped_docs_stay_untouched():
    """No test may change the shipped docs/ folder (tests work on copies)."""
    before = _docs_fingerprint()
    yield
    assert _docs_fingerprint() == before, "a test changed the shipped docs/ folder"


def as_english(markup: str) -> str:
    """Server-made markup as an English page shows it: the Chinese halves of `both` dropped,
    then the tags."""
    english = re.sub(r'<span class="ftz-zh"[^>]*>.*?</span>', "", markup, flags=re.S)
    return re.sub(r"<[^>]+>", "", english)


@pytest.fixture(scope="session")
def shipped_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docs/ indexed once per run with the real model, by `ingest` in a fresh interpreter (as
    a user's shell runs it: the entry point's test; and no Chroma client of this process holds
    the folder); tests that start from it take a copy. Under pytest-xdist the first worker to
    need it builds it in the run's shared temporary folder while the others wait."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # (each worker's own folder sits inside the run's)
    index, built = shared / "shipped" / "index", shared / "shipped" / "built"
    with FileLock(shared / "shipped.lock"):
        if not built.exists():
            shutil.rmtree(index.parent, ignore_errors=True)  # (what a dead worker left)
            env = {key: value for key, value in os.environ.items() if key != "FTZ_CHROMA_URL"}
            done = launcher.cold_run(["--index-dir", str(index), "ingest", str(DOCS)],
                                     env={**env, "HF_HUB_OFFLINE": "1"}, timeout=900)
            assert done.returncode == 0 and f"{SHIPPED} added" in done.stdout, done.stderr
            built.touch()
    return index


def copy_index(seed: Path, target: Path) -> Path:
    """A writable copy of an index folder at `target`."""
    shutil.copytree(seed, target)
    return target


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The order pytest-xdist hands out files in (`--dist loadfile`: each file's tests run on
    one worker, so its module fixtures are built once): files that start real services first,
    the long ones (marked `long`) before the others, so that no long one ends the run alone;
    the first of them needs the shipped index and builds it while the other worker runs files
    that need none."""
    def module(item: pytest.Item) -> str:
        return item.nodeid.split("::")[0]

    def marked(name: str) -> set[str]:
        return {module(item) for item in items if item.get_closest_marker(name)}

    heavy, long = marked("integration") | marked("browser"), marked("long")
    indexed = {module(item) for item in items if "shipped_index" in item.fixturenames}
    first = min(heavy & long & indexed, default="") or min(heavy & indexed, default="")
    items.sort(key=lambda item: (module(item) != first, module(item) not in long,
                                 module(item) not in heavy, module(item) in indexed))
