"""Fixtures shared by the tests: ready components over a temporary index with the fake
embedding (tests/fakes.py), the shipped index built once per run, and the order pytest-xdist
hands files out in. Every test process imports this file first, pytest-xdist's controller
before it starts the workers: the heavy modules are imported only by the fixtures that use
them."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from filelock import FileLock

from tests import launcher

if TYPE_CHECKING:
    from assistant.ingest.pipeline import Ingestor
    from assistant.lexical import LexicalIndex
    from assistant.store import ChromaStore
    from tests.fakes import BagOfWordsEmbeddings

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
EVAL = ROOT / "benchmarks" / "data"  # the dev sets (copies of ../shared/eval) and ours
pytest_plugins = ("tests.browsing",)  # Chromium and the shared read-only app


@pytest.fixture
def fake_embeddings() -> BagOfWordsEmbeddings:
    from tests.fakes import BagOfWordsEmbeddings

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
    from assistant.config import load_settings

    return load_settings(docs_dir=tmp_path / "docs", index_dir=tmp_path / "index")


@pytest.fixture
def store(settings, fake_embeddings) -> ChromaStore:
    """A real embedded Chroma in a temporary folder, with the fake embedding."""
    from assistant.store import ChromaStore

    return ChromaStore(fake_embeddings, index_dir=settings.index_dir)


@pytest.fixture
def lexical(settings) -> LexicalIndex:
    from assistant.lexical import LexicalIndex

    return LexicalIndex(settings.index_dir / "lexical")


@pytest.fixture
def ingestor(store, fake_embeddings, lexical) -> Ingestor:
    from assistant.ingest.chunking import SentenceChunker
    from assistant.ingest.pipeline import Ingestor
    from tests.fakes import count_words

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
