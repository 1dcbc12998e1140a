"""BM25 side index: analysis, ranking, persistence and damage detection."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from assistant.lexical import LexicalIndex, analyze, fingerprint

CHUNKS = [
    ("a", "Bonded Blending lets ore traders mix iron ore under bond in Dalian."),
    ("b", "Ships on international voyages use a notification commitment system."),
    ("c", "Hainan offers offshore duty-free shopping of 100,000 yuan per person."),
    ("d", "大连片区实行保税混矿监管模式。"),
]


def test_analyze_stems_drops_stop_words_and_keeps_numbers() -> None:
    terms = analyze("How many ships were blended in the 3,000 hours of 2020?")
    assert "ship" in terms and "blend" in terms
    assert "3000" in terms and "2020" in terms
    assert "the" not in terms and "how" not in terms


def test_contractions_leave_no_fragments_behind() -> None:
    assert analyze("We're sure the port's cranes they'd bought we've kept") == analyze(
        "We sure the port cranes they bought we kept")


def test_analyze_segments_chinese() -> None:
    terms = analyze("保税混矿监管模式")
    assert len(terms) >= 2
    assert "".join(terms) == "保税混矿监管模式"


def test_search_ranks_matching_chunks_first(tmp_path: Path) -> None:
    index = LexicalIndex(tmp_path / "lex")
    index.rebuild(CHUNKS)
    assert index.search("iron ore blending", 2)[0][0] == "a"
    assert index.search("ship notification", 2)[0][0] == "b"
    assert index.search("保税混矿", 2)[0][0] == "d"
    assert index.search("the of and", 2) == []


def test_index_survives_a_restart_and_detects_damage(tmp_path: Path) -> None:
    folder = tmp_path / "lex"
    LexicalIndex(folder).rebuild(CHUNKS)
    reloaded = LexicalIndex(folder)
    assert reloaded.load() is True
    assert reloaded.fingerprint == fingerprint(chunk_id for chunk_id, _ in CHUNKS)
    assert reloaded.search("duty-free", 1)[0][0] == "c"
    (folder / "ids.json").write_text('{"fingerprint": "x", "ids": ["a"]}')
    assert LexicalIndex(folder).load() is False


def test_an_empty_corpus_searches_to_nothing(tmp_path: Path) -> None:
    index = LexicalIndex(tmp_path / "lex")
    index.rebuild([])
    assert index.search("anything", 5) == []
    assert LexicalIndex(tmp_path / "lex").load() is True


def test_older_editions_come_after_the_best_of_the_rest_however_many_they_are(
        tmp_path: Path) -> None:
    index = LexicalIndex(tmp_path / "lex")
    older = [(f"old-{year}", f"In {year} the harbour of Beihai handled 500 tonnes of grain.")
             for year in range(1990, 2020)]
    index.rebuild([*older, ("newest", "In 2024 the harbour of Beihai handled 800 tonnes of "
                                      "grain."), ("other", "The quay of Fangcheng is long.")])
    question = "How much grain did the harbour of Beihai handle in 2015?"
    assert [chunk for chunk, _ in index.search(question, 1)] == ["old-2015"]
    later = frozenset(chunk for chunk, _ in older)
    # the best one of the rest ("other" shares no term: it is no hit), then the best older one
    assert [chunk for chunk, _ in index.search(question, 1, later=later)] == ["newest",
                                                                              "old-2015"]
    found = [chunk for chunk, _ in index.search(question, 3, later=later)]
    assert found[:2] == ["newest", "old-2015"] and len(found) == 4 and set(found[1:]) <= later


def test_a_term_s_weight_is_bm25_s_idf_from_frequencies_saved_with_the_index(
        tmp_path: Path) -> None:
    folder = tmp_path / "lex"
    index = LexicalIndex(folder)
    index.rebuild([("a", "Ore ore blending."), ("b", "Ore ships."), ("c", "Duty-free shops."),
                   ("d", "Bonded ships.")])
    # "ore" is in 2 of 4 chunks (twice in one: counted once), "shop" in 1
    assert index.idf("ore") == pytest.approx(math.log(1 + 2.5 / 2.5))
    assert index.idf("shop") == pytest.approx(math.log(1 + 3.5 / 1.5))
    assert index.idf("unheard") == 0.0
    reloaded = LexicalIndex(folder)
    assert reloaded.load() and reloaded.idf("shop") == index.idf("shop")
    # an index saved without them (an older version) is rebuilt, not read with none
    meta = json.loads((folder / "ids.json").read_text())
    del meta["frequencies"]
    (folder / "ids.json").write_text(json.dumps(meta))
    assert LexicalIndex(folder).load() is False
