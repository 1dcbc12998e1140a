"""Reading questions and names: invented questions and sentences, one per failure class."""

from __future__ import annotations

import pytest

from assistant.answering.names import (
    acronym_pairs,
    asked_part,
    gazetteer,
    names_province,
    names_zone_itself,
    question_names,
    word_keys,
)
from assistant.answering.reading import (
    Reading,
    asked_role,
    holds_role,
    is_follow_up,
    read,
    read_english,
)


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
        # the ways of abbreviating a pilot zone name none
        ("Ningbo FTA planned size?", ["Ningbo"]),
        ("How many firms are in the China (Harbin) PFTZ?", ["Harbin"]),
        ("What did the State Council approve?", []),
        ("How big is the pilot free trade zone?", []),
        ("Foreign trade of the Anhui FTZ in H1 2022?", ["Anhui"]),  # "H1" is a period
        # an institution's name may hold "and"; two places joined by "and" stay two
        ("How big is the Lotus Kiln and Tile Cooperation Fund?",
         ["Lotus Kiln and Tile Cooperation Fund"]),
        ("What did the Ministry of Kilns and Tiles approve?", ["Ministry of Kilns and Tiles"]),
        ("How did Reed Customs and Lotus Customs cooperate?", ["Reed Customs", "Lotus Customs"]),
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


@pytest.mark.parametrize(
    ("question", "asked"),
    [("We are a Danish pump maker. Which area would suit us?", "Which area would suit us?"),
     ("Our firm sells tiles. We sell to Peru. Tell me the tile rules.", "Tell me the tile rules."),
     ("Which area would suit us?", None),  # nothing describes the asker
     ("We import pumps and want to know the duty rules.", None),  # the description asks
     ("Our plant makes pumps. Can we store them under bond?", "Can we store them under bond?")],
)
def test_the_part_that_asks_is_told_from_the_enterprise_describing_itself(
        question: str, asked: str | None) -> None:
    assert asked_part(question) == asked


def test_a_place_that_begins_an_organisations_name_is_no_place_mentioned() -> None:
    places = gazetteer()
    assert places.mentioned("Lotus Motors and Beijing Hyundai build vans here.") == []
    assert [p.name for p in places.mentioned("Guangxi's Beibu Gulf port grew.")] == ["Guangxi"]
    assert [p.name for p in places.mentioned("Shanghai Customs cleared it.")] == ["Shanghai"]
    assert [p.name for p in places.mentioned("Tianjin Airlines flies to Beijing.")] == [
        "Beijing"]


def test_a_zone_is_told_from_the_province_it_is_named_after() -> None:
    hunan = gazetteer().find("Hunan")
    assert [p.name for p in names_zone_itself("What did the Hunan pilot FTZ export?")] == [
        "Hunan"]
    assert [p.name for p in names_zone_itself("China (Hunan) Pilot Free Trade Zone size?")] == [
        "Hunan"]
    assert names_zone_itself("What did Hunan export?") == []
    assert names_zone_itself("What share of the Hunan FTZ's ideas came from Hunan?") == []
    assert names_province("Hunan's exports of tea rose to 9 billion yuan.", hunan)
    assert not names_province("Hunan's zone exported 9 billion yuan of tea.", hunan)
    assert not names_province("The zone's tea exports rose.", hunan)  # Hunan not named
    # the zone named as such, the province's own total in the possessive
    assert names_province("The zone helped lift Hunan's tea exports to 9 billion yuan.", hunan)
    assert not names_province("The zone said Hunan's pilot zone exported 9 billion.", hunan)
    assert not names_province("In Hunan, the zone exported 9 billion yuan of tea.", hunan)
    hainan = gazetteer().find("Hainan")
    assert not names_province("Hainan's duty-free sales rose.", hainan)  # the port is the island


def test_a_province_named_after_a_figure_as_a_share_s_base_is_not_its_place() -> None:
    # class: "the zone's X, N percent of the province's total": the total is the province's,
    # the figure is still the zone's
    hunan = gazetteer().find("Hunan")
    text = "Tea exports from the zone reached 9 billion yuan, a fifth of Hunan's total."
    assert not names_province(text, hunan, text.index("9 billion"))
    assert names_province(text, hunan)  # (the whole sentence read, as before)
    text = "The zone helped lift Hunan's tea exports to 9 billion yuan."
    assert names_province(text, hunan, text.index("9 billion"))  # named before the figure
    text = "Tea exports reached 9 billion yuan in Hunan's tea belt, the zone said."
    assert names_province(text, hunan, text.index("9 billion"))  # where it was: "in ..."


