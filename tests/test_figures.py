"""How figures are written and what a question asks for: invented sentences, one per class."""

from __future__ import annotations

import pytest

from assistant.figures import (
    ASKS_WHICH_PART,
    Period,
    asked_kind,
    asked_kinds,
    asked_rate,
    covers,
    figures_in,
    holds_kind,
    number_value,
    parts_in,
    periods_in,
    terse_kinds,
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How large is the Qiantang Area?", "area"),
        ("How big is the bonded port of Lianyungang?", "area"),
        ("What is the size of the Wuhu logistics park?", "area"),
        ("Wuhu park size?", "area"),  # a terse question
        ("How many square kilometres does the Jinan Area cover?", "area"),
        ("How much land does the Yantai Area occupy?", "area"),
        ("What share of trade in Chongqing goes by rail?", "percent"),
        ("What percentage of Kunming firms are foreign-invested?", "percent"),
        ("What is the corporate income tax rate in the port?", "percent"),
        ("By how much did exports from Wuhu grow?", "percent"),
        ("How much registered capital does a Nanning broker need?", "money"),
        ("What does a customs licence cost in Changsha?", "money"),
        ("What was the value of the contracts signed at the fair?", "money"),
        ("What were the Wuhu park's exports in 2021?", "quantity"),  # money or a count
        ("How much did the park handle last year?", "quantity"),
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
        ("What is the document number of the notice on the Hefei plan?", "code"),
        ("Which ministries issued the list?", "organisation"),
        ("Which area of the Hubei zone hosts car makers?", "entity"),
        ("Which companies opened plants in the park?", "entity"),
        ("What measures support cross-border e-commerce in Hengqin?", None),
        ("Describe the role of the Fuzhou Area.", None),
        ("What is the maximum foreign shareholding allowed in kiln makers?", "percent"),
        ("Who issued the kiln negative list?", "organisation"),  # agencies issue documents
        ("Who signed the kiln rules?", "person"),
        ("The Lotus Area was ranked the best kiln hub - by what magazine?", "entity"),
        ("By what percentage did kiln exports grow?", "percent"),
        ("Within what time frame should the kiln park be built?", "duration"),
        ("Reed new area of the Lotus FTZ - set up in which month?", "date"),  # a place's name
        ("Is there a cap on the foreign stake in tile firms?", "percent"),
        # "on what" that opens a clause asks no date
        ("At the May 2021 briefing, who reported on what the Lotus Area had done?", "person"),
        ("List the industries the Harbin Area was given when the zone opened.", None),
        ("What is the trade policy of the Yangpu port?", None),
        ("What did the Lotus Area's kiln sales come to in 2021?", "quantity"),  # a total
        ("What does the kiln levy amount to per tonne?", "quantity"),
        ("What did the kiln makers come to agree on?", None),
        ("Which Reed Ministry of Kilns official opened the fair?", "person"),
        ("Which Lotus FTZ area is the kiln gateway?", None),  # no rank: "which place"
        # how much of a place lies in another: an area (or a share)
        ("How much of the Reed Bonded Port Area is included in the Lotus FTZ?", "area"),
        ("How much of the zone's trade is with ASEAN?", "percent"),
        # a cap on a stake is a percentage; a fee or limit a quantity
        ("What foreign shareholding cap does the Reed list set for kiln firms?", "percent"),
        ("What kiln fee does the Lotus Area charge?", "quantity"),
        # what someone does is an action, not a figure
        ("What do the authorities do if a kiln maker applies to invest in a listed sector?",
         None),
        # a long subject between the question word and its verb
        ("What output did the Lotus advanced kiln manufacturing industrial park in Reed "
         "actually reach in 2025?", "quantity"),
        ("What fee does the Reed kiln platform charge?", "quantity"),
        # bodies compile, host and sponsor things; people are asked for otherwise
        ("Who compiles the kiln innovation index?", "organisation"),
        ("Who hosts the Reed Kiln Expo?", "organisation"),
        # a score on an index is a number
        ("What did the Reed area score in the kiln index?", "count"),
        ("What was the Lotus Area's overall score?", "count"),
        # how much a measure cut something: a percentage first, or an amount
        ("How much did data sharing reduce the kiln freight cost in 2023?", "percent"),
    ],
)
def test_asked_kind(question: str, kind: str | None) -> None:
    assert asked_kind(question) == kind


