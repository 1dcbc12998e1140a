"""Figures as data records, read from invented sentences: each test names the failure class
it guards (value scale, unit, quantity, place level, period, duplicates)."""

from __future__ import annotations

import pytest

from assistant.answering.bank import assemble, documents_of
from assistant.facts import facts_of
from assistant.store import Hit


def _facts(*sentences: str, source: str = "sheet.md", title: str = "Briefing",
           zone: str = "", date: str = "", header: str = "") -> list:
    """The facts of one chunk made of `sentences` (one paragraph each)."""
    text, starts = "", []
    for sentence in sentences:
        starts.append(len(text))
        text += sentence + "\n"
    meta = {"source": source, "title": title, "zone": zone, "date": date, "header": header,
            "opens_paragraph": True}
    chunk = Hit(f"{source}#0", 0.0, text, meta)
    rows = [Hit(f"{source}#0/{i}", 0.0, s, {"chunk_id": chunk.id, "position": i,
                                            "start": starts[i]})
            for i, s in enumerate(sentences)]
    chunks, _ = assemble([chunk], rows)
    return facts_of(chunks.values(), documents_of(chunks.values()))


def _one(*sentences: str, value: str, **meta):
    found = [f for f in _facts(*sentences, **meta) if f.value == value]
    assert len(found) == 1, [f.value for f in _facts(*sentences, **meta)]
    return found[0]


def test_a_scale_word_makes_the_number_and_the_currency_the_unit() -> None:
    # class: "RMB1.8 trillion" filed as 1.8 %
    fact = _one("In 2023 the Lingang Special Area's output value reached RMB1.8 trillion.",
                value="RMB1.8 trillion")
    assert (fact.number, fact.unit, fact.kind) == (1.8e12, "yuan", "money")
    assert fact.quantity == "output value"
    assert fact.place == "Shanghai FTZ / Lin-gang Special Area" and fact.level == "area"
    assert fact.period_key == "2023"


def test_an_area_figure_is_the_area_s_not_its_zone_s_and_has_no_period() -> None:
    # classes: sub-areas charted as whole zones; an approval year taken as the area's period
    nansha = _one("Approved in 2015, the Nansha Area covers 60 sq km.", value="60 sq km",
                  zone="Guangdong FTZ")
    assert nansha.place == "Guangdong FTZ / Nansha Area" and nansha.period_key == ""
    whole = _one("The Guangdong FTZ covers 116.2 square kilometres.",
                 value="116.2 square kilometres")
    assert (whole.place, whole.level, whole.quantity) == ("Guangdong FTZ", "zone", "area")


def test_a_province_sharing_a_zone_s_name_is_the_province() -> None:
    # class: a province's land area filed under its FTZ
    fact = _one("Fujian province has a land area of 124,000 sq km.", value="124,000 sq km")
    assert (fact.place, fact.level) == ("Fujian (province)", "province")


def test_a_named_port_is_the_port_not_the_area_of_that_name() -> None:
    fact = _one("Nansha Port handled 20 million TEUs of containers in 2024.",
                value="20 million")
    assert (fact.place, fact.unit) == ("Nansha Port (port)", "TEU")


def test_an_enclave_named_beside_its_figure_is_a_third_level() -> None:
    # class: a bonded zone inside an area filed as the area
    fact = _one("The Lotus Comprehensive Bonded Zone, which measures 2.5 sq km, lies within "
                "the Nansha Area.", value="2.5 sq km")
    assert fact.place == "Guangdong FTZ / Nansha Area / Lotus Comprehensive Bonded Zone"
    assert fact.level == "district"
    hyphened = _one("The Nansha Area includes the 1.75-sq-km Reed Comprehensive Bonded Zone.",
                    value="1.75-sq-km")
    assert hyphened.unit == "km²" and hyphened.place.endswith("Reed Comprehensive Bonded Zone")