def test_places_are_found_by_whole_words() -> None:
    places = gazetteer().mentioned("The Xiangyang area grew, and so did Xi'an.")
    assert [p.name for p in places] == ["Xiangyang", "Xi'an"]  # no Xi'an inside Xiangyang
    positions = gazetteer().positions("Areas: Qianhai and Shekou, then Nansha.")
    assert [p.name for _, p in positions] == ["Qianhai", "Nansha"]  # one name, one mention


def test_every_area_of_a_zone_is_a_place_however_long_its_name() -> None:
    positions = gazetteer().positions("The Science and Technology Innovation Area and the "
                                      "High-end Industry Area of the Beijing FTZ grew.")
    assert [p.name for _, p in positions] == ["Science and Technology Innovation Area",
                                              "High-end Industry Area", "Beijing"]
    assert {p.zone for _, p in positions} == {"Beijing", ""}
    # the words alone, without the area's name, are no place
    assert not gazetteer().positions("Reed backs science and technology innovation.")
    assert gazetteer().find("Tianjin Airport Area").zone == "Tianjin"


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
        ("What was the kiln completion rate in percent?", {"complet", "kiln"}),
        ("Lotus Area: how much was its GDP in 2023?", {"gdp"}),
        ("Exports only: how much did the Lotus Area export in 2023?", {"export"}),
        ("How much were the Lotus Area's kiln exports?", {"kiln", "export"}),
        # the brackets of an official zone name hold only the name
        ("Give me the China (Reed) Pilot Free Trade Zone's total exports for 2022.",
         {"export"}),
        # which of them a partitive counts is said after them
        ("How many of the Lotus kilns were rated as highly efficient?",
         {"kiln", "rate", "high", "effici"}),
        ("How many of its kiln makers were foreign-invested in 2021?",
         {"kiln", "maker", "foreign", "invest"}),
        # a word for change is what a growth figure says, never what is counted
        ("Lotus Area kiln sales 2022 - how much and what growth?", set()),
        ("What was the increase in the Lotus Area's kiln exports?", {"kiln", "export"}),
        # a hyphenated word may begin with a function word ("per-item", "in-bond"), which
        # measures nothing
        ("What is the per-item kiln fee in the Lotus Area?", {"item", "kiln", "fee"}),
        # a question word run together with "is"
        ("What's the kiln fee in the Lotus Area?", {"kiln", "fee"}),
        # a longer noun phrase before its verb; "what rate of"
        ("What glazed tile export tax rate does the Lotus Area set?", {"glaze", "tile", "export",
                                                                        "tax"}),
        ("What rate of kiln tax applies in the Lotus Area?", {"kiln", "tax"}),
        # a request for a figure
        ("I need the 2022 kiln output total for the Lotus Area.", {"kiln", "output"}),
        ("We'd like the kiln export figure for the Lotus Area.", {"kiln", "export"}),
        ("What preferential kiln tax rate applies in the Lotus Area?", {"preferenti", "kiln",
                                                                         "tax"}),
        # a unit of area is no counted thing
        ("Lotus Area of the Reed FTZ - how many km2?", set()),
        # what a rank ranks: the index or ranking it is on
        ("Where does the Reed Report rank the Lotus Area's kiln facilitation index?",
         {"kiln", "facilit", "index"}),
        ("How did the Lotus Area rank on the tile openness index?", {"tile", "open", "index"}),
        ("What rank did the Lotus Area take in 2023?", set()),
        # a percentage says a limit by how it is put ("no more than 51%")
        ("What foreign shareholding cap does the Reed list set for kiln firms?",
         {"foreign", "sharehold"}),
        ("What kiln fee does the Lotus Area charge?", {"kiln", "fee"}),
    ],
)
def test_the_quantity_a_figure_question_asks_about(question: str, quantity: set[str]) -> None:
    assert read(read_english(question)).quantity == quantity


@pytest.mark.parametrize(
    ("question", "quantity"),
    [("What is the size of the bonded zone located in the Lotus Area?", {"bond"}),
     ("How large is the tile park in the Lotus Area?", {"tile", "park"}),
     ("How large is the Lotus Area of the Reed FTZ?", set()),  # the place's own area
     ("What is the total area of the three areas?", set()),
     ("How many square kilometres does the Lotus Area cover?", set())],
)
def test_an_area_question_about_a_facility_within_a_place(question: str,
                                                          quantity: set[str]) -> None:
    assert read(read_english(question)).quantity == frozenset(quantity)