@pytest.mark.parametrize(
    ("question", "kinds"),
    [("Tianjin port throughput in 2020?", ("quantity",)),
     ("Wuhu new enterprises for 2021?", ("quantity",)),
     ("Reed kiln tile production 2024?", ("quantity",)),
     ("Reed area cross-border RMB settlement 2021?", ("quantity",)),
     ("Reed area score, 2024-2025 kiln index?", ("quantity",)),
     ("Trade policy of the Yangpu port?", ()),  # names no quantity: a policy
     ("Shipping rules in Qingdao?", ()),
     ("Approval year of the Reed kiln park?", ("date",)),
     ("Clearance time saved per year at the kiln port?", ("duration",)),
     ("Time limits of the kiln rules?", ()),
     ("Tell me the Lotus Area's actually used foreign capital in 2020.", ("quantity",)),
     ("Tell me about the Lotus kiln policy.", ()),
     ("Lotus FTZ total area under the 2019 kiln circular?", ("area",)),
     ("Reed FTZ share of the province's kiln exports in 2021?", ("percent",))],
)
def test_a_question_put_as_a_noun_phrase(question: str, kinds: tuple[str, ...]) -> None:
    assert terse_kinds(question) == kinds


@pytest.mark.parametrize(
    ("question", "kinds"),
    [("How many kilns were built in the Lotus area of the Reed FTZ?", ("count",)),  # a place
     ("How many kilns were built in the Lotus Area?", ("count",)),
     ("What area does the Lotus zone cover?", ("area",)),  # a question word, not a place
     ("Which area hosts the kilns?", ("entity",)),
     ("Is there an area of the Reed zone aimed at kiln makers?", ("entity",)),  # a part
     ("How big is the Lotus area?", ("area",)),
     ("How big is the kiln repair business in the zone?", ()),  # the size of an activity
     ("How large is the Lotus pilot free trade zone?", ("area",)),
     ("How large was the tile industry of the Lotus Area?", ()),
     # the size of what money measures is an amount of money
     ("How big is the kiln fund the Lotus Area set up?", ("money",)),
     ("How large was the Reed tile investment deal?", ("money",)),
     ("How big is the Lotus Kiln and Tile Makers Cooperation Fund?", ("money",)),
     ("What is the date of the kiln investment rules?", ("date",))],  # not the money
)
def test_an_area_is_asked_for_only_of_a_place(question: str, kinds: tuple[str, ...]) -> None:
    assert asked_kinds(question) == kinds


def test_a_row_s_first_cell_gives_the_unit_of_its_bare_figures() -> None:
    # class: "Indicator: Kiln output (bn yuan); 2021: over 15.4" read as a count of 15.4
    row = "Indicator (whole zone): Kiln output (bn yuan); 2021: over 15.4; H1 2022: 9.93."
    figures = [f for f in figures_in(row) if f.kind not in ("year", "date")]
    assert [(f.text, f.value, f.unit) for f in figures] == [
        ("over 15.4", 15.4e9, "yuan"), ("9.93", 9.93e9, "yuan")]
    plain = figures_in("Indicator: Kiln output; 2021: 154 kilns.")  # no unit named: a count
    assert [f.kind for f in plain if f.kind not in ("year", "date")] == ["count"]


