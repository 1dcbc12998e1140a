"""Verification of generated sentences against their passages (pure functions, no model)."""

from __future__ import annotations

import pytest

from assistant.verify import (
    Context,
    SentenceStream,
    check,
    declines,
    split_sentences,
    supporting,
    without_markers,
)

PASSAGES = {
    1: "Ningbo Area Fact Sheet — Size and launch\n"
       "The Ningbo Area covers 46.02 square kilometres along the Beilun coast. "
       "The Ningbo Area was inaugurated on September 21, 2020. "
       "Foreign-invested firms make up 18% of the enterprises registered in the Ningbo Area.",
    2: "Dalian Report Card\nThe notification commitment system saves firms over 3,000 hours of "
       "clearance time a year. Dalian ranks 11th of 43 pilot zones. "
       'The "Single Window for Crew Changes" opened in 2021. The notice is Guo Fa [2017] No. 15. '
       "Investment reached RMB 2.5 billion.",
    3: "大连报告\n通知承诺制每年为大连片区企业节省3,000小时通关时间。",
}


@pytest.mark.parametrize("sentence", [
    "The Ningbo Area covers 46.02 square kilometres along the Beilun coast. [1]",
    "The Ningbo Area covers 46.02 square kilometres [1].",
    "The notification commitment system saves firms over 3000 hours of clearance time a year [2].",
    "Dalian ranks eleventh of 43 pilot zones [2].",
    "The Ningbo Area was inaugurated on September 21, 2020 [1].",
    "Eighteen per cent of the enterprises in the Ningbo Area are foreign-invested [1].",
    'The "Single Window for Crew Changes" opened in 2021 [2].',
    "The notice is Guo Fa [2017] No. 15 [2].",
    "Investment reached 2.5 billion [2].",
    "Dalian ranks 11th [2], and the Ningbo Area covers 46.02 square kilometres [1].",
    "It is 46.02 [1].",
    "大连片区每年为企业节省3000小时。[3]",
])
def test_faithful_sentences_hold(sentence: str) -> None:
    verdict = check(sentence, PASSAGES)
    assert verdict.holds, verdict.problem


@pytest.mark.parametrize(("sentence", "problem"), [
    ("The Ningbo Area covers 46.02 square kilometres.", "cites no passage"),
    ("The Ningbo Area covers 46.02 square kilometres [4].", "do not exist"),
    ("The Ningbo Area covers 46.02 square kilometres [1][7].", "do not exist"),
    ("The Ningbo Area covers 999 square kilometres [1].", "999"),
    ("The Ningbo Area covers 46.2 square kilometres [1].", "46.2"),
    ("The system saves firms over 30,000 hours of clearance time a year [2].", "30000"),
    ("Dalian ranks 12th of 43 pilot zones [2].", "12th"),
    ("Dalian ranks 43rd of 11 pilot zones [2].", "43th"),
    ("Foreign-invested firms make up 19% of the enterprises [1].", "19%"),
    ("Foreign-invested firms make up 18 firms of the enterprises, or 46.02% [1].", "46.02%"),
    ("Nineteen per cent of enterprises are foreign-invested [1].", "19%"),
    ("Investment reached 2.5 million [2].", "2.5 million"),
    ("The Ningbo Area was inaugurated on October 21, 2020 [1].", "date not in its passages"),
    ("The Ningbo Area was inaugurated on September 18, 2020 [1].", "date not in its passages"),
    ("The Golden Bridge Initiative speeds up Ningbo Area firms [1].", "Golden Bridge Initiative"),
    ('The "Green Lane for Seafood" opened in 2021 [2].', "Green Lane for Seafood"),
    ("The notification commitment system saves 3,000 hours [1].", "3000"),  # wrong passage
    ("Ningbo is loved by tourists, musicians and painters for its lively nightlife [1].",
     "too little"),
    ("[1]", "no text"),
    ("Sources: [1], [2].", "says nothing"),
    ("Yes [1].", "says nothing"),
    ("大连自贸片区的面积最大，居民最多。[1]", "too little"),
])
def test_unsupported_sentences_are_rejected(sentence: str, problem: str) -> None:
    verdict = check(sentence, PASSAGES)
    assert not verdict.holds
    assert problem in str(verdict.problem)