@pytest.mark.parametrize(
    ("question", "flow"),
    [("How many kilns were built in 2022 alone?", True),
     ("How many kilns were built during 2022?", True),
     ("Over the whole of 2022, how many kilns were built?", True),
     ("How many kilns did the Lotus Area build in 2022 as a whole?", True),
     ("How many kilns did the Lotus Area have in 2022?", False),  # a stock at its end will do
     ("How many kilns by the end of 2022?", False),
     ("How many kilns were built during the single year 2022?", True),
     ("Give the kiln exports for the full calendar year 2022.", True),
     ("Kilns built in the whole year of 2022?", True),
     ("What were the kiln exports for the whole of 2022?", True),
     ("Full-year 2022 kiln exports of the Lotus Area?", True)],
)
def test_a_year_asked_about_as_a_stretch_of_time(question: str, flow: bool) -> None:
    assert read(read_english(question)).flow is flow


@pytest.mark.parametrize(
    ("question", "kind"),
    [("The Lotus Area's GDP for 2021 — what was it?", "money"),  # GDP is only money
     ("Lotus Area kiln exports in 2021: what were they?", "quantity")],
)
def test_a_tail_asks_for_the_figure_of_what_comes_before_it(question: str, kind: str) -> None:
    assert read(read_english(question)).kinds == (kind,)


def test_how_many_of_counts_what_follows() -> None:
    question = read(read_english("How many of the Lotus Area's kiln projects were finished?"))
    assert {"kiln", "project"} <= question.quantity


def test_focus_leaves_out_question_words_names_and_the_zones_own_name() -> None:
    question = read(read_english("I need the foreign trade of the Hefei Pilot Free Trade Zone."))
    assert question.focus == {"trade"}


def test_words_that_only_frame_the_period_are_no_focus() -> None:
    question = read(read_english("How many kilns were fired during the single year 2022?"))
    assert question.focus == {"kiln", "fire"}
    # without a period asked about, "single" says what is asked ("a single window")
    assert "singl" in read(read_english("What does the single window do for kilns?")).focus


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


def test_a_person_with_a_one_syllable_given_name_is_a_person() -> None:
    from assistant.answering.scoring import has_person

    asked = read(read_english("Who spoke for the customs office?"))
    assert has_person("Name: Zhang Yi; Position: deputy head of customs.", asked)
    assert has_person("Li Wei, the director, answered questions.", asked)
    assert not has_person("Hong Kong investors own half of the firms.", asked)
    assert not has_person("Free Trade rules apply.", asked)


def test_a_possessive_ends_a_name_and_a_measure_acronym_is_no_name() -> None:
    question = read(read_english("What was the Lotus Area's GDP in 2023?"))
    assert [n.text for n in question.names] == ["Lotus"]
    assert question.quantity == frozenset({"gdp"})
    assert [n.text for n in read(read_english("Did Reed's Tile Works grow?")).names] == [
        "Reed", "Tile Works"]


def test_a_quantity_asked_in_units_of_things_asks_for_no_money() -> None:
    assert read(read_english("What volume of kiln oil did Reedport bring in during 2022, in "
                             "tons?")).kinds == ("count",)
    assert read(read_english("What volume of kiln oil did Reedport bring in during 2022?")
                ).kinds == ("quantity",)


def test_a_quantity_only_money_measures_asks_for_money() -> None:
    assert read(read_english("Lotus Area foreign investment in 2017?")).kinds == ("money",)
    assert read(read_english("Lotus Area kiln exports in 2017?")).kinds == ("quantity",)


@pytest.mark.parametrize(
    ("question", "role"),
    [("Who is the mayor of Reed?", ("mayor", False)),
     ("Who is the director of the Lotus Area management committee?", ("head", False)),
     ("Which deputy director spoke at the kiln briefing?", ("head", True)),
     ("Name the vice governor in charge of the zone.", ("governor", True)),
     ("Who spoke at the kiln briefing?", None),
     ("Who heads the Lotus Area kiln committee?", ("head", False))],  # said by a verb
)
def test_the_office_a_person_question_asks_about(question: str, role) -> None:
    assert asked_role(question) == role


def test_a_deputy_holds_another_office_than_the_head() -> None:
    sentence = "Liu Fang, deputy chief of the Lotus Area committee, opened the kiln fair."
    assert not holds_role(sentence, ("head", False))
    assert holds_role(sentence, ("head", True))
    assert not holds_role(sentence, ("mayor", False))
    assert holds_role("Chen Bo, director of the Lotus Area committee, spoke.", ("head", False))