@pytest.mark.parametrize(("sentence", "value", "key"), [
    ("In the first half of 2024, foreign trade of the Fujian FTZ reached 95.9 billion yuan.",
     "95.9 billion yuan", "2024-H1"),
    ("From January to August 2025 the Fujian FTZ's exports were 30.2 billion yuan.",
     "30.2 billion yuan", "2025-01..2025-08"),
    ("By the end of September 2022 the Fujian FTZ had 25,000 corporate entities.",
     "25,000", "as of 2022-09"),
    ("Since April 2015 the Fujian FTZ has introduced 772 institutional innovations.",
     "772", "since 2015-04"),
])
def test_each_figure_keeps_the_period_it_covers(sentence: str, value: str, key: str) -> None:
    # class: a 2019 figure dated 2017 (the document's date instead of the sentence's period)
    assert _one(sentence, value=value, date="2017-03").period_key == key


def test_a_count_is_measured_in_what_it_counts() -> None:
    # class: near-duplicate units ("firms", "companies", "enterprises newly")
    fact = _one("In 2023 the Xiamen Area saw 6,920 enterprises newly registered.",
                value="6,920")
    assert (fact.unit, fact.quantity) == ("enterprises", "newly registered enterprises")
    firms = _one("In 2023 the Xiamen Area attracted 2,706 firms.", value="2,706")
    assert firms.unit == "enterprises" and firms.place == "Fujian FTZ / Xiamen Area"
    innovations = _one("The Fujian FTZ has launched 88 institutional innovations so far.",
                       value="88")
    assert innovations.unit == "institutional innovations"


def test_a_growth_rate_is_a_change_of_its_subject() -> None:
    fact = _one("In 2024 the Xiamen Area's exports rose 12.5 percent year on year.",
                value="12.5 percent")
    assert fact.change and fact.quantity == "exports growth"
    share = _one("The Fujian FTZ accounted for 7.6 percent of the province's foreign trade in "
                 "2024.", value="7.6 percent")
    assert not share.change and share.quantity == "share of foreign trade"


def test_a_table_row_says_what_its_cells_measure() -> None:
    fact = _one("Indicator: Contracted kiln investment; 2023: USD 1.2 billion.",
                value="USD 1.2 billion", zone="Fujian FTZ", title="Fujian FTZ statistics")
    assert fact.quantity == "contracted kiln investment" and fact.period_key == "2023"
    assert fact.place == "Fujian FTZ"


def test_a_figure_of_all_the_pilot_zones_is_the_nation_s() -> None:
    fact = _one("In 2024 China's 22 pilot free trade zones handled 19.6 percent of national "
                "foreign trade.", value="19.6 percent")
    assert (fact.place, fact.level) == ("China", "nation")


def test_one_figure_stated_by_two_documents_is_one_record_with_both_sources() -> None:
    sentence = "In 2023 the Xiamen Area's foreign trade reached 240.5 billion yuan."
    first = _facts(sentence, source="a.md")
    second = _facts(sentence, source="b.md")
    hits = []  # two documents, one catalogue
    for source in ("a.md", "b.md"):
        meta = {"source": source, "title": source, "header": "", "opens_paragraph": True}
        hits.append((Hit(f"{source}#0", 0.0, sentence, meta),
                     Hit(f"{source}#0/0", 0.0, sentence,
                         {"chunk_id": f"{source}#0", "position": 0, "start": 0})))
    chunks, _ = assemble([h[0] for h in hits], [h[1] for h in hits])
    merged = facts_of(chunks.values(), documents_of(chunks.values()))
    assert len(first) == len(second) == len(merged) == 1
    assert [c["source"] for c in merged[0].citations] == ["a.md", "b.md"]


def test_a_size_column_gives_an_area_of_the_row_s_place() -> None:
    # class: "Size (sq km): 43.78" filed as a quantity called "size"
    fact = _one("Area: Xiamen Area; Size (sq km): 43.78; Focus: shipping.", value="43.78")
    assert (fact.quantity, fact.unit, fact.place) == ("area", "km²", "Fujian FTZ / Xiamen Area")


@pytest.mark.parametrize(("sentence", "value", "place"), [
    # the province said in so many words, with a zone named in the same sentence
    ("The Fujian FTZ grew fast, while Fujian province's exports reached 50 billion yuan.",
     "50 billion yuan", "Fujian (province)"),
    ("Beside the Hubei FTZ, the province of Hubei saw 3.1 percent growth.", "3.1 percent",
     "Hubei (province)"),
    ("Chongqing Municipality's GDP reached 3 trillion yuan while the Chongqing FTZ grew.",
     "3 trillion yuan", "Chongqing (city)"),  # a municipality is a city
    # a share's base named in the possessive is no province figure of the zone's
    ("The Guangdong FTZ generated 7.6 percent of Guangdong's foreign trade.", "7.6 percent",
     "Guangdong FTZ"),
])
def test_a_province_said_beside_its_zone_is_the_province(sentence: str, value: str,
                                                         place: str) -> None:
    assert _one(sentence, value=value).place == place