def test_a_verdict_lists_the_passages_cited_once_each() -> None:
    assert check("Dalian ranks 11th [2] of 43 [2][1].", PASSAGES).cited == (2, 1)


def test_opening_words_are_no_part_of_a_name() -> None:
    sentence = "In Ningbo Area firms, 18 per cent are foreign-invested [1]."
    assert "In Ningbo Area" not in PASSAGES[1]
    assert check(sentence, PASSAGES).holds


def test_sentences_split_at_full_stops_but_not_in_numbers_or_abbreviations() -> None:
    text = ("The notice is Guo Fa [2017] No. 15. [2] It covers 46.02 km² [1]. "
            "Firms, e.g. traders, gain [1]! The U.S. and China trade [2].\n- a list item [1]\n"
            "大连排名第11。[2]下一句")
    assert split_sentences(text) == [
        "The notice is Guo Fa [2017] No. 15. [2]", "It covers 46.02 km² [1].",
        "Firms, e.g. traders, gain [1]!", "The U.S. and China trade [2].", "- a list item [1]",
        "大连排名第11。 [2]", "下一句",
    ]


def test_streamed_text_gives_each_sentence_once_with_its_trailing_markers() -> None:
    stream = SentenceStream()
    pieces = ["The Ningbo ", "Area covers 46.02 km. ", "[", "1", "] It was ", "inaugurated [1",
              "]. ", "Done"]
    given = [stream.feed(piece) for piece in pieces]
    assert given == [[], [], [], [], ["The Ningbo Area covers 46.02 km. [1]"], [], [],
                     ["It was inaugurated [1]."]]
    assert stream.close() == ["Done"]
    assert stream.close() == []


def test_markers_are_taken_out_cleanly() -> None:
    assert without_markers("It covers 46.02 km [1][2]. And more [3] here.") == (
        "It covers 46.02 km. And more here.")


def test_declining_is_recognised_only_without_citations() -> None:
    assert declines("The passages do not answer this question.")
    assert declines("This is not mentioned in the passages.")
    assert not declines("The passages do not answer this question [1].")
    assert not declines("The Ningbo Area covers 46.02 square kilometres.")


def test_supporting_sentences_hold_the_figures_else_share_most_words() -> None:
    body = PASSAGES[1].split("\n", 1)[1]
    assert supporting("It was inaugurated on September 21, 2020 [1].", body) == [
        "The Ningbo Area was inaugurated on September 21, 2020."]
    assert supporting("It lies on the Beilun coast [1].", body) == [
        "The Ningbo Area covers 46.02 square kilometres along the Beilun coast."]


# Meaning-changing edits (assistant.edits), each class on invented passages and sentences
EDITED = {
    1: "Ningbo Area Fact Sheet\nThe Ningbo Area handled 4.2 million TEU in 2023, up 8% year on "
       "year. In the first half of 2024 it handled 2.3 million TEU. Enterprises do not need a "
       "separate permit for bonded storage. Since 2019 the area has attracted 1,250 "
       "foreign-invested enterprises. Each traveller may buy goods worth 30,000 yuan a year.",
    2: "Its exports fell 3% in 2022, and the area covers 12.5 square kilometres.",
    3: "The Zhoushan Area covers 120 square kilometres around its oil terminals.",
}
ABOUT = {2: Context(title="Zhoushan Area Report", zone="Zhejiang FTZ / Zhoushan Area",
                    date="2023-03-01", section="Trade")}


@pytest.mark.parametrize("sentence", [
    "The Ningbo Area handled 4.2 million TEU in 2023, 8% more than a year earlier [1].",
    "Bonded storage needs no separate permit [1].",
    "Travellers may each spend up to 30,000 yuan a year [1].",
    "In the first half of 2024 the Ningbo Area handled 2.3 million TEU [1].",
    "Since 2019, 1,250 foreign-invested enterprises have come to the area [1].",
    # the place named only by the passage's context (its document's title and zone)
    "The Zhoushan Area's exports fell 3% in 2022 [2].",
    "The Zhoushan Area covers 12.5 square kilometres [2], and the Ningbo Area handled "
    "4.2 million TEU in 2023 [1].",
])
def test_faithful_rewordings_hold(sentence: str) -> None:
    verdict = check(sentence, EDITED, ABOUT)
    assert verdict.holds, verdict.problem


