"""Reading questions and names: invented questions and sentences, one per failure class."""

from __future__ import annotations

import pytest

from assistant.answering.names import acronym_pairs, gazetteer, question_names, word_keys
from assistant.answering.reading import Reading, is_follow_up, read, read_english


def _names(question: str, acronyms: dict | None = None) -> list[str]:
    return [name.text for name in question_names(question, acronyms)]


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("What is the area of the Free Trade Zone in Ningbo?", ["Ningbo"]),
        ("How many FTZ firms did Harbin register in 2021?", ["Harbin"]),  # years are periods
        ("What did MOFCOM publish in 2025?", ["MOFCOM"]),
        ("How large is the Lin-gang Special Area?", ["Lin-gang"]),
        ("Which measures did Dalian and Yingkou share?", ["Dalian", "Yingkou"]),
        ("How big is the Shenyang Area of the Liaoning FTZ?", ["Shenyang", "Liaoning"]),
        ("Dalian's innovation index rank?", ["Dalian"]),  # a possessive is the name
        ("Shipping rules in Qingdao?", ["Qingdao"]),  # a sentence's first ordinary word is none
        ("What did the State Council approve?", []),
        ("How big is the pilot free trade zone?", []),
        ("Foreign trade of the Anhui FTZ in H1 2022?", ["Anhui"]),  # "H1" is a period
    ],
)
def test_question_names(question: str, names: list[str]) -> None:
    assert _names(question) == names


def test_one_name_written_differently_is_the_same_name() -> None:
    spaced = question_names("How large is the Qian Hai area?")[0]
    assert spaced.place is not None and spaced.place.name == "Qianhai"
    assert "qianhai" in spaced.alternatives
    adjective = question_names("How many Korean-invested firms are there in Yantai?")[0]
    assert {"korea", "korean"} <= set(adjective.alternatives)  # the country of the adjective
    assert "lingang" in word_keys("The Lin-gang area grew.")  # hyphens and spaces do not count


def test_an_acronym_is_its_expansion_as_the_documents_define_it() -> None:
    pairs = acronym_pairs("The Ministry of Commerce (MOFCOM) said; the NDRC (National "
                          "Development and Reform Commission) agreed.")
    assert pairs["mofcom"] == {"ministryofcommerce"}
    assert "ndrc" in pairs["nationaldevelopmentandreformcommission"]
    name = question_names("What did MOFCOM publish?", pairs)[0]
    assert "ministryofcommerce" in name.alternatives


def test_names_an_enterprise_gives_of_itself_weigh_less() -> None:
    names = question_names("We are a Kenyan coffee exporter. What helps us in Hunan's zone?")
    assert [(n.text, n.aside) for n in names] == [("Kenyan", True), ("Hunan", False)]


def test_places_are_found_by_whole_words() -> None:
    places = gazetteer().mentioned("The Xiangyang area grew, and so did Xi'an.")
    assert [p.name for p in places] == ["Xiangyang", "Xi'an"]  # no Xi'an inside Xiangyang
    positions = gazetteer().positions("Areas: Qianhai and Shekou, then Nansha.")
    assert [p.name for _, p in positions] == ["Qianhai", "Nansha"]  # one name, one mention


@pytest.mark.parametrize(
    ("question", "quantity"),
    [
        ("How many foreign-invested enterprises were set up in Wuhu in 2021?",
         {"foreign", "invest", "enterpris"}),
        ("How many new enterprises did the Hefei Area register?", {"enterpris"}),
        ("What were the Wuhu Area's exports in 2022?", {"export"}),
        ("What was the total value of imports and exports in Wuhu in 2022?", {"trade"}),
        ("Utilized foreign investment in the Bengbu Area in 2021?", {"foreign", "invest"}),
        ("How many tons of crude oil did the port import?", {"ton", "crude", "oil"}),
        ("shandong ftz imports+exports jan-aug 2023?", {"trade"}),
        ("How large is the Hefei Area?", set()),  # an area measures no counted thing
    ],
)
def test_the_quantity_a_figure_question_asks_about(question: str, quantity: set[str]) -> None:
    assert read(read_english(question)).quantity == quantity


def test_focus_leaves_out_question_words_names_and_the_zones_own_name() -> None:
    question = read(read_english("I need the foreign trade of the Hefei Pilot Free Trade Zone."))
    assert question.focus == {"trade"}


@pytest.mark.parametrize(
    "question",
    ["And in 2020?", "What about Shenyang?", "How about the Yingkou Area?",
     "And what about Hengqin?", "Same for Qianhai?", "Is it bigger?"],
)
def test_is_follow_up(question: str) -> None:
    assert is_follow_up(question)


@pytest.mark.parametrize(
    "question",
    ["How large is the Qiantang Area of the Zhejiang zone?", "Which rank did Harbin reach in 2021?",
     "Which measures apply to their companies in the Hengqin Area?", "Where is Shenyang?"],
)
def test_is_not_follow_up(question: str) -> None:
    assert not is_follow_up(question)


def test_a_follow_up_borrows_the_kind_and_keeps_its_own_place() -> None:
    follow = read(read_english("What about Shenyang?"),
                  read_english("How large is the Dalian Area?"))
    assert (follow.kind, [n.text for n in follow.names]) == ("area", ["Shenyang"])
    later = read(read_english("And in 2020?"),
                 read_english("How many firms did Harbin register in 2021?"))
    assert later.kind == "count" and [p.year for p in later.periods] == [2020]
    assert [n.text for n in later.names] == ["Harbin"]


def test_a_chinese_reading_asks_about_the_first_sense_of_a_word() -> None:
    reading = Reading("how many enterprises firms companies Harbin", ("Harbin",),
                      "how many enterprises Harbin")
    assert read(reading).quantity == {"enterpris"}