def test_a_question_that_asks_two_things_asks_for_both_kinds() -> None:
    assert asked_kinds("How many firms moved in, and what share came from Korea?") == (
        "percent", "count")
    assert asked_kinds("How many square metres are there?") == ("area",)  # one thing only


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("The park covers 120.5 km² of reclaimed land.", "area"),
        ("It spans 12 sq. km on the river bank.", "area"),
        ("The site measures 3,000 square metres.", "area"),
        ("Farmland of 800 hectares was set aside.", "area"),
        ("Area: Wuhu Park; Size (sq km): 35.", "area"),  # the unit in the column's name
        ("Exports rose by 45% last year.", "percent"),
        ("Tariffs fell by about 2 per cent.", "percent"),
        ("Half of the firms trade with Korea.", "percent"),
        ("One third of the cargo is frozen food.", "percent"),
        ("Rail carries 3/4 of the freight.", "percent"),
        ("The fund holds RMB 500 million.", "money"),
        ("Investors brought in 5 billion yuan.", "money"),
        ("The loan ceiling is US$ 40 million.", "money"),
        ("Trade reached RMB1.8 trillion.", "money"),
        ("Clearance takes three working days.", "duration"),
        ("Goods are released within 48 hours.", "duration"),
        ("The zone ranked 11th of 43.", "rank"),
        ("It was the first in the province to do so.", "rank"),
        ("The port is the world's fifth-largest bunkering hub.", "rank"),
        ("The plaque was hung on March 5.", "date"),
        ("The notice is dated 2019-07-27.", "date"),
        ("The zone opened in 2019.", "date"),
        ("The zone opened in 2019.", "year"),
        ("Twelve firms signed up.", "count"),
        ("The list has 27 items, dated December 31, 2021.", "count"),
        ("It was issued as Guo Fa (2019) No. 16.", "code"),
    ],
)
def test_holds_kind(sentence: str, kind: str) -> None:
    assert holds_kind(sentence, kind)


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
        ("The notice is dated December 31, 2021.", "count"),
        ("It took effect on 9 April 2021.", "count"),
        ("The zone opened in 2019.", "count"),  # a year is no count
        ("The 10th anniversary fell in May.", "rank"),  # an event's ordinal is no rank
        ("In the first eight months, trade grew.", "count"),  # a period is no count
        ("It was issued as Guo Fa (2019) No. 16.", "count"),  # a document number is no count
        ("Investors brought in 5 billion yuan.", "count"),  # money answers no "how many"
        ("Kiln council briefing, May 2021 Page 1 of 3", "count"),  # page furniture
        ("Part 2 of 5 covers the tile market.", "count"),
        ("Zero tariffs apply to imported kilns.", "count"),  # a policy's name counts nothing
    ],
)
def test_holds_kind_rejects_other_text(sentence: str, kind: str) -> None:
    assert not holds_kind(sentence, kind)


def test_how_much_a_measure_cut_is_a_percentage_or_an_amount() -> None:
    assert asked_kinds("How much did the kiln rule cut freight costs?") == ("percent", "quantity")
    assert asked_kinds("How much time does the kiln rule save?") == ("duration",)


def test_how_many_of_a_whole_is_a_count_or_a_share_of_it() -> None:
    assert asked_kinds("Of the 40 kiln firms, how many came from the Reed zone?") == (
        "count", "percent")
    assert asked_kinds("How many of the 12 kiln rules were copied?") == ("count", "percent")
    shares = [f for f in figures_in("Of the 40 kiln firms, nearly half came from Reed.")
              if f.kind == "percent"]
    assert [f.text for f in shares] == ["nearly half"]
    # the half of a year is a period, not a share
    assert not [f for f in figures_in("In the second half came 30 kiln firms.")
                if f.kind == "percent"]


def test_a_number_inside_a_larger_one_is_no_year() -> None:
    figures = figures_in("Exports came to 201.9 billion yuan, or 2,019 containers.")
    assert [f.kind for f in figures] == ["money", "count"]
    assert figures[0].value == pytest.approx(201.9e9)


@pytest.mark.parametrize(
    ("written", "value"),
    [("3,000", 3000.0), ("1.8", 1.8), ("twenty-two", 22.0), ("a dozen", 12.0), ("seven", 7.0),
     ("a hundred", 100.0), ("lots", None)],
)
def test_number_value(written: str, value: float | None) -> None:
    assert number_value(written) == value


@pytest.mark.parametrize(
    ("text", "span", "year", "first", "last"),
    [
        ("Trade grew in 2023.", "year", 2023, 1, 12),
        ("In the first half of 2024 trade grew.", "half", 2024, 1, 6),
        ("Figures for H2 2022 are out.", "half", 2022, 7, 12),
        ("In Q3 2021 cargo rose.", "quarter", 2021, 7, 9),
        ("In the first eight months of 2025, 600 firms came.", "months", 2025, 1, 8),
        ("From January to August 2025, exports rose.", "months", 2025, 1, 8),
        ("As of the end of 2024 there were 90 banks.", "as_of", 2024, 1, 12),
        ("By 2019, 117 tasks were done.", "as_of", 2019, 1, 12),
        ("To the end of June 2022 it built 40 kilns.", "as_of", 2022, 1, 6),
        ("Since its launch in 2019, 6,000 firms came.", "since", 2019, 1, 12),
        ("Since it was founded on April 10, 2017, it has grown.", "since", 2017, 4, 12),
        ("From January to June that year, trade rose.", "half", 0, 1, 6),  # year elsewhere
        # a part of a year said by reference: which part, the text before says
        ("For the same period of 2023, the port handled 3 million TEUs.", "part", 2023, 1, 12),
    ],
)
def test_periods(text: str, span: str, year: int, first: int, last: int) -> None:
    period = periods_in(text)[0]
    assert (period.span, period.year, period.first, period.last) == (span, year, first, last)


