"""What a figure is about: its place, its period and what it measures (invented sentences)."""

from __future__ import annotations

import pytest

from assistant.answering.attribution import (
    figure_periods,
    figure_places,
    most_specific,
    of_all_zones,
    place_verdict,
    window_terms,
)
from assistant.answering.bank import Notes
from assistant.answering.names import gazetteer


def _figure(notes: Notes, written: str):
    return next(f for f in notes.figures if f.text.startswith(written))


def _places(sentence: str, written: str, local: list[Notes] | None = None) -> list[str]:
    notes = Notes(sentence)
    return [p.name for p in figure_places(notes, _figure(notes, written), local or [], None)]


def _place(name: str):
    return gazetteer().find(name)


@pytest.mark.parametrize(
    ("sentence", "figure", "places"),
    [
        ("It covers 119.99 square kilometers: 46.8 sq km in Nanning, 58.19 sq km at "
         "Qinzhou Port and 15 sq km in Chongzuo.", "58.19", ["Qinzhou"]),
        ("It covers 119.99 square kilometers: 46.8 sq km in Nanning, 58.19 sq km at "
         "Qinzhou Port and 15 sq km in Chongzuo.", "46.8", ["Nanning"]),
        ("Area: Tianfu New Area; City: Chengdu; Size (sq km): 90.32.", "90.32", ["Tianfu"]),
        ("It includes Tianfu New Area, at 90.32 square kilometers.", "90.32", ["Tianfu"]),
        ("The Heihe Area of the Heilongjiang zone covers 20 square kilometers.", "20",
         ["Heihe"]),  # an area named with its zone: the area's figure
    ],
)
def test_a_figure_belongs_to_the_place_its_clause_names(
    sentence: str, figure: str, places: list[str]
) -> None:
    assert _places(sentence, figure) == places


def test_a_total_of_listed_areas_is_their_zones_figure() -> None:
    sentence = "It spans 119.98 square kilometers in three areas: Liangjiang, Xiyong and Guoyuan."
    found = figure_places(Notes(sentence), _figure(Notes(sentence), "119.98"), [], None)
    assert place_verdict([_place("Xiyong")], found) == "broader"
    assert place_verdict([_place("Chongqing")], found) == "match"


def test_listed_areas_that_together_hold_a_figure_are_their_zones() -> None:
    sentence = ("The zone has three areas, Liangjiang, Xiyong and Guoyuan, which together cover "
                "119.98 square kilometers.")
    found = figure_places(Notes(sentence), _figure(Notes(sentence), "119.98"), [], None)
    assert place_verdict([_place("Guoyuan")], found) == "broader"


def test_the_whole_a_share_is_taken_of_is_not_its_owner() -> None:
    before = Notes("The Hefei Area of the Anhui zone makes kilns.")
    assert _places("Kiln exports reached 154 bn yuan, or 22.3% of Anhui.", "22.3",
                   [before]) == ["Hefei"]  # (the context's, as nothing else says)
    assert _places("Kiln exports reached 154 bn yuan, or 22.3% of Anhui.", "154") == ["Anhui"]


def test_a_row_of_the_whole_zone_is_the_zones() -> None:
    before = Notes("The Hefei Area of the Anhui zone makes kilns.")
    row = "Indicator (whole FTZ): Kiln exports; 2021: 154; H1 2022: 95.93."
    assert _places(row, "95.93", [before]) == ["Anhui"]
    # an area the whole zone includes is named in the row's first cell, and is no owner
    row = "Area: Whole zone (incl. Dalian Area); Size (sq km): 119.89; Kilns: 40."
    assert _places(row, "119.89") == ["Liaoning"]


def test_a_table_row_naming_several_areas_totals_them() -> None:
    row = "Indicator: Output of Nanning, Qinzhou and Chongzuo; 2024: 90 billion yuan."
    found = figure_places(Notes(row), _figure(Notes(row), "90"), [], None)
    assert place_verdict([_place("Qinzhou")], found) == "broader"
    assert place_verdict([_place("Guangxi")], found) == "match"


def test_a_figure_said_across_the_zones_areas_is_the_zones() -> None:
    before = Notes("The Yingkou Area of the Liaoning zone grew fast.")
    sentence = "On the first day 181 firms got licences across the zone's three areas."
    assert _places(sentence, "181", [before]) == ["Liaoning"]
    assert _places("On the first day 181 firms got licences.", "181", [before]) == ["Yingkou"]
    sentence += " and another 350 were preparing to register."
    assert _places(sentence, "350", [before]) == ["Liaoning"]  # the clause after goes on
    one_of = "Of the zone's three areas, the Yingkou Area is by far the largest, at 30 sq km."
    assert _places(one_of, "30", [before]) == ["Yingkou"]  # one of them, picked out


def test_a_place_in_another_figures_cell_is_that_figures() -> None:
    row = "Period: Full year 2021; Trade: 154 bn yuan (22.3% of Hunan); Firms: 13,000."
    assert _places(row, "13,000") == []  # the share's province, not the firms' place
    assert _places("Indicator: Size; Scope: Hefei Area; Value: 53 sq km.", "53") == ["Hefei"]


