"""The composition root: reading a component has no side effect; `prepare()` does the work."""

from __future__ import annotations

from pathlib import Path

from assistant.config import load_settings
from assistant.generative import GenerativeEngine
from assistant.wiring import Components, Throttled


def test_reading_the_engine_or_the_finder_syncs_nothing_and_prepare_does(
    tmp_path: Path, fake_embeddings
) -> None:
    components = Components(load_settings(docs_dir=tmp_path / "docs",
                                          index_dir=tmp_path / "index"))
    components.embeddings = fake_embeddings  # (no model load)
    synced: list[str] = []
    components.refresh = Throttled(lambda: synced.append("side indexes"), seconds=60)
    assert components.engine is not None and components.finder is not None
    assert synced == []
    assert components.prepare() is components
    assert synced == ["side indexes"]


def test_the_finder_s_shortlists_are_settings(monkeypatch) -> None:
    monkeypatch.setenv("FTZ_FINDER__SHORTLIST", "50")
    monkeypatch.setenv("FTZ_FINDER__LEXICAL_CHUNKS", "7")
    finder = load_settings().finder
    assert (finder.shortlist, finder.lexical_chunks) == (50, 7)


def test_the_generative_engine_reads_as_many_passages_as_set(
    monkeypatch, tmp_path: Path, fake_embeddings
) -> None:
    monkeypatch.setenv("FTZ_LLM", "openai")
    monkeypatch.setenv("FTZ_LLM_BASE_URL", "http://127.0.0.1:9/v1")  # never called here
    monkeypatch.setenv("FTZ_LLM_MODEL", "stub")
    monkeypatch.setenv("FTZ_LLM_PASSAGES", "2")
    components = Components(load_settings(docs_dir=tmp_path / "docs",
                                          index_dir=tmp_path / "index"))
    components.embeddings = fake_embeddings
    engine = components.engine
    assert isinstance(engine, GenerativeEngine) and engine.passages == 2