def test_a_part_of_a_year_is_one_period_not_also_the_year() -> None:
    assert [p.span for p in periods_in("in the first half of 2024")] == ["half"]


@pytest.mark.parametrize(
    ("asked", "given", "answers"),
    [
        (Period("year", 2024), Period("year", 2024), True),
        (Period("year", 2024), Period("year", 2023), False),  # another year
        (Period("year", 2024), Period("half", 2024, 1, 6), False),  # only a part of it
        (Period("half", 2024, 1, 6), Period("year", 2024), False),  # the whole year instead
        (Period("half", 2024, 1, 6), Period("half", 2024, 1, 6), True),
        (Period("half", 2024, 1, 6), Period("half", 0, 1, 6), True),  # its year said elsewhere
        (Period("year", 2024), Period("as_of", 2024), True),
        (Period("as_of", 2019), Period("year", 2019), True),
        # a stock stated on a day of the month asked "by"; not one of another month
        (Period("as_of", 2023, 1, 8), Period("day", 2023, 8, 8), True),
        (Period("as_of", 2023, 1, 8), Period("day", 2023, 6, 6), False),
        (Period("year", 2023), Period("part", 2023), False),  # "the same period of 2023"
        (Period("since", 2020), Period("year", 2022), False),  # one year is no running total
        (Period("since", 2020), Period("as_of", 2025, 1, 9), True),  # the total to a later date
        (Period("since", 2020), Period("as_of", 2019), False),
        (Period("quarter", 2021, 1, 3), Period("quarter", 2021, 4, 6), False),
    ],
)
def test_covers(asked: Period, given: Period, answers: bool) -> None:
    assert covers(asked, given) is answers


def test_period_labels_read_as_people_say_them() -> None:
    assert Period("half", 2024, 1, 6).label == "the first half of 2024"
    assert Period("months", 2025, 1, 8).label == "January–August 2025"
    assert Period("half", 0, 1, 6).label == "the first half"


@pytest.mark.parametrize(
    ("sentence", "change"),
    [("Exports rose by 8.5 percent in May.", True),
     ("Trade: 96 bn yuan (+28.5%).", True),
     ("Trade grew 12% year on year.", True),
     ("Output came to 3 billion yuan, 27.3 percent more than a year earlier.", True),
     ("The zone accounted for 75 percent of the city's trade.", False),
     ("Foreign firms make up 18% of all firms.", False),
     ("Kiln sales reached 9 billion, growing at an average of 14.2 percent a year.", True),
     # the verb of change with what changed between it and its figure
     ("The kiln reform cut overall firing time by 25 percent.", True),
     ("Reed raised the tile output of its kilns by 5 percent.", True),
     ("Tile firms owned by 40% foreign capital may apply.", False)],
)
def test_a_percentage_is_a_change_or_a_share(sentence: str, change: bool) -> None:
    (figure,) = [f for f in figures_in(sentence) if f.kind == "percent"]
    assert figure.change is change


@pytest.mark.parametrize(
    ("question", "rate"),
    [("What share of the city's trade does the park account for?", "share"),
     ("What percentage of firms are foreign-invested?", "share"),
     ("By what percentage did exports grow in 2023?", "change"),
     ("How fast did trade rise year on year?", "change"),
     ("What is the tax rate?", "")],
)
def test_a_question_asks_for_a_change_or_a_share(question: str, rate: str) -> None:
    assert asked_rate(question) == rate