@pytest.mark.parametrize(("sentence", "problem"), [
    ("The Ningbo Area handled 4.2 million tonnes in 2023 [1].", "changed unit"),
    ("The area covers 12.5 hectares [2].", "changed unit"),
    ("Each traveller may buy goods worth 30,000 yuan a month [1].", "changed rate basis"),
    ("Each household may buy goods worth 30,000 yuan a year [1].", "changed rate basis"),
    ("The Ningbo Area handled 2.3 million TEU in 2024 [1].", "changed period"),
    ("In the first half of 2023 the Ningbo Area handled 4.2 million TEU [1].", "changed period"),
    ("Enterprises need a separate permit for bonded storage [1].", "negation"),
    ("Since 2019 the area has not attracted 1,250 foreign-invested enterprises [1].",
     "negation"),
    ("Its exports rose 3% in 2022 [2].", "reverses a direction"),
    ("The Ningbo Area handled 4.2 million TEU in 2023, down 8% year on year [1].",
     "reverses a direction"),
    ("The Ningbo Area covers 120 square kilometres [1][3].", "figure of another place"),
    ("The Ningbo Area's exports fell 3% in 2022 [2].", "Ningbo Area"),
    ("Ningbo's exports fell 3% in 2022 [2].", "figure of another place"),
    ("Zhejiang covers 120 square kilometres [3].", "figure of another place"),
    ("The Ningbo Area handled 4.2 million TEU in 2022 [1][2].", "figure of another year"),
])
def test_meaning_changing_edits_are_rejected(sentence: str, problem: str) -> None:
    verdict = check(sentence, EDITED, ABOUT)
    assert not verdict.holds
    assert problem in str(verdict.problem)


def test_a_name_from_the_passage_context_needs_that_context() -> None:
    sentence = "The Zhoushan Area's exports fell 3% in 2022 [2]."
    assert check(sentence, EDITED, ABOUT).holds
    assert "Zhoushan Area" in str(check(sentence, EDITED).problem)  # (without the context)


SWAPPABLE = {
    1: "Harbour Report\nIn 2023 the Ningbo Area's exports rose 12.5% and its imports fell 4.1%. "
       "New enterprises made up 30 percent of the city's total and 20 percent of its "
       "foreign-invested firms. The plan was approved on June 6, 2020. Nearly half of the "
       "measures came from customs. Firms that fail to file will not receive the rebate. "
       "The Ningbo Area opened the first bonded fuel depot in the region.",
    2: "The Zhoushan Area covers 120 square kilometres. It opened a crude oil hub.",
}


@pytest.mark.parametrize("sentence", [
    "In 2023 the Ningbo Area's exports grew 12.5%, while imports dropped 4.1% [1].",
    "New enterprises were 30 percent of the city's total and 20 percent of its "
    "foreign-invested firms [1].",
    "The plan was approved on June 6, 2020 [1].",  # (a date's day is no quantity)
    "Nearly half of the measures came from customs [1].",
    "Firms that do not file get no rebate [1].",  # (two negations, both the source's)
    "The Ningbo Area opened the region's first bonded fuel depot [1].",
])
def test_faithful_sentences_about_several_figures_hold(sentence: str) -> None:
    verdict = check(sentence, SWAPPABLE)
    assert verdict.holds, verdict.problem


@pytest.mark.parametrize(("sentence", "problem"), [
    # two figures of one sentence, each given the other's description
    ("New enterprises made up 20 percent of the city's total and 30 percent of its "
     "foreign-invested firms [1].", "swapped"),
    ("In 2023 the Ningbo Area's exports fell 12.5% [1].", "reverses"),
    ("More than half of the measures came from customs [1].", "reverses"),  # (no figure)
    ("The Ningbo Area opened the last bonded fuel depot in the region [1].", "reverses"),
    ("A quarter of the measures came from customs [1].", "fraction"),
    ("Firms that fail to file will receive the rebate [1].", "negation"),
    ("The plan was not approved on June 6, 2020 [1].", "negation"),
    ("The Zhoushan Area opened the first bonded fuel depot in the region [1][2].",
     "another place"),  # (a statement without a figure, moved to another place)
])
def test_edits_of_sentences_with_several_figures_are_rejected(sentence: str,
                                                              problem: str) -> None:
    verdict = check(sentence, SWAPPABLE)
    assert not verdict.holds
    assert problem in str(verdict.problem)