def test_a_running_total_without_a_start_counts_from_its_zone_s_launch() -> None:
    # class: "a cumulative 53.9 billion dollars" dated by the document instead of since launch
    fact = _one("Actually used foreign capital in the Tianjin FTZ reached a cumulative 12.3 "
                "billion U.S. dollars.", value="12.3 billion U.S. dollars", date="2024-05")
    assert fact.period_key == "since 2015-04"
    row = _one("Indicator: New enterprises (cumulative); Scope: Kaifeng Area; Value: 5,100.",
               value="5,100")
    assert (row.period_key, row.unit) == ("since 2017-04", "enterprises")
    stated = _one("As of: End of June 2019; New enterprises (cumulative): 4,400; Scope: "
                  "Kaifeng Area.", value="4,400")
    assert stated.period_key == "as of 2019-06"  # a row's own period wins


def test_so_far_is_as_of_the_document_s_date() -> None:
    fact = _one("So far, 77 reforms of the Hubei FTZ have been copied nationwide.", value="77",
                date="2022-11-03")
    assert fact.period_key == "as of 2022-11"


def test_a_part_of_a_year_takes_its_year_from_the_text_around_it() -> None:
    # class: "in the first half of the year" left without a period
    trade = _one("In the first half of the year the Hubei FTZ's imports and exports totalled "
                 "40.1 billion yuan, 12 percent more than a year earlier.",
                 value="40.1 billion yuan", date="2023-08-02")
    growth = _one("In the first half of the year the Hubei FTZ's imports and exports totalled "
                  "40.1 billion yuan, 12 percent more than a year earlier.", value="12 percent",
                  date="2023-08-02")
    assert trade.period_key == growth.period_key == "2023-H1"
    # a change said with no subject of its own is of the figure before it; imports and
    # exports are one quantity, foreign trade
    assert (trade.quantity, growth.quantity) == ("foreign trade", "foreign trade growth")


def test_a_share_of_a_total_is_a_share_of_the_figure_before_it() -> None:
    fact = _one("The Jiangsu FTZ's imports and exports came to 80 billion yuan, or 9.5 percent "
                "of Jiangsu province's total.", value="9.5 percent")
    assert (fact.quantity, fact.place) == ("share of foreign trade", "Jiangsu FTZ")
    named = _one("Trade with Laos reached 2 billion yuan, equal to 30 percent of the Yunnan "
                 "FTZ's total foreign trade.", value="30 percent")
    assert named.quantity == "share of foreign trade"


def test_a_figure_in_brackets_is_the_same_quantity_in_another_unit() -> None:
    fact = _one("The Hunan FTZ's trade with Kenya reached 6.9 billion yuan (about 0.95 billion "
                "U.S. dollars) in 2023.", value="about 0.95 billion U.S. dollars")
    assert fact.quantity == "trade with kenya"


def test_a_source_named_after_the_figure_is_not_its_place() -> None:
    # class: "according to the Department of Commerce of X Province" filed as the province's
    fact = _one("The Henan FTZ's foreign trade rose to 20 billion yuan, according to the "
                "Department of Commerce of Henan Province.", value="20 billion yuan")
    assert (fact.place, fact.level) == ("Henan FTZ", "zone")
    located = _one("Exports reached 5 billion yuan in Henan province.", value="5 billion yuan")
    assert located.place == "Henan (province)"


def test_a_clause_about_all_the_zones_is_the_nation_s_even_beside_a_zone() -> None:
    fact = _one("Since the first zone opened in Shanghai in September 2013, the 21 pilot free "
                "trade zones have attracted more than 700,000 newly established enterprises.",
                value="more than 700,000")
    assert (fact.place, fact.level, fact.period_key) == ("China", "nation", "since 2013-09")
    assert (fact.unit, fact.quantity) == ("enterprises", "newly established enterprises")