@pytest.mark.parametrize(
    ("question", "names"),
    [("Outside Wuhan, which area of the Hubei FTZ makes kilns?", ["Hubei"]),
     ("We want a Hubei FTZ site for kilns, but not in Wuhan. Which area fits?", ["Hubei"]),
     ("Besides Dalian and Shenyang, which kiln area does Liaoning have?", ["Liaoning"]),
     # compared with, beside a place asked about
     ("Has Harbin issued a kiln list like the Shanghai and Tianjin zones?", ["Harbin"]),
     # given as an example, with no other place: still what is asked about
     ("Which pilot zones, like Shanghai, have a kiln list?", ["Shanghai"]),
     # where something spread to, beside what spread it: the owner is asked about
     ("How many Dalian kiln rules were copied throughout Liaoning province?", ["Dalian"]),
     ("How many kiln rules were copied throughout Liaoning province?", ["Liaoning"])],
)
def test_a_place_set_apart_from_the_question_is_not_asked_about(question: str,
                                                                names: list[str]) -> None:
    assert [n.text for n in question_names(question) if n.place] == names


def test_an_ordinal_in_digits_says_which_edition_not_what_is_counted() -> None:
    question = read(read_english("4th Tianmu Kiln Expo - value of deals signed?"))
    assert "4" not in question.focus and "fourth" in question.focus
    assert not {"4", "fourth"} & question.quantity
    assert dict(question.parts) == {"expo": frozenset({4})}


def test_how_much_a_measure_helped_asks_for_a_share_or_an_amount() -> None:
    question = read(read_english("What did the kiln permit reform change, and how much did it "
                                 "help?"))
    assert question.kinds == ("percent", "quantity")


def test_the_time_a_duration_question_names_is_said_by_any_length_of_time() -> None:
    question = read(read_english("We ship tiles by rail. What did customs introduce, and how "
                                 "much time does it save?"))
    assert question.kinds[0] == "duration"
    assert "time" not in question.quantity


def test_an_acronym_for_an_area_is_that_area() -> None:
    pairs = acronym_pairs("The Dalian Area of the Liaoning Pilot Free Trade Zone (DFTZ) set up "
                          "a kiln registry. The Kiln Standards Office (KSO) approved it.")
    names = {n.text: n for n in question_names("How many kiln firms did the DFTZ and the KSO "
                                               "register in Liaoning?", pairs)}
    assert names["DFTZ"].place is not None and names["DFTZ"].place.name == "Dalian"
    assert names["KSO"].place is None


def test_a_deputy_commissioner_is_not_the_commissioner() -> None:
    role = read(read_english("Who was the commissioner of Tianmu Customs in 2024?")).role
    assert role == ("head", False)
    assert not holds_role("Name: Li Wei; Position: deputy commissioner, Tianmu Customs.", role)
    assert holds_role("Li Wei, commissioner of Tianmu Customs, opened the kiln hall.", role)


def test_a_place_that_begins_a_facilitys_name_is_where_the_facility_is() -> None:
    mentioned = gazetteer().mentioned("A kiln train left Qinzhou Port East Station for "
                                      "Chongqing on a test run.")
    assert [place.name for place in mentioned] == ["Qinzhou", "Chongqing"]


def test_a_yes_or_no_question_that_states_a_figure_asks_for_that_kind_of_figure() -> None:
    assert read(read_english("Is it true that Lotus Foods put more than 1 billion yuan into "
                             "its Tianmu kiln base?")).kinds == ("money",)
    assert read(read_english("Did the Tianmu area register 6,100 kiln firms?")).kinds == (
        "count",)
    assert read(read_english("Is the Tianmu kiln park open to foreign firms?")).kinds == ()


def test_the_top_official_is_the_head() -> None:
    assert read(read_english("Who was the top official of Tianmu Customs in 2023?")).role == (
        "head", False)


def test_a_numbered_events_name_says_which_event_not_what_is_counted() -> None:
    question = read(read_english("4th Tianmu-Africa kiln expo: projects signed and their value?"))
    assert question.quantity == frozenset({"project", "sign"})
    assert dict(question.parts) == {"expo": frozenset({4})}


def test_how_much_a_measure_cut_a_time_asks_for_a_length_of_time() -> None:
    assert read(read_english("How much did the kiln gate model cut the time trucks spend at "
                             "the gate?")).kinds == ("duration", "percent")


def test_an_apostrophe_inside_a_word_quotes_nothing() -> None:
    assert _names("Our bank won't lend against kilns while they're on the train in "
                  "Tianmu's park.") == ["Tianmu"]
    assert "kiln pass" in _names("What is the 'kiln pass' model in Tianmu?")


def test_a_span_of_years_that_names_an_edition_is_no_period_asked() -> None:
    assert read(read_english("What score did Tianmu get in the 2024-2025 Kiln Innovation "
                             "Index?")).periods == ()
    assert read(read_english("How much did kiln exports grow from 2019 to 2021?")).periods


def test_the_askers_i_is_no_name() -> None:
    assert _names("I ship tea into Changsha and I'm writing a report. What was Hunan's kiln "
                  "trade in 2023?") == ["Changsha", "Hunan"]
