"""Measures and figures read from text the extractor has never seen; the policy finder."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.catalogue import Catalogue, measure_name, sectors_of
from assistant.errors import UserError
from assistant.finder import PolicyFinder

SHEET = """---
title: Qingdao Area Measures (2024)
zone: Shandong FTZ / Qingdao Area
date: 2024
---
# Qingdao Area Measures (2024)

## Measures
- Grain: the "bonded grain blending" mode lets traders mix imported soybeans under bond.
- Customs: a "smart clearance platform" cuts declaration time by 40% for exporters.
- Ships: a pre-arrival berthing system saves shipping lines about 1,200 hours a year.

## Figures
- The area covers 52.19 square kilometres.
- It registered 1,850 new enterprises in 2023.
- Its trade facilitation index ranks 3rd among 21 areas.

## Positioning
- Huangdao: chiefly shipping logistics, bonded finance and cold chain warehousing.
"""


def test_measure_names_come_from_quotes_cue_phrases_and_area_labels() -> None:
    assert measure_name('Grain: the "bonded grain blending" mode lets traders mix soybeans.') \
        == "bonded grain blending"
    assert measure_name("A pre-arrival berthing system saves lines 1,200 hours.") \
        == "pre-arrival berthing system"
    assert measure_name("Huangdao: chiefly shipping logistics, bonded finance and cold chain "
                        "warehousing.") == "Huangdao"
    assert measure_name("The weather in the area was mild last spring.") is None


def test_sectors_are_matched_on_word_starts() -> None:
    assert "shipping and ports" in sectors_of("ships and ports")
    assert "shipping and ports" not in sectors_of("support for exporters")
    assert "ore and commodities" not in sectors_of("more and more before")


@pytest.fixture
def finder(tmp_path: Path, ingestor, store, lexical, fake_embeddings, settings) -> PolicyFinder:
    (tmp_path / "qingdao.md").write_text(SHEET)
    ingestor.ingest([tmp_path / "qingdao.md"])
    catalogue = Catalogue(settings.index_dir / "catalogue.json")
    catalogue.rebuild(store)
    return PolicyFinder(catalogue, store, fake_embeddings, lexical, min_score=0.2)


def test_the_finder_ranks_the_fitting_measure_first_and_says_why(finder: PolicyFinder) -> None:
    found = finder.find("We import soybeans and want to blend grain under bond")
    assert found[0]["measure"] == "bonded grain blending"
    assert "grain" in found[0]["why"] or "blend" in found[0]["why"]
    assert found[0]["citations"][0]["source"] == "qingdao.md"
    assert found[0]["zone"] == "Shandong FTZ / Qingdao Area"


def test_the_finder_filters_by_zone_and_sector(finder: PolicyFinder) -> None:
    assert finder.find("ships berthing hours", zone="Hainan") == []
    shipping = finder.find("ships berthing hours", sector="shipping and ports")
    assert shipping and all("shipping and ports" in m["sectors"] for m in shipping)


def test_nothing_fitting_means_an_empty_list_and_bad_input_a_clear_error(
    finder: PolicyFinder,
) -> None:
    assert finder.find("zzzz qqqq xxxx") == []
    with pytest.raises(UserError):
        finder.find("   ")


def test_facts_list_every_figure_with_its_source(finder: PolicyFinder) -> None:
    facts = finder.facts()
    values = {(f["value"], f["unit"], f["place"]) for f in facts}
    area = "Shandong FTZ / Qingdao Area"
    assert {("52.19 square kilometres", "km²", area), ("about 1,200 hours", "hours", area),
            ("3rd", "rank", area), ("1,850", "enterprises", area)} <= values
    assert all(f["citations"][0]["source"] == "qingdao.md" for f in facts)
    assert finder.facts(zone="Qingdao") == facts
    assert finder.facts(zone="Hainan") == []


def test_a_damaged_catalogue_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.json"
    path.write_text("{ not json")
    assert Catalogue(path).load() is False