PLACES = {
    1: "Zone Report\nThe Fujian zone's foreign investment rose 167.2% in the first quarter. "
       "The Xiamen Area covers 43.78 square kilometres, and the Pingtan Area 43 square "
       "kilometres. The forum in Fuzhou heard that the zone reported 300 innovations.",
}
PLACE_ABOUT = {1: Context(title="Fujian FTZ report", zone="Fujian FTZ")}


@pytest.mark.parametrize("sentence", [
    "At 43.78 square kilometres, the Xiamen Area is one of the zone's areas [1].",
    "The Fujian zone reported 300 innovations [1].",  # (a zone's figure, heard in Fuzhou)
])
def test_figures_said_of_their_own_place_hold(sentence: str) -> None:
    verdict = check(sentence, PLACES, PLACE_ABOUT)
    assert verdict.holds, verdict.problem


@pytest.mark.parametrize("sentence", [
    "The Pingtan Area covers 43.78 square kilometres [1].",  # (another area's figure)
    "At 43.78 square kilometres, the Pingtan Area is the largest [1].",
    "Foreign investment in the Fuzhou Area rose 167.2% in the first quarter [1].",  # (the
])  # zone's figure said of one of its areas)
def test_figures_moved_to_another_place_are_rejected(sentence: str) -> None:
    verdict = check(sentence, PLACES, PLACE_ABOUT)
    assert not verdict.holds and "another place" in str(verdict.problem)


PERIODS = {
    1: "Port Notes\nThe port took in 8 million metric tons of fuel oil in 2022. Its 40-MW "
       "solar plant opened in 2023. Land reform saved firms 20,000 yuan per mu. Output rose an "
       "average of 19.8 percent a year over five years. By then the port had handled 400 "
       "million tonnes in total. Unlike the other two terminals, it runs at night. In the first "
       "three quarters of 2023 trade reached 252.84 billion yuan.",
}


@pytest.mark.parametrize(("sentence", "problem"), [
    ("The port took in 8 million cubic metres of fuel oil in 2022 [1].", "changed unit"),
    ("Its 40-MWh solar plant opened in 2023 [1].", "changed unit"),
    ("Land reform saved firms 20,000 yuan per hectare [1].", "changed rate basis"),
    ("Land reform saved firms 20,000 yuan a quarter [1].", "changed rate basis"),
    ("Output rose 19.8 percent a year over five years [1].", "leaves out the average"),
    ("In 2023 alone the port handled 400 million tonnes [1].", "one period"),
    ("Trade reached 252.84 billion yuan in 2023 [1].", "leaves out the part of a year"),
    ("Like the other two terminals, it runs at night [1].", "negation"),
    # a comparison worked out from the figures, which the passage does not state
    ("The port took in twice as much fuel oil in 2022 as its solar plant's 40-MW [1].",
     "comparison"),
    ("The port's 400 million tonnes are larger than its 8 million tonnes of fuel oil [1].",
     "comparison"),
])
def test_edits_of_units_bases_and_periods_are_rejected(sentence: str, problem: str) -> None:
    verdict = check(sentence, PERIODS)
    assert not verdict.holds
    assert problem in str(verdict.problem)


@pytest.mark.parametrize("sentence", [
    "The port received 8 million tonnes of fuel oil in 2022 [1].",
    "Its 40-MW solar plant started in 2023 [1].",
    "On average, output grew 19.8 percent a year over five years [1].",
    "In the first three quarters of 2023, trade reached 252.84 billion yuan [1].",
])
def test_the_same_units_bases_and_periods_in_other_words_hold(sentence: str) -> None:
    verdict = check(sentence, PERIODS)
    assert verdict.holds, verdict.problem
