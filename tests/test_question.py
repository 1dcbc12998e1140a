"""Reading questions: figure kinds, figures in sentences, key names and follow-ups."""

from __future__ import annotations

import pytest

from assistant.question import figure_kind, has_figure, is_follow_up, key_names, profile


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How large is the Qiantang Area?", "area"),
        ("How big is the bonded port of Lianyungang?", "area"),
        ("What is the size of the Wuhu logistics park?", "area"),
        ("How many square kilometres does the Jinan Area cover?", "area"),
        ("How much land does the Yantai Area occupy?", "area"),
        ("What share of trade in Chongqing goes by rail?", "percent"),
        ("What percentage of Kunming firms are foreign-invested?", "percent"),
        ("What is the corporate income tax rate in the port?", "percent"),
        ("How much registered capital does a Nanning broker need?", "money"),
        ("What does a customs licence cost in Changsha?", "money"),
        ("How long does company registration take in Hefei?", "duration"),
        ("How many days does an import permit take?", "duration"),
        ("How much processing time does a visa need?", "duration"),
        ("Which rank did Harbin reach in the innovation index?", "rank"),
        ("What position did Qingdao hold among inland zones?", "rank"),
        ("When was the Xiamen Area launched?", "date"),
        ("On what date did the Suzhou plan take effect?", "date"),
        ("In which year was the Zhengzhou zone approved?", "year"),
        ("How many enterprises registered in Tianjin during 2021?", "count"),
        ("What is the number of bonded warehouses in Shenzhen?", "count"),
        ("Who runs the Nansha Area?", "person"),
        ("Which deputy director briefed reporters?", "person"),
        ("What measures support cross-border e-commerce in Hengqin?", None),
        ("Describe the role of the Fuzhou Area.", None),
    ],
)
def test_figure_kind(question: str, kind: str | None) -> None:
    assert figure_kind(question) == kind


def test_figure_kind_of_working_days_is_a_duration() -> None:
    assert figure_kind("How many working days does an import permit take?") == "duration"


def test_figure_kind_checks_kinds_in_order() -> None:
    # "how many" alone is a count, but "how many days" is a duration and "square kilometres"
    # an area, even though both also match the generic count wording.
    assert figure_kind("How many firms are there?") == "count"
    assert figure_kind("How many days are there?") == "duration"
    assert figure_kind("How many square metres are there?") == "area"


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("The park covers 120.5 km² of reclaimed land.", "area"),
        ("It spans 12 sq. km on the river bank.", "area"),
        ("The site measures 3,000 square metres.", "area"),
        ("Farmland of 800 hectares was set aside.", "area"),
        ("Exports rose by 45% last year.", "percent"),
        ("Tariffs fell by about 2 per cent.", "percent"),
        ("Half of the firms trade with Korea.", "percent"),
        ("One third of the cargo is frozen food.", "percent"),
        ("A quarter of the loans went to start-ups.", "percent"),
        ("Rail carries 3/4 of the freight.", "percent"),
        ("The fund holds RMB 500 million.", "money"),
        ("Investors brought in 5 billion yuan.", "money"),
        ("A permit costs 300 yuan.", "money"),
        ("The loan ceiling is US$ 40 million.", "money"),
        ("Clearance takes three working days.", "duration"),
        ("Goods are released within 48 hours.", "duration"),
        ("The review lasts 2 to 3 weeks.", "duration"),
        ("The zone ranked 11th of 43.", "rank"),
        ("It was the first in the province to do so.", "rank"),
        ("The plaque was hung on March 5.", "date"),
        ("The plan was signed on 9 April.", "date"),
        ("The notice is dated 2019-07-27.", "date"),
        ("The zone opened in 2019.", "date"),
        ("The zone opened in 2019.", "year"),
        ("Twelve firms signed up.", "count"),
        ("The list has 27 items, dated December 31, 2021.", "count"),
        ("On 9 April 2021 there were 1,250 firms.", "count"),
    ],
)
def test_has_figure_finds_the_kind(sentence: str, kind: str) -> None:
    assert has_figure(sentence, kind)


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("The third policy item is simplified.", "percent"),
        ("A third batch of measures was issued.", "percent"),
        ("Exports rose sharply last year.", "percent"),
        ("The park is large and well served.", "area"),
        ("The fund is large.", "money"),
        ("Clearance is fast.", "duration"),
        ("The zone ranked well.", "rank"),
        ("The plaque was hung last spring.", "date"),
        ("The zone opened long ago.", "year"),
        ("The notice is dated December 31, 2021.", "count"),
        ("It was approved in March 2017.", "count"),
        ("It took effect on 9 April 2021.", "count"),
        ("The zone opened in 2019.", "count"),
        ("Several firms signed up.", "count"),
    ],
)
def test_has_figure_rejects_other_text(sentence: str, kind: str) -> None:
    assert not has_figure(sentence, kind)


