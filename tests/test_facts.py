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
