"""Measures and figures read from text the extractor has never seen; the policy finder."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.catalogue import Catalogue, figures_in, measure_name, sectors_of
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


def test_figures_keep_their_written_form_and_unit() -> None:
    assert figures_in("It saves about 1,200 hours a year.") == [
        ("about 1,200", "hours", "It saves about 1,200 hours a year.")]
    assert figures_in("The area covers 52.19 square kilometres.")[0][:2] == ("52.19", "km²")
    assert figures_in("declaration time falls by 40% for exporters")[0][:2] == ("40%", "%") \
        or figures_in("declaration time falls by 40% for exporters")[0][:2] == ("40", "%")
    assert [f[:2] for f in figures_in("ranks 3rd among 21 areas")] == [
        ("3rd", "rank"), ("21", "areas")]
    assert figures_in("Guo Fa (2017) No. 15 was signed on March 15, 2017.") == []
    assert figures_in("the 18th National Congress met at 3:00 PM") == []


def test_a_figure_counts_the_noun_it_is_said_of() -> None:
    assert [f[:2] for f in figures_in("Of its 88 pilot reforms, 12 of the 88 reform tasks "
                                      "are done.")][1:] == [("12", "reform tasks"),
                                                            ("88", "reform tasks")]
    assert figures_in("Number of bonded warehouses: 14, all near the port.")[0][:2] == (
        "14", "bonded warehouses")
    assert figures_in("It set up more than 45 new service outlets.")[0][:2] == (
        "more than 45", "service outlets")
    assert figures_in("31 trade and logistics firms moved in.")[0][:2] == (
        "31", "trade and logistics firms")
    assert figures_in("Of these, 7 of them were new.")[0][:2] == ("7", "count")  # no pronoun


def test_half_is_a_figure_and_a_capitalised_article_is_no_numbering() -> None:
    assert figures_in("Nearly half of them began in Ningbo.")[0][:2] == ("Nearly half",
                                                                         "fraction")
    assert figures_in("The 12 measures fall under four headings.")[0][:2] == ("12", "measures")
    assert figures_in("Article 12 of the rules applies.") == []
    assert figures_in("It opened 3 bonded parks.")[0][:2] == ("3", "bonded parks")


def test_ordinals_that_are_no_rank_are_not_figures() -> None:
    assert figures_in("It marked the 5th anniversary of the zone.") == []
    assert figures_in("the 2nd and 3rd plenary sessions of the committee") == []
    assert [f[:2] for f in figures_in("Harbin came 2nd in the ranking and 7th in the third "
                                      "batch.")] == [("2nd", "rank"), ("7th", "rank")]


def test_each_figure_is_described_by_its_own_clause_or_cell() -> None:
    land, sea = figures_in("Land area: 50 sq km; sea area: 70 sq km.")
    assert (land[2], sea[2]) == ("Land area: 50 sq km", "sea area: 70 sq km.")
    whole, part = figures_in("Wenzhou Area | 30.5 km² | 2.1 km² of the Ou River bonded zone")
    assert whole[2] == "Wenzhou Area"
    assert part[2] == "Wenzhou Area: 2.1 km² of the Ou River bonded zone"


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
    values = {(f["value"], f["unit"]) for f in facts}
    assert {("52.19", "km²"), ("about 1,200", "hours"), ("3rd", "rank")} <= values
    assert all(f["citations"][0]["source"] == "qingdao.md" for f in facts)
    assert finder.facts(zone="Qingdao") == facts
    assert finder.facts(zone="Hainan") == []


def test_a_damaged_catalogue_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.json"
    path.write_text("{ not json")
    assert Catalogue(path).load() is False