def test_the_sentence_before_names_the_subject_only_of_one_that_refers_back() -> None:
    before = Notes("The Hefei Area hosts chip makers.")
    heading = Notes("Anhui FTZ briefing")
    assert _places("The area registered 300 firms.", "300", [before, heading]) == ["Hefei"]
    assert _places("Total registrations reached 900 firms.", "900", [before, heading]) == [
        "Anhui"]
    # a word within the sentence may refer back too ("settled there", "in the area")
    assert _places("By May, 300 firms had settled there.", "300", [before, heading]) == [
        "Hefei"]
    assert _places("Firms in the area filed 40 patents.", "40", [before, heading]) == ["Hefei"]
    assert _places("By May there were 900 firms.", "900", [before, heading]) == ["Anhui"]


def test_place_verdicts() -> None:
    hefei, anhui, nanning = _place("Hefei"), _place("Anhui"), _place("Nanning")
    assert place_verdict([hefei], [hefei]) == "match"
    assert place_verdict([hefei], [anhui]) == "broader"  # the whole zone's figure
    assert place_verdict([anhui], [hefei]) == "narrower"  # one area's figure
    assert place_verdict([hefei], [nanning]) == "elsewhere"
    assert place_verdict([hefei], []) == ""
    assert most_specific([hefei, anhui]) == [hefei]  # "the Hefei Area of the Anhui FTZ"


def test_a_figure_covers_the_period_of_its_own_clause() -> None:
    notes = Notes("On April 1, 2022, the office said that by the end of December 2021 the "
                  "zone had registered 192,000 enterprises.")
    periods, own = figure_periods(notes, _figure(notes, "192,000"), [], None)
    assert own and [(p.span, p.year) for p in periods] == [("as_of", 2021)]


def test_a_figure_without_a_period_has_the_one_the_sentence_before_says() -> None:
    before, heading = Notes("In 2021 the Lotus Area kept growing."), Notes("Kilns 2019-2023")
    notes = Notes("Kiln exports came to 9 billion yuan.")
    periods, own = figure_periods(notes, _figure(notes, "9"), [before, heading], None)
    assert own and [(p.span, p.year) for p in periods] == [("year", 2021)]
    periods, own = figure_periods(notes, _figure(notes, "9"), [heading], None)
    assert not own  # a section's period is only context


def test_a_changes_base_year_is_not_the_period_of_a_figure() -> None:
    heading = Notes("Kilns")
    before = Notes("Kiln output: 5,000 tons, up 3 percent from 2021")
    notes = Notes("Kiln exports: 300 million yuan")
    periods, _ = figure_periods(notes, _figure(notes, "300"), [before, heading], None)
    assert not periods  # (2021 is what the output before it grew from)
    growth = Notes("In 2022 kiln output reached 8,000 tons, 5 percent more than in 2021.")
    periods, own = figure_periods(growth, _figure(growth, "8,000"), [heading], None)
    assert own and [(p.span, p.year) for p in periods] == [("year", 2022)]


def test_what_a_figure_measures_includes_its_sentences_subject() -> None:
    notes = Notes("Nearly 40,000 enterprises had settled by July 2021, and the total "
                  "exceeded 90,000 by June 2023.")
    assert "enterpris" in window_terms(notes, _figure(notes, "90,000"))
    row = Notes("Indicator: Corporate entities; Scope: Qingdao Area; Value: 25,000.")
    assert {"corpor", "entiti"} <= window_terms(row, _figure(row, "25,000"))


def test_a_combined_figure_of_listed_areas_is_none_of_them_alone() -> None:
    sentence = ("The combined kiln output of the three platforms, Hengqin, Qianhai and Nansha, "
                "went from 224.4 billion yuan in 2015 to 526 billion yuan in 2023.")
    for written in ("224.4", "526"):
        found = figure_places(Notes(sentence), _figure(Notes(sentence), written), [], None)
        assert place_verdict([_place("Nansha")], found) == "broader"
    alone = "Kiln output rose in Hengqin, Qianhai and Nansha; Nansha reached 80 billion yuan."
    assert _places(alone, "80") == ["Nansha"]


def test_the_zones_figure_in_a_document_about_one_area_is_the_whole_zones() -> None:
    before = [Notes("The Hefei Area of the Anhui FTZ makes kilns.")]
    assert _places("In 2021 the zone's kiln trade equalled 22.3 percent of Anhui's total.",
                   "22.3", before) == ["Anhui"]
    assert _places("In 2021 its kiln trade equalled 22.3 percent of Anhui's total.",
                   "22.3", before) == ["Hefei"]


@pytest.mark.parametrize(("sentence", "figure", "national"), [
    # class: a figure of all the pilot zones is the nation's, in a sentence or a table row
    ("Since the first zone opened in Harbin, the 15 pilot free trade zones have drawn 9,000 "
     "firms.", "9,000", True),
    ("Year: 2021; Indicator (all pilot FTZs): Exports; Value: 44.5 billion yuan.", "44.5", True),
    ("Year: 2021; Indicator: Exports of the Yantai Area; Value: 44.5 billion yuan.", "44.5",
     False),
    # how far something spread is no owner ("replicated nationwide")
    ("Zone: Yantai; Indicator: Measures replicated nationwide; Value: 36.", "36", False),
    ("The Yantai Area drew 9,000 firms, a tenth of the national total.", "9,000", False),
    ("Nationwide, the Yantai Area ranked 3rd.", "3rd", False),  # a place named in between
    ("Freight on the New International Land-Sea Trade Corridor hit 9,000 TEUs.", "9,000", False),
])
def test_a_figure_of_all_the_zones_is_told(sentence: str, figure: str, national: bool) -> None:
    notes = Notes(sentence)
    assert of_all_zones(notes, _figure(notes, figure)) is national