def test_a_count_ignores_an_iso_date() -> None:
    assert not has_figure("The rules were signed on 2020-06-01.", "count")


@pytest.mark.parametrize(
    "sentence",
    [
        "The fund holds USD 3 million.",
        "The fund holds CNY 200 million.",
        "Investors brought in 3 million US dollars.",
        "Trade reached 1.2 trillion yuan.",
    ],
)
def test_money_in_common_written_forms(sentence: str) -> None:
    assert has_figure(sentence, "money")


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("What is the area of the Free Trade Zone in Ningbo?", ("Ningbo",)),
        ("How many FTZ firms did Harbin register in 2021?", ("Harbin", "2021")),
        ("What did MOFCOM publish in 2025?", ("MOFCOM", "2025")),
        ("How large is the Lin-gang Special Area?", ("Lin-gang", "Special")),
        ("Which measures did Dalian and Yingkou share?", ("Dalian", "Yingkou")),
        ("Tell me about the Yantai Area. Which rank did it reach?", ("Yantai",)),
        ("Free Trade Zone rules for Xiamen", ("Xiamen",)),
        ("What did the State Council approve?", ()),
        ("How big is the pilot free trade zone?", ()),
    ],
)
def test_key_names(question: str, names: tuple[str, ...]) -> None:
    assert key_names(question) == names


def test_key_names_skip_sentence_initial_words_but_keep_initial_acronyms() -> None:
    assert key_names("Shipping rules in Qingdao?") == ("Qingdao",)
    assert key_names("NDRC rules for Qingdao?") == ("NDRC", "Qingdao")


def test_key_names_are_not_repeated() -> None:
    assert key_names("Did Harbin grow faster than Harbin did in 2020 or 2020?") == (
        "Harbin", "2020")


@pytest.mark.parametrize(
    "question",
    ["And in 2020?", "What about Shenyang?", "How about the Yingkou Area?",
     "And what about Hengqin?", "Same for Qianhai?", "Is it bigger?"],
)
def test_is_follow_up(question: str) -> None:
    assert is_follow_up(question)


@pytest.mark.parametrize(
    "question",
    ["How large is the Qiantang Area of the Zhejiang zone?",
     "Which rank did Harbin reach in 2021?",
     "Which measures apply to their companies in the Hengqin Area?",
     "Where is Shenyang?"],
)
def test_is_not_follow_up(question: str) -> None:
    assert not is_follow_up(question)


def test_profile_of_a_follow_up_borrows_the_previous_figure_kind() -> None:
    follow = profile("What about Shenyang?", "How large is the Dalian Area?")
    assert (follow.figure, follow.names) == ("area", ("Shenyang",))
    assert profile("And in 2020?", "How many firms did Harbin register in 2021?").figure == "count"


def test_profile_keeps_its_own_figure_and_ignores_previous_without_follow_up() -> None:
    assert profile("And when?", "How large is the Dalian Area?").figure == "date"
    alone = profile("What does the Harbin Area do?", "How large is the Dalian Area?")
    assert (alone.figure, alone.names) == (None, ("Harbin",))
    assert profile("What about Shenyang?").figure is None


def test_a_person_is_a_surname_and_a_given_name_that_is_no_english_word() -> None:
    from assistant.question import has_figure

    assert has_figure("Zhu Zhisong presented the results.", "person")
    assert has_figure("It was briefed by Liao Xiaodong, deputy chief.", "person")
    assert not has_figure("The Information Office of Shanghai held a conference.", "person")
    assert not has_figure("The Pudong New Area leads.", "person")
    assert not has_figure("Xi Jinping spoke.", "person", known=("Xi", "Jinping"))