def test_a_sentence_about_the_port_is_the_port_s_not_its_namesake_area() -> None:
    facts = _facts("Qinzhou Port is the Guangxi FTZ's sea gateway.",
                   "The port handled 1.1 million TEUs in 2022.")
    fact = next(f for f in facts if f.value == "1.1 million")
    assert (fact.place, fact.level, fact.unit) == ("Qinzhou Port (port)", "port", "TEU")
    assert fact.quantity == "container throughput"
    area = _one("The Qinzhou Port Area covers 58.19 square kilometres.",
                value="58.19 square kilometres")
    assert area.place == "Guangxi FTZ / Qinzhou Port Area"


def test_a_table_row_s_indicator_cell_names_the_quantity_and_counted_noun() -> None:
    fact = _one("Period: As of June 2024; Indicator: Cases replicated nationwide; Value: 41.",
                value="41", zone="Hubei FTZ")
    assert (fact.quantity, fact.unit, fact.period_key) == (
        "cases replicated nationwide", "cases", "as of 2024-06")
    note = _one("Date: 5 May 2023 (30 days); Goods carried: 0.5 million tonnes.",
                value="0.5 million")
    assert note.unit == "tonnes"  # a bracket with a figure is a note, not the row's unit


def test_a_period_after_a_figure_is_not_what_it_measures() -> None:
    fact = _one("The Changsha Area's trade with Africa reached 5.1 billion yuan in the first "
                "eight months of 2022, up 29.8 percent year on year.", value="29.8 percent")
    assert fact.quantity == "trade with africa growth"
    assert fact.period_key == "2022-01..2022-08"


def test_another_document_s_figure_for_the_same_is_linked_with_its_date() -> None:
    # class: a later document's revised figure listed apart from the earlier, unconnected
    hits = []
    for source, date, value in (("early.md", "2024-01-10", "240.5"), ("late.md", "2025-03-02",
                                                                      "241.2")):
        sentence = f"In 2023 the Xiamen Area's foreign trade reached {value} billion yuan."
        meta = {"source": source, "title": source, "date": date, "header": "",
                "opens_paragraph": True}
        hits.append((Hit(f"{source}#0", 0.0, sentence, meta),
                     Hit(f"{source}#0/0", 0.0, sentence,
                         {"chunk_id": f"{source}#0", "position": 0, "start": 0})))
    chunks, _ = assemble([h[0] for h in hits], [h[1] for h in hits])
    facts = {f.value: f for f in facts_of(chunks.values(), documents_of(chunks.values()))}
    early, late = facts["240.5 billion yuan"], facts["241.2 billion yuan"]
    assert [(s["value"], s["date"]) for s in early.also_stated] == [
        ("241.2 billion yuan", "2025-03-02")]
    assert [s["value"] for s in late.also_stated] == ["240.5 billion yuan"]
    assert early.citations[0]["chunk"] == "early.md#0"  # to show the sentence in its passage


def test_a_state_said_in_the_present_tense_is_as_of_the_document_s_date() -> None:
    # class: "the innovation department has 22 staff" dated by the document's year alone
    fact = _one("Staffing: the Xiamen Area's innovation office has 24 staff.", value="24",
                date="2021-04-09")
    assert fact.period_key == "as of 2021-04"
    past = _one("The Xiamen Area handled 24 cases.", value="24", date="2021-04-09")
    assert past.period_key != "as of 2021-04"
    area = _one("The Xiamen Area is 43.78 sq km.", value="43.78 sq km", date="2021-04-09")
    assert area.period_key == ""
    by_year = _one("Staffing: the Xiamen Area's innovation office has 24 staff.", value="24",
                   date="2021")
    assert by_year.period_key == "2021"  # not "the end of 2021": the month is not known


def test_a_figure_naming_no_place_in_a_document_about_one_zone_is_the_zone_s() -> None:
    # class: figures of a zone's review left without a place when its title names its areas
    fact = _one("Foreign trade reached 51.3 billion yuan in 2024.", value="51.3 billion yuan",
                title="Hunan FTZ at five: the Changsha, Yueyang and Chenzhou Areas")
    assert (fact.place, fact.level) == ("Hunan FTZ", "zone")
    mixed = _one("Foreign trade reached 51.3 billion yuan in 2024.", value="51.3 billion yuan",
                 title="The Hunan and Hubei FTZs compared")
    assert mixed.place == ""  # two zones: no one place