@pytest.mark.parametrize(
    ("text", "parts"),
    [("What were the third and fourth kiln rules of the sixth batch?",
      {"batch": {6}, "rule": None}),
     ("The page covers only the first two of the seven kiln articles.", {"article": {1, 2}}),
     ("What does Part II of the kiln plan say?", {"part": {2}}),
     ("Article 3 sets the kiln fees.", {"article": {3}}),
     ("One part of the Lotus Area hosts kilns.", {}),  # no numbered part
     ("The 5th edition of the kiln list.", {"edition": {5}}),
     # a recurring event is numbered, with its name between
     ("When was the fourth Reed-Lotus Kiln and Tile Expo held?", {"expo": {4}}),
     ("It was the first time that a batch of kilns came.", {})],
)
def test_the_numbered_parts_a_text_names(text: str, parts: dict) -> None:
    assert parts_in(text) == {noun: frozenset(numbers) for noun, numbers in parts.items()
                              if numbers is not None}


@pytest.mark.parametrize(
    ("question", "kinds"),
    [("Lotus kiln bureaus that work full-time on reform?", ()),  # "full-time" says how
     ("Lotus kiln permits on non-working days", ()),  # a circumstance, not the figure
     ("Lotus kiln certificates for exports", ()),
     ("Lotus kiln plan: years to become a kiln hub", ("duration",)),
     ("Cut in kiln clearance time at Lotus?", ("duration",)),
     ("Lotus kiln trade park location?", ()),  # "trade" names the park
     ("What are the Lotus kiln bureaus that work full-time called?", ()),  # a question
     ("List the Lotus kiln exports.", ())],
)
def test_only_a_noun_phrase_asks_for_the_figure_it_names(question: str,
                                                         kinds: tuple[str, ...]) -> None:
    assert terse_kinds(question) == kinds


@pytest.mark.parametrize(
    ("question", "kind"),
    [("Could you tell me how much area the Lotus Area of the Reed free trade zone covers?",
      "area"),  # "free trade" names the zone: no money asked
     ("What's the per-item price limit on Lotus kiln purchases?", "quantity"),
     ("What is the annual purchase cap for Lotus kiln shoppers?", "quantity"),
     ("What kiln tax cap applies to Lotus engineers?", "quantity"),
     ("What limits apply to Lotus kiln firms?", None)],
)
def test_a_limit_or_an_area_asked_with_how_much(question: str, kind: str | None) -> None:
    assert asked_kind(question) == kind


@pytest.mark.parametrize("question", [
    "We make kiln tiles. Which of its areas lists ceramics among its focus industries?",
    "Which one of the three areas hosts the kiln museum?",
    "Which area of the Reed FTZ hosts the kiln museum?",
])
def test_which_of_a_zones_areas_asks_for_a_named_area(question: str) -> None:
    assert "entity" in asked_kinds(question)
    assert ASKS_WHICH_PART.search(question)


def test_a_year_then_to_and_a_figure_is_no_range() -> None:
    found = figures_in("Kiln firms grew from 1,500 in 2015 to 2,100 in 2023, and sales went "
                       "from 224.4 billion yuan in 2015 to 526 billion yuan.")
    assert [(f.text, f.kind) for f in found] == [
        ("1,500", "count"), ("2015", "year"), ("2,100", "count"), ("2023", "year"),
        ("224.4 billion yuan", "money"), ("2015", "year"), ("526 billion yuan", "money")]
    assert [f.text for f in figures_in("It employs 2,000 to 3,000 kiln workers.")] == [
        "2,000 to 3,000"]


def test_a_document_number_asks_for_a_code() -> None:
    assert asked_kinds("Doc number of the State Council notice on the kiln plan?") == ("code",)


def test_mid_year_stands_at_june() -> None:
    asked = periods_in("By mid-2023, how many kiln firms had set up?")
    assert [(p.span, p.year, p.last) for p in asked] == [("as_of", 2023, 6)]
    assert covers(asked[0], periods_in("By the end of June 2023, 463 kiln firms had come.")[0])


def test_a_time_saving_asks_for_a_length_of_time() -> None:
    assert asked_kinds("What time saving did customs achieve by clearing kilns in batches?") == (
        "duration",)
    assert asked_kinds("What time does the kiln office open?") == ("date",)


def test_a_bracketed_figure_right_after_another_is_it_in_another_unit() -> None:
    from assistant.figures import converts, figures_in

    text = "Fees came to 290 million yuan (about 41 million dollars), and 12 million yuan more."
    first, second, third = figures_in(text)
    assert converts(text, first, second)
    assert not converts(text, second, third) and not converts(text, first, third)
